// Building a network by hand on the canvas: palette drops, attaching by drag,
// rule editing with live validation, undo/redo, persistence and share links.
import { test, expect } from '@playwright/test';
import { Playground } from '../pages/playground.mjs';

test('drag a VM from the palette into a subnet and see its address', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('locked-down-vm');
  await app.dragFromPalette('vm', 'subnet/app-vnet/web');
  // 10.1.1.4 is taken by web-vm; the next free address skips Azure's reserved .0-.3.
  await expect(app.node('vm/vm-1')).toBeVisible();
  await expect(app.node('vm/vm-1')).toContainText('10.1.1.5');
  await expect(page.getByTestId('inspector-title')).toHaveText('Virtual machine: vm-1');
  await app.screenshot('canvas-vm-dropped');
  app.expectClean();
});

test('a VM dropped outside any subnet is refused with the reason', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('locked-down-vm');
  await app.dragFromPalette('vm', 'region/westeurope', { x: 0.9, y: 0.1 });
  await expect(app.banner()).toContainText('subnet');
  await expect(app.node('vm/vm-1')).toHaveCount(0);
});

test('attach an NSG to a subnet by dragging it', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('no-nsg-public-ip');
  // Keyboard add (nothing selected): the NSG lands on the shelf below the regions.
  await page.getByTestId('palette-nsg').press('Enter');
  await expect(app.node('nsg/nsg-1')).toBeVisible();
  await app.dragNodeOnto('nsg/nsg-1', 'subnet/legacy-vnet/servers', { x: 0.5, y: 0.15 });
  await expect(app.node('subnet/legacy-vnet/servers')).toContainText('NSG nsg-1');
  await app.select('subnet/legacy-vnet/servers');
  await expect(page.getByTestId('subnet-nsg')).toHaveValue('nsg-1');
  await app.screenshot('canvas-nsg-attached');
  app.expectClean();
});

test('add a rule, see the validation error next to the field, fix it', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('web-vm-80-443');
  await app.select('nsg/web-nsg');
  await expect(page.getByTestId('nsg-editor')).toBeVisible();
  await page.getByTestId('add-rule-inbound').click();
  const row = page.getByTestId('rule-allow-in-1');
  await expect(row).toBeVisible();
  // Same priority and direction as allow-web: Azure's SecurityRuleConflict.
  await row.getByTestId('rule-priority').fill('100');
  await row.getByTestId('rule-priority').press('Enter');
  await expect(page.getByTestId('field-error').first()).toContainText('SecurityRuleConflict');
  await app.screenshot('nsg-editor-error');
  // A port of 70000 is refused by name too.
  await row.getByTestId('rule-priority').fill('200');
  await row.getByTestId('rule-priority').press('Enter');
  await row.getByTestId('rule-port').fill('70000');
  await row.getByTestId('rule-port').press('Enter');
  await expect(page.getByTestId('field-error').first()).toContainText('65535');
  await row.getByTestId('rule-port').fill('8443');
  await row.getByTestId('rule-port').press('Enter');
  await expect(page.getByTestId('field-error')).toHaveCount(0);
  await expect(page.getByTestId('validation-error')).toHaveCount(0);
  app.expectClean();
});

test('an ASG moved to another region than its members is refused at the field, and moved back', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  await app.select('asg/AsgWeb');
  await expect(page.getByTestId('asg-editor')).toBeVisible();
  const region = page.getByTestId('asg-location');
  await region.selectOption('westeurope');
  await expect(page.getByTestId('field-error').first()).toContainText('must be in its region');
  await app.screenshot('asg-region-error');
  await region.selectOption('northeurope');
  await expect(page.getByTestId('field-error')).toHaveCount(0);
  await region.selectOption('');
  await expect(page.getByTestId('field-error')).toHaveCount(0);
  await expect(page.getByTestId('validation-error')).toHaveCount(0);
  app.expectClean();
});

test('undo and redo every edit', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('locked-down-vm');
  await app.dragFromPalette('vm', 'subnet/app-vnet/web');
  await expect(app.node('vm/vm-1')).toBeVisible();
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await app.undo();
  await expect(app.node('vm/vm-1')).toHaveCount(0);
  await app.redo();
  await expect(app.node('vm/vm-1')).toBeVisible();
  await page.getByTestId('undo').click();
  await expect(app.node('vm/vm-1')).toHaveCount(0);
  await page.getByTestId('redo').click();
  await expect(app.node('vm/vm-1')).toBeVisible();
});

test('reload and find everything still there', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  await app.dragFromPalette('vm', 'subnet/tiers-vnet/workload');
  await expect(app.node('vm/vm-1')).toBeVisible();
  await page.reload();
  await expect(app.node('vm/vm-1')).toBeVisible();
  await expect(page.getByTestId('doc-title')).toHaveText('5. Web, app and database tiers with ASGs');
  app.expectClean();
});

test('a share link opens the same scenario elsewhere', async ({ page, browser }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('hub-spoke-firewall');
  await app.dragFromPalette('vm', 'subnet/spoke1/app');
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('#s=');
  const other = await browser.newContext();
  const page2 = await other.newPage();
  const app2 = new Playground(page2);
  await page2.goto(link);
  await expect(app2.node('vm/vm-1')).toBeVisible();
  await expect(page2.getByTestId('doc-title')).toHaveText('6. Hub and spoke through Azure Firewall');
  await expect(app2.banner()).toContainText('shared link');
  app2.expectClean();
  await other.close();
});

test('a damaged share link says so and keeps the work', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  await page.goto('about:blank');
  await page.goto('/#s=AAAAbroken');
  await expect(app.banner()).toContainText('Could not open the shared link');
  await expect(page.getByTestId('doc-title')).toHaveText('5. Web, app and database tiers with ASGs');
  // A link pasted into the same tab (only the fragment changes) is read too.
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  await page.getByTestId('gallery').selectOption('smtp-by-subscription');
  await page.evaluate((l) => { window.location.hash = l.split('#')[1]; }, link);
  await expect(page.getByTestId('doc-title')).toHaveText('5. Web, app and database tiers with ASGs');
});

test('a broken import shows the reason and leaves the state intact', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  await page.getByTestId('open-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "netsec-scenario", "version": 1, "vnets": [ {"name": "x", ') });
  await expect(app.banner()).toContainText('Could not import broken.json');
  await expect(app.banner()).toContainText('line');
  await expect(page.getByTestId('doc-title')).toHaveText('5. Web, app and database tiers with ASGs');
  await expect(app.node('vm/db-vm')).toBeVisible();
  await app.screenshot('import-error');
});

test('a good import shows its report first and undoes in one step', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  const azure = [
    { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/imported-vnet', name: 'imported-vnet', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.9.0.0/16'] }, subnets: [{ name: 'default', id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/imported-vnet/subnets/default', properties: { addressPrefix: '10.9.0.0/24' } }] } },
  ];
  await page.getByTestId('open-file').setInputFiles({ name: 'vnet.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(azure)) });
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-report')).toContainText('1 VNets');
  await app.screenshot('import-report');
  await page.getByTestId('import-accept').click();
  await expect(app.node('vnet/imported-vnet')).toBeVisible();
  await app.undo();
  await expect(app.node('vm/db-vm')).toBeVisible();
});

test('open every gallery scenario without a console error', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  const ids = await page.getByTestId('gallery').locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  expect(ids.length).toBe(8);
  for (const id of ids) {
    await app.openGallery(id);
    await app.fit();
    await page.getByTestId('flow-0').click();
    await expect(page.getByTestId('trace')).toBeVisible();
    await app.screenshot(`gallery-${id}`);
  }
  app.expectClean();
});

test('keyboard: nodes are focusable with labels, Delete removes the selection, themes switch', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('locked-down-vm');
  const vm = app.node('vm/web-vm');
  await expect(vm).toHaveAttribute('aria-label', /Virtual machine web-vm/);
  await vm.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector-title')).toHaveText('Virtual machine: web-vm');
  await page.keyboard.press('Delete');
  await expect(app.node('vm/web-vm')).toHaveCount(0);
  await app.undo();
  await expect(app.node('vm/web-vm')).toBeVisible();
  await page.getByTestId('theme').click();
  await expect(page.getByTestId('app')).toHaveClass(/theme-dark/);
  await app.screenshot('dark-theme');
});

test('the build works from a sub-path', async ({ page }) => {
  const app = new Playground(page);
  await page.goto('/some/sub/path/');
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(app.node('vm/web-vm')).toBeVisible();
  app.expectClean();
});

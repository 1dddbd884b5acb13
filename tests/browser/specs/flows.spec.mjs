// Watching packets: presets, the animated journey, the trace in step, live
// rule fixes, step controls, embed mode and reduced motion.
import { test, expect } from '@playwright/test';
import { Playground } from '../pages/playground.mjs';

async function fast(page) {
  await page.getByTestId('speed').selectOption('4');
}

test('a north/south preset on the locked-down VM stops at the NIC NSG and names DenyAllInBound', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('locked-down-vm');
  await page.getByTestId('preset-internet-web').click();
  await fast(page);
  await expect(page.getByTestId('trace-verdict')).toContainText('Denied at NIC NSG by defaultSecurityRules/DenyAllInBound');
  await expect(page.getByTestId('trace-verdict')).toContainText('north/south');
  // The packet travels and ends on the denying layer, with colour, icon and text.
  await expect(page.getByTestId('packet')).toHaveAttribute('data-outcome', 'Denied', { timeout: 20_000 });
  await expect(page.getByTestId('live')).toContainText('NIC NSG: denied by defaultSecurityRules/DenyAllInBound');
  await expect(page.locator('[data-testid="packet"] .packet-label')).toContainText('denied');
  await expect(page.getByTestId('flow-kind-0').or(page.getByTestId('flow-kind-2'))).toBeTruthy();
  await app.screenshot('flow-north-south-denied');
  app.expectClean();
});

test('adding an allow rule lets the packet reach the VM, and the reply returns', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('locked-down-vm');
  await page.getByTestId('flow-0').click();
  await expect(page.getByTestId('flow-verdict-0')).toContainText('denied');
  await app.select('nsg/web-vm-nsg');
  await page.getByTestId('add-rule-inbound').click();
  // The new rule allows TCP 443 from anywhere; every verdict updates without a reload.
  await expect(page.getByTestId('flow-verdict-0')).toContainText('allowed');
  await page.getByTestId('flow-0').click();
  await page.getByTestId('flow-0').click();
  await fast(page);
  await expect(page.getByTestId('trace-verdict')).toContainText('the reply comes back');
  await expect(page.getByTestId('trace-reply')).toBeVisible();
  await expect(page.getByTestId('packet')).toHaveClass(/reply/, { timeout: 30_000 });
  await expect(page.getByTestId('live')).toContainText('Internet: arrived', { timeout: 30_000 });
  await app.screenshot('flow-allowed-reply');
  app.expectClean();
});

test('an east/west flow through the hub firewall shows the UDR hop and the firewall rule', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('hub-spoke-firewall');
  await page.getByTestId('flow-0').click();
  await expect(page.getByTestId('trace-verdict')).toContainText('east/west');
  const routing = page.locator('[data-layer="Routing"]').first();
  await expect(routing).toContainText('route 10.0.0.0/8 → VirtualAppliance 10.0.1.4');
  await expect(routing).toContainText('to-spokes-via-fw');
  const firewall = page.locator('[data-layer="VnetFirewall"]').first();
  await expect(firewall).toContainText('azureFirewalls/hub-fw/networkRuleCollections/east-west/rules/app-to-sql');
  await expect(page.getByTestId('flow-layer-1')).toHaveText('VNet firewall');
  await app.screenshot('flow-east-west-firewall');
  // The editors' tables fit the inspector.
  await app.select('rt/spoke1-rt');
  await expect(page.getByTestId('routes')).toBeVisible();
  await app.screenshot('route-table-editor');
  await app.select('firewall/hub-fw');
  await app.screenshot('firewall-editor');
  app.expectClean();
});

test('the deciding rule opens in the NSG editor', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  await page.getByTestId('flow-2').click();
  await page.getByTestId('trace-rule').filter({ hasText: 'Deny-Database-All' }).first().click();
  await expect(page.getByTestId('nsg-editor')).toBeVisible();
  await expect(page.getByTestId('rule-Deny-Database-All')).toHaveClass(/focused/);
});

test('step back and forward, layer by layer', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('web-vm-80-443');
  await page.getByTestId('flow-0').click();
  await page.getByTestId('play').click(); // pause
  await page.getByTestId('replay').click();
  await page.getByTestId('play').click(); // pause at the start
  for (let i = 0; i < 3; i++) await page.getByTestId('step-forward').click();
  await expect(page.locator('.step[aria-current="step"]')).toHaveAttribute('data-testid', 'trace-step-3');
  await expect(page.getByTestId('packet')).toHaveAttribute('data-stop', '3');
  await page.getByTestId('step-back').click();
  await expect(page.locator('.step[aria-current="step"]')).toHaveAttribute('data-testid', 'trace-step-2');
  await expect(page.getByTestId('packet')).toHaveAttribute('data-stop', '2');
  await app.screenshot('flow-stepping');
});

test('run all presets fills the flow table and animates every flow', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('hub-spoke-firewall');
  await page.getByTestId('run-all-presets').click();
  await expect(page.getByTestId('flow-table')).toContainText('spoke → spoke via hub');
  await expect(page.locator('[data-testid^="packet-"]').first()).toBeVisible();
  await app.screenshot('flow-run-all');
});

test('an embed URL renders compact, read-only, with no editor, and plays its flow', async ({ page }) => {
  const app = new Playground(page);
  await page.goto('/?embed=1&scenario=locked-down-vm&flow=0&autoplay=1');
  await expect(page.getByTestId('embed-bar')).toBeVisible();
  await expect(page.getByTestId('embed-bar')).toContainText('A new VM is locked down');
  await expect(page.getByTestId('palette-vm')).toHaveCount(0);
  await expect(page.getByTestId('inspector')).toHaveCount(0);
  await expect(page.getByTestId('toolbar-gallery')).toHaveCount(0);
  await expect(page.getByTestId('packet')).toHaveAttribute('data-outcome', 'Denied', { timeout: 30_000 });
  await app.screenshot('embed');
  app.expectClean();
});

test('the embed dialog gives an iframe snippet that opens the same view', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  await page.getByTestId('flow-1').click();
  await page.getByTestId('embed').click();
  const snippet = await page.getByTestId('embed-snippet').inputValue();
  expect(snippet).toMatch(/^<iframe src="[^"]+\?embed=1&scenario=asg-tiers&flow=1&autoplay=1"/);
  const src = snippet.match(/src="([^"]+)"/)[1];
  await page.setContent(`<html><body>${snippet}</body></html>`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('embed-bar')).toBeVisible();
  await expect(frame.getByTestId('trace-verdict')).toContainText('Allowed');
  expect(src.startsWith('http://127.0.0.1')).toBe(true);
});

test('with reduced motion the packet steps between layers without moving', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('web-vm-80-443');
  await page.getByTestId('flow-0').click();
  await expect(page.getByTestId('controls')).toContainText('reduced motion');
  const classes = [];
  for (let i = 0; i < 25; i++) {
    classes.push(await page.getByTestId('packet').getAttribute('class'));
    await page.waitForTimeout(60);
  }
  expect(classes.some((c) => c.includes('moving'))).toBe(false);
  const stops = new Set();
  for (let i = 0; i < 20; i++) {
    stops.add(await page.getByTestId('packet').getAttribute('data-stop'));
    await page.waitForTimeout(150);
  }
  expect(stops.size).toBeGreaterThan(1);
  await app.screenshot('reduced-motion');
});

test('pick a flow on the canvas by clicking a source and a destination', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  await page.getByTestId('flow-pick').click();
  await app.select('client/visitor');
  await app.select('pip/web-ip');
  await expect(page.getByTestId('flow-source')).toHaveValue('client/visitor');
  await expect(page.getByTestId('flow-destination')).toHaveValue('pip/web-ip');
  await page.getByTestId('flow-port').fill('8080');
  await page.getByTestId('flow-add').click();
  await expect(page.getByTestId('trace-verdict')).toContainText('Denied');
  await expect(page.getByTestId('flow-table')).toContainText('client/visitor → pip/web-ip Tcp:8080');
});

test('an inbound NAT rule added in the load balancer editor forwards its port to the VM', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('web-vm-80-443');
  await page.getByTestId('palette-lb').press('Enter');
  await expect(app.node('lb/lb-1')).toBeVisible();
  await app.select('lb/lb-1');
  await page.getByTestId('lb-add-nat').click();
  const row = page.getByTestId('lb-nat-nat-1');
  await expect(page.getByTestId('lb-nat-target-nat-1').getByLabel('Target')).toHaveValue('nic:web-nic');
  // A port Azure cannot have: the error names it, the rule stays editable.
  await row.getByLabel('Frontend port').fill('70000');
  await row.getByLabel('Frontend port').press('Enter');
  await expect(page.getByTestId('lb-editor').getByTestId('field-error')).toContainText('70000');
  await row.getByLabel('Frontend port').fill('50443');
  await row.getByLabel('Frontend port').press('Enter');
  await row.getByLabel('Backend port').fill('443');
  await row.getByLabel('Backend port').press('Enter');
  await expect(page.getByTestId('lb-editor').getByTestId('field-error')).toHaveCount(0);
  await row.scrollIntoViewIfNeeded();
  await app.screenshot('lb-nat-editor');
  // The web VM's NSG allows 443 from the Internet: the forwarded flow arrives.
  await page.getByTestId('flow-pick').click();
  await app.select('client/laptop');
  await app.select('lb/lb-1');
  await page.getByTestId('flow-port').fill('50443');
  await page.getByTestId('flow-add').click();
  await expect(page.getByTestId('trace-verdict')).toContainText('Allowed');
  await expect(page.locator('[data-layer="Datacenter"]').first()).toContainText('inbound NAT rule nat-1');
  await app.screenshot('flow-lb-inbound-nat');
  app.expectClean();
});

// Imports and exports run in a Web Worker (web/import-worker), started on the
// first one: a large file leaves the page responsive, and a worker that cannot
// start is reported in one sentence while the work stays as it was.
import { test, expect } from '@playwright/test';
import { Playground } from '../pages/playground.mjs';

/** Terraform source with one VNet and `nsgs` subnets, each with its own NSG of `rules` rules. */
function bigTerraform(nsgs, rules) {
  const out = [`resource "azurerm_virtual_network" "big" {
  name                = "big-vnet"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/8"]
}
`];
  for (let n = 0; n < nsgs; n++) {
    out.push(`resource "azurerm_subnet" "s${n}" {
  name                 = "subnet-${n}"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.big.name
  address_prefixes     = ["10.${n >> 8}.${n & 255}.0/24"]
}
resource "azurerm_network_security_group" "n${n}" {
  name                = "nsg-${n}"
  location            = "westeurope"
  resource_group_name = "rg"
`);
    for (let r = 0; r < rules; r++) {
      out.push(`  security_rule {
    name                       = "allow-${r}"
    priority                   = ${100 + r}
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "${1000 + r}"
    source_address_prefix      = "192.0.2.${r % 256}/32"
    destination_address_prefix = "*"
  }
`);
    }
    out.push(`}
resource "azurerm_subnet_network_security_group_association" "a${n}" {
  subnet_id                 = azurerm_subnet.s${n}.id
  network_security_group_id = azurerm_network_security_group.n${n}.id
}
`);
  }
  return out.join('');
}

const smallTemplate = JSON.stringify({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  resources: [{
    type: 'Microsoft.Network/virtualNetworks', apiVersion: '2024-05-01', name: 'small-vnet', location: 'westeurope',
    properties: { addressSpace: { addressPrefixes: ['10.50.0.0/16'] }, subnets: [{ name: 'app', properties: { addressPrefix: '10.50.1.0/24' } }] },
  }],
});

// Runs in the page: notes (performance.now()) when the import starts, when the
// theme switch shows and when the import dialog appears, and counts animation
// frames while the import runs.
function importProbe(name) {
  const p = { frames: 0 };
  window.__importProbe = p;
  const tick = () => {
    if (p.importing !== undefined && p.dialog === undefined) p.frames++;
    if (p.dialog === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new MutationObserver(() => {
    const now = performance.now();
    const banner = document.querySelector('[data-testid="banner"]');
    if (p.importing === undefined && banner && banner.textContent.includes(`Importing ${name}`)) p.importing = now;
    if (p.themed === undefined && document.querySelector('[data-testid="app"].theme-dark')) p.themed = now;
    if (p.dialog === undefined && document.querySelector('[data-testid="import-dialog"]')) p.dialog = now;
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
}

test('a large Terraform file is read off the page: a click is handled meanwhile, then the import is offered', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new Playground(page);
  await app.openFresh();
  // About 8 MB: 200 NSGs of 100 rules. The worker takes a few seconds over it.
  const tf = bigTerraform(200, 100);
  await page.evaluate(importProbe, 'big.tf');
  await app.openFile('big.tf', tf);
  await expect(app.banner()).toContainText('Importing big.tf');
  await page.getByTestId('theme').click();
  await expect(page.getByTestId('app')).toHaveClass(/theme-dark/);
  await expect(page.getByTestId('import-dialog')).toBeVisible({ timeout: 90_000 });
  const probe = await page.evaluate(() => window.__importProbe);
  expect(probe.themed, 'the theme switched while the import ran').toBeLessThan(probe.dialog);
  expect(probe.frames, 'animation frames ran while the import ran').toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('import-report')).toContainText('200 subnets, 200 NSGs');
  await expect(page.getByTestId('import-report')).toContainText('imported: networkSecurityGroups/nsg-199 (100 rules)');
  await app.screenshot('import-large-terraform');
  await page.getByTestId('import-accept').click();
  await expect(app.node('nsg/nsg-199')).toHaveCount(1);
  await expect(app.node('subnet/big-vnet/subnet-199')).toHaveAttribute('aria-label', /NSG nsg-199/);
  app.expectClean();
});

test('when the worker files are missing, an import or export says so and the work is unchanged', async ({ page }) => {
  const app = new Playground(page);
  // From a sub-path, where the worker's relative URL must still resolve.
  await app.openFresh('/some/sub/path/');
  await app.openGallery('asg-tiers');
  await app.breakImportWorker();
  await app.openFile('azuredeploy.json', smallTemplate, 'application/json');
  await expect(app.banner()).toContainText('Could not import azuredeploy.json. The importer could not start');
  await expect(app.banner()).toContainText('Your work is unchanged.');
  await expect(app.banner()).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);
  await expect(page.getByTestId('doc-title')).toHaveText('5. Web, app and database tiers with ASGs');
  await expect(app.node('vm/db-vm')).toBeVisible();
  await app.screenshot('import-worker-missing');
  await page.getByTestId('export-terraform').click();
  await expect(app.banner()).toContainText('Could not export main.tf. The importer could not start');
  await expect(app.node('vm/db-vm')).toBeVisible();
  // Once the files are back, the next import starts a new worker.
  await app.repairImportWorker();
  await app.openFile('azuredeploy.json', smallTemplate, 'application/json');
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await page.getByTestId('import-accept').click();
  await expect(app.node('vnet/small-vnet')).toBeVisible();
  expect(app.foreignRequests, 'requests leaving the origin').toEqual([]);
});

test('a worker whose wasm is missing is given up on, with the same sentence', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  // The loader and its glue load; the wasm fetch fails inside the worker,
  // which fires no event on the page: the page stops waiting after 20 s.
  await app.breakImportWorker(/\/netsec-import-worker_bg\.wasm$/);
  await app.openFile('azuredeploy.json', smallTemplate, 'application/json');
  await expect(app.banner()).toContainText('Importing azuredeploy.json');
  await expect(app.banner()).toContainText('Could not import azuredeploy.json. The importer could not start', { timeout: 30_000 });
  await expect(app.banner()).toContainText('Your work is unchanged.');
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);
  await expect(app.node('vm/db-vm')).toBeVisible();
});

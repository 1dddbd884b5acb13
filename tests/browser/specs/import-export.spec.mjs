// Bringing real definitions in and taking designs out: an ARM template dropped
// on the page, Terraform opened from a file, exports downloaded and re-imported.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { Playground } from '../pages/playground.mjs';

const template = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: {
    prefix: { type: 'string', defaultValue: 'shop' },
    sshSource: { type: 'string', defaultValue: '198.51.100.0/24' },
  },
  variables: {
    vnetName: "[concat(parameters('prefix'), '-vnet')]",
    nsgName: "[format('{0}-nsg', parameters('prefix'))]",
  },
  resources: [
    {
      type: 'Microsoft.Network/networkSecurityGroups', apiVersion: '2024-05-01', name: "[variables('nsgName')]", location: 'westeurope',
      properties: { securityRules: [
        { name: 'allow-ssh-admins', properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: "[parameters('sshSource')]", sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '22' } },
      ] },
    },
    {
      type: 'Microsoft.Network/virtualNetworks', apiVersion: '2024-05-01', name: "[variables('vnetName')]", location: 'westeurope',
      dependsOn: ["[resourceId('Microsoft.Network/networkSecurityGroups', variables('nsgName'))]"],
      properties: {
        addressSpace: { addressPrefixes: ['10.30.0.0/16'] },
        subnets: [ { name: 'app', properties: { addressPrefix: '10.30.1.0/24', networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', variables('nsgName'))]" } } } ],
      },
    },
  ],
};

test('a template dropped on the page shows its report, then is drawn, and undoes in one step', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  const text = JSON.stringify(template);
  await page.evaluate(async (body) => {
    const dt = new DataTransfer();
    dt.items.add(new File([body], 'azuredeploy.json', { type: 'application/json' }));
    const target = document.querySelector('[data-testid="app"]');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-report')).toContainText('1 VNets');
  await expect(page.getByTestId('import-report')).toContainText('1 NSGs');
  await app.screenshot('import-arm-report');
  await page.getByTestId('import-accept').click();
  await expect(app.node('vnet/shop-vnet')).toBeVisible();
  await expect(app.node('subnet/shop-vnet/app')).toHaveAttribute('aria-label', /NSG shop-nsg/);
  await app.screenshot('import-arm-drawn');
  await app.undo();
  await expect(app.node('vm/db-vm')).toBeVisible();
  app.expectClean();
});

test('Terraform opened from a file is drawn', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  const tf = `
variable "location" {
  default = "westeurope"
}
resource "azurerm_virtual_network" "main" {
  name                = "tf-vnet"
  location            = var.location
  resource_group_name = "rg"
  address_space       = ["10.40.0.0/16"]
}
resource "azurerm_subnet" "web" {
  name                 = "web"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.40.1.0/24"]
}
resource "azurerm_network_security_group" "web" {
  name                = "tf-web-nsg"
  location            = var.location
  resource_group_name = "rg"
  security_rule {
    name                       = "allow-https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}
resource "azurerm_subnet_network_security_group_association" "web" {
  subnet_id                 = azurerm_subnet.web.id
  network_security_group_id = azurerm_network_security_group.web.id
}
`;
  await page.getByTestId('open-file').setInputFiles({ name: 'main.tf', mimeType: 'text/plain', buffer: Buffer.from(tf) });
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await page.getByTestId('import-accept').click();
  await expect(app.node('subnet/tf-vnet/web')).toHaveAttribute('aria-label', /NSG tf-web-nsg/);
  app.expectClean();
});

test('a Terraform folder opened with its local module is drawn; a broken module leaves the work', async ({ page }, testInfo) => {
  const app = new Playground(page);
  await app.openFresh();
  const dir = testInfo.outputPath('tf-folder');
  fs.mkdirSync(`${dir}/modules/net`, { recursive: true });
  fs.mkdirSync(`${dir}/.terraform/modules`, { recursive: true });
  fs.writeFileSync(`${dir}/main.tf`, `
module "hub" {
  source = "./modules/net"
  name   = "hub-vnet"
  space  = "10.50.0.0/16"
}
`);
  fs.writeFileSync(`${dir}/modules/net/main.tf`, `
variable "name" {}
variable "space" {}
resource "azurerm_virtual_network" "v" {
  name                = var.name
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = [var.space]
}
resource "azurerm_subnet" "s" {
  name                 = "workload"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = [cidrsubnet(var.space, 8, 1)]
}
`);
  // Terraform's own cache is not read (this would not parse).
  fs.writeFileSync(`${dir}/.terraform/modules/junk.tf`, 'resource {');
  await page.getByTestId('open-folder').setInputFiles(dir);
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-report')).toContainText('1 VNets');
  await page.getByTestId('import-accept').click();
  await expect(app.node('subnet/hub-vnet/workload')).toBeVisible();
  await expect(app.node('subnet/hub-vnet/workload')).toContainText('10.50.1.0/24');
  // A module file that does not parse: the error names it; the network stays.
  fs.writeFileSync(`${dir}/modules/net/main.tf`, 'variable "name" {}\nresource "x" {\n');
  await page.getByTestId('open-folder').setInputFiles(dir);
  await expect(app.banner()).toContainText('modules/net/main.tf: line 3');
  await expect(app.node('subnet/hub-vnet/workload')).toBeVisible();
  app.expectClean();
});

test('exports download ARM and Terraform that import back to the same network', async ({ page }) => {
  const app = new Playground(page);
  await app.openFresh();
  await app.openGallery('asg-tiers');
  for (const [button, name, marker] of [['export-arm', 'azuredeploy.json', 'Microsoft.Network/networkSecurityGroups'], ['export-terraform', 'main.tf', 'azurerm_network_security_group']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
    expect(download.suggestedFilename()).toBe(name);
    const path = await download.path();
    const text = fs.readFileSync(path, 'utf8');
    expect(text).toContain(marker);
    // Re-import the export: the same VMs and rules come back.
    await page.getByTestId('open-file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
    await expect(page.getByTestId('import-dialog')).toBeVisible();
    await page.getByTestId('import-accept').click();
    await expect(app.node('vm/db-vm')).toBeVisible();
    await expect(app.node('nsg/tiers-nsg')).toContainText('3 rules');
  }
  app.expectClean();
});

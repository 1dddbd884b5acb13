//! Terraform: `.tf` source and `terraform show -json` output (plan or state).
//!
//! Both are turned into resource instances (`azurerm_subnet.web[0]` with its
//! attribute values), the `azurerm_*` instances are converted to the Azure
//! REST shape, and the Azure resource reader ([`crate::azure`]) does the rest,
//! so a configuration, its plan, its state and the deployed resources import
//! to the same scenario.
//!
//! Read (azurerm provider 3.x and 4.x spellings): `azurerm_virtual_network`
//! (with inline `subnet` blocks), `azurerm_subnet`,
//! `azurerm_network_security_group` (inline `security_rule` blocks, static or
//! `dynamic`), `azurerm_network_security_rule`,
//! `azurerm_subnet_network_security_group_association`,
//! `azurerm_network_interface`, `azurerm_network_interface_security_group_association`,
//! `azurerm_network_interface_application_security_group_association`,
//! `azurerm_application_security_group`, `azurerm_route_table`,
//! `azurerm_route`, `azurerm_subnet_route_table_association`,
//! `azurerm_public_ip`, `azurerm_virtual_network_peering`, `azurerm_lb` with
//! `azurerm_lb_backend_address_pool`, `azurerm_lb_probe`, `azurerm_lb_rule`,
//! `azurerm_network_interface_backend_address_pool_association`,
//! `azurerm_lb_nat_rule` and `azurerm_network_interface_nat_rule_association`
//! `azurerm_lb_nat_pool` with the scale sets that use it
//! (`azurerm_linux_virtual_machine_scale_set`,
//! `azurerm_windows_virtual_machine_scale_set`,
//! `azurerm_orchestrated_virtual_machine_scale_set` and the legacy
//! `azurerm_virtual_machine_scale_set`, read as their instances;
//! `azurerm_lb_outbound_rule` is reported as not modelled), `azurerm_firewall` with
//! `azurerm_firewall_network_rule_collection`,
//! `azurerm_firewall_nat_rule_collection` and
//! `azurerm_firewall_application_rule_collection`, `azurerm_firewall_policy`
//! with `azurerm_firewall_policy_rule_collection_group`,
//! `azurerm_private_endpoint`, the PaaS services the Azure reader maps to
//! service tags (`azurerm_storage_account` and
//! `azurerm_storage_account_network_rules`, `azurerm_key_vault`,
//! `azurerm_mssql_server` with `azurerm_mssql_virtual_network_rule` and
//! `azurerm_mssql_firewall_rule`, `azurerm_cosmosdb_account`,
//! `azurerm_linux_web_app` / `azurerm_windows_web_app`,
//! `azurerm_container_registry`, `azurerm_eventhub_namespace`,
//! `azurerm_servicebus_namespace`: public network access and network rules,
//! each from its own arguments), and `azurerm_linux_virtual_machine` /
//! `azurerm_windows_virtual_machine` / `azurerm_virtual_machine` (their
//! network interfaces). Everything else is listed as skipped, with the reason.
//!
//! Values Azure computes come from a state, else from the tags the
//! playground's own export writes (a public IP's or a service's address in
//! `netsec-ip-address`, a firewall's private address in
//! `netsec-private-ip-address`), else the Azure reader's documented
//! assumptions apply.
//!
//! References are resolved to the ids Azure would give (`azurerm_subnet.web.id`
//! is `/subscriptions/…/virtualNetworks/<vnet>/subnets/<name>`); in a plan,
//! where such ids are unknown until apply, the configuration's references say
//! which resource an attribute points to. Errors in `.tf` source are at the
//! `line L, column C` of the block or attribute; in JSON at its JSON path.

mod convert;
#[cfg(feature = "hcl")]
mod hcl;
mod plan;
mod shape;
pub(crate) mod value;

use netsec_engine::Network;

use crate::azure::{self, AzureImport};
use crate::scenario::doc::ScenarioDoc;
use crate::{ImportError, ImportReport};
use value::V;

/// A Terraform configuration, plan or state converted to a scenario document.
#[derive(Clone, Debug)]
pub struct TerraformImport {
    /// The document.
    pub doc: ScenarioDoc,
    /// What was imported, skipped and assumed.
    pub report: ImportReport,
    inner: AzureImport,
    /// (path in the converted resources, place in the input, resource address).
    relocations: Vec<(String, String, String)>,
    /// Variables without a value, whose names stand in for their values.
    placeholders: std::collections::HashSet<String>,
}

/// How a user gives Terraform variables their values.
const GIVE_VARIABLES: &str = "give it a value in a .tfvars file (--parameters FILE)";

impl TerraformImport {
    /// Builds the network; errors point into the Terraform input.
    pub fn build(&self) -> Result<Network, ImportError> {
        self.inner.build().map_err(|e| {
            relocate(e, &self.relocations).with_placeholder_hint(
                &self.placeholders,
                "variable",
                GIVE_VARIABLES,
            )
        })
    }
}

/// Maps a path in the converted resources to the block or attribute it came from.
fn relocate(e: ImportError, relocations: &[(String, String, String)]) -> ImportError {
    let loc = e.location();
    let best = relocations
        .iter()
        .filter(|(from, _, _)| {
            loc == from
                || (loc.starts_with(from.as_str())
                    && loc
                        .get(from.len()..)
                        .is_some_and(|rest| rest.starts_with(['.', '['])))
        })
        .max_by_key(|(from, _, _)| from.len());
    match best {
        Some((_, to, address)) => {
            ImportError::new(to.clone(), format!("{address}: {}", e.message()))
        }
        None => e,
    }
}

/// One resource instance with its attribute values.
#[derive(Clone, Debug)]
pub(crate) struct Instance {
    /// `azurerm_subnet.web`, `azurerm_subnet.web[0]`, `module.net.azurerm_subnet.web["a"]`.
    pub address: String,
    /// `azurerm_subnet` (`data.azurerm_subnet` for data sources from JSON).
    pub ty: String,
    /// Attributes; nested blocks are lists of maps.
    pub values: V,
    /// Where it came from, for error messages.
    pub origin: Origin,
}

/// Where an instance's attributes are in the input.
#[derive(Clone, Debug)]
#[cfg_attr(not(feature = "hcl"), allow(dead_code))]
pub(crate) enum Origin {
    /// `.tf` source: the block's place and each attribute's (`security_rule[1].priority`).
    Hcl {
        block: String,
        attrs: std::collections::HashMap<String, String>,
    },
    /// JSON: the resource object's path and the key holding its values.
    Json { base: String, key: &'static str },
}

impl Instance {
    /// The place of an attribute (`ip_configuration[0].subnet_id`), or of the
    /// whole resource for `""`.
    pub fn loc(&self, attr: &str) -> String {
        match &self.origin {
            Origin::Json { base, key } => {
                if attr.is_empty() {
                    base.clone()
                } else {
                    format!("{base}.{key}.{attr}")
                }
            }
            Origin::Hcl { block, attrs } => {
                // The attribute, else the nearest enclosing block or list.
                let mut path = attr;
                loop {
                    if let Some(l) = attrs.get(path) {
                        return l.clone();
                    }
                    match path.rfind(['.', '[']) {
                        Some(i) => path = path.get(..i).unwrap_or(""),
                        None => return block.clone(),
                    }
                }
            }
        }
    }
}

/// The subscription in ids made up for resources.
use crate::azure::ids::ASSUMED_SUBSCRIPTION as SUBSCRIPTION;

/// The id Azure gives a resource of an `azurerm_*` type with these arguments.
pub(crate) fn synth_id(ty: &str, v: &V) -> Option<String> {
    let s = |k: &str| v.get(k).and_then(V::as_str).filter(|x| !x.is_empty());
    let ty = ty.strip_prefix("data.").unwrap_or(ty);
    if ty == "azurerm_resource_group" {
        return Some(format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/{}",
            s("name")?
        ));
    }
    match ty {
        "azurerm_subnet_network_security_group_association"
        | "azurerm_subnet_route_table_association" => return s("subnet_id").map(String::from),
        "azurerm_network_interface_security_group_association" => {
            return Some(format!(
                "{}|{}",
                s("network_interface_id")?,
                s("network_security_group_id")?
            ));
        }
        "azurerm_network_interface_application_security_group_association" => {
            return Some(format!(
                "{}|{}",
                s("network_interface_id")?,
                s("application_security_group_id")?
            ));
        }
        "azurerm_lb_backend_address_pool"
        | "azurerm_lb_probe"
        | "azurerm_lb_rule"
        | "azurerm_lb_nat_rule"
        | "azurerm_lb_nat_pool"
        | "azurerm_lb_outbound_rule" => {
            let list = match ty {
                "azurerm_lb_backend_address_pool" => "backendAddressPools",
                "azurerm_lb_probe" => "probes",
                "azurerm_lb_rule" => "loadBalancingRules",
                "azurerm_lb_nat_rule" => "inboundNatRules",
                "azurerm_lb_nat_pool" => "inboundNatPools",
                _ => "outboundRules",
            };
            return Some(format!("{}/{list}/{}", s("loadbalancer_id")?, s("name")?));
        }
        "azurerm_network_interface_backend_address_pool_association" => {
            return Some(format!(
                "{}|{}",
                s("network_interface_id")?,
                s("backend_address_pool_id")?
            ));
        }
        "azurerm_network_interface_nat_rule_association" => {
            return Some(format!(
                "{}|{}",
                s("network_interface_id")?,
                s("nat_rule_id")?
            ));
        }
        "azurerm_mssql_virtual_network_rule" => {
            return Some(format!(
                "{}/virtualNetworkRules/{}",
                s("server_id")?,
                s("name")?
            ));
        }
        "azurerm_mssql_firewall_rule" => {
            return Some(format!("{}/firewallRules/{}", s("server_id")?, s("name")?));
        }
        "azurerm_storage_account_network_rules" => {
            return s("storage_account_id").map(String::from);
        }
        "azurerm_firewall_policy_rule_collection_group" => {
            return Some(format!(
                "{}/ruleCollectionGroups/{}",
                s("firewall_policy_id")?,
                s("name")?
            ));
        }
        _ => {}
    }
    let name = s("name")?;
    let rg = s("resource_group_name")?;
    let base = format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers");
    let net = |rest: String| Some(format!("{base}/Microsoft.Network/{rest}"));
    match ty {
        "azurerm_virtual_network" => net(format!("virtualNetworks/{name}")),
        "azurerm_subnet" => net(format!(
            "virtualNetworks/{}/subnets/{name}",
            s("virtual_network_name")?
        )),
        "azurerm_network_security_group" => net(format!("networkSecurityGroups/{name}")),
        "azurerm_network_security_rule" => net(format!(
            "networkSecurityGroups/{}/securityRules/{name}",
            s("network_security_group_name")?
        )),
        "azurerm_application_security_group" => net(format!("applicationSecurityGroups/{name}")),
        "azurerm_route_table" => net(format!("routeTables/{name}")),
        "azurerm_route" => net(format!(
            "routeTables/{}/routes/{name}",
            s("route_table_name")?
        )),
        "azurerm_public_ip" => net(format!("publicIPAddresses/{name}")),
        "azurerm_network_interface" => net(format!("networkInterfaces/{name}")),
        "azurerm_virtual_network_peering" => net(format!(
            "virtualNetworks/{}/virtualNetworkPeerings/{name}",
            s("virtual_network_name")?
        )),
        "azurerm_firewall" => net(format!("azureFirewalls/{name}")),
        "azurerm_firewall_policy" => net(format!("firewallPolicies/{name}")),
        "azurerm_firewall_network_rule_collection" => net(format!(
            "azureFirewalls/{}/networkRuleCollections/{name}",
            s("azure_firewall_name")?
        )),
        "azurerm_firewall_nat_rule_collection" => net(format!(
            "azureFirewalls/{}/natRuleCollections/{name}",
            s("azure_firewall_name")?
        )),
        "azurerm_firewall_application_rule_collection" => net(format!(
            "azureFirewalls/{}/applicationRuleCollections/{name}",
            s("azure_firewall_name")?
        )),
        "azurerm_lb" => net(format!("loadBalancers/{name}")),
        "azurerm_private_endpoint" => net(format!("privateEndpoints/{name}")),
        "azurerm_nat_gateway" => net(format!("natGateways/{name}")),
        "azurerm_bastion_host" => net(format!("bastionHosts/{name}")),
        "azurerm_linux_virtual_machine"
        | "azurerm_windows_virtual_machine"
        | "azurerm_virtual_machine" => {
            Some(format!("{base}/Microsoft.Compute/virtualMachines/{name}"))
        }
        "azurerm_linux_virtual_machine_scale_set"
        | "azurerm_windows_virtual_machine_scale_set"
        | "azurerm_orchestrated_virtual_machine_scale_set"
        | "azurerm_virtual_machine_scale_set" => Some(format!(
            "{base}/Microsoft.Compute/virtualMachineScaleSets/{name}"
        )),
        "azurerm_storage_account" => {
            Some(format!("{base}/Microsoft.Storage/storageAccounts/{name}"))
        }
        "azurerm_key_vault" => Some(format!("{base}/Microsoft.KeyVault/vaults/{name}")),
        "azurerm_mssql_server" => Some(format!("{base}/Microsoft.Sql/servers/{name}")),
        "azurerm_cosmosdb_account" => Some(format!(
            "{base}/Microsoft.DocumentDB/databaseAccounts/{name}"
        )),
        "azurerm_linux_web_app" | "azurerm_windows_web_app" => {
            Some(format!("{base}/Microsoft.Web/sites/{name}"))
        }
        "azurerm_service_plan" => Some(format!("{base}/Microsoft.Web/serverFarms/{name}")),
        "azurerm_container_registry" => Some(format!(
            "{base}/Microsoft.ContainerRegistry/registries/{name}"
        )),
        "azurerm_eventhub_namespace" => {
            Some(format!("{base}/Microsoft.EventHub/namespaces/{name}"))
        }
        "azurerm_servicebus_namespace" => {
            Some(format!("{base}/Microsoft.ServiceBus/namespaces/{name}"))
        }
        _ => None,
    }
}

/// Reads Terraform `.tf` source (several files may be concatenated), with
/// optional `.tfvars` values (HCL or JSON).
#[cfg(feature = "hcl")]
pub fn read_hcl(text: &str, tfvars: Option<&str>) -> Result<TerraformImport, ImportError> {
    crate::check_input(text)?;
    let (instances, report, placeholders) = hcl::read(text, tfvars)?;
    finish(&instances, report, &placeholders)
}

/// Reads a Terraform configuration directory's files, with its local modules.
#[cfg(feature = "hcl")]
pub fn read_hcl_files(
    files: &[crate::TerraformFile],
    tfvars: Option<&str>,
) -> Result<TerraformImport, ImportError> {
    // The size limit holds for the files together; an empty file (a
    // placeholder versions.tf) is fine among others.
    crate::check_size(files.iter().map(|f| f.text.len()).sum())?;
    if files.iter().all(|f| f.text.trim().is_empty()) {
        return Err(ImportError::new(
            "$",
            "the configuration's .tf files are all empty",
        ));
    }
    let units = hcl::Unit::from_files(files);
    let (instances, report, placeholders) = hcl::read_units(&units, tfvars)?;
    finish(&instances, report, &placeholders)
}

/// Reads Terraform `.tf` files: this build leaves the HCL reader out.
#[cfg(not(feature = "hcl"))]
pub fn read_hcl_files(
    files: &[crate::TerraformFile],
    tfvars: Option<&str>,
) -> Result<TerraformImport, ImportError> {
    let _ = files;
    read_hcl("", tfvars)
}

/// Reads Terraform `.tf` source: this build leaves the HCL reader out.
#[cfg(not(feature = "hcl"))]
pub fn read_hcl(text: &str, tfvars: Option<&str>) -> Result<TerraformImport, ImportError> {
    let _ = (text, tfvars);
    Err(ImportError::new(
        "line 1, column 1",
        "this is Terraform source, which this build cannot read (it was built without the hcl feature); load the plan as `terraform show -json` prints it",
    ))
}

/// Reads `terraform show -json` output (a plan or a state) or a state file.
pub fn read_json(text: &str) -> Result<TerraformImport, ImportError> {
    crate::check_input(text)?;
    let (instances, report) = plan::read(text)?;
    finish(&instances, report, &std::collections::HashSet::new())
}

fn finish(
    instances: &[Instance],
    mut report: ImportReport,
    placeholders: &std::collections::HashSet<String>,
) -> Result<TerraformImport, ImportError> {
    shape::check(instances)?;
    let converted = convert::convert(instances, placeholders);
    let relocations = converted.relocations;
    let inner = azure::read_resources(&converted.items).map_err(|e| {
        relocate(e, &relocations).with_placeholder_hint(placeholders, "variable", GIVE_VARIABLES)
    })?;
    let mut out = inner.report.clone();
    let mut skipped = report.skipped;
    skipped.extend(converted.report.skipped);
    skipped.append(&mut out.skipped);
    out.skipped = skipped;
    let mut assumptions = std::mem::take(&mut report.assumptions);
    assumptions.extend(converted.report.assumptions);
    assumptions.append(&mut out.assumptions);
    out.assumptions = assumptions;
    Ok(TerraformImport {
        doc: inner.doc.clone(),
        report: out,
        inner,
        relocations,
        placeholders: placeholders.clone(),
    })
}

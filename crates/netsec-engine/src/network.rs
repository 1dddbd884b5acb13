//! [`Network`]: a validated Azure network, and [`NetworkBuilder`], the only way
//! to make one.
//!
//! Each `add_*` checks what can be checked from the resource itself and the
//! resources it refers to; [`NetworkBuilder::build`] checks what needs the
//! whole network (ASG membership across VNets). After that nothing re-checks.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::address::{AddressSet, IpNet};
use crate::error::{AddressProblem, ErrorKind, ModelError};
use crate::ids::*;
use crate::protocol::RuleProtocol;
use crate::region;
use crate::resources::*;

/// Azure's documented limits (per region and subscription; azure-semantics §1.9).
pub mod limits {
    /// NSGs.
    pub const NSGS: usize = 5_000;
    /// Rules per NSG.
    pub const RULES_PER_NSG: usize = 1_000;
    /// IPs and ranges in the source (and separately the destination) of one NSG.
    pub const PREFIXES_PER_NSG_SIDE: usize = 4_000;
    /// ASGs.
    pub const ASGS: usize = 3_000;
    /// ASGs per IP configuration.
    pub const ASGS_PER_IP_CONFIG: usize = 20;
    /// ASGs referenced as source or destination in one rule. Azure does not say
    /// whether per side or in total; the engine counts per side.
    pub const ASGS_PER_RULE_SIDE: usize = 10;
    /// IP configurations per ASG.
    pub const IP_CONFIGS_PER_ASG: usize = 4_000;
    /// ASGs referenced across all rules of one NSG.
    pub const ASGS_PER_NSG: usize = 100;
    /// Route tables.
    pub const ROUTE_TABLES: usize = 200;
    /// Routes per route table.
    pub const ROUTES_PER_TABLE: usize = 400;
    /// VNets.
    pub const VNETS: usize = 1_000;
    /// Subnets per VNet.
    pub const SUBNETS_PER_VNET: usize = 3_000;
    /// Peerings per VNet.
    pub const PEERINGS_PER_VNET: usize = 500;
    /// Private IPs per VNet.
    pub const PRIVATE_IPS_PER_VNET: usize = 65_536;
}

/// Who holds an address of the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressOwner {
    /// A NIC IP configuration (NIC, index of the configuration).
    Nic(NicId, usize),
    /// A private endpoint.
    PrivateEndpoint(PrivateEndpointId),
    /// A firewall's private address.
    Firewall(FirewallId),
    /// A public IP resource.
    PublicIp(PublicIpId),
    /// An internal load balancer frontend (LB, frontend index).
    LoadBalancerFrontend(LoadBalancerId, usize),
    /// A PaaS service's public endpoint.
    Paas(PaasId),
    /// An Internet client.
    Client(ClientId),
}

/// A validated Azure network: every table below has passed the builder's checks.
#[derive(Clone, Debug, Default)]
pub struct Network {
    pub(crate) regions: Vec<Region>,
    pub(crate) vnets: Vec<VirtualNetwork>,
    pub(crate) subnets: Vec<Subnet>,
    pub(crate) nsgs: Vec<NetworkSecurityGroup>,
    pub(crate) asgs: Vec<ApplicationSecurityGroup>,
    pub(crate) nics: Vec<NetworkInterface>,
    pub(crate) vms: Vec<VirtualMachine>,
    pub(crate) route_tables: Vec<RouteTable>,
    pub(crate) peerings: Vec<Peering>,
    pub(crate) public_ips: Vec<PublicIp>,
    pub(crate) load_balancers: Vec<LoadBalancer>,
    pub(crate) firewalls: Vec<Firewall>,
    pub(crate) paas: Vec<PaasService>,
    pub(crate) private_endpoints: Vec<PrivateEndpoint>,
    pub(crate) admin_rules: Vec<AdminRule>,
    pub(crate) clients: Vec<InternetClient>,
    pub(crate) offer_type: OfferType,
    pub(crate) smtp_exemption: bool,
    /// Sorted by address; built once.
    pub(crate) owners: Vec<(IpAddr, AddressOwner)>,
    /// Members (NIC, IP configuration index) of each ASG, by ASG index.
    pub(crate) asg_members: Vec<Vec<(NicId, usize)>>,
}

macro_rules! table {
    ($(($items:ident, $get:ident, $find:ident, $id:ident, $ty:ty)),* $(,)?) => {
        impl Network {
            $(
                #[doc = concat!("Every `", stringify!($ty), "`, with its id.")]
                pub fn $items(&self) -> impl ExactSizeIterator<Item = ($id, &$ty)> + '_ {
                    self.$items.iter().enumerate().map(|(i, r)| ($id(i as u32), r))
                }
                #[doc = concat!("One `", stringify!($ty), "` by id.")]
                pub fn $get(&self, id: $id) -> Option<&$ty> {
                    self.$items.get(id.index())
                }
                #[doc = concat!("Finds a `", stringify!($ty), "` by name, ignoring case as Azure does.")]
                pub fn $find(&self, name: &str) -> Option<$id> {
                    self.$items.iter().position(|r| r.name.eq_ignore_ascii_case(name)).map(|i| $id(i as u32))
                }
            )*
        }
    };
}

table! {
    (regions, region, find_region, RegionId, Region),
    (vnets, vnet, find_vnet, VnetId, VirtualNetwork),
    (subnets, subnet, find_subnet_any_vnet, SubnetId, Subnet),
    (nsgs, nsg, find_nsg, NsgId, NetworkSecurityGroup),
    (asgs, asg, find_asg, AsgId, ApplicationSecurityGroup),
    (nics, nic, find_nic, NicId, NetworkInterface),
    (vms, vm, find_vm, VmId, VirtualMachine),
    (route_tables, route_table, find_route_table, RouteTableId, RouteTable),
    (peerings, peering, find_peering, PeeringId, Peering),
    (public_ips, public_ip, find_public_ip, PublicIpId, PublicIp),
    (load_balancers, load_balancer, find_load_balancer, LoadBalancerId, LoadBalancer),
    (firewalls, firewall, find_firewall, FirewallId, Firewall),
    (paas, paas_service, find_paas, PaasId, PaasService),
    (private_endpoints, private_endpoint, find_private_endpoint, PrivateEndpointId, PrivateEndpoint),
    (admin_rules, admin_rule, find_admin_rule, AdminRuleId, AdminRule),
    (clients, client, find_client, ClientId, InternetClient),
}

impl Network {
    /// Starts an empty network.
    pub fn builder() -> NetworkBuilder {
        NetworkBuilder::default()
    }

    /// The subscription's offer type.
    pub fn offer_type(&self) -> OfferType {
        self.offer_type
    }

    /// Whether an SMTP exemption was granted (Enterprise Agreement Dev/Test only).
    pub fn smtp_exemption(&self) -> bool {
        self.smtp_exemption
    }

    /// A subnet by VNet and name.
    pub fn find_subnet(&self, vnet: VnetId, name: &str) -> Option<SubnetId> {
        self.subnets
            .iter()
            .position(|s| s.vnet == vnet && s.name.eq_ignore_ascii_case(name))
            .map(|i| SubnetId(i as u32))
    }

    /// The subnets of a VNet.
    pub fn subnets_of(&self, vnet: VnetId) -> impl Iterator<Item = SubnetId> + '_ {
        self.subnets()
            .filter(move |(_, s)| s.vnet == vnet)
            .map(|(id, _)| id)
    }

    /// Who holds `addr`, if anyone in the network does: the first holder,
    /// when VNets that are not peered reuse the address (see
    /// [`Network::owner_in`] to ask within one VNet).
    pub fn owner_of(&self, addr: IpAddr) -> Option<AddressOwner> {
        let idx = self.owners.partition_point(|(a, _)| *a < addr);
        self.owners
            .get(idx)
            .filter(|(a, _)| *a == addr)
            .map(|(_, o)| *o)
    }

    /// Every holder of `addr`: one, or one per VNet when VNets that are not
    /// peered reuse it, in the order they were added.
    pub fn owners_at(&self, addr: IpAddr) -> impl Iterator<Item = AddressOwner> + '_ {
        let idx = self.owners.partition_point(|(a, _)| *a < addr);
        self.owners
            .get(idx..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(a, _)| *a == addr)
            .map(|(_, o)| *o)
    }

    /// The subnet that contains `addr` as a private address, if any.
    pub fn subnet_containing(&self, addr: IpAddr) -> Option<SubnetId> {
        self.subnets()
            .find(|(_, s)| s.prefixes.iter().any(|p| p.contains(&addr)))
            .map(|(id, _)| id)
    }

    /// Who holds `addr` inside VNet `vnet`: [`Network::owner_of`], unless the
    /// holder is a NIC, firewall or private endpoint of another VNet (two
    /// VNets that are not peered may use the same ranges). Internal
    /// frontends, placed by address alone, count wherever their address is.
    /// `vnet` `None` asks the whole network.
    pub fn owner_in(&self, addr: IpAddr, vnet: Option<VnetId>) -> Option<AddressOwner> {
        let Some(vnet) = vnet else {
            return self.owner_of(addr);
        };
        self.owners_at(addr).find(|o| match *o {
            AddressOwner::Nic(..)
            | AddressOwner::Firewall(_)
            | AddressOwner::PrivateEndpoint(_) => self.owner_vnet(*o) == Some(vnet),
            _ => true,
        })
    }

    /// The VNet a holder of a private address is in, when the model says:
    /// a NIC's configuration, a private endpoint or a firewall by its subnet.
    pub fn owner_vnet(&self, owner: AddressOwner) -> Option<VnetId> {
        match owner {
            AddressOwner::Nic(nic, cfg) => self
                .nic(nic)
                .and_then(|n| n.ip_configs.get(cfg))
                .and_then(|c| self.subnet_vnet(c.subnet)),
            AddressOwner::PrivateEndpoint(pe) => self
                .private_endpoints
                .get(pe.index())
                .and_then(|p| self.subnet_vnet(p.subnet)),
            AddressOwner::Firewall(fw) => {
                self.firewall(fw).and_then(|f| self.subnet_vnet(f.subnet))
            }
            _ => None,
        }
    }

    /// The VNet connected to `local` by peering whose address space contains
    /// `addr` (peered VNets cannot overlap, so there is at most one).
    pub fn peer_containing(&self, local: VnetId, addr: IpAddr) -> Option<VnetId> {
        self.peerings
            .iter()
            .filter(|p| p.local == local && self.peering_connected(p.local, p.remote))
            .map(|p| p.remote)
            .find(|&v| {
                self.vnet(v)
                    .is_some_and(|v| v.address_space.iter().any(|p| p.contains(&addr)))
            })
    }

    /// The VNet whose address space contains `addr`.
    pub fn vnet_containing(&self, addr: IpAddr) -> Option<VnetId> {
        self.vnets()
            .find(|(_, v)| v.address_space.iter().any(|p| p.contains(&addr)))
            .map(|(id, _)| id)
    }

    /// The subnet of a NIC (that of its primary IP configuration).
    pub fn nic_subnet(&self, nic: NicId) -> Option<SubnetId> {
        self.nic(nic)
            .and_then(|n| n.ip_configs.first())
            .map(|c| c.subnet)
    }

    /// The VNet of a subnet.
    pub fn subnet_vnet(&self, subnet: SubnetId) -> Option<VnetId> {
        self.subnet(subnet).map(|s| s.vnet)
    }

    /// The members of an ASG as (NIC, IP configuration index).
    pub fn asg_members(&self, asg: AsgId) -> &[(NicId, usize)] {
        self.asg_members
            .get(asg.index())
            .map_or(&[], |m| m.as_slice())
    }

    /// The private addresses of an ASG's members.
    pub fn asg_addresses(&self, asg: AsgId) -> AddressSet {
        let ips: Vec<IpNet> = self
            .asg_members(asg)
            .iter()
            .filter_map(|&(nic, cfg)| self.nic(nic)?.ip_configs.get(cfg))
            .map(|c| IpNet::from(c.private_ip))
            .collect();
        AddressSet::from_nets(&ips)
    }

    /// The peering from `local` to `remote`, if that side exists.
    pub fn peering_between(&self, local: VnetId, remote: VnetId) -> Option<&Peering> {
        self.peerings
            .iter()
            .find(|p| p.local == local && p.remote == remote)
    }

    /// The VNet whose virtual network gateway serves `vnet`: its own when it
    /// has one, else a peered hub's through gateway transit (this side
    /// `useRemoteGateways`, the hub's side `allowGatewayTransit`, both sides
    /// connected; azure-semantics §5.6). The playground knows a gateway by the
    /// routes it learned (`gateway_routes`): a VNet without any has none.
    pub fn gateway_vnet(&self, vnet: VnetId) -> Option<VnetId> {
        let has_gateway = |v: VnetId| self.vnet(v).is_some_and(|v| !v.gateway_routes.is_empty());
        if has_gateway(vnet) {
            return Some(vnet);
        }
        self.peerings
            .iter()
            .filter(|p| p.local == vnet && p.use_remote_gateways)
            .find(|p| {
                has_gateway(p.remote)
                    && self
                        .peering_between(p.remote, vnet)
                        .is_some_and(|back| back.allow_gateway_transit)
            })
            .map(|p| p.remote)
    }

    /// Whether both sides of a peering exist (Azure's `Connected` state).
    pub fn peering_connected(&self, a: VnetId, b: VnetId) -> bool {
        self.peering_between(a, b).is_some() && self.peering_between(b, a).is_some()
    }

    /// Azure-style resource path of a NIC, NSG, ..., used in traces and errors.
    pub fn nsg_path(&self, nsg: NsgId) -> String {
        self.nsg(nsg).map_or_else(String::new, |n| {
            alloc::format!("networkSecurityGroups/{}", n.name)
        })
    }

    /// Path of a subnet: `virtualNetworks/<vnet>/subnets/<subnet>`.
    pub fn subnet_path(&self, subnet: SubnetId) -> String {
        match self.subnet(subnet) {
            Some(s) => {
                let vnet = self.vnet(s.vnet).map_or("", |v| v.name.as_str());
                alloc::format!("virtualNetworks/{vnet}/subnets/{}", s.name)
            }
            None => String::new(),
        }
    }
}

/// Checks a resource name as Azure does: 1 to 80 characters, starting with a
/// letter or digit, ending with a letter, digit or `_`, and otherwise letters,
/// digits, `.`, `-` and `_`.
pub fn check_name(resource: &str, name: &str) -> Result<(), ModelError> {
    check_name_with(resource, name, false)
}

/// [`check_name`] for a security rule, whose name may also start with `_`
/// (a word character; azure-semantics §1.2).
pub fn check_rule_name(resource: &str, name: &str) -> Result<(), ModelError> {
    check_name_with(resource, name, true)
}

fn check_name_with(resource: &str, name: &str, underscore_first: bool) -> Result<(), ModelError> {
    let bad = |reason| {
        Err(ModelError::new(
            resource,
            "name",
            ErrorKind::InvalidName { reason },
        ))
    };
    if name.is_empty() {
        return bad("a name is required");
    }
    if name.chars().count() > 80 {
        return bad("names are at most 80 characters");
    }
    let first = name.chars().next().unwrap_or(' ');
    let last = name.chars().last().unwrap_or(' ');
    if !(first.is_alphanumeric() || (underscore_first && first == '_')) {
        return bad(if underscore_first {
            "rule names start with a letter, a digit or '_'"
        } else {
            "names start with a letter or a digit"
        });
    }
    if !(last.is_alphanumeric() || last == '_') {
        return bad("names end with a letter, a digit or '_'");
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return bad("names may only contain letters, digits, '.', '-' and '_'");
    }
    Ok(())
}

/// Builds a [`Network`], validating every resource as it is added.
#[derive(Clone, Debug, Default)]
pub struct NetworkBuilder {
    net: Network,
    /// Every address held so far, for duplicate checks while building. An
    /// address may have several holders in VNets that are not peered.
    owners: BTreeMap<IpAddr, Vec<AddressOwner>>,
    /// How many resources of each addressed table `owners` already covers.
    indexed: [usize; 7],
}

type Res<T> = Result<T, ModelError>;

fn unknown(
    resource: &str,
    field: &'static str,
    kind: &'static str,
    name: impl ToString,
) -> ModelError {
    ModelError::new(
        resource,
        field,
        ErrorKind::UnknownReference {
            kind,
            name: name.to_string(),
        },
    )
}

/// The services a subnet can have service endpoints for (Azure's
/// `serviceEndpoints[].service` values, Microsoft Learn's list).
pub const SERVICE_ENDPOINT_SERVICES: &[&str] = &[
    "Microsoft.Storage",
    "Microsoft.Storage.Global",
    "Microsoft.Sql",
    "Microsoft.AzureCosmosDB",
    "Microsoft.KeyVault",
    "Microsoft.ServiceBus",
    "Microsoft.EventHub",
    "Microsoft.Web",
    "Microsoft.ContainerRegistry",
    "Microsoft.CognitiveServices",
    "Microsoft.AzureActiveDirectory",
];

fn limit(
    resource: &str,
    field: &'static str,
    what: &'static str,
    limit: usize,
    count: usize,
) -> Res<()> {
    if count > limit {
        return Err(ModelError::new(
            resource,
            field,
            ErrorKind::LimitExceeded { what, limit, count },
        ));
    }
    Ok(())
}

fn not_allowed(resource: &str, field: &'static str, reason: impl Into<String>) -> ModelError {
    ModelError::new(
        resource,
        field,
        ErrorKind::NotAllowed {
            reason: reason.into(),
        },
    )
}

impl NetworkBuilder {
    fn duplicate<'a>(names: impl IntoIterator<Item = &'a String>, name: &str) -> bool {
        names.into_iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    fn check_new_name<'a>(
        resource: &str,
        name: &str,
        existing: impl IntoIterator<Item = &'a String>,
    ) -> Res<()> {
        check_name(resource, name)?;
        if Self::duplicate(existing, name) {
            return Err(ModelError::new(resource, "name", ErrorKind::DuplicateName));
        }
        Ok(())
    }

    /// The network as built so far (for lookups while importing).
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// Sets the subscription's offer type.
    pub fn set_offer_type(&mut self, offer: OfferType, smtp_exemption: bool) {
        self.net.offer_type = offer;
        self.net.smtp_exemption = smtp_exemption;
    }

    /// Returns the region with this name, adding it if new. Known regions get
    /// their pair and zones from the built-in table; unknown ones get neither.
    pub fn region(&mut self, name: &str) -> Res<RegionId> {
        let normalized = region::normalize(name);
        let resource = alloc::format!("regions/{}", crate::address::clip(name));
        if normalized.is_empty() || !normalized.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ModelError::new(
                resource,
                "location",
                ErrorKind::InvalidName {
                    reason: "region names are letters and digits, like westeurope",
                },
            ));
        }
        if let Some(i) = self.net.regions.iter().position(|r| r.name == normalized) {
            return Ok(RegionId(i as u32));
        }
        let info = region::lookup(&normalized);
        self.net.regions.push(Region {
            name: normalized.clone(),
            display_name: info.map_or(normalized, |i| String::from(i.display_name)),
            pair: info.and_then(|i| i.pair).map(String::from),
            zones: if info.is_some_and(|i| i.has_zones) {
                3
            } else {
                0
            },
        });
        Ok(RegionId(self.net.regions.len() as u32 - 1))
    }

    /// Adds a virtual network.
    pub fn add_vnet(&mut self, vnet: VirtualNetwork) -> Res<VnetId> {
        let path = alloc::format!("virtualNetworks/{}", vnet.name);
        Self::check_new_name(&path, &vnet.name, self.net.vnets.iter().map(|v| &v.name))?;
        limit(
            &path,
            "name",
            "virtual networks",
            limits::VNETS,
            self.net.vnets.len() + 1,
        )?;
        if self.net.region(vnet.region).is_none() {
            return Err(unknown(&path, "location", "region", vnet.region.index()));
        }
        if vnet.address_space.is_empty() {
            return Err(not_allowed(
                &path,
                "addressSpace.addressPrefixes",
                "a virtual network needs at least one address space",
            ));
        }
        for (i, a) in vnet.address_space.iter().enumerate() {
            for b in &vnet.address_space[..i] {
                if a.contains(b) || b.contains(a) {
                    return Err(ModelError::new(
                        &path,
                        "addressSpace.addressPrefixes",
                        ErrorKind::Overlap {
                            other: alloc::format!("address space {b} (given {a})"),
                        },
                    ));
                }
            }
        }
        self.net.vnets.push(vnet);
        Ok(VnetId(self.net.vnets.len() as u32 - 1))
    }

    /// Adds a subnet to its VNet.
    pub fn add_subnet(&mut self, mut subnet: Subnet) -> Res<SubnetId> {
        let vnet = self.net.vnet(subnet.vnet).ok_or_else(|| {
            unknown(
                &alloc::format!("subnets/{}", subnet.name),
                "vnet",
                "virtual network",
                subnet.vnet.index(),
            )
        })?;
        let path = alloc::format!("virtualNetworks/{}/subnets/{}", vnet.name, subnet.name);
        let siblings: Vec<&Subnet> = self
            .net
            .subnets
            .iter()
            .filter(|s| s.vnet == subnet.vnet)
            .collect();
        Self::check_new_name(&path, &subnet.name, siblings.iter().map(|s| &s.name))?;
        limit(
            &path,
            "name",
            "subnets in one virtual network",
            limits::SUBNETS_PER_VNET,
            siblings.len() + 1,
        )?;
        if subnet.prefixes.is_empty() {
            return Err(not_allowed(
                &path,
                "addressPrefix",
                "a subnet needs an address prefix",
            ));
        }
        for prefix in &subnet.prefixes {
            if !vnet
                .address_space
                .iter()
                .any(|space| space.contains(prefix))
            {
                return Err(ModelError::new(
                    &path,
                    "addressPrefix",
                    ErrorKind::PrefixOutsideVnet {
                        prefix: prefix.to_string(),
                    },
                ));
            }
            match prefix {
                IpNet::V4(n) if n.prefix_len() > 29 => {
                    return Err(not_allowed(
                        &path,
                        "addressPrefix",
                        alloc::format!(
                            "{prefix} is smaller than /29, Azure's smallest IPv4 subnet"
                        ),
                    ));
                }
                IpNet::V6(n) if n.prefix_len() != 64 => {
                    return Err(not_allowed(
                        &path,
                        "addressPrefix",
                        alloc::format!("{prefix}: IPv6 subnets must be /64"),
                    ));
                }
                _ => {}
            }
            for other in &siblings {
                if let Some(o) = other
                    .prefixes
                    .iter()
                    .find(|o| o.contains(prefix) || prefix.contains(*o))
                {
                    return Err(ModelError::new(
                        &path,
                        "addressPrefix",
                        ErrorKind::Overlap {
                            other: alloc::format!("subnet {} ({o})", other.name),
                        },
                    ));
                }
            }
        }
        if let Some(nsg) = subnet.nsg {
            self.net.nsg(nsg).ok_or_else(|| {
                unknown(
                    &path,
                    "networkSecurityGroup",
                    "network security group",
                    nsg.index(),
                )
            })?;
        }
        if let Some(rt) = subnet.route_table {
            self.net
                .route_table(rt)
                .ok_or_else(|| unknown(&path, "routeTable", "route table", rt.index()))?;
        }
        for se in &mut subnet.service_endpoints {
            // Azure matches service names without regard to case; keep its own
            // spelling so that routes and tags find the service
            // (`microsoft.storage` is Microsoft.Storage).
            if let Some(known) = SERVICE_ENDPOINT_SERVICES
                .iter()
                .find(|known| known.eq_ignore_ascii_case(se))
            {
                if se != known {
                    *se = String::from(*known);
                }
            } else {
                return Err(not_allowed(
                    &path,
                    "serviceEndpoints",
                    alloc::format!(
                        "'{}' is not a service that offers service endpoints ({})",
                        crate::address::clip(se),
                        SERVICE_ENDPOINT_SERVICES.join(", ")
                    ),
                ));
            }
        }
        self.net.subnets.push(subnet);
        Ok(SubnetId(self.net.subnets.len() as u32 - 1))
    }

    /// Adds an application security group.
    pub fn add_asg(&mut self, asg: ApplicationSecurityGroup) -> Res<AsgId> {
        let path = alloc::format!("applicationSecurityGroups/{}", asg.name);
        Self::check_new_name(&path, &asg.name, self.net.asgs.iter().map(|a| &a.name))?;
        limit(
            &path,
            "name",
            "application security groups",
            limits::ASGS,
            self.net.asgs.len() + 1,
        )?;
        self.net.asgs.push(asg);
        self.net.asg_members.push(Vec::new());
        Ok(AsgId(self.net.asgs.len() as u32 - 1))
    }

    /// Adds a network security group with its custom rules.
    pub fn add_nsg(&mut self, nsg: NetworkSecurityGroup) -> Res<NsgId> {
        let path = alloc::format!("networkSecurityGroups/{}", nsg.name);
        Self::check_new_name(&path, &nsg.name, self.net.nsgs.iter().map(|n| &n.name))?;
        limit(
            &path,
            "name",
            "network security groups",
            limits::NSGS,
            self.net.nsgs.len() + 1,
        )?;
        limit(
            &path,
            "securityRules",
            "security rules in one NSG",
            limits::RULES_PER_NSG,
            nsg.rules.len(),
        )?;
        crate::rule_check::check_rules(&self.net, &path, &nsg.rules)?;
        self.net.nsgs.push(nsg);
        Ok(NsgId(self.net.nsgs.len() as u32 - 1))
    }

    /// Adds a route table.
    pub fn add_route_table(&mut self, table: RouteTable) -> Res<RouteTableId> {
        let path = alloc::format!("routeTables/{}", table.name);
        Self::check_new_name(
            &path,
            &table.name,
            self.net.route_tables.iter().map(|t| &t.name),
        )?;
        limit(
            &path,
            "name",
            "route tables",
            limits::ROUTE_TABLES,
            self.net.route_tables.len() + 1,
        )?;
        limit(
            &path,
            "routes",
            "routes in one route table",
            limits::ROUTES_PER_TABLE,
            table.routes.len(),
        )?;
        for (i, route) in table.routes.iter().enumerate() {
            let rpath = alloc::format!("{path}/routes/{}", route.name);
            Self::check_new_name(
                &rpath,
                &route.name,
                table.routes[..i].iter().map(|r| &r.name),
            )?;
            if !route.next_hop.allowed_in_udr() {
                return Err(not_allowed(
                    &rpath,
                    "nextHopType",
                    alloc::format!("{} cannot be used in a user-defined route", route.next_hop),
                ));
            }
            match (route.next_hop, route.next_hop_ip) {
                (NextHopType::VirtualAppliance, None) => {
                    return Err(not_allowed(
                        &rpath,
                        "nextHopIpAddress",
                        "a VirtualAppliance route needs a next hop IP address",
                    ));
                }
                (NextHopType::VirtualAppliance, Some(_)) => {}
                (other, Some(_)) => {
                    return Err(not_allowed(
                        &rpath,
                        "nextHopIpAddress",
                        alloc::format!(
                            "a next hop IP address is only allowed with VirtualAppliance, not {other}"
                        ),
                    ));
                }
                (_, None) => {}
            }
        }
        let tag_routes = table
            .routes
            .iter()
            .filter(|r| matches!(r.prefix, RoutePrefix::Tag(_)))
            .count();
        limit(
            &path,
            "routes",
            "service tag routes in one route table",
            25,
            tag_routes,
        )?;
        self.net.route_tables.push(table);
        Ok(RouteTableId(self.net.route_tables.len() as u32 - 1))
    }

    /// Adds a public IP address.
    pub fn add_public_ip(&mut self, pip: PublicIp) -> Res<PublicIpId> {
        let path = alloc::format!("publicIPAddresses/{}", pip.name);
        Self::check_new_name(
            &path,
            &pip.name,
            self.net.public_ips.iter().map(|p| &p.name),
        )?;
        if crate::address::is_private_or_reserved(pip.address) {
            return Err(not_allowed(
                &path,
                "ipAddress",
                alloc::format!(
                    "{} is private or reserved space; a public IP address must be public",
                    pip.address
                ),
            ));
        }
        if self.net.public_ips.iter().any(|p| p.address == pip.address) {
            return Err(not_allowed(
                &path,
                "ipAddress",
                alloc::format!("{} is already used by another public IP", pip.address),
            ));
        }
        self.net.public_ips.push(pip);
        Ok(PublicIpId(self.net.public_ips.len() as u32 - 1))
    }

    fn check_private_ip(
        &self,
        path: &str,
        field: &'static str,
        subnet: SubnetId,
        ip: IpAddr,
    ) -> Res<()> {
        let s = self
            .net
            .subnet(subnet)
            .ok_or_else(|| unknown(path, "subnet", "subnet", subnet.index()))?;
        let Some(prefix) = s.prefixes.iter().find(|p| p.contains(&ip)) else {
            let reason = alloc::format!(
                "{ip} is not inside subnet {} ({})",
                s.name,
                s.prefixes
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return Err(ModelError::new(
                path,
                field,
                ErrorKind::BadPrivateAddress {
                    reason,
                    problem: AddressProblem::NotInSubnet,
                },
            ));
        };
        if let (IpNet::V4(p), IpAddr::V4(a)) = (prefix, ip) {
            let offset = u32::from(a) - u32::from(p.network());
            if offset < 4 || a == p.broadcast() {
                let reason = alloc::format!(
                    "{ip} is one of the five addresses Azure reserves in {prefix} (the first four and the last)"
                );
                return Err(ModelError::new(
                    path,
                    field,
                    ErrorKind::BadPrivateAddress {
                        reason,
                        problem: AddressProblem::Reserved,
                    },
                ));
            }
        }
        if let Some(owner) = self.owner_clashing(ip, s.vnet) {
            let reason = alloc::format!("{ip} is already used by {owner}");
            return Err(ModelError::new(
                path,
                field,
                ErrorKind::BadPrivateAddress {
                    reason,
                    problem: AddressProblem::InUse,
                },
            ));
        }
        Ok(())
    }

    /// Adds a network interface with its IP configurations.
    pub fn add_nic(&mut self, nic: NetworkInterface) -> Res<NicId> {
        let path = alloc::format!("networkInterfaces/{}", nic.name);
        Self::check_new_name(&path, &nic.name, self.net.nics.iter().map(|n| &n.name))?;
        if nic.ip_configs.is_empty() {
            return Err(not_allowed(
                &path,
                "ipConfigurations",
                "a network interface needs at least one IP configuration",
            ));
        }
        if nic.vm.is_some() {
            return Err(not_allowed(
                &path,
                "virtualMachine",
                "attach a NIC by listing it on its VM",
            ));
        }
        if let Some(nsg) = nic.nsg {
            self.net.nsg(nsg).ok_or_else(|| {
                unknown(
                    &path,
                    "networkSecurityGroup",
                    "network security group",
                    nsg.index(),
                )
            })?;
        }
        let mut vnet = None;
        for (i, cfg) in nic.ip_configs.iter().enumerate() {
            let cpath = alloc::format!("{path}/ipConfigurations/{}", cfg.name);
            Self::check_new_name(
                &cpath,
                &cfg.name,
                nic.ip_configs[..i].iter().map(|c| &c.name),
            )?;
            self.check_private_ip(&cpath, "privateIPAddress", cfg.subnet, cfg.private_ip)?;
            if nic.ip_configs[..i]
                .iter()
                .any(|c| c.private_ip == cfg.private_ip)
            {
                return Err(ModelError::new(
                    &cpath,
                    "privateIPAddress",
                    ErrorKind::BadPrivateAddress {
                        problem: AddressProblem::InUse,
                        reason: alloc::format!("{} is used twice on this NIC", cfg.private_ip),
                    },
                ));
            }
            let this_vnet = self.net.subnet_vnet(cfg.subnet);
            if vnet.is_some() && vnet != this_vnet {
                return Err(not_allowed(
                    &cpath,
                    "subnet",
                    "all IP configurations of a NIC must be in the same virtual network",
                ));
            }
            vnet = this_vnet;
            limit(
                &cpath,
                "applicationSecurityGroups",
                "application security groups on one IP configuration",
                limits::ASGS_PER_IP_CONFIG,
                cfg.asgs.len(),
            )?;
            for asg in &cfg.asgs {
                self.net.asg(*asg).ok_or_else(|| {
                    unknown(
                        &cpath,
                        "applicationSecurityGroups",
                        "application security group",
                        asg.index(),
                    )
                })?;
            }
            if let Some(pip) = cfg.public_ip {
                self.net
                    .public_ip(pip)
                    .ok_or_else(|| unknown(&cpath, "publicIPAddress", "public IP", pip.index()))?;
                if self.public_ip_in_use(pip)
                    || nic.ip_configs[..i].iter().any(|c| c.public_ip == Some(pip))
                {
                    return Err(not_allowed(
                        &cpath,
                        "publicIPAddress",
                        "this public IP is already associated with another resource",
                    ));
                }
            }
        }
        let id = NicId(self.net.nics.len() as u32);
        for (i, cfg) in nic.ip_configs.iter().enumerate() {
            for asg in &cfg.asgs {
                let members = &mut self.net.asg_members[asg.index()];
                if !members.contains(&(id, i)) {
                    members.push((id, i));
                }
            }
        }
        self.net.nics.push(nic);
        self.reindex();
        Ok(id)
    }

    fn public_ip_in_use(&self, pip: PublicIpId) -> bool {
        self.net
            .nics
            .iter()
            .flat_map(|n| &n.ip_configs)
            .any(|c| c.public_ip == Some(pip))
            || self
                .net
                .load_balancers
                .iter()
                .flat_map(|l| &l.frontends)
                .any(|f| f.public_ip == Some(pip))
            || self
                .net
                .firewalls
                .iter()
                .any(|f| f.public_ips.contains(&pip))
    }

    /// Adds a VM that owns the given NICs.
    pub fn add_vm(&mut self, vm: VirtualMachine) -> Res<VmId> {
        let path = alloc::format!("virtualMachines/{}", vm.name);
        Self::check_new_name(&path, &vm.name, self.net.vms.iter().map(|v| &v.name))?;
        if vm.nics.is_empty() {
            return Err(not_allowed(
                &path,
                "networkProfile.networkInterfaces",
                "a virtual machine needs at least one network interface",
            ));
        }
        for nic in &vm.nics {
            let n = self.net.nic(*nic).ok_or_else(|| {
                unknown(
                    &path,
                    "networkProfile.networkInterfaces",
                    "network interface",
                    nic.index(),
                )
            })?;
            if n.vm.is_some() {
                return Err(not_allowed(
                    &path,
                    "networkProfile.networkInterfaces",
                    alloc::format!("{} is already attached to another virtual machine", n.name),
                ));
            }
        }
        let vnets: Vec<_> = vm
            .nics
            .iter()
            .filter_map(|n| self.net.nic_subnet(*n))
            .filter_map(|s| self.net.subnet_vnet(s))
            .collect();
        if vnets.windows(2).any(|w| w[0] != w[1]) {
            return Err(not_allowed(
                &path,
                "networkProfile.networkInterfaces",
                "all NICs of a VM must be in the same virtual network",
            ));
        }
        if let Some(zone) = vm.zone {
            let region = vnets
                .first()
                .and_then(|v| self.net.vnet(*v))
                .and_then(|v| self.net.region(v.region));
            if !(1..=3).contains(&zone) {
                return Err(not_allowed(
                    &path,
                    "zones",
                    alloc::format!("zone {zone} does not exist; zones are 1, 2 and 3"),
                ));
            }
            if let Some(r) = region.filter(|r| r.zones == 0) {
                return Err(not_allowed(
                    &path,
                    "zones",
                    alloc::format!("region {} has no availability zones", r.display_name),
                ));
            }
        }
        let id = VmId(self.net.vms.len() as u32);
        for nic in &vm.nics {
            self.net.nics[nic.index()].vm = Some(id);
        }
        self.net.vms.push(vm);
        Ok(id)
    }

    /// Adds one side of a VNet peering.
    pub fn add_peering(&mut self, peering: Peering) -> Res<PeeringId> {
        let local = self.net.vnet(peering.local).ok_or_else(|| {
            unknown(
                &peering.name,
                "local",
                "virtual network",
                peering.local.index(),
            )
        })?;
        let path = alloc::format!(
            "virtualNetworks/{}/virtualNetworkPeerings/{}",
            local.name,
            peering.name
        );
        check_name(&path, &peering.name)?;
        let remote = self.net.vnet(peering.remote).ok_or_else(|| {
            unknown(
                &path,
                "remoteVirtualNetwork",
                "virtual network",
                peering.remote.index(),
            )
        })?;
        if peering.local == peering.remote {
            return Err(not_allowed(
                &path,
                "remoteVirtualNetwork",
                "a virtual network cannot peer with itself",
            ));
        }
        if self
            .net
            .peering_between(peering.local, peering.remote)
            .is_some()
        {
            return Err(not_allowed(
                &path,
                "remoteVirtualNetwork",
                alloc::format!("{} is already peered with {}", local.name, remote.name),
            ));
        }
        if self
            .net
            .peerings
            .iter()
            .filter(|p| p.local == peering.local)
            .any(|p| p.name.eq_ignore_ascii_case(&peering.name))
        {
            return Err(ModelError::new(&path, "name", ErrorKind::DuplicateName));
        }
        // azure-semantics §5.6: a VNet with its own gateway cannot use a remote one.
        if peering.use_remote_gateways && !local.gateway_routes.is_empty() {
            return Err(not_allowed(
                &path,
                "useRemoteGateways",
                alloc::format!(
                    "{} has its own virtual network gateway (it has gateway routes), so it cannot use a remote gateway",
                    local.name
                ),
            ));
        }

        for a in &local.address_space {
            if let Some(b) = remote
                .address_space
                .iter()
                .find(|b| a.contains(*b) || b.contains(a))
            {
                return Err(ModelError::new(
                    &path,
                    "remoteVirtualNetwork",
                    ErrorKind::Overlap {
                        other: alloc::format!(
                            "{} address space {b} (local {a}); peered address spaces must not overlap",
                            remote.name
                        ),
                    },
                ));
            }
        }
        let count = self
            .net
            .peerings
            .iter()
            .filter(|p| p.local == peering.local)
            .count()
            + 1;
        limit(
            &path,
            "name",
            "peerings of one virtual network",
            limits::PEERINGS_PER_VNET,
            count,
        )?;
        self.net.peerings.push(peering);
        Ok(PeeringId(self.net.peerings.len() as u32 - 1))
    }

    /// Adds a load balancer.
    pub fn add_load_balancer(&mut self, lb: LoadBalancer) -> Res<LoadBalancerId> {
        let path = alloc::format!("loadBalancers/{}", lb.name);
        Self::check_new_name(
            &path,
            &lb.name,
            self.net.load_balancers.iter().map(|l| &l.name),
        )?;
        let unique = |what: &'static str, names: Vec<&String>| -> Res<()> {
            for (i, a) in names.iter().enumerate() {
                if names[..i].iter().any(|b| b.eq_ignore_ascii_case(a)) {
                    return Err(not_allowed(
                        &path,
                        what,
                        alloc::format!(
                            "two entries are named {a}; names must be unique in a load balancer"
                        ),
                    ));
                }
            }
            Ok(())
        };
        unique(
            "frontendIPConfigurations",
            lb.frontends.iter().map(|f| &f.name).collect(),
        )?;
        unique(
            "backendAddressPools",
            lb.backends.iter().map(|b| &b.name).collect(),
        )?;
        unique(
            "loadBalancingRules",
            lb.rules.iter().map(|r| &r.name).collect(),
        )?;
        unique("probes", lb.probes.iter().map(|p| &p.name).collect())?;
        for f in &lb.frontends {
            let fpath = alloc::format!("{path}/frontendIPConfigurations/{}", f.name);
            check_name(&fpath, &f.name)?;
            match (f.public_ip, f.private_ip) {
                (Some(pip), None) => {
                    let p = self.net.public_ip(pip).ok_or_else(|| {
                        unknown(&fpath, "publicIPAddress", "public IP", pip.index())
                    })?;
                    if p.sku != lb.sku {
                        return Err(not_allowed(
                            &fpath,
                            "publicIPAddress",
                            alloc::format!(
                                "a {} load balancer needs a {} public IP; {} is {}",
                                lb.sku,
                                lb.sku,
                                p.name,
                                p.sku
                            ),
                        ));
                    }
                    if self.public_ip_in_use(pip) {
                        return Err(not_allowed(
                            &fpath,
                            "publicIPAddress",
                            "this public IP is already associated with another resource",
                        ));
                    }
                }
                (None, Some(ip)) => {
                    let Some(subnet) = self.net.subnet_containing(ip) else {
                        return Err(not_allowed(
                            &fpath,
                            "privateIPAddress",
                            alloc::format!("{ip} is not inside any subnet"),
                        ));
                    };
                    // As for a NIC: not one of the subnet's five reserved
                    // addresses, and not an address something else holds.
                    self.check_private_ip(&fpath, "privateIPAddress", subnet, ip)?;
                    if lb
                        .frontends
                        .iter()
                        .take_while(|o| !core::ptr::eq(*o, f))
                        .any(|o| o.private_ip == Some(ip))
                    {
                        return Err(ModelError::new(
                            &fpath,
                            "privateIPAddress",
                            ErrorKind::BadPrivateAddress {
                                problem: AddressProblem::InUse,
                                reason: alloc::format!(
                                    "{ip} is used by two frontends of this load balancer"
                                ),
                            },
                        ));
                    }
                }
                _ => {
                    return Err(not_allowed(
                        &fpath,
                        "publicIPAddress",
                        "a frontend has either a public IP or a private IP",
                    ));
                }
            }
        }
        for b in &lb.backends {
            for (nic, cfg) in &b.members {
                let ok = self
                    .net
                    .nic(*nic)
                    .is_some_and(|n| *cfg < n.ip_configs.len());
                if !ok {
                    return Err(unknown(
                        &alloc::format!("{path}/backendAddressPools/{}", b.name),
                        "backendIPConfigurations",
                        "NIC IP configuration",
                        nic.index(),
                    ));
                }
            }
        }
        for r in &lb.rules {
            let rpath = alloc::format!("{path}/loadBalancingRules/{}", r.name);
            check_name(&rpath, &r.name)?;
            if r.frontend >= lb.frontends.len() {
                return Err(unknown(
                    &rpath,
                    "frontendIPConfiguration",
                    "frontend",
                    r.frontend,
                ));
            }
            if r.backend >= lb.backends.len() {
                return Err(unknown(
                    &rpath,
                    "backendAddressPool",
                    "backend pool",
                    r.backend,
                ));
            }
            if r.probe.is_some_and(|p| p >= lb.probes.len()) {
                return Err(unknown(
                    &rpath,
                    "probe",
                    "probe",
                    r.probe.unwrap_or_default(),
                ));
            }
            if r.protocol == RuleProtocol::Any && lb.frontends[r.frontend].public_ip.is_some() {
                return Err(not_allowed(
                    &rpath,
                    "protocol",
                    "HA ports (protocol All) are only available on internal load balancers",
                ));
            }
        }
        unique(
            "inboundNatRules",
            lb.nat_rules.iter().map(|r| &r.name).collect(),
        )?;
        for r in &lb.nat_rules {
            self.check_nat_rule(&path, &lb, r)?;
        }
        self.net.load_balancers.push(lb);
        self.reindex();
        Ok(LoadBalancerId(self.net.load_balancers.len() as u32 - 1))
    }

    /// An inbound NAT rule's references and ports, and that no other rule of
    /// `lb` takes the same frontend, protocol and port: Azure keeps each
    /// frontend port for one rule (the engine would otherwise have to pick).
    fn check_nat_rule(&self, path: &str, lb: &LoadBalancer, r: &InboundNatRule) -> Res<()> {
        let rpath = alloc::format!("{path}/inboundNatRules/{}", r.name);
        check_name(&rpath, &r.name)?;
        if r.frontend >= lb.frontends.len() {
            return Err(unknown(
                &rpath,
                "frontendIPConfiguration",
                "frontend",
                r.frontend,
            ));
        }
        match r.target {
            NatTarget::IpConfig(nic, cfg) => {
                if self.net.nic(nic).is_none_or(|n| cfg >= n.ip_configs.len()) {
                    return Err(unknown(
                        &rpath,
                        "backendIPConfiguration",
                        "NIC IP configuration",
                        nic.index(),
                    ));
                }
                if r.frontend_port != r.frontend_port_end {
                    return Err(not_allowed(
                        &rpath,
                        "frontendPortRangeEnd",
                        "a port range forwards to a backend pool; a rule for one IP configuration has one frontend port",
                    ));
                }
            }
            NatTarget::Pool(pool) => {
                if pool >= lb.backends.len() {
                    return Err(unknown(&rpath, "backendAddressPool", "backend pool", pool));
                }
            }
        }
        if r.frontend_port > r.frontend_port_end {
            return Err(not_allowed(
                &rpath,
                "frontendPortRangeEnd",
                alloc::format!(
                    "the range ends at {} before it starts at {}",
                    r.frontend_port_end,
                    r.frontend_port
                ),
            ));
        }
        let ports = r.frontend_port..=r.frontend_port_end;
        let overlaps = |p: RuleProtocol| {
            p == RuleProtocol::Any || r.protocol == RuleProtocol::Any || p == r.protocol
        };
        let taken_by = lb
            .rules
            .iter()
            .filter(|o| o.frontend == r.frontend && overlaps(o.protocol))
            .find(|o| o.protocol == RuleProtocol::Any || ports.contains(&o.frontend_port))
            .map(|o| alloc::format!("load-balancing rule {}", o.name))
            .or_else(|| {
                lb.nat_rules
                    .iter()
                    .take_while(|o| !core::ptr::eq(*o, r))
                    .filter(|o| o.frontend == r.frontend && overlaps(o.protocol))
                    .find(|o| {
                        o.frontend_port <= r.frontend_port_end
                            && r.frontend_port <= o.frontend_port_end
                    })
                    .map(|o| alloc::format!("inbound NAT rule {}", o.name))
            });
        if let Some(other) = taken_by {
            return Err(not_allowed(
                &rpath,
                "frontendPort",
                alloc::format!(
                    "frontend port {} on {} is already used by {other}; each frontend, protocol and port can serve one rule",
                    r.frontend_port,
                    lb.frontends[r.frontend].name
                ),
            ));
        }
        Ok(())
    }

    /// Adds an Azure Firewall.
    pub fn add_firewall(&mut self, fw: Firewall) -> Res<FirewallId> {
        let path = alloc::format!("azureFirewalls/{}", fw.name);
        Self::check_new_name(&path, &fw.name, self.net.firewalls.iter().map(|f| &f.name))?;
        let subnet = self
            .net
            .subnet(fw.subnet)
            .ok_or_else(|| unknown(&path, "subnet", "subnet", fw.subnet.index()))?;
        if !subnet.name.eq_ignore_ascii_case("AzureFirewallSubnet") {
            return Err(not_allowed(
                &path,
                "ipConfigurations.subnet",
                alloc::format!(
                    "Azure Firewall must be deployed in a subnet named AzureFirewallSubnet, not {}",
                    subnet.name
                ),
            ));
        }
        self.check_private_ip(
            &path,
            "ipConfigurations.privateIPAddress",
            fw.subnet,
            fw.private_ip,
        )?;
        for pip in &fw.public_ips {
            self.net.public_ip(*pip).ok_or_else(|| {
                unknown(
                    &path,
                    "ipConfigurations.publicIPAddress",
                    "public IP",
                    pip.index(),
                )
            })?;
            if self.public_ip_in_use(*pip) {
                return Err(not_allowed(
                    &path,
                    "ipConfigurations.publicIPAddress",
                    "this public IP is already associated with another resource",
                ));
            }
        }
        crate::firewall::check_rules(&path, &fw.rules)?;
        self.net.firewalls.push(fw);
        self.reindex();
        Ok(FirewallId(self.net.firewalls.len() as u32 - 1))
    }

    /// Adds a PaaS service instance.
    pub fn add_paas(&mut self, svc: PaasService) -> Res<PaasId> {
        let path = alloc::format!("services/{}", svc.name);
        Self::check_new_name(&path, &svc.name, self.net.paas.iter().map(|p| &p.name))?;
        if crate::servicetag::ServiceTag::parse(&svc.service_tag).is_none_or(|t| !t.is_service()) {
            return Err(not_allowed(
                &path,
                "serviceTag",
                alloc::format!(
                    "'{}' is not a service tag like Storage or Sql",
                    crate::address::clip(&svc.service_tag)
                ),
            ));
        }
        self.net
            .region(svc.region)
            .ok_or_else(|| unknown(&path, "location", "region", svc.region.index()))?;
        for s in &svc.allowed_subnets {
            self.net.subnet(*s).ok_or_else(|| {
                unknown(
                    &path,
                    "networkAcls.virtualNetworkRules",
                    "subnet",
                    s.index(),
                )
            })?;
        }
        if crate::address::is_private_or_reserved(svc.public_ip) {
            return Err(not_allowed(
                &path,
                "publicIp",
                alloc::format!(
                    "{} is private or reserved space; a service's public endpoint must be public",
                    svc.public_ip
                ),
            ));
        }
        if self.owner_of_building(svc.public_ip).is_some() {
            return Err(not_allowed(
                &path,
                "publicIp",
                alloc::format!("{} is already used", svc.public_ip),
            ));
        }
        self.net.paas.push(svc);
        self.reindex();
        Ok(PaasId(self.net.paas.len() as u32 - 1))
    }

    /// Adds a private endpoint.
    pub fn add_private_endpoint(&mut self, pe: PrivateEndpoint) -> Res<PrivateEndpointId> {
        let path = alloc::format!("privateEndpoints/{}", pe.name);
        Self::check_new_name(
            &path,
            &pe.name,
            self.net.private_endpoints.iter().map(|p| &p.name),
        )?;
        self.net.paas_service(pe.service).ok_or_else(|| {
            unknown(
                &path,
                "privateLinkServiceConnections",
                "service",
                pe.service.index(),
            )
        })?;
        self.check_private_ip(
            &path,
            "customNetworkInterface.privateIPAddress",
            pe.subnet,
            pe.private_ip,
        )?;
        self.net.private_endpoints.push(pe);
        self.reindex();
        Ok(PrivateEndpointId(
            self.net.private_endpoints.len() as u32 - 1,
        ))
    }

    /// Adds an AVNM security admin rule.
    pub fn add_admin_rule(&mut self, rule: AdminRule) -> Res<AdminRuleId> {
        let path = alloc::format!("securityAdminConfigurations/rules/{}", rule.name);
        Self::check_new_name(
            &path,
            &rule.name,
            self.net.admin_rules.iter().map(|r| &r.name),
        )?;
        if !(1..=4096).contains(&rule.priority) {
            return Err(ModelError::new(
                &path,
                "priority",
                ErrorKind::PriorityOutOfRange {
                    priority: u32::from(rule.priority),
                    min: 1,
                    max: 4096,
                },
            ));
        }
        for v in &rule.applies_to {
            self.net
                .vnet(*v)
                .ok_or_else(|| unknown(&path, "appliesToGroups", "virtual network", v.index()))?;
        }
        self.net.admin_rules.push(rule);
        Ok(AdminRuleId(self.net.admin_rules.len() as u32 - 1))
    }

    /// Adds a client on the Internet.
    pub fn add_client(&mut self, client: InternetClient) -> Res<ClientId> {
        let path = alloc::format!("internetClients/{}", client.name);
        Self::check_new_name(
            &path,
            &client.name,
            self.net.clients.iter().map(|c| &c.name),
        )?;
        if crate::address::is_private_or_reserved(client.address) {
            return Err(not_allowed(
                &path,
                "address",
                alloc::format!(
                    "{} is private or reserved space, not an Internet address",
                    client.address
                ),
            ));
        }
        if self.owner_of_building(client.address).is_some() {
            return Err(not_allowed(
                &path,
                "address",
                alloc::format!("{} is already used", client.address),
            ));
        }
        self.net.clients.push(client);
        self.reindex();
        Ok(ClientId(self.net.clients.len() as u32 - 1))
    }

    /// Finishes the network, checking what needs all of it.
    pub fn build(mut self) -> Res<Network> {
        self.reindex();
        crate::rule_check::check_asg_vnets(&self.net)?;
        let mut net = self.net;
        // BTreeMap iteration is sorted, as owner_of's binary search needs;
        // an address's holders stay in the order they were added.
        net.owners = self
            .owners
            .into_iter()
            .flat_map(|(a, os)| os.into_iter().map(move |o| (a, o)))
            .collect();
        Ok(net)
    }

    /// Adds the addresses of resources added since the last call to the
    /// builder's index (incremental: building stays linear in the network).
    fn reindex(&mut self) {
        let net = &self.net;
        let done = self.indexed;
        let owners = &mut self.owners;
        for (n, nic) in net.nics.iter().enumerate().skip(done[0]) {
            for (i, c) in nic.ip_configs.iter().enumerate() {
                owners
                    .entry(c.private_ip)
                    .or_default()
                    .push(AddressOwner::Nic(NicId(n as u32), i));
            }
        }
        for (i, pe) in net.private_endpoints.iter().enumerate().skip(done[1]) {
            owners
                .entry(pe.private_ip)
                .or_default()
                .push(AddressOwner::PrivateEndpoint(PrivateEndpointId(i as u32)));
        }
        for (i, fw) in net.firewalls.iter().enumerate().skip(done[2]) {
            owners
                .entry(fw.private_ip)
                .or_default()
                .push(AddressOwner::Firewall(FirewallId(i as u32)));
        }
        for (i, p) in net.public_ips.iter().enumerate().skip(done[3]) {
            owners
                .entry(p.address)
                .or_default()
                .push(AddressOwner::PublicIp(PublicIpId(i as u32)));
        }
        for (l, lb) in net.load_balancers.iter().enumerate().skip(done[4]) {
            for (f, fe) in lb.frontends.iter().enumerate() {
                if let Some(ip) = fe.private_ip {
                    owners
                        .entry(ip)
                        .or_default()
                        .push(AddressOwner::LoadBalancerFrontend(
                            LoadBalancerId(l as u32),
                            f,
                        ));
                }
            }
        }
        for (i, s) in net.paas.iter().enumerate().skip(done[5]) {
            owners
                .entry(s.public_ip)
                .or_default()
                .push(AddressOwner::Paas(PaasId(i as u32)));
        }
        for (i, c) in net.clients.iter().enumerate().skip(done[6]) {
            owners
                .entry(c.address)
                .or_default()
                .push(AddressOwner::Client(ClientId(i as u32)));
        }
        self.indexed = [
            net.nics.len(),
            net.private_endpoints.len(),
            net.firewalls.len(),
            net.public_ips.len(),
            net.load_balancers.len(),
            net.paas.len(),
            net.clients.len(),
        ];
    }

    /// Who already holds `addr`, described for error messages.
    fn owner_of_building(&self, addr: IpAddr) -> Option<String> {
        let first = *self.owners.get(&addr)?.first()?;
        Some(self.describe_owner(first))
    }

    /// Who already holds `addr` where a private address in `vnet` would clash
    /// with it: a holder in the same VNet, or one not placed in a VNet.
    /// (VNets that are not peered may reuse each other's addresses, and
    /// peered VNets cannot overlap.)
    fn owner_clashing(&self, addr: IpAddr, vnet: VnetId) -> Option<String> {
        let clash = self
            .owners
            .get(&addr)?
            .iter()
            .copied()
            .find(|o| self.net.owner_vnet(*o).is_none_or(|held| held == vnet))?;
        Some(self.describe_owner(clash))
    }

    fn describe_owner(&self, owner: AddressOwner) -> String {
        let net = &self.net;
        match owner {
            AddressOwner::Nic(n, _) => {
                alloc::format!("network interface {}", net.nics[n.index()].name)
            }
            AddressOwner::PrivateEndpoint(p) => {
                alloc::format!("private endpoint {}", net.private_endpoints[p.index()].name)
            }
            AddressOwner::Firewall(f) => {
                alloc::format!("firewall {}", net.firewalls[f.index()].name)
            }
            AddressOwner::PublicIp(p) => {
                alloc::format!("public IP {}", net.public_ips[p.index()].name)
            }
            AddressOwner::LoadBalancerFrontend(l, _) => {
                alloc::format!("load balancer {}", net.load_balancers[l.index()].name)
            }
            AddressOwner::Paas(p) => alloc::format!("service {}", net.paas[p.index()].name),
            AddressOwner::Client(c) => {
                alloc::format!("Internet client {}", net.clients[c.index()].name)
            }
        }
    }
}

impl Network {
    /// Counts private addresses per VNet (for the 65,536 limit).
    pub fn private_ip_counts(&self) -> BTreeMap<VnetId, usize> {
        let mut counts = BTreeMap::new();
        for nic in &self.nics {
            for c in &nic.ip_configs {
                if let Some(v) = self.subnet_vnet(c.subnet) {
                    *counts.entry(v).or_insert(0) += 1;
                }
            }
        }
        counts
    }
}

//! A flow's journey through the layers, decided and recorded in one pass.
//!
//! [`trace`] finds who holds the source and destination addresses and walks
//! the path Azure would take (azure-semantics §9):
//!
//! - **North/south, inbound**: Internet → Azure edge → regional gateway →
//!   datacenter (public IP / load balancer NAT, or the firewall's DNAT) →
//!   VNet firewall → admin rules → subnet NSG → NIC NSG → VM.
//! - **Outbound and east/west**: admin rules → NIC NSG out → subnet NSG out →
//!   route lookup → (appliance or firewall, then a new route lookup) →
//!   platform policy (SMTP) → either the destination's admin rules, subnet
//!   NSG in and NIC NSG in, or SNAT → datacenter → gateway → edge → Internet.
//!
//! Each step is pushed by the code that decides it, together with the step
//! its reply will take, so the return path (stateful) is the forward path
//! mirrored, not a second evaluation that could disagree.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::admin;
use crate::firewall;
use crate::flow::Flow;
use crate::ids::*;
use crate::network::{AddressOwner, Network};
use crate::nsg_eval;
use crate::protocol::{Protocol, RuleProtocol};
use crate::resources::*;
use crate::routing;
use crate::servicetag::HOST_VIP;
use crate::tags::{TagContext, is_private_or_reserved};
use crate::trace::*;

/// How many appliances a flow may cross before the engine calls it a loop.
const MAX_APPLIANCE_HOPS: u8 = 4;

/// Evaluates a flow and returns its trace. `flow.source` and
/// `flow.destination` are looked up in the network: a NIC's private address,
/// an Internet client or any public address outside the network, a public IP,
/// a load balancer frontend, a private endpoint or a PaaS service.
pub fn trace(net: &Network, flow: &Flow) -> Trace {
    trace_with_host(net, flow, None)
}

/// Like [`trace`], with the host name the client asked for (HTTP Host or TLS
/// SNI), which Azure Firewall application rules and FQDN network rules match.
pub fn trace_with_host(net: &Network, flow: &Flow, host: Option<&str>) -> Trace {
    trace_from(net, flow, host, None)
}

/// Like [`trace_with_host`], starting at NIC IP configuration `source` when
/// it holds `flow.source`. VNets that are not peered may reuse an address,
/// so a flow from a named VM says which holder it starts at; without it
/// (or when the configuration does not hold the address), the flow starts
/// at the first holder.
pub fn trace_from(
    net: &Network,
    flow: &Flow,
    host: Option<&str>,
    source: Option<(NicId, usize)>,
) -> Trace {
    let flow = Flow::new(
        flow.protocol,
        flow.source,
        flow.source_port,
        flow.destination,
        flow.destination_port,
    );
    let mut walk = Walk {
        net,
        host,
        steps: Vec::new(),
        mirror: Vec::new(),
        hops: 0,
        egress_nic: None,
        source_nic: None,
        egress_firewall: None,
    };
    let kind = classify(net, &flow);
    let named = source.filter(|&(nic, cfg)| {
        net.nic(nic)
            .and_then(|n| n.ip_configs.get(cfg))
            .is_some_and(|c| c.private_ip == flow.source)
    });
    let start = match named {
        Some((nic, cfg)) => Some(AddressOwner::Nic(nic, cfg)),
        None => net.owner_of(flow.source),
    };
    match start {
        Some(AddressOwner::Nic(nic, cfg)) => {
            walk.egress_nic = Some((nic, cfg));
            walk.source_nic = Some(nic);
            walk.start_at_nic(nic, cfg, flow);
        }
        Some(AddressOwner::Client(_)) => walk.start_from_internet(flow),
        None if flow.source == HOST_VIP => walk.start_from_host(flow),
        None if !is_private_or_reserved(flow.source) => walk.start_from_internet(flow),
        owner => {
            let reason = match owner {
                Some(AddressOwner::PrivateEndpoint(_)) => String::from(
                    "a private endpoint only receives connections; clients initiate them",
                ),
                Some(AddressOwner::PublicIp(_)) => alloc::format!(
                    "{} is a public IP of the network: start the flow from the private address of the VM that uses it",
                    flow.source
                ),
                Some(AddressOwner::Paas(_)) => String::from(
                    "flows started by a PaaS service are not modelled; start from a VM or an Internet client",
                ),
                Some(AddressOwner::Firewall(_)) | Some(AddressOwner::LoadBalancerFrontend(..)) => {
                    String::from("flows start at a VM's NIC or at an Internet client")
                }
                _ => alloc::format!(
                    "no resource in the network holds the private address {}",
                    flow.source
                ),
            };
            walk.steps
                .push(Step::new(Layer::Vm, Outcome::Denied, flow, reason));
        }
    }
    walk.finish(flow, kind)
}

/// North/south when one end is on the Internet (outside the network and not a
/// PaaS service), east/west otherwise.
pub fn classify(net: &Network, flow: &Flow) -> TrafficKind {
    let internet = |addr: IpAddr| match net.owner_of(addr) {
        Some(AddressOwner::Client(_)) => true,
        Some(AddressOwner::PublicIp(_)) => true,
        // The host's virtual IP is public space but never leaves Azure.
        None => addr != HOST_VIP && !is_private_or_reserved(addr),
        _ => false,
    };
    if internet(flow.source) || internet(flow.destination) {
        TrafficKind::NorthSouth
    } else {
        TrafficKind::EastWest
    }
}

/// Stands for the Microsoft-owned address of default outbound access where a
/// trace must show one (a flow that leaves and comes back in to a public IP
/// of the same network). 192.0.2.1 is a documentation address (RFC 5737): it
/// is in the `Internet` tag and in no VNet, as the real address would be.
pub const DEFAULT_OUTBOUND_STAND_IN: IpAddr = IpAddr::V4(core::net::Ipv4Addr::new(192, 0, 2, 1));

struct Walk<'n> {
    net: &'n Network,
    host: Option<&'n str>,
    steps: Vec<Step>,
    /// The reply's steps, in forward order; reversed at the end.
    mirror: Vec<Step>,
    hops: u8,
    /// The NIC whose public identity outbound traffic would use.
    egress_nic: Option<(NicId, usize)>,
    /// The NIC the flow started at, which the reply returns to.
    source_nic: Option<NicId>,
    /// The firewall outbound traffic leaves through, if routed through one.
    egress_firewall: Option<FirewallId>,
}

fn resource(kind: &str, path: String, name: &str) -> Option<ResourceRef> {
    Some(ResourceRef {
        kind: String::from(kind),
        path,
        name: String::from(name),
    })
}

impl<'n> Walk<'n> {
    fn push(&mut self, step: Step) -> bool {
        let passes = step.outcome.passes();
        self.steps.push(step);
        passes
    }

    /// Pushes a step and the step its reply takes at the same layer.
    fn push_with_reply(&mut self, step: Step, reply: Step) -> bool {
        self.mirror.push(reply);
        self.push(step)
    }

    fn deny(&mut self, layer: Layer, packet: Flow, reason: String) -> bool {
        self.push(Step::new(layer, Outcome::Denied, packet, reason))
    }

    fn subnet_name(&self, subnet: SubnetId) -> String {
        self.net.subnet_path(subnet)
    }

    fn region_of_subnet(&self, subnet: SubnetId) -> Option<&'n Region> {
        let vnet = self.net.subnet_vnet(subnet)?;
        self.net.region(self.net.vnet(vnet)?.region)
    }

    // ---------------------------------------------------------------- NSGs

    /// Admin rules, then the NSGs of one side, in Azure's order for the direction.
    fn nsg_checks(
        &mut self,
        nic: NicId,
        cfg: usize,
        direction: Direction,
        flow: Flow,
        standard_closed: Option<&str>,
    ) -> bool {
        let net = self.net;
        let Some(n) = net.nic(nic) else { return false };
        let Some(subnet) = n.ip_configs.get(cfg).map(|c| c.subnet) else {
            return false;
        };
        let subnet_nsg = net.subnet(subnet).and_then(|s| s.nsg);
        let admin = self.admin_step(subnet, direction, flow);
        let always_allow = admin
            .rule
            .as_ref()
            .is_some_and(|r| r.action == "AlwaysAllow");
        if !self.push_with_reply(admin.clone(), stateful_mirror(&admin)) {
            return false;
        }
        let order: [(Layer, Option<NsgId>, String); 2] = [
            (Layer::SubnetNsg, subnet_nsg, self.subnet_name(subnet)),
            (
                Layer::NicNsg,
                n.nsg,
                alloc::format!("networkInterfaces/{}", n.name),
            ),
        ];
        let order: Vec<_> = if direction == Direction::Inbound {
            order.into_iter().collect()
        } else {
            order.into_iter().rev().collect()
        };
        let ctx = TagContext::for_subnet(net, subnet);
        for (layer, nsg, applied_to) in order {
            let mut step = if always_allow {
                let mut s = Step::new(
                    layer,
                    Outcome::Forwarded,
                    flow,
                    String::from(
                        "skipped: a security admin rule with AlwaysAllow delivers the flow without evaluating NSGs",
                    ),
                );
                s.direction = Some(direction);
                s
            } else {
                nsg_step(net, &ctx, layer, nsg, &applied_to, direction, flow)
            };
            // Standard SKU public IPs and load balancers are closed until an NSG opens them.
            if let Some(what) = standard_closed
                && layer == Layer::NicNsg
                && direction == Direction::Inbound
                && subnet_nsg.is_none()
                && n.nsg.is_none()
                && !always_allow
            {
                step.outcome = Outcome::Denied;
                step.reason = alloc::format!(
                    "{what} is secure by default: inbound traffic is closed until an NSG on the subnet or NIC allows it, and there is none"
                );
                step.notes.push(Note::documented("Standard SKU public IPs and load balancers are closed to inbound flows unless a network security group allows them"));
            }
            let reply = stateful_mirror(&step);
            if !self.push_with_reply(step, reply) {
                return false;
            }
        }
        true
    }

    fn admin_step(&self, subnet: SubnetId, direction: Direction, flow: Flow) -> Step {
        let net = self.net;
        let vnet = net.subnet_vnet(subnet);
        let mut notes = Vec::new();
        let mut step = match admin::first_match(net, subnet, direction, &flow, &mut notes) {
            Some((_, rule)) => {
                let outcome = if rule.action == AdminAction::Deny {
                    Outcome::Denied
                } else {
                    Outcome::Allowed
                };
                let reason = match rule.action {
                    AdminAction::Deny => alloc::format!(
                        "security admin rule {} denies the flow before any NSG is evaluated",
                        rule.name
                    ),
                    AdminAction::AlwaysAllow => alloc::format!(
                        "security admin rule {} always allows the flow; NSGs are not evaluated",
                        rule.name
                    ),
                    AdminAction::Allow => alloc::format!(
                        "security admin rule {} allows the flow on to the NSGs",
                        rule.name
                    ),
                };
                let mut s = Step::new(Layer::AdminRules, outcome, flow, reason);
                s.rule = Some(RuleHit {
                    name: alloc::format!("securityAdminRules/{}", rule.name),
                    priority: Some(u32::from(rule.priority)),
                    action: rule.action.to_string(),
                });
                s
            }
            None if vnet.is_some_and(|v| admin::any_for(net, v, direction)) => Step::new(
                Layer::AdminRules,
                Outcome::Forwarded,
                flow,
                String::from("no security admin rule matches; the NSGs decide"),
            ),
            None => Step::new(
                Layer::AdminRules,
                Outcome::NotConfigured,
                flow,
                String::from(
                    "no Azure Virtual Network Manager admin rules apply to this virtual network",
                ),
            ),
        };
        step.direction = Some(direction);
        step.notes = notes;
        step.resource = vnet.and_then(|v| net.vnet(v)).and_then(|v| {
            resource(
                "securityAdminConfigurations",
                alloc::format!("virtualNetworks/{}", v.name),
                &v.name,
            )
        });
        step
    }

    // ---------------------------------------------------------------- sources

    fn start_at_nic(&mut self, nic: NicId, cfg: usize, flow: Flow) {
        let checked = self.nsg_checks(nic, cfg, Direction::Outbound, flow, None);
        let net = self.net;
        if nsg_eval::is_kms_traffic(Direction::Outbound, &flow)
            && let Some(subnet) = net
                .nic(nic)
                .and_then(|n| n.ip_configs.get(cfg))
                .map(|c| c.subnet)
            && !TagContext::for_subnet(net, subnet).kms_platform_rule()
            && let Some(first) = self.steps.first_mut()
        {
            first.notes.push(Note::assumption(
                "Windows activation (KMS, TCP 1688) loses its platform rule when a 0.0.0.0/0 route is set; this subnet has a user or gateway 0.0.0.0/0 route, so NSGs filter it like any traffic (which routes count is not documented)",
            ));
        }
        if !checked {
            return;
        }
        if nsg_eval::is_platform_destination(Direction::Outbound, flow.destination) {
            self.reach_platform(flow);
            return;
        }
        let Some(subnet) = self
            .net
            .nic(nic)
            .and_then(|n| n.ip_configs.get(cfg))
            .map(|c| c.subnet)
        else {
            return;
        };
        self.route_from(subnet, flow, false);
    }

    /// The host's virtual IPs (168.63.129.16: DNS, DHCP, health, VM agent;
    /// 169.254.169.254: IMDS) answer on the host itself: user-defined routes do
    /// not apply and no outbound method is needed (azure-semantics §2, S25).
    fn reach_platform(&mut self, flow: Flow) {
        let mut route = Step::new(
            Layer::Routing,
            Outcome::Forwarded,
            flow,
            alloc::format!(
                "{} is a host virtual IP served by the host itself: routes (including user-defined ones) do not apply",
                flow.destination
            ),
        );
        route.notes.push(Note::documented(
            "168.63.129.16 is not subject to user-defined routes",
        ));
        let reply = mirror_route(&route);
        self.push_with_reply(route, reply);
        let what = if flow.destination == HOST_VIP {
            "Azure's platform services (DNS, DHCP, health monitoring, VM agent)"
        } else {
            "the Instance Metadata Service"
        };
        let mut end = Step::new(
            Layer::Service,
            Outcome::Arrived,
            flow,
            alloc::format!("reaches {what} at {}", flow.destination),
        );
        end.resource = resource(
            "platform",
            alloc::format!("platform/{}", flow.destination),
            what,
        );
        self.push(end);
    }

    /// Traffic from the host's virtual IP (load balancer health probes, DNS
    /// and DHCP answers) starts on the host the VM runs on: it never crosses
    /// the Internet edge, and it reaches only the VMs of that host. The NSGs
    /// still filter it inbound, where the default `AllowAzureLoadBalancerInBound`
    /// admits it (azure-semantics §2, DOC S25).
    fn start_from_host(&mut self, flow: Flow) {
        let mut start = Step::new(
            Layer::Datacenter,
            Outcome::Forwarded,
            flow,
            alloc::format!(
                "{} is the host's virtual IP (health probes, DNS, DHCP): the packet starts on the host the VM runs on, not on the Internet",
                flow.source
            ),
        );
        start.resource = resource(
            "platform",
            alloc::format!("platform/{}", flow.source),
            "Azure platform (host)",
        );
        let mut back = Step::new(
            Layer::Datacenter,
            Outcome::Arrived,
            flow.reply(),
            alloc::format!("the reply reaches the host at {}", flow.source),
        );
        back.resource = start.resource.clone();
        self.push_with_reply(start, back);
        match self.net.owner_of(flow.destination) {
            Some(AddressOwner::Nic(nic, cfg)) => {
                if self.nsg_checks(nic, cfg, Direction::Inbound, flow, None) {
                    self.arrive_nic(nic, cfg, flow, None);
                }
            }
            _ => {
                self.deny(
                    Layer::Datacenter,
                    flow,
                    alloc::format!(
                        "the host's virtual IP talks only to the VMs on the host; {} is not a VM's private address",
                        flow.destination
                    ),
                );
            }
        }
    }

    fn start_from_internet(&mut self, flow: Flow) {
        let net = self.net;
        let client = match net.owner_of(flow.source) {
            Some(AddressOwner::Client(c)) => net
                .client(c)
                .map_or(String::new(), |c| alloc::format!(" ({})", c.name)),
            _ => String::new(),
        };
        let mut start = Step::new(
            Layer::Internet,
            Outcome::Forwarded,
            flow,
            alloc::format!(
                "client {}{client} on the Internet sends the packet",
                flow.source
            ),
        );
        start.resource = resource("internet", String::from("internet"), "Internet");
        let mut back = Step::new(
            Layer::Internet,
            Outcome::Arrived,
            flow.reply(),
            alloc::format!("the reply reaches the client {}", flow.source),
        );
        back.resource = start.resource.clone();
        self.push_with_reply(start, back);
        let mut edge = Step::new(
            Layer::AzureEdge,
            Outcome::Forwarded,
            flow,
            String::from(
                "enters Microsoft's backbone at the nearest point of presence; edge ACLs and DDoS infrastructure protection pass ordinary traffic",
            ),
        );
        edge.notes.push(Note::not_modelled("DDoS mitigation and edge rate limits act only under attack; the engine does not model them"));
        let edge_back = Step::new(
            Layer::AzureEdge,
            Outcome::Forwarded,
            flow.reply(),
            String::from("leaves Microsoft's backbone towards the client"),
        );
        self.push_with_reply(edge, edge_back);

        match net.owner_of(flow.destination) {
            Some(AddressOwner::PublicIp(pip)) => self.enter_public_ip(pip, flow),
            Some(AddressOwner::Paas(svc)) => {
                let region = net.paas_service(svc).and_then(|s| net.region(s.region));
                self.regional_gateway(region, flow);
                let dc = Step::new(
                    Layer::Datacenter,
                    Outcome::Forwarded,
                    flow,
                    String::from(
                        "the service's public endpoint is served from the region's datacenters",
                    ),
                );
                self.push_with_reply(dc.clone(), reverse_step(&dc));
                for layer in [Layer::VnetFirewall, Layer::SubnetNsg, Layer::NicNsg] {
                    let s = Step::new(
                        layer,
                        Outcome::NotConfigured,
                        flow,
                        String::from(
                            "not on this path: the PaaS service is outside your virtual networks",
                        ),
                    );
                    self.push_with_reply(s.clone(), reverse_step(&s));
                }
                self.paas_public(svc, flow, None);
            }
            Some(AddressOwner::Nic(..))
            | Some(AddressOwner::PrivateEndpoint(_))
            | Some(AddressOwner::Firewall(_))
            | Some(AddressOwner::LoadBalancerFrontend(..)) => {
                self.deny(Layer::AzureEdge, flow, alloc::format!("{} is a private address: it cannot be reached from the Internet; use a public IP, a load balancer or the firewall's DNAT", flow.destination));
            }
            _ if is_private_or_reserved(flow.destination) => {
                self.deny(Layer::AzureEdge, flow, alloc::format!("{} is private address space that no resource in the network holds; it is not reachable from the Internet", flow.destination));
            }
            _ => {
                self.deny(
                    Layer::AzureEdge,
                    flow,
                    alloc::format!(
                        "{} is not an address of this network; the flow never enters it",
                        flow.destination
                    ),
                );
            }
        }
    }

    fn regional_gateway(&mut self, region: Option<&Region>, flow: Flow) {
        let reason = match region {
            Some(r) => {
                let pair = r
                    .pair
                    .as_deref()
                    .and_then(crate::region::lookup)
                    .map_or_else(
                        || String::from("no pair"),
                        |p| alloc::format!("paired with {}", p.display_name),
                    );
                let zones = if r.zones > 0 {
                    alloc::format!("{} availability zones", r.zones)
                } else {
                    String::from("no availability zones")
                };
                alloc::format!(
                    "the regional gateway of {} ({pair}; {zones}) hands the packet to the region's datacenters",
                    r.display_name
                )
            }
            None => {
                String::from("the regional gateway hands the packet to the region's datacenters")
            }
        };
        let mut s = Step::new(Layer::RegionalGateway, Outcome::Forwarded, flow, reason);
        s.resource = region.and_then(|r| {
            resource(
                "regions",
                alloc::format!("regions/{}", r.name),
                &r.display_name,
            )
        });
        let back = reverse_step(&s);
        self.push_with_reply(s, back);
    }

    // ---------------------------------------------------------------- inbound from the Internet

    fn enter_public_ip(&mut self, pip: PublicIpId, flow: Flow) {
        let net = self.net;
        let Some(p) = net.public_ip(pip) else { return };
        let pip_ref = resource(
            "publicIPAddresses",
            alloc::format!("publicIPAddresses/{}", p.name),
            &p.name,
        );
        // A NIC IP configuration?
        if let Some((nic, cfg)) = net.nics().find_map(|(id, n)| {
            n.ip_configs
                .iter()
                .position(|c| c.public_ip == Some(pip))
                .map(|i| (id, i))
        }) {
            let Some(c) = net.nic(nic).and_then(|n| n.ip_configs.get(cfg)) else {
                return;
            };
            self.regional_gateway(self.region_of_subnet(c.subnet), flow);
            let translated = Flow {
                destination: c.private_ip,
                ..flow
            };
            let mut dc = Step::new(
                Layer::Datacenter,
                Outcome::Translated,
                flow,
                alloc::format!(
                    "public IP {} ({} SKU) is translated to the NIC's private address {}; NSGs see the private address",
                    p.name,
                    p.sku,
                    c.private_ip
                ),
            );
            dc.resource = pip_ref;
            dc.translation = Some(Translation {
                from: (flow.destination, flow.destination_port),
                to: (c.private_ip, flow.destination_port),
                side: TranslatedSide::Destination,
            });
            self.push_with_reply(dc.clone(), reverse_step(&dc));
            self.vnet_layer_for_public_entry(c.subnet, translated);
            let closed = (p.sku == Sku::Standard)
                .then(|| alloc::format!("Standard SKU public IP {}", p.name));
            if self.nsg_checks(nic, cfg, Direction::Inbound, translated, closed.as_deref()) {
                self.arrive_nic(nic, cfg, translated, Some(p.sku));
            }
            return;
        }
        // A load balancer frontend?
        if let Some((lb_id, fe)) = net.load_balancers().find_map(|(id, lb)| {
            lb.frontends
                .iter()
                .position(|f| f.public_ip == Some(pip))
                .map(|i| (id, i))
        }) {
            self.through_load_balancer(lb_id, fe, flow, true);
            return;
        }
        // A firewall's public address?
        if let Some((fw_id, fw)) = net.firewalls().find(|(_, f)| f.public_ips.contains(&pip)) {
            self.regional_gateway(self.region_of_subnet(fw.subnet), flow);
            let mut dc = Step::new(
                Layer::Datacenter,
                Outcome::Forwarded,
                flow,
                alloc::format!("public IP {} belongs to Azure Firewall {}", p.name, fw.name),
            );
            dc.resource = pip_ref;
            self.push_with_reply(dc.clone(), reverse_step(&dc));
            self.firewall_dnat(fw_id, flow);
            return;
        }
        let mut dc = Step::new(
            Layer::Datacenter,
            Outcome::Denied,
            flow,
            alloc::format!(
                "public IP {} is not associated with any resource, so nothing answers",
                p.name
            ),
        );
        dc.resource = pip_ref;
        self.push(dc);
    }

    /// The VNet layer on the way in through a public IP or public LB: no
    /// firewall is crossed, but a default route to an appliance breaks the reply.
    fn vnet_layer_for_public_entry(&mut self, subnet: SubnetId, flow: Flow) {
        let s = Step::new(
            Layer::VnetFirewall,
            Outcome::NotConfigured,
            flow,
            String::from(
                "traffic to a public IP or public load balancer goes straight to the backend; no VNet firewall is on this path",
            ),
        );
        let mut reply = reverse_step(&s);
        if let Some(route) = routing::next_hop(self.net, subnet, flow.source) {
            if matches!(
                route.next_hop_type,
                NextHopType::VirtualAppliance | NextHopType::VirtualNetworkGateway
            ) {
                reply.layer = Layer::Routing;
                reply.outcome = Outcome::Denied;
                reply.reason = alloc::format!(
                    "the reply to {} follows route {} to {} instead of going back the way it came: the asymmetric reply is dropped, so the VM is not reachable from the Internet this way",
                    flow.source,
                    route.prefix,
                    route.next_hop_type
                );
                reply.notes.push(Note::documented("overriding 0.0.0.0/0 with an appliance or gateway makes the subnet's resources unreachable directly from the Internet; the device must NAT or proxy"));
                reply.route = Some(route);
            } else {
                reply.layer = Layer::Routing;
                reply.reason = alloc::format!(
                    "the reply goes back through route {} ({})",
                    route.prefix,
                    route.next_hop_type
                );
                reply.route = Some(route);
            }
        }
        self.push_with_reply(s, reply);
    }

    /// LB rule → healthy backend → NAT. `public` is a public frontend.
    fn through_load_balancer(
        &mut self,
        lb_id: LoadBalancerId,
        fe: usize,
        flow: Flow,
        public: bool,
    ) {
        let net = self.net;
        let Some(lb) = net.load_balancer(lb_id) else {
            return;
        };
        let lb_ref = resource(
            "loadBalancers",
            alloc::format!("loadBalancers/{}", lb.name),
            &lb.name,
        );
        if public {
            let first_backend = lb
                .backends
                .iter()
                .flat_map(|b| b.members.iter().copied())
                .chain(lb.nat_rules.iter().filter_map(|r| match r.target {
                    NatTarget::IpConfig(nic, cfg) => Some((nic, cfg)),
                    NatTarget::Pool(_) => None,
                }))
                .next()
                .and_then(|(n, c)| net.nic(n)?.ip_configs.get(c));
            self.regional_gateway(
                first_backend.and_then(|c| self.region_of_subnet(c.subnet)),
                flow,
            );
        }
        let layer = if public {
            Layer::Datacenter
        } else {
            Layer::VnetFirewall
        };
        let Forward {
            hit,
            rule,
            nic,
            cfg,
            backend_ip,
            port,
            notes,
        } = match lb_forward(net, lb, fe, &flow) {
            Ok(found) => found,
            Err(NoBackend { reason, notes }) => {
                let mut s = Step::new(layer, Outcome::Denied, flow, reason);
                s.resource = lb_ref;
                s.notes.extend(notes);
                self.push(s);
                return;
            }
        };
        let translated = Flow {
            destination: backend_ip,
            destination_port: port,
            ..flow
        };
        let mut s = Step::new(
            layer,
            Outcome::Translated,
            flow,
            alloc::format!(
                "load balancer {} ({} SKU) {rule} sends the flow to backend {backend_ip}:{port}; NSGs see the client as source and the backend as destination",
                lb.name,
                lb.sku,
            ),
        );
        s.resource = lb_ref;
        s.rule = Some(hit);
        s.translation = Some(Translation {
            from: (flow.destination, flow.destination_port),
            to: (backend_ip, port),
            side: TranslatedSide::Destination,
        });
        s.notes = notes;
        self.push_with_reply(s.clone(), reverse_step(&s));
        let Some(subnet) = net
            .nic(nic)
            .and_then(|n| n.ip_configs.get(cfg))
            .map(|c| c.subnet)
        else {
            return;
        };
        if public {
            self.vnet_layer_for_public_entry(subnet, translated);
        }
        let closed = (public && lb.sku == Sku::Standard)
            .then(|| alloc::format!("Standard SKU load balancer {}", lb.name));
        let unguarded = net.nic(nic).is_some_and(|n| n.nsg.is_none())
            && net.subnet(subnet).is_some_and(|s| s.nsg.is_none());
        if !public
            && lb.sku == Sku::Standard
            && unguarded
            && let Some(last) = self.steps.last_mut()
        {
            last.notes.push(Note::assumption(
                "Standard SKU is closed to inbound traffic until an NSG opens it; the engine applies that to public frontends only, so this internal frontend reaches a backend that has no NSG",
            ));
        }
        if self.nsg_checks(nic, cfg, Direction::Inbound, translated, closed.as_deref()) {
            self.arrive_nic(nic, cfg, translated, public.then_some(lb.sku));
        }
    }

    fn firewall_dnat(&mut self, fw_id: FirewallId, flow: Flow) {
        let net = self.net;
        let Some(fw) = net.firewall(fw_id) else {
            return;
        };
        let fw_ref = resource(
            "azureFirewalls",
            alloc::format!("azureFirewalls/{}", fw.name),
            &fw.name,
        );
        let ctx = TagContext::for_subnet(net, fw.subnet);
        let Some((hit, to_ip, to_port)) = firewall::match_dnat(&ctx, fw, &flow) else {
            let mut s = Step::new(
                Layer::VnetFirewall,
                Outcome::Denied,
                flow,
                alloc::format!(
                    "no DNAT rule of firewall {} matches {} port {}; Azure Firewall denies by default",
                    fw.name,
                    flow.protocol,
                    flow.destination_port
                ),
            );
            s.resource = fw_ref;
            self.push(s);
            return;
        };
        let dnat = Flow {
            destination: to_ip,
            destination_port: to_port,
            ..flow
        };
        let decision = firewall::filter(&ctx, fw, &dnat, self.host, true);
        let mut s = Step::new(
            Layer::VnetFirewall,
            if decision.access == Access::Allow {
                Outcome::Translated
            } else {
                Outcome::Denied
            },
            flow,
            String::new(),
        );
        s.resource = fw_ref;
        s.translation = Some(Translation {
            from: (flow.destination, flow.destination_port),
            to: (to_ip, to_port),
            side: TranslatedSide::Destination,
        });
        s.notes = decision.notes;
        if decision.access == Access::Deny {
            s.reason = alloc::format!(
                "DNAT rule {} translates to {to_ip}:{to_port}, but {}",
                hit.name,
                decision.reason
            );
            s.rule = decision.rule;
            self.push(s);
            return;
        }
        s.reason = alloc::format!(
            "DNAT rule {} translates to {to_ip}:{to_port}; {}",
            hit.name,
            decision.reason
        );
        s.rule = Some(decision.rule.unwrap_or(hit));
        // Inbound DNAT is also source-NATed to the firewall, so replies come back through it.
        let snat = Flow {
            source: fw.private_ip,
            ..dnat
        };
        s.notes.push(Note::assumption("the firewall also translates the source of DNAT traffic to its private address so that replies return through it"));
        self.push_with_reply(s.clone(), reverse_step(&s));
        self.hops += 1;
        self.route_from(fw.subnet, snat, true);
    }

    // ---------------------------------------------------------------- routing

    fn route_from(&mut self, subnet: SubnetId, flow: Flow, forwarded: bool) {
        let net = self.net;
        let routes = routing::effective_routes(net, subnet);
        let Some(chosen) = routing::select(net, &routes, flow.destination) else {
            self.deny(
                Layer::Routing,
                flow,
                alloc::format!(
                    "no route in {} covers {}",
                    self.subnet_name(subnet),
                    flow.destination
                ),
            );
            return;
        };
        let hit = routing::describe(net, chosen);
        let mut s = Step::new(Layer::Routing, Outcome::Forwarded, flow, String::new());
        s.resource = resource(
            "subnets",
            self.subnet_name(subnet),
            net.subnet(subnet).map_or("", |x| x.name.as_str()),
        );
        s.route = Some(hit.clone());
        let competing_tags = chosen.tag.is_some()
            && routes.iter().any(|r| {
                r.tag.is_some() && r.tag != chosen.tag && r.prefix.contains(&flow.destination)
            });
        if competing_tags {
            s.notes.push(Note::documented(
                "among tag routes that match, a regional tag beats a top-level tag, which beats AzureCloud.<region>, which beats AzureCloud",
            ));
            s.notes.push(Note::assumption(
                "the engine knows sample prefixes of service tags, not Microsoft's published lists, so tag routes are ranked by that order before prefix length",
            ));
        }
        let what = match &hit.route_name {
            Some(name) => alloc::format!("user route {name} in {}", hit.route_table),
            None => alloc::format!("{} system route", hit.source),
        };
        match chosen.next_hop_type {
            NextHopType::None => {
                s.outcome = Outcome::Denied;
                s.reason = alloc::format!(
                    "{what} {} has next hop None: the packet is dropped",
                    hit.prefix
                );
                if net.vnet_containing(flow.destination).is_some()
                    && net.subnet_vnet(subnet) != net.vnet_containing(flow.destination)
                {
                    s.notes.push(Note::documented("VNet peering is not transitive: a VNet reaches only the VNets it is peered with directly, unless a route sends traffic through an appliance"));
                }
                self.push(s);
            }
            NextHopType::VnetLocal | NextHopType::VnetPeering => {
                s.reason =
                    alloc::format!("{what} {} sends it to {}", hit.prefix, chosen.next_hop_type);
                let reply = mirror_route(&s);
                self.push_with_reply(s, reply);
                self.deliver_private(
                    subnet,
                    flow,
                    chosen.next_hop_type == NextHopType::VnetPeering,
                    forwarded,
                );
            }
            NextHopType::InterfaceEndpoint => {
                s.reason = alloc::format!(
                    "the private endpoint's /32 route {} sends it to the endpoint",
                    hit.prefix
                );
                // The endpoint's own VNet (not the first VNet whose range holds
                // the address: VNets that are not peered may overlap).
                let pe_vnet = match net.owner_of(flow.destination) {
                    Some(AddressOwner::PrivateEndpoint(pe)) => net
                        .private_endpoint(pe)
                        .and_then(|p| net.subnet_vnet(p.subnet)),
                    _ => net.vnet_containing(flow.destination),
                };
                let across = net.subnet_vnet(subnet) != pe_vnet;
                if across {
                    s.notes.push(Note::assumption(
                        "a private endpoint's /32 route reaches the VNets peered with the endpoint's VNet",
                    ));
                }
                let reply = mirror_route(&s);
                self.push_with_reply(s, reply);
                self.deliver_private(subnet, flow, across, forwarded);
            }
            NextHopType::VirtualAppliance => {
                let ip = chosen.next_hop_ip.unwrap_or(flow.destination);
                s.reason =
                    alloc::format!("{what} {} sends it to the appliance at {ip}", hit.prefix);
                let reply = mirror_route(&s);
                self.push_with_reply(s, reply);
                self.through_appliance(subnet, ip, flow);
            }
            NextHopType::Internet => {
                s.reason = alloc::format!("{what} {} sends it to the Internet", hit.prefix);
                let reply = mirror_route(&s);
                self.push_with_reply(s, reply);
                self.egress(subnet, flow);
            }
            NextHopType::VirtualNetworkGateway => {
                let here = net.subnet_vnet(subnet);
                let Some(gateway) = here.and_then(|v| net.gateway_vnet(v)) else {
                    s.outcome = Outcome::Denied;
                    s.reason = alloc::format!(
                        "{what} {} sends it to a virtual network gateway, but this VNet has none: Azure drops the traffic (the route shows as None)",
                        hit.prefix
                    );
                    s.notes.push(Note::documented(
                        "a route whose next hop is not configured shows as None and drops the traffic",
                    ));
                    s.notes.push(Note::assumption(
                        "the playground knows a VNet's gateway by the routes it learned (gatewayRoutes), or a peered hub's through gateway transit",
                    ));
                    self.push(s);
                    return;
                };
                s.reason = alloc::format!(
                    "{what} {} sends it to the virtual network gateway",
                    hit.prefix
                );
                if Some(gateway) != here {
                    let hub = net.vnet(gateway).map_or("", |v| v.name.as_str());
                    s.reason.push_str(&alloc::format!(
                        " of the peered VNet {hub} (gateway transit)"
                    ));
                    s.notes.push(Note::documented(
                        "gateway transit: this side of the peering uses the remote gateway, the hub's side allows gateway transit",
                    ));
                }
                let reply = mirror_route(&s);
                self.push_with_reply(s, reply);
                let mut end = Step::new(
                    Layer::Vm,
                    Outcome::Arrived,
                    flow,
                    String::from("handed to the VPN/ExpressRoute gateway towards on-premises"),
                );
                end.notes.push(Note::not_modelled(
                    "on-premises networks and the gateway's own policies are not modelled",
                ));
                self.push(end);
            }
            NextHopType::VirtualNetworkServiceEndpoint => {
                s.reason = alloc::format!(
                    "service endpoint route {} keeps it on the backbone with its private source address",
                    hit.prefix
                );
                let reply = mirror_route(&s);
                self.push_with_reply(s, reply);
                match net.owner_of(flow.destination) {
                    Some(AddressOwner::Paas(svc)) => self.paas_public(svc, flow, Some(subnet)),
                    _ => {
                        let mut end = Step::new(
                            Layer::Service,
                            Outcome::Arrived,
                            flow,
                            String::from(
                                "reaches the service's public endpoint over the service endpoint",
                            ),
                        );
                        end.notes.push(Note::assumption("the destination is in the service tag's sample range; no service instance is declared at this address"));
                        self.push(end);
                    }
                }
            }
        }
    }

    fn deliver_private(
        &mut self,
        from_subnet: SubnetId,
        flow: Flow,
        via_peering: bool,
        forwarded: bool,
    ) {
        let net = self.net;
        let local = net.subnet_vnet(from_subnet);
        // The VNet the packet is delivered in: this one, or the peer whose
        // space holds the destination. Only a resource there receives it
        // (two VNets that are not peered may use the same ranges).
        let target = if via_peering {
            local.and_then(|l| net.peer_containing(l, flow.destination))
        } else {
            local
        };
        if via_peering {
            let (Some(local), Some(remote)) = (local, target) else {
                self.deny(
                    Layer::Routing,
                    flow,
                    String::from("the peered network has no address space for the destination"),
                );
                return;
            };
            let source_is_local = net
                .vnet(local)
                .is_some_and(|v| v.address_space.iter().any(|s| s.contains(&flow.source)));
            if let Some(back) = net.peering_between(remote, local)
                && forwarded
                && !source_is_local
                && !back.allow_forwarded_traffic
            {
                let name = net.vnet(remote).map_or("", |v| v.name.as_str());
                self.deny(Layer::Routing, flow, alloc::format!("peering {} of {name} does not allow forwarded traffic, and this packet did not start in the peered network", back.name));
                return;
            }
        }
        let owner = net.owner_in(flow.destination, target);
        match owner {
            Some(AddressOwner::Nic(nic, cfg)) => {
                if self.nsg_checks(nic, cfg, Direction::Inbound, flow, None) {
                    self.arrive_nic(nic, cfg, flow, None);
                }
            }
            Some(AddressOwner::PrivateEndpoint(pe)) => self.enter_private_endpoint(pe, flow),
            Some(AddressOwner::LoadBalancerFrontend(lb, fe)) => {
                self.through_load_balancer(lb, fe, flow, false)
            }
            Some(AddressOwner::Firewall(fw)) => {
                let name = net.firewall(fw).map_or("", |f| f.name.as_str());
                let mut s = Step::new(
                    Layer::Vm,
                    Outcome::Arrived,
                    flow,
                    alloc::format!("reaches Azure Firewall {name} itself"),
                );
                s.notes.push(Note::not_modelled(
                    "services on the firewall itself (DNS proxy) are not modelled",
                ));
                self.push(s);
            }
            _ => {
                self.deny(
                    Layer::Vm,
                    flow,
                    alloc::format!(
                        "no resource holds {} in {}",
                        flow.destination,
                        target
                            .or_else(|| net.vnet_containing(flow.destination))
                            .and_then(|v| net.vnet(v))
                            .map_or("the network", |v| v.name.as_str())
                    ),
                );
            }
        }
    }

    fn enter_private_endpoint(&mut self, pe_id: PrivateEndpointId, flow: Flow) {
        let net = self.net;
        let Some(pe) = net.private_endpoint(pe_id) else {
            return;
        };
        let Some(subnet) = net.subnet(pe.subnet) else {
            return;
        };
        let policies = subnet.private_endpoint_policies;
        let admin = self.admin_step(pe.subnet, Direction::Inbound, flow);
        if !self.push_with_reply(admin.clone(), stateful_mirror(&admin)) {
            return;
        }
        let always_allow = admin
            .rule
            .as_ref()
            .is_some_and(|r| r.action == "AlwaysAllow");
        let ctx = TagContext::for_subnet(net, pe.subnet);
        let mut s = if always_allow {
            // As at a NIC: AlwaysAllow delivers without evaluating NSGs.
            let mut s = Step::new(
                Layer::SubnetNsg,
                Outcome::Forwarded,
                flow,
                String::from(
                    "skipped: a security admin rule with AlwaysAllow delivers the flow without evaluating NSGs",
                ),
            );
            s.direction = Some(Direction::Inbound);
            s
        } else if policies.nsg_applies() {
            match subnet.nsg {
                Some(nsg) => decision_step(
                    net,
                    Layer::SubnetNsg,
                    nsg,
                    Direction::Inbound,
                    flow,
                    nsg_eval::evaluate_for_private_endpoint(&ctx, nsg, &flow),
                ),
                None => nsg_step(
                    net,
                    &ctx,
                    Layer::SubnetNsg,
                    None,
                    &self.subnet_name(pe.subnet),
                    Direction::Inbound,
                    flow,
                ),
            }
        } else {
            let mut s = Step::new(
                Layer::SubnetNsg,
                Outcome::NotConfigured,
                flow,
                alloc::format!(
                    "private endpoint network policies are {} in this subnet, so its NSG does not filter traffic to the endpoint",
                    policies.api_name()
                ),
            );
            s.direction = Some(Direction::Inbound);
            s
        };
        if policies.nsg_applies() && !always_allow {
            s.notes.push(Note::documented("with NSG policies on, source port filtering towards a private endpoint is treated as '*'"));
        }
        let reply = stateful_mirror(&s);
        if !self.push_with_reply(s, reply) {
            return;
        }
        let mut nic = Step::new(
            Layer::NicNsg,
            Outcome::NotConfigured,
            flow,
            String::from("a private endpoint's NIC is read-only and carries no NSG"),
        );
        nic.direction = Some(Direction::Inbound);
        self.push_with_reply(nic.clone(), stateful_mirror(&nic));
        let svc = net.paas_service(pe.service).map_or("", |s| s.name.as_str());
        let mut end = Step::new(
            Layer::Service,
            Outcome::Arrived,
            flow,
            alloc::format!(
                "reaches {svc} through private endpoint {}; the service's public network rules do not apply to private link traffic",
                pe.name
            ),
        );
        end.resource = resource(
            "privateEndpoints",
            alloc::format!("privateEndpoints/{}", pe.name),
            &pe.name,
        );
        self.push(end);
    }

    fn through_appliance(&mut self, from_subnet: SubnetId, ip: IpAddr, flow: Flow) {
        let net = self.net;
        self.hops += 1;
        if self.hops > MAX_APPLIANCE_HOPS {
            self.deny(
                Layer::VnetFirewall,
                flow,
                String::from("the packet crossed too many appliances: the routes form a loop"),
            );
            return;
        }
        // The appliance's address must be in the VNet or a peered VNet. The
        // packet is handed to it directly: the subnet's own routes are not
        // looked up again for the next hop's address (a spoke routing the
        // hub's whole range through the hub's firewall still reaches it).
        let Some(vnet) = routing::appliance_vnet(net, from_subnet, ip) else {
            self.deny(Layer::VnetFirewall, flow, alloc::format!("the next hop {ip} is not directly reachable from this subnet (Azure requires the appliance's address to be in the VNet or a peered VNet)"));
            return;
        };
        match net.owner_in(ip, Some(vnet)) {
            Some(AddressOwner::Firewall(fw_id)) => {
                let Some(fw) = net.firewall(fw_id) else {
                    return;
                };
                let ctx = TagContext::for_subnet(net, fw.subnet);
                let decision = firewall::filter(&ctx, fw, &flow, self.host, false);
                let mut s = Step::new(
                    Layer::VnetFirewall,
                    if decision.access == Access::Allow {
                        Outcome::Allowed
                    } else {
                        Outcome::Denied
                    },
                    flow,
                    alloc::format!("Azure Firewall {}: {}", fw.name, decision.reason),
                );
                s.resource = resource(
                    "azureFirewalls",
                    alloc::format!("azureFirewalls/{}", fw.name),
                    &fw.name,
                );
                s.rule = decision.rule;
                s.notes = decision.notes;
                let public_dst = !is_private_or_reserved(flow.destination);
                let mut next = flow;
                if decision.access == Access::Allow && decision.by_application_rule {
                    next.source = fw.private_ip;
                    s.translation = Some(Translation {
                        from: (flow.source, flow.source_port),
                        to: (fw.private_ip, flow.source_port),
                        side: TranslatedSide::Source,
                    });
                    s.notes.push(Note::documented("application rules proxy the connection: the destination sees the firewall's address as source"));
                }
                let reply = stateful_mirror(&s);
                if !self.push_with_reply(s, reply) {
                    return;
                }
                if public_dst {
                    self.egress_firewall = Some(fw_id);
                }
                self.route_from(fw.subnet, next, true);
            }
            Some(AddressOwner::Nic(nic, cfg)) => {
                let Some(n) = net.nic(nic) else { return };
                if !n.ip_forwarding {
                    self.deny(Layer::VnetFirewall, flow, alloc::format!("NIC {} at {ip} has IP forwarding disabled: Azure drops packets not addressed to it", n.name));
                    return;
                }
                if !self.nsg_checks(nic, cfg, Direction::Inbound, flow, None) {
                    return;
                }
                let mut s = Step::new(
                    Layer::VnetFirewall,
                    Outcome::Forwarded,
                    flow,
                    alloc::format!(
                        "network virtual appliance {} forwards the packet",
                        n.vm.and_then(|v| net.vm(v))
                            .map_or(n.name.as_str(), |v| v.name.as_str())
                    ),
                );
                s.resource = resource(
                    "networkInterfaces",
                    alloc::format!("networkInterfaces/{}", n.name),
                    &n.name,
                );
                s.notes.push(Note::not_modelled("the appliance's own filtering and NAT (inside its operating system) are not modelled: it forwards what reaches it"));
                self.push_with_reply(s.clone(), reverse_step(&s));
                if !self.nsg_checks(nic, cfg, Direction::Outbound, flow, None) {
                    return;
                }
                self.egress_nic = Some((nic, cfg));
                let Some(subnet) = n.ip_configs.get(cfg).map(|c| c.subnet) else {
                    return;
                };
                self.route_from(subnet, flow, true);
            }
            Some(AddressOwner::LoadBalancerFrontend(lb_id, fe)) => {
                let Some(lb) = net.load_balancer(lb_id) else {
                    return;
                };
                let lb_ref = resource(
                    "loadBalancers",
                    alloc::format!("loadBalancers/{}", lb.name),
                    &lb.name,
                );
                // The internal load balancer's rules and health probes decide
                // which appliance gets the packet; the destination is kept.
                match lb_backend(net, lb, fe, &flow) {
                    Ok((rule, _, _, backend_ip)) => {
                        let mut s = Step::new(
                            Layer::VnetFirewall,
                            Outcome::Forwarded,
                            flow,
                            alloc::format!(
                                "internal load balancer {} (next hop {ip}) rule {} hands the packet to the appliance at {backend_ip}, destination unchanged",
                                lb.name,
                                rule.name
                            ),
                        );
                        s.resource = lb_ref;
                        s.rule = Some(lb_rule_hit(rule));
                        s.notes.extend(first_backend_note(lb, rule));
                        self.push_with_reply(s.clone(), reverse_step(&s));
                        self.hops -= 1;
                        self.through_appliance(from_subnet, backend_ip, flow);
                    }
                    Err(NoBackend { reason, notes }) => {
                        let mut s = Step::new(
                            Layer::VnetFirewall,
                            Outcome::Denied,
                            flow,
                            alloc::format!(
                                "internal load balancer {} used as next hop: {reason}",
                                lb.name
                            ),
                        );
                        s.resource = lb_ref;
                        s.notes.extend(notes);
                        self.push(s);
                    }
                }
            }
            _ => {
                self.deny(Layer::VnetFirewall, flow, alloc::format!("no appliance holds the next hop address {ip}: Azure drops the traffic (the route shows as None)"));
            }
        }
    }

    // ---------------------------------------------------------------- leaving Azure

    fn egress(&mut self, subnet: SubnetId, flow: Flow) {
        let net = self.net;
        // SMTP is blocked by subscription type: a platform block on every way
        // out, independent of NSGs, Azure Firewall or appliances. An EA Dev/Test
        // exemption covers only traffic routed directly to the Internet
        // (azure-semantics §2.1, DOC S1).
        if flow.protocol == Protocol::Tcp && flow.destination_port == 25 {
            let direct = self.egress_firewall.is_none() && self.hops == 0;
            let exemption_applies = net.smtp_exemption() && direct;
            let (blocked, why) = smtp_policy(net.offer_type(), exemption_applies);
            let mut s = Step::new(
                Layer::PlatformPolicy,
                if blocked {
                    Outcome::Denied
                } else {
                    Outcome::Allowed
                },
                flow,
                why,
            );
            if net.smtp_exemption()
                && !direct
                && net.offer_type() == OfferType::EnterpriseAgreementDevTest
            {
                s.notes.push(Note::documented(
                    "the SMTP exemption covers only traffic routed directly to the Internet; this traffic leaves through a firewall or appliance",
                ));
            }
            s.notes.push(Note::documented(
                "authenticated SMTP relays on TCP 587 are never restricted",
            ));
            if !self.push(s) {
                return;
            }
        }
        if self.egress_firewall.is_none() {
            let mut fw = Step::new(
                Layer::VnetFirewall,
                Outcome::NotConfigured,
                flow,
                String::from("no route sends this traffic through a firewall or appliance"),
            );
            fw.direction = Some(Direction::Outbound);
            self.push_with_reply(fw.clone(), reverse_step(&fw));
        }
        let (public_src, via) = match self.egress_identity(subnet) {
            Ok(x) => x,
            Err(reason) => {
                self.deny(Layer::Datacenter, flow, reason);
                return;
            }
        };
        let out = Flow {
            source: public_src.unwrap_or(flow.source),
            ..flow
        };
        let mut dc = Step::new(Layer::Datacenter, Outcome::Translated, flow, via);
        if let Some(src) = public_src {
            dc.translation = Some(Translation {
                from: (flow.source, flow.source_port),
                to: (src, flow.source_port),
                side: TranslatedSide::Source,
            });
        } else {
            dc.outcome = Outcome::Forwarded;
            dc.notes.push(Note::documented("default outbound access uses a Microsoft-owned address that is not yours; it is being retired (new VNets get private subnets from API 2025-07-01)"));
        }
        self.push_with_reply(dc.clone(), reverse_step(&dc));
        let region = self.region_of_subnet(subnet);
        match net.owner_of(flow.destination) {
            Some(AddressOwner::Paas(svc)) => {
                let mut s = Step::new(
                    Layer::RegionalGateway,
                    Outcome::Forwarded,
                    out,
                    String::from(
                        "traffic to an Azure service's public address stays on Microsoft's backbone",
                    ),
                );
                s.resource = region.and_then(|r| {
                    resource(
                        "regions",
                        alloc::format!("regions/{}", r.name),
                        &r.display_name,
                    )
                });
                self.push_with_reply(s.clone(), reverse_step(&s));
                let e = Step::new(
                    Layer::AzureEdge,
                    Outcome::Forwarded,
                    out,
                    String::from("does not leave the backbone"),
                );
                self.push_with_reply(e.clone(), reverse_step(&e));
                self.paas_public(svc, out, None);
            }
            Some(AddressOwner::PublicIp(pip)) => {
                // Hairpin: out through the edge and back in to another public IP of the network.
                // The destination sees a public source, never the private one
                // (azure-semantics §1.2 item 5): with default outbound access
                // that is a Microsoft-owned address nobody knows in advance.
                let out = if public_src.is_none() {
                    let stand_in = Flow {
                        source: DEFAULT_OUTBOUND_STAND_IN,
                        ..flow
                    };
                    if let Some(last) = self.steps.last_mut() {
                        last.notes.push(Note::assumption(
                            "the destination sees the Microsoft-owned default outbound address, which is not known in advance; the engine uses 192.0.2.1 (a documentation address, in the Internet tag and in no VNet) to stand for it",
                        ));
                    }
                    stand_in
                } else {
                    out
                };
                self.regional_gateway(region, out);
                let e = Step::new(
                    Layer::AzureEdge,
                    Outcome::Forwarded,
                    out,
                    String::from(
                        "leaves the region towards a public address of this network, and comes back in",
                    ),
                );
                self.push_with_reply(e.clone(), reverse_step(&e));
                self.enter_public_ip(pip, out);
            }
            _ => {
                self.regional_gateway(region, out);
                let e = Step::new(
                    Layer::AzureEdge,
                    Outcome::Forwarded,
                    out,
                    String::from("leaves Microsoft's backbone at the edge"),
                );
                self.push_with_reply(e.clone(), reverse_step(&e));
                let mut end = Step::new(
                    Layer::Internet,
                    Outcome::Arrived,
                    out,
                    alloc::format!("reaches {} on the Internet", flow.destination),
                );
                end.resource = resource("internet", String::from("internet"), "Internet");
                self.push(end);
            }
        }
    }

    /// The public address outbound traffic leaves with, or why there is none.
    fn egress_identity(&self, subnet: SubnetId) -> Result<(Option<IpAddr>, String), String> {
        let net = self.net;
        if let Some(fw) = self.egress_firewall.and_then(|f| net.firewall(f)) {
            return match fw.public_ips.first().and_then(|p| net.public_ip(*p)) {
                Some(p) => Ok((
                    Some(p.address),
                    alloc::format!(
                        "Azure Firewall {} translates the source to its public IP {} ({})",
                        fw.name,
                        p.name,
                        p.address
                    ),
                )),
                None => Err(alloc::format!(
                    "Azure Firewall {} has no public IP to send Internet traffic from",
                    fw.name
                )),
            };
        }
        let mut standard_lb = None;
        if let Some((nic, cfg)) = self.egress_nic {
            if let Some(p) = net
                .nic(nic)
                .and_then(|n| n.ip_configs.get(cfg))
                .and_then(|c| c.public_ip)
                .and_then(|p| net.public_ip(p))
            {
                return Ok((
                    Some(p.address),
                    alloc::format!(
                        "the source is translated to the NIC's public IP {} ({})",
                        p.name,
                        p.address
                    ),
                ));
            }
            for (_, lb) in net.load_balancers() {
                let member = lb.backends.iter().any(|b| b.members.contains(&(nic, cfg)));
                // Only a Basic public load balancer gives its backends a way
                // out by itself; a Standard one needs outbound rules, which
                // the playground does not model (azure-semantics §6.4).
                if lb.sku != Sku::Basic {
                    if member && lb.frontends.iter().any(|f| f.public_ip.is_some()) {
                        standard_lb = Some(lb.name.clone());
                    }
                    continue;
                }
                if let Some(p) = lb
                    .frontends
                    .iter()
                    .find_map(|f| f.public_ip)
                    .and_then(|p| net.public_ip(p))
                    .filter(|_| member)
                {
                    return Ok((
                        Some(p.address),
                        alloc::format!(
                            "load balancer {} translates the source to its frontend {} ({})",
                            lb.name,
                            p.name,
                            p.address
                        ),
                    ));
                }
            }
        }
        let lb_note = standard_lb.map_or(String::new(), |name| {
            alloc::format!(
                " (Standard load balancer {name} gives its backends a way out only through outbound rules, which the playground does not model)"
            )
        });
        if net
            .subnet(subnet)
            .is_some_and(|s| s.default_outbound_access)
        {
            return Ok((
                None,
                alloc::format!(
                    "no public IP, NAT gateway or load balancer outbound rule{lb_note}: Azure's default outbound access translates the source"
                ),
            ));
        }
        Err(alloc::format!(
            "private subnet (default outbound access off) with no public IP, NAT gateway or load balancer outbound rule{lb_note}: there is no way out to the Internet"
        ))
    }

    fn paas_public(&mut self, svc_id: PaasId, flow: Flow, via_endpoint: Option<SubnetId>) {
        let net = self.net;
        let Some(svc) = net.paas_service(svc_id) else {
            return;
        };
        let mut s = Step::new(Layer::Service, Outcome::Arrived, flow, String::new());
        s.resource = resource(
            "services",
            alloc::format!("services/{}", svc.name),
            &svc.name,
        );
        let restricted = !svc.allowed_subnets.is_empty() || !svc.allowed_ip_ranges.is_empty();
        if !svc.public_network_access {
            s.outcome = Outcome::Denied;
            s.reason = alloc::format!(
                "{} has public network access disabled: only private endpoints reach it",
                svc.name
            );
        } else if !restricted {
            s.reason = alloc::format!(
                "{} accepts traffic from all networks on its public endpoint",
                svc.name
            );
        } else if let Some(sub) = via_endpoint.filter(|s| svc.allowed_subnets.contains(s)) {
            s.reason = alloc::format!(
                "{} allows subnet {} through its virtual network rule (service endpoint)",
                svc.name,
                net.subnet_path(sub)
            );
        } else if svc
            .allowed_ip_ranges
            .iter()
            .any(|r| r.contains(&flow.source))
        {
            s.reason = alloc::format!(
                "{} allows source {} through its IP rules",
                svc.name,
                flow.source
            );
        } else {
            s.outcome = Outcome::Denied;
            s.reason = match via_endpoint {
                Some(_) => alloc::format!(
                    "{} does not list this subnet in its virtual network rules",
                    svc.name
                ),
                None => alloc::format!(
                    "{} only accepts selected networks, and {} is not one of them (without a service endpoint the service sees a public source address)",
                    svc.name,
                    flow.source
                ),
            };
        }
        self.push(s);
    }

    fn arrive_nic(&mut self, nic: NicId, cfg: usize, flow: Flow, public_sku: Option<Sku>) {
        let net = self.net;
        let Some(n) = net.nic(nic) else { return };
        let owner = n.vm.and_then(|v| net.vm(v)).map_or_else(
            || alloc::format!("NIC {}", n.name),
            |v| alloc::format!("VM {}", v.name),
        );
        let mut s = Step::new(
            Layer::Vm,
            Outcome::Arrived,
            flow,
            alloc::format!("reaches {owner} at {}", flow.destination),
        );
        s.resource = match n.vm.and_then(|v| net.vm(v)) {
            Some(vm) => resource(
                "virtualMachines",
                alloc::format!("virtualMachines/{}", vm.name),
                &vm.name,
            ),
            None => resource(
                "networkInterfaces",
                alloc::format!("networkInterfaces/{}", n.name),
                &n.name,
            ),
        };
        let subnet_nsg = n
            .ip_configs
            .get(cfg)
            .and_then(|c| net.subnet(c.subnet))
            .and_then(|s| s.nsg);
        if public_sku == Some(Sku::Basic) && subnet_nsg.is_none() && n.nsg.is_none() {
            s.notes.push(Note::documented("risk: a Basic SKU public entry with no NSG on the subnet or NIC leaves every port open to the Internet; only the VM's own firewall stands in the way"));
        }
        s.notes.push(Note::not_modelled(
            "the guest operating system's firewall is not modelled",
        ));
        self.push(s);
    }

    // ---------------------------------------------------------------- result

    fn finish(mut self, flow: Flow, kind: TrafficKind) -> Trace {
        let denied = self.steps.iter().any(|s| s.outcome == Outcome::Denied);
        if kind == TrafficKind::NorthSouth {
            self.show_layers_not_reached(flow);
        }
        let (reply, reply_verdict) = if denied {
            (Vec::new(), None)
        } else {
            let mut reply: Vec<Step> = Vec::new();
            let mut back = true;
            for s in self.mirror.into_iter().rev() {
                let stop = s.outcome == Outcome::Denied;
                reply.push(s);
                if stop {
                    back = false;
                    break;
                }
            }
            if back && let Some(nic) = self.source_nic {
                let name = self
                    .net
                    .nic(nic)
                    .and_then(|n| n.vm)
                    .and_then(|v| self.net.vm(v))
                    .map_or_else(
                        || self.net.nic(nic).map_or(String::new(), |n| n.name.clone()),
                        |v| v.name.clone(),
                    );
                reply.push(Step::new(
                    Layer::Vm,
                    Outcome::Arrived,
                    flow.reply(),
                    alloc::format!("the reply reaches {name}"),
                ));
            }
            (
                reply,
                Some(if back {
                    Verdict::Allowed
                } else {
                    Verdict::Denied
                }),
            )
        };
        Trace {
            flow,
            kind,
            verdict: if denied {
                Verdict::Denied
            } else {
                Verdict::Allowed
            },
            steps: self.steps,
            reply,
            reply_verdict,
        }
    }

    /// Every north/south trace shows the six layers of the layer model; those
    /// after a denial are marked as not reached.
    fn show_layers_not_reached(&mut self, flow: Flow) {
        let inbound_order = [
            Layer::AzureEdge,
            Layer::RegionalGateway,
            Layer::Datacenter,
            Layer::VnetFirewall,
            Layer::SubnetNsg,
            Layer::NicNsg,
        ];
        let outbound = self
            .steps
            .first()
            .is_some_and(|s| s.layer != Layer::Internet);
        let order: Vec<Layer> = if outbound {
            inbound_order.iter().rev().copied().collect()
        } else {
            inbound_order.to_vec()
        };
        for layer in order {
            if !self.steps.iter().any(|s| s.layer == layer) {
                let mut s = Step::new(
                    layer,
                    Outcome::NotConfigured,
                    flow,
                    String::from("not reached: the packet was dropped earlier"),
                );
                s.notes.push(Note::documented(
                    "shown so that every north/south trace lists the six layers",
                ));
                self.steps.push(s);
            }
        }
    }
}

/// The NSG layer's step: the NSG's decision, or a pass when there is none.
fn nsg_step(
    net: &Network,
    ctx: &TagContext<'_>,
    layer: Layer,
    nsg: Option<NsgId>,
    applied_to: &str,
    direction: Direction,
    flow: Flow,
) -> Step {
    let Some(nsg) = nsg else {
        let mut s = Step::new(
            layer,
            Outcome::NotConfigured,
            flow,
            alloc::format!("no NSG on {applied_to}: this layer lets everything through"),
        );
        s.direction = Some(direction);
        return s;
    };
    let d = nsg_eval::evaluate(ctx, nsg, direction, &flow);
    decision_step(net, layer, nsg, direction, flow, d)
}

/// The NSG layer's step for a decision already taken.
fn decision_step(
    net: &Network,
    layer: Layer,
    nsg: NsgId,
    direction: Direction,
    flow: Flow,
    d: nsg_eval::NsgDecision,
) -> Step {
    let name = net.nsg(nsg).map_or("", |n| n.name.as_str());
    let outcome = if d.access == Access::Allow {
        Outcome::Allowed
    } else {
        Outcome::Denied
    };
    let reason = match (&d.rule_name, d.priority) {
        (Some(rule), Some(p)) => alloc::format!(
            "NSG {name} ({direction}) {}: rule {rule} (priority {p}) matches",
            if d.access == Access::Allow {
                "allows"
            } else {
                "denies"
            }
        ),
        _ => alloc::format!(
            "NSG {name} lets platform traffic to {} through",
            flow.destination
        ),
    };
    let mut s = Step::new(layer, outcome, flow, reason);
    s.direction = Some(direction);
    s.resource = resource("networkSecurityGroups", net.nsg_path(nsg), name);
    s.rule = d.rule_name.map(|n| RuleHit {
        name: n,
        priority: d.priority.map(u32::from),
        action: d.access.to_string(),
    });
    s.fields = Some(d.fields);
    s.notes = d.notes;
    s
}

/// How a trace step names the load-balancing rule that forwarded a flow.
fn lb_rule_hit(rule: &LbRule) -> RuleHit {
    RuleHit {
        name: alloc::format!("loadBalancingRules/{}", rule.name),
        priority: None,
        action: String::from("Forward"),
    }
}

/// With several backends, the engine's choice of the first healthy one is an
/// assumption: Azure spreads flows by a hash of the five-tuple.
fn first_backend_note(lb: &LoadBalancer, rule: &LbRule) -> Option<Note> {
    lb.backends
        .get(rule.backend)
        .is_some_and(|b| b.members.len() > 1)
        .then(|| Note::assumption("the engine follows the first healthy backend; Azure spreads flows by a hash of the five-tuple"))
}

/// Where a load balancer forwards one flow, and by which rule.
struct Forward {
    hit: RuleHit,
    /// "rule NAME" or "inbound NAT rule NAME", for the step's reason.
    rule: String,
    nic: NicId,
    cfg: usize,
    backend_ip: IpAddr,
    port: u16,
    notes: Vec<Note>,
}

/// The inbound NAT rule or load-balancing rule on frontend `fe` that takes
/// `flow`, and the backend it goes to. NAT rules come first, but the builder
/// keeps a frontend port for one rule, so the order never decides.
fn lb_forward(
    net: &Network,
    lb: &LoadBalancer,
    fe: usize,
    flow: &Flow,
) -> Result<Forward, NoBackend> {
    if let Some(found) = nat_forward(net, lb, fe, flow) {
        return found;
    }
    let (rule, nic, cfg, backend_ip) = lb_backend(net, lb, fe, flow)?;
    let mut notes: Vec<Note> = first_backend_note(lb, rule).into_iter().collect();
    if rule.probe.is_some() {
        notes.push(Note::documented("the AzureLoadBalancer tag covers health probes only; client traffic is judged by its real source"));
    }
    Ok(Forward {
        hit: lb_rule_hit(rule),
        rule: alloc::format!("rule {}", rule.name),
        nic,
        cfg,
        backend_ip,
        port: if rule.protocol == RuleProtocol::Any {
            flow.destination_port
        } else {
            rule.backend_port
        },
        notes,
    })
}

/// The inbound NAT rule on frontend `fe` whose port range holds the flow's
/// destination port, if any, and its backend.
fn nat_forward(
    net: &Network,
    lb: &LoadBalancer,
    fe: usize,
    flow: &Flow,
) -> Option<Result<Forward, NoBackend>> {
    let rule = lb.nat_rules.iter().find(|r| {
        r.frontend == fe
            && r.protocol.matches(flow.protocol)
            && r.member_for_port(flow.destination_port).is_some()
    })?;
    let mut notes = alloc::vec![Note::documented(
        "inbound NAT rules take no health probe: the flow is forwarded to its backend whatever the backend's health"
    )];
    let (nic, cfg) = match rule.target {
        NatTarget::IpConfig(nic, cfg) => (nic, cfg),
        NatTarget::Pool(pool) => {
            let k = rule.member_for_port(flow.destination_port)?;
            let pool = lb.backends.get(pool)?;
            let Some(&member) = pool.members.get(k) else {
                return Some(Err(NoBackend {
                    reason: alloc::format!(
                        "inbound NAT rule {} maps frontend port {} to backend instance {} of pool {}, which has {} member(s)",
                        rule.name,
                        flow.destination_port,
                        k + 1,
                        pool.name,
                        pool.members.len()
                    ),
                    notes,
                }));
            };
            notes.push(Note::assumption(
                "the engine gives the pool's members the rule's frontend ports in pool order; Azure assigns one port per instance without documenting the order",
            ));
            member
        }
    };
    let backend_ip = net.nic(nic)?.ip_configs.get(cfg)?.private_ip;
    Some(Ok(Forward {
        hit: RuleHit {
            name: alloc::format!("inboundNatRules/{}", rule.name),
            priority: None,
            action: String::from("Forward"),
        },
        rule: alloc::format!("inbound NAT rule {}", rule.name),
        nic,
        cfg,
        backend_ip,
        port: rule.backend_port,
        notes,
    }))
}

/// Why a load balancer sends a flow nowhere.
struct NoBackend {
    reason: String,
    notes: Vec<Note>,
}

/// The load-balancing rule on frontend `fe` that takes `flow`, and the first
/// healthy member of its pool (a member whose NSGs let the health probe from
/// 168.63.129.16 in; every member when the rule has no probe).
fn lb_backend<'l>(
    net: &Network,
    lb: &'l LoadBalancer,
    fe: usize,
    flow: &Flow,
) -> Result<(&'l LbRule, NicId, usize, IpAddr), NoBackend> {
    // Protocol All is HA ports, which Microsoft's HA ports overview describes
    // as every TCP and UDP flow on every port; the reference is silent, so a
    // load balancer forwarding no other protocol is labelled an assumption.
    let rule = lb.rules.iter().find(|r| {
        r.frontend == fe
            && matches!(flow.protocol, Protocol::Tcp | Protocol::Udp)
            && r.protocol.matches(flow.protocol)
            && (r.protocol == RuleProtocol::Any || r.frontend_port == flow.destination_port)
    });
    let Some(rule) = rule else {
        if !matches!(flow.protocol, Protocol::Tcp | Protocol::Udp) {
            return Err(NoBackend {
                reason: alloc::format!(
                    "load balancer {} forwards TCP and UDP only; {} is not load-balanced, not even by an HA ports (protocol All) rule",
                    lb.name,
                    flow.protocol
                ),
                notes: alloc::vec![Note::assumption(
                    "a load balancer rule, HA ports included, carries TCP and UDP flows only (Microsoft's HA ports overview); the reference does not say",
                )],
            });
        }
        return Err(NoBackend {
            reason: alloc::format!(
                "load balancer {} has no load-balancing rule for {} port {} on this frontend",
                lb.name,
                flow.protocol,
                flow.destination_port
            ),
            notes: Vec::new(),
        });
    };
    let members = lb
        .backends
        .get(rule.backend)
        .map_or(&[][..], |b| b.members.as_slice());
    if members.is_empty() {
        return Err(NoBackend {
            reason: alloc::format!("rule {} sends to an empty backend pool", rule.name),
            notes: Vec::new(),
        });
    }
    let probe = rule.probe.and_then(|p| lb.probes.get(p));
    let mut probe_block = None;
    for &(nic, cfg) in members {
        let Some(c) = net.nic(nic).and_then(|n| n.ip_configs.get(cfg)) else {
            continue;
        };
        let Some(pr) = probe else {
            return Ok((rule, nic, cfg, c.private_ip));
        };
        let probe_flow = Flow::new(pr.protocol, HOST_VIP, 50000, c.private_ip, pr.port);
        match probe_verdict(net, nic, cfg, &probe_flow) {
            None => return Ok((rule, nic, cfg, c.private_ip)),
            Some((blocking, notes)) => {
                probe_block = Some((
                    net.nic(nic).map_or(String::new(), |n| n.name.clone()),
                    blocking,
                    notes,
                ));
            }
        }
    }
    let (nic_name, rule_name, mut notes) = probe_block.unwrap_or_default();
    notes.insert(
        0,
        Note::documented(
            "health probes come from 168.63.129.16 (AzureLoadBalancer) and must be allowed by the backend's NSGs",
        ),
    );
    Err(NoBackend {
        reason: alloc::format!(
            "no healthy backend: health probes from 168.63.129.16 are blocked (NIC {nic_name}, {rule_name}), so load balancer {} sends nothing",
            lb.name
        ),
        notes,
    })
}

/// Whether the backend's NSGs let a health probe in; the blocking rule if not.
/// The blocking rule comes with the assumptions its match rests on (a deny
/// on `VirtualNetwork` catches the probe only because the tag holds
/// 168.63.129.16).
fn probe_verdict(
    net: &Network,
    nic: NicId,
    cfg: usize,
    probe: &Flow,
) -> Option<(String, Vec<Note>)> {
    let n = net.nic(nic)?;
    let subnet = n.ip_configs.get(cfg)?.subnet;
    let ctx = TagContext::for_subnet(net, subnet);
    for nsg in [net.subnet(subnet).and_then(|s| s.nsg), n.nsg]
        .into_iter()
        .flatten()
    {
        let d = nsg_eval::evaluate(&ctx, nsg, Direction::Inbound, probe);
        if d.access == Access::Deny {
            let rule = alloc::format!("{} {}", net.nsg_path(nsg), d.rule_name.unwrap_or_default());
            return Some((rule, d.notes));
        }
    }
    None
}

/// The reply's step at an NSG or admin layer: stateful.
fn stateful_mirror(step: &Step) -> Step {
    let mut s = Step::new(step.layer, step.outcome, step.packet.reply(), String::new());
    s.direction = step.direction.map(Direction::reverse);
    s.resource = step.resource.clone();
    match step.outcome {
        Outcome::Allowed => {
            s.outcome = Outcome::AllowedStateful;
            s.reason = String::from(
                "reply to an allowed connection: allowed without evaluating rules (stateful)",
            );
        }
        _ => s.reason = step.reason.clone(),
    }
    s
}

/// The reply's step at a forwarding or translating layer.
fn reverse_step(step: &Step) -> Step {
    let mut s = Step::new(step.layer, step.outcome, step.packet.reply(), String::new());
    s.resource = step.resource.clone();
    s.direction = step.direction.map(Direction::reverse);
    if let Some(t) = step.translation {
        s.translation = Some(Translation {
            from: t.to,
            to: t.from,
            side: if t.side == TranslatedSide::Destination {
                TranslatedSide::Source
            } else {
                TranslatedSide::Destination
            },
        });
        s.reason = alloc::format!(
            "the reply's address is translated back ({} -> {})",
            t.to.0,
            t.from.0
        );
    } else {
        s.reason = match step.layer {
            Layer::AzureEdge => String::from("the reply crosses the edge"),
            Layer::RegionalGateway => String::from("the reply crosses the regional gateway"),
            Layer::Datacenter => String::from("the reply leaves through the datacenter"),
            _ => String::from("the reply passes back"),
        };
        if step.outcome == Outcome::Allowed {
            s.outcome = Outcome::AllowedStateful;
        }
    }
    s
}

fn mirror_route(step: &Step) -> Step {
    let mut s = Step::new(
        Layer::Routing,
        Outcome::Forwarded,
        step.packet.reply(),
        String::from("the reply is routed back along the connection"),
    );
    s.resource = step.resource.clone();
    s
}

/// Whether outbound TCP 25 is blocked for an offer type (azure-semantics §2.1).
pub fn smtp_policy(offer: OfferType, exemption: bool) -> (bool, String) {
    match offer {
        OfferType::Legacy => (
            false,
            String::from(
                "outbound TCP 25 is allowed: the subscription was created before 2017-11-15",
            ),
        ),
        OfferType::EnterpriseAgreement => (
            false,
            String::from(
                "outbound TCP 25 is not blocked for Enterprise Agreement subscriptions (delivery to external domains is not guaranteed)",
            ),
        ),
        OfferType::EnterpriseAgreementDevTest if exemption => (
            false,
            String::from(
                "outbound TCP 25 is allowed: this Enterprise Agreement Dev/Test subscription has an SMTP exemption",
            ),
        ),
        OfferType::EnterpriseAgreementDevTest => (
            true,
            String::from(
                "outbound TCP 25 is blocked by default for Enterprise Agreement Dev/Test subscriptions (an exemption can be requested)",
            ),
        ),
        OfferType::PayAsYouGo => (
            true,
            String::from(
                "outbound TCP 25 is blocked for pay-as-you-go subscriptions, with no exemption; use an authenticated relay on 587",
            ),
        ),
        OfferType::Msdn => (
            true,
            String::from(
                "outbound TCP 25 is blocked for MSDN, Azure Pass, Azure in Open, Education and Free trial subscriptions",
            ),
        ),
        OfferType::CloudSolutionProvider => (
            true,
            String::from("outbound TCP 25 is blocked for Cloud Solution Provider subscriptions"),
        ),
    }
}

//! A [`Network`] → a scenario document: the inverse of [`super::build`].
//!
//! `build(&export(&net))` gives a network equivalent to `net`. Default NSG
//! rules are not written (the engine supplies them). A rule side with one
//! prefix or port is written in the single field and several in the list
//! field, as ARM does. Layout, flows, title and description are not part of
//! a network; the caller copies them from the document it started from.

use netsec_engine::port::PortSpec;
use netsec_engine::{
    AddressItem, AddressSpec, CollectionRules, FirewallRules, NatTarget, Network, NicId,
    PrivateEndpointPolicies, RuleCollection, RuleProtocol, SecurityRule,
};

use super::doc::*;

/// Writes a network as a scenario document (without layout, flows or title).
pub fn export(net: &Network) -> ScenarioDoc {
    let vnet_name = |id| net.vnet(id).map_or_else(String::new, |v| v.name.clone());
    let region_name = |id| net.region(id).map_or_else(String::new, |r| r.name.clone());
    let nsg_name = |id| net.nsg(id).map(|n| n.name.clone());
    let asg_names = |ids: &[netsec_engine::AsgId]| -> Vec<String> {
        ids.iter()
            .filter_map(|a| net.asg(*a).map(|x| x.name.clone()))
            .collect()
    };
    let pip_name = |id| net.public_ip(id).map(|p| p.name.clone());
    let subnet_ref = |id| {
        net.subnet(id)
            .map_or_else(SubnetRefDoc::default, |s| SubnetRefDoc {
                vnet: vnet_name(s.vnet),
                subnet: s.name.clone(),
            })
    };

    let vnets = net
        .vnets()
        .map(|(vid, v)| VnetDoc {
            name: v.name.clone(),
            location: region_name(v.region),
            address_space: v.address_space.iter().map(|p| p.to_string()).collect(),
            gateway_routes: v.gateway_routes.iter().map(|p| p.to_string()).collect(),
            subnets: net
                .subnets_of(vid)
                .filter_map(|sid| net.subnet(sid))
                .map(|s| SubnetDoc {
                    name: s.name.clone(),
                    address_prefixes: s.prefixes.iter().map(|p| p.to_string()).collect(),
                    nsg: s.nsg.and_then(nsg_name),
                    route_table: s
                        .route_table
                        .and_then(|t| net.route_table(t).map(|x| x.name.clone())),
                    service_endpoints: s.service_endpoints.clone(),
                    private_endpoint_network_policies: match s.private_endpoint_policies {
                        PrivateEndpointPolicies::Disabled => None,
                        other => Some(String::from(other.api_name())),
                    },
                    default_outbound_access: s.default_outbound_access,
                })
                .collect(),
            peerings: net
                .peerings()
                .filter(|(_, p)| p.local == vid)
                .map(|(_, p)| PeeringDoc {
                    name: p.name.clone(),
                    remote_vnet: vnet_name(p.remote),
                    allow_virtual_network_access: p.allow_virtual_network_access,
                    allow_forwarded_traffic: p.allow_forwarded_traffic,
                    allow_gateway_transit: p.allow_gateway_transit,
                    use_remote_gateways: p.use_remote_gateways,
                })
                .collect(),
        })
        .collect();

    let nsgs = net
        .nsgs()
        .map(|(_, n)| NsgDoc {
            name: n.name.clone(),
            rules: n.rules.iter().map(|r| rule_doc(net, r)).collect(),
        })
        .collect();

    let route_tables = net
        .route_tables()
        .map(|(_, t)| RouteTableDoc {
            name: t.name.clone(),
            routes: t
                .routes
                .iter()
                .map(|r| RouteDoc {
                    name: r.name.clone(),
                    address_prefix: r.prefix.to_string(),
                    next_hop_type: String::from(r.next_hop.api_name()),
                    next_hop_ip_address: r.next_hop_ip.map(|ip| ip.to_string()),
                })
                .collect(),
            disable_bgp_route_propagation: t.disable_bgp_route_propagation,
        })
        .collect();

    let nics = net
        .nics()
        .map(|(_, n)| NicDoc {
            name: n.name.clone(),
            nsg: n.nsg.and_then(nsg_name),
            ip_forwarding: n.ip_forwarding,
            ip_configurations: n
                .ip_configs
                .iter()
                .map(|c| {
                    let r = subnet_ref(c.subnet);
                    IpConfigDoc {
                        name: c.name.clone(),
                        vnet: r.vnet,
                        subnet: r.subnet,
                        private_ip_address: c.private_ip.to_string(),
                        public_ip: c.public_ip.and_then(pip_name),
                        asgs: asg_names(&c.asgs),
                    }
                })
                .collect(),
        })
        .collect();

    let nic_name = |id| net.nic(id).map_or_else(String::new, |n| n.name.clone());
    // A NIC's IP configuration by name, left out for the primary (the default).
    let config_name = |nic: NicId, cfg: usize| {
        (cfg != 0)
            .then(|| net.nic(nic)?.ip_configs.get(cfg).map(|c| c.name.clone()))
            .flatten()
    };
    let protocol_name = |p: RuleProtocol| match p {
        RuleProtocol::Any => String::from("All"),
        RuleProtocol::Only(p) => String::from(p.api_name()),
    };

    let load_balancers = net
        .load_balancers()
        .map(|(_, l)| {
            let name_at = |names: Vec<&String>, i: usize| {
                names.get(i).map_or_else(String::new, |n| (*n).clone())
            };
            LoadBalancerDoc {
                name: l.name.clone(),
                sku: l.sku.to_string(),
                frontends: l
                    .frontends
                    .iter()
                    .map(|f| FrontendDoc {
                        name: f.name.clone(),
                        public_ip: f.public_ip.and_then(pip_name),
                        private_ip_address: f.private_ip.map(|ip| ip.to_string()),
                    })
                    .collect(),
                backend_pools: l
                    .backends
                    .iter()
                    .map(|p| BackendPoolDoc {
                        name: p.name.clone(),
                        members: p
                            .members
                            .iter()
                            .map(|&(nic, cfg)| BackendMemberDoc {
                                nic: nic_name(nic),
                                ip_configuration: config_name(nic, cfg),
                            })
                            .collect(),
                    })
                    .collect(),
                rules: l
                    .rules
                    .iter()
                    .map(|r| LbRuleDoc {
                        name: r.name.clone(),
                        frontend: name_at(
                            l.frontends.iter().map(|f| &f.name).collect(),
                            r.frontend,
                        ),
                        backend_pool: name_at(
                            l.backends.iter().map(|b| &b.name).collect(),
                            r.backend,
                        ),
                        protocol: protocol_name(r.protocol),
                        frontend_port: i64::from(r.frontend_port),
                        backend_port: i64::from(r.backend_port),
                        probe: r
                            .probe
                            .map(|p| name_at(l.probes.iter().map(|x| &x.name).collect(), p)),
                    })
                    .collect(),
                nat_rules: l
                    .nat_rules
                    .iter()
                    .map(|r| {
                        let (nic, ip_configuration, backend_pool) = match r.target {
                            NatTarget::IpConfig(nic, cfg) => {
                                (Some(nic_name(nic)), config_name(nic, cfg), None)
                            }
                            NatTarget::Pool(p) => (
                                None,
                                None,
                                Some(name_at(l.backends.iter().map(|b| &b.name).collect(), p)),
                            ),
                        };
                        InboundNatRuleDoc {
                            name: r.name.clone(),
                            frontend: name_at(
                                l.frontends.iter().map(|f| &f.name).collect(),
                                r.frontend,
                            ),
                            protocol: protocol_name(r.protocol),
                            frontend_port: i64::from(r.frontend_port),
                            frontend_port_end: (r.frontend_port_end != r.frontend_port)
                                .then_some(i64::from(r.frontend_port_end)),
                            backend_port: i64::from(r.backend_port),
                            nic,
                            ip_configuration,
                            backend_pool,
                        }
                    })
                    .collect(),
                probes: l
                    .probes
                    .iter()
                    .map(|p| ProbeDoc {
                        name: p.name.clone(),
                        protocol: String::from(p.protocol.api_name()),
                        port: i64::from(p.port),
                    })
                    .collect(),
            }
        })
        .collect();

    let firewalls = net
        .firewalls()
        .map(|(_, f)| {
            let (rule_collections, policy) = match &f.rules {
                FirewallRules::Classic(c) => (c.iter().map(collection_doc).collect(), None),
                FirewallRules::Policy { name, groups } => (
                    Vec::new(),
                    Some(FirewallPolicyDoc {
                        name: name.clone(),
                        rule_collection_groups: groups
                            .iter()
                            .map(|g| RuleCollectionGroupDoc {
                                name: g.name.clone(),
                                priority: i64::from(g.priority),
                                from_parent_policy: g.from_parent_policy,
                                rule_collections: g
                                    .collections
                                    .iter()
                                    .map(collection_doc)
                                    .collect(),
                            })
                            .collect(),
                    }),
                ),
            };
            FirewallDoc {
                name: f.name.clone(),
                vnet: subnet_ref(f.subnet).vnet,
                private_ip_address: f.private_ip.to_string(),
                public_ips: f.public_ips.iter().filter_map(|p| pip_name(*p)).collect(),
                threat_intel: f.threat_intel,
                rule_collections,
                policy,
            }
        })
        .collect();

    ScenarioDoc {
        format: String::from(FORMAT),
        version: VERSION,
        title: String::new(),
        description: String::new(),
        subscription: SubscriptionDoc {
            offer_type: String::from(net.offer_type().name()),
            smtp_exemption: net.smtp_exemption(),
        },
        vnets,
        nsgs,
        asgs: net
            .asgs()
            .map(|(_, a)| AsgDoc {
                name: a.name.clone(),
                location: a.region.map(region_name),
            })
            .collect(),
        route_tables,
        public_ips: net
            .public_ips()
            .map(|(_, p)| PublicIpDoc {
                name: p.name.clone(),
                sku: p.sku.to_string(),
                address: p.address.to_string(),
            })
            .collect(),
        nics,
        vms: net
            .vms()
            .map(|(_, v)| VmDoc {
                name: v.name.clone(),
                nics: v.nics.iter().map(|n| nic_name(*n)).collect(),
                zone: v.zone,
                is_appliance: v.is_appliance,
            })
            .collect(),
        load_balancers,
        firewalls,
        services: net
            .paas()
            .map(|(_, s)| ServiceDoc {
                name: s.name.clone(),
                service_tag: s.service_tag.clone(),
                location: region_name(s.region),
                public_ip_address: s.public_ip.to_string(),
                public_network_access: s.public_network_access,
                allowed_subnets: s.allowed_subnets.iter().map(|x| subnet_ref(*x)).collect(),
                allowed_ip_ranges: s.allowed_ip_ranges.iter().map(|p| p.to_string()).collect(),
            })
            .collect(),
        private_endpoints: net
            .private_endpoints()
            .map(|(_, p)| {
                let r = subnet_ref(p.subnet);
                PrivateEndpointDoc {
                    name: p.name.clone(),
                    vnet: r.vnet,
                    subnet: r.subnet,
                    private_ip_address: p.private_ip.to_string(),
                    service: net
                        .paas_service(p.service)
                        .map_or_else(String::new, |s| s.name.clone()),
                }
            })
            .collect(),
        admin_rules: net
            .admin_rules()
            .map(|(_, r)| AdminRuleDoc {
                name: r.name.clone(),
                priority: i64::from(r.priority),
                direction: r.direction.to_string(),
                access: r.action.to_string(),
                protocol: String::from(r.protocol.api_name()),
                sources: r.sources.iter().map(item_text).collect(),
                source_port_ranges: port_items_or_empty(&r.source_ports),
                destinations: r.destinations.iter().map(item_text).collect(),
                destination_port_ranges: port_items_or_empty(&r.destination_ports),
                applies_to: r.applies_to.iter().map(|v| vnet_name(*v)).collect(),
            })
            .collect(),
        internet_clients: net
            .clients()
            .map(|(_, c)| ClientDoc {
                name: c.name.clone(),
                address: c.address.to_string(),
            })
            .collect(),
        flows: Vec::new(),
        layout: Default::default(),
    }
}

/// One prefix or port in the single field, several in the list, as ARM writes them.
fn single_or_list(items: Vec<String>) -> (Option<String>, Vec<String>) {
    if items.len() == 1 {
        (items.into_iter().next(), Vec::new())
    } else {
        (None, items)
    }
}

fn rule_doc(net: &Network, r: &SecurityRule) -> RuleDoc {
    let side = |spec: &AddressSpec| -> (Option<String>, Vec<String>, Vec<String>) {
        match spec {
            AddressSpec::Any => (Some(String::from("*")), Vec::new(), Vec::new()),
            AddressSpec::Prefixes(nets) => {
                let (one, many) = single_or_list(nets.iter().map(|n| n.to_string()).collect());
                (one, many, Vec::new())
            }
            AddressSpec::Tag(t) => (Some(t.to_string()), Vec::new(), Vec::new()),
            AddressSpec::Asgs(ids) => (
                None,
                Vec::new(),
                ids.iter()
                    .filter_map(|a| net.asg(*a).map(|x| x.name.clone()))
                    .collect(),
            ),
        }
    };
    let (src, srcs, src_asgs) = side(&r.source);
    let (dst, dsts, dst_asgs) = side(&r.destination);
    let (sp, sps) = single_or_list(r.source_ports.items());
    let (dp, dps) = single_or_list(r.destination_ports.items());
    RuleDoc {
        name: r.name.clone(),
        description: r.description.clone(),
        priority: i64::from(r.priority),
        direction: r.direction.to_string(),
        access: r.access.to_string(),
        protocol: String::from(r.protocol.api_name()),
        source_address_prefix: src,
        source_address_prefixes: srcs,
        source_application_security_groups: src_asgs,
        source_port_range: sp,
        source_port_ranges: sps,
        destination_address_prefix: dst,
        destination_address_prefixes: dsts,
        destination_application_security_groups: dst_asgs,
        destination_port_range: dp,
        destination_port_ranges: dps,
    }
}

fn item_text(item: &AddressItem) -> String {
    match item {
        AddressItem::Any => String::from("*"),
        AddressItem::Net(n) => n.to_string(),
        AddressItem::Tag(t) => t.to_string(),
    }
}

/// Admin rules write "any port" as an empty list.
fn port_items_or_empty(spec: &PortSpec) -> Vec<String> {
    match spec {
        PortSpec::Any => Vec::new(),
        PortSpec::List(_) => spec.items(),
    }
}

fn collection_doc(c: &RuleCollection) -> RuleCollectionDoc {
    let (kind, action, rules) = match &c.rules {
        CollectionRules::Nat(rules) => (
            "Dnat",
            None,
            rules
                .iter()
                .map(|r| FirewallRuleDoc {
                    name: r.name.clone(),
                    protocols: r.protocols.iter().map(|p| p.to_string()).collect(),
                    source_addresses: r.sources.iter().map(item_text).collect(),
                    destination_addresses: vec![r.destination.to_string()],
                    destination_ports: r.destination_ports.items(),
                    translated_address: Some(r.translated_address.to_string()),
                    translated_port: Some(r.translated_port.to_string()),
                    ..FirewallRuleDoc::default()
                })
                .collect(),
        ),
        CollectionRules::Network(access, rules) => (
            "Network",
            Some(access.to_string()),
            rules
                .iter()
                .map(|r| FirewallRuleDoc {
                    name: r.name.clone(),
                    protocols: if r.protocols.is_empty() {
                        vec![String::from("Any")]
                    } else {
                        r.protocols.iter().map(|p| p.to_string()).collect()
                    },
                    source_addresses: r.sources.iter().map(item_text).collect(),
                    destination_addresses: r.destinations.iter().map(item_text).collect(),
                    destination_fqdns: r.destination_fqdns.clone(),
                    destination_ports: r.destination_ports.items(),
                    ..FirewallRuleDoc::default()
                })
                .collect(),
        ),
        CollectionRules::Application(access, rules) => (
            "Application",
            Some(access.to_string()),
            rules
                .iter()
                .map(|r| FirewallRuleDoc {
                    name: r.name.clone(),
                    protocols: r
                        .protocols
                        .iter()
                        .map(|(n, p)| format!("{n}:{p}"))
                        .collect(),
                    source_addresses: r.sources.iter().map(item_text).collect(),
                    target_fqdns: r.target_fqdns.clone(),
                    ..FirewallRuleDoc::default()
                })
                .collect(),
        ),
    };
    RuleCollectionDoc {
        name: c.name.clone(),
        priority: i64::from(c.priority),
        kind: String::from(kind),
        action,
        rules,
    }
}

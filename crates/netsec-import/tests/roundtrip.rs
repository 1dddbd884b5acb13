//! Round trip: for random small valid scenarios, exporting the built network
//! and building the export again gives the same export.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic in a test is a failed test"
)]

use netsec_import::scenario::build::build;
use netsec_import::scenario::doc::*;
use netsec_import::scenario::export::export;
use proptest::prelude::*;

/// Reads decisions from bytes; exhausted input decides "no" / "the first",
/// so shrinking the bytes shrinks the scenario.
struct Choices<'a>(std::slice::Iter<'a, u8>);

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::from(self.byte()) % n
        }
    }
    fn flag(&mut self) -> bool {
        self.byte() % 2 == 1
    }
    fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items[self.below(items.len())]
    }
}

fn address_side(
    c: &mut Choices<'_>,
    asgs: &[String],
) -> (Option<String>, Vec<String>, Vec<String>) {
    match c.below(6) {
        0 => (Some("*".into()), vec![], vec![]),
        1 => (Some(format!("10.{}.0.0/16", c.below(4))), vec![], vec![]),
        2 => (
            Some(
                c.pick(&[
                    "Internet",
                    "VirtualNetwork",
                    "AzureLoadBalancer",
                    "Storage",
                    "Sql.WestEurope",
                    "AzureCloud",
                ])
                .into(),
            ),
            vec![],
            vec![],
        ),
        3 => (
            None,
            vec![
                format!("192.168.{}.0/24", c.below(8)),
                "198.51.100.7".into(),
            ],
            vec![],
        ),
        4 if !asgs.is_empty() => (None, vec![], vec![asgs[c.below(asgs.len())].clone()]),
        _ => (Some(format!("203.0.113.{}", c.below(200))), vec![], vec![]),
    }
}

fn port_side(c: &mut Choices<'_>) -> (Option<String>, Vec<String>) {
    match c.below(4) {
        0 => (Some("*".into()), vec![]),
        1 => (Some(format!("{}", c.below(65536))), vec![]),
        2 => (Some("1000-2000".into()), vec![]),
        _ => (
            None,
            vec![
                "80".into(),
                "443".into(),
                format!("{}-{}", 8000, 8000 + c.below(100)),
            ],
        ),
    }
}

/// A small scenario that builds.
fn scenario(bytes: &[u8]) -> ScenarioDoc {
    let c = &mut Choices(bytes.iter());
    let mut doc = ScenarioDoc {
        format: FORMAT.into(),
        version: VERSION,
        ..ScenarioDoc::default()
    };
    doc.subscription.offer_type = c
        .pick(&[
            "PayAsYouGo",
            "EnterpriseAgreement",
            "msdn",
            "Legacy",
            "EnterpriseAgreementDevTest",
        ])
        .into();
    // Only EA Dev/Test subscriptions can hold the SMTP exemption.
    doc.subscription.smtp_exemption =
        c.flag() && doc.subscription.offer_type == "EnterpriseAgreementDevTest";
    let asgs: Vec<String> = (0..c.below(3)).map(|i| format!("asg{i}")).collect();
    doc.asgs = asgs
        .iter()
        .map(|n| AsgDoc {
            name: n.clone(),
            location: None,
        })
        .collect();
    for n in 0..c.below(3) {
        let mut rules = Vec::new();
        for r in 0..c.below(5) {
            let (src, srcs, src_asgs) = address_side(c, &asgs);
            let (dst, dsts, dst_asgs) = address_side(c, &asgs);
            let (sp, sps) = port_side(c);
            let (dp, dps) = port_side(c);
            rules.push(RuleDoc {
                name: format!("rule-{r}"),
                description: if c.flag() {
                    format!("rule {r}")
                } else {
                    String::new()
                },
                priority: 100 + 10 * r as i64 + c.below(10) as i64,
                direction: c.pick(&["Inbound", "Outbound"]).into(),
                access: c.pick(&["Allow", "Deny"]).into(),
                protocol: c.pick(&["Tcp", "Udp", "*", "Icmp", "Esp"]).into(),
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
            });
        }
        doc.nsgs.push(NsgDoc {
            name: format!("nsg{n}"),
            rules,
        });
    }
    for t in 0..c.below(3) {
        let mut routes = Vec::new();
        for r in 0..c.below(3) {
            let hop = c.pick(&[
                "VirtualAppliance",
                "Internet",
                "None",
                "VnetLocal",
                "VirtualNetworkGateway",
            ]);
            routes.push(RouteDoc {
                name: format!("route{r}"),
                address_prefix: match r {
                    0 => "0.0.0.0/0".into(),
                    1 => c.pick(&["Storage", "AzureCloud.WestEurope"]).into(),
                    _ => format!("192.168.{}.0/24", c.below(256)),
                },
                next_hop_type: hop.into(),
                next_hop_ip_address: (hop == "VirtualAppliance")
                    .then(|| format!("10.0.0.{}", 4 + c.below(200))),
            });
        }
        doc.route_tables.push(RouteTableDoc {
            name: format!("rt{t}"),
            routes,
            disable_bgp_route_propagation: c.flag(),
        });
    }
    let vnets = 1 + c.below(3);
    for v in 0..vnets {
        let mut subnets = Vec::new();
        for s in 0..1 + c.below(3) {
            subnets.push(SubnetDoc {
                name: format!("subnet{s}"),
                address_prefixes: vec![format!("10.{v}.{s}.0/24")],
                nsg: (!doc.nsgs.is_empty() && c.flag())
                    .then(|| format!("nsg{}", c.below(doc.nsgs.len()))),
                route_table: (!doc.route_tables.is_empty() && c.flag())
                    .then(|| format!("rt{}", c.below(doc.route_tables.len()))),
                service_endpoints: if c.flag() {
                    vec!["Microsoft.Storage".into()]
                } else {
                    vec![]
                },
                private_endpoint_network_policies: match c.below(4) {
                    0 => None,
                    k => Some(
                        [
                            "Enabled",
                            "NetworkSecurityGroupEnabled",
                            "RouteTableEnabled",
                        ][k - 1]
                            .into(),
                    ),
                },
                default_outbound_access: !c.flag(),
            });
        }
        if v == 0 && c.flag() {
            subnets.push(SubnetDoc {
                name: "AzureFirewallSubnet".into(),
                address_prefixes: vec!["10.0.250.0/26".into()],
                default_outbound_access: true,
                ..SubnetDoc::default()
            });
        }
        doc.vnets.push(VnetDoc {
            name: format!("vnet{v}"),
            location: c
                .pick(&["westeurope", "West Europe", "eastus", "swedencentral"])
                .into(),
            address_space: vec![format!("10.{v}.0.0/16")],
            gateway_routes: if c.flag() {
                vec![format!("172.16.{v}.0/24")]
            } else {
                vec![]
            },
            subnets,
            peerings: vec![],
        });
    }
    if vnets >= 2 && c.flag() {
        for (a, b) in [(0, 1), (1, 0)] {
            doc.vnets[a].peerings.push(PeeringDoc {
                name: format!("to-vnet{b}"),
                remote_vnet: format!("vnet{b}"),
                allow_virtual_network_access: !c.flag(),
                allow_forwarded_traffic: c.flag(),
                allow_gateway_transit: false,
                use_remote_gateways: false,
            });
        }
    }
    let pips = c.below(4);
    for p in 0..pips {
        doc.public_ips.push(PublicIpDoc {
            name: format!("pip{p}"),
            sku: c.pick(&["Standard", "Basic"]).into(),
            address: format!("20.1.0.{}", p + 1),
        });
    }
    let mut free_pips: Vec<usize> = (0..pips).collect();
    for n in 0..c.below(5) {
        let v = n % vnets;
        let public_ip = if !free_pips.is_empty() && c.flag() {
            Some(format!("pip{}", free_pips.remove(0)))
        } else {
            None
        };
        doc.nics.push(NicDoc {
            name: format!("nic{n}"),
            nsg: (!doc.nsgs.is_empty() && c.flag())
                .then(|| format!("nsg{}", c.below(doc.nsgs.len()))),
            ip_forwarding: c.flag(),
            ip_configurations: vec![IpConfigDoc {
                name: "ipconfig1".into(),
                vnet: format!("vnet{v}"),
                subnet: "subnet0".into(),
                private_ip_address: format!("10.{v}.0.{}", 10 + n),
                public_ip,
                // ASG members must share a VNet: only VNet 0's NICs join them.
                asgs: if v == 0 && !asgs.is_empty() && c.flag() {
                    vec![asgs[c.below(asgs.len())].clone()]
                } else {
                    vec![]
                },
            }],
        });
        if c.flag() {
            doc.vms.push(VmDoc {
                name: format!("vm{n}"),
                nics: vec![format!("nic{n}")],
                zone: None,
                is_appliance: c.flag(),
            });
        }
    }
    if c.flag() {
        let members: Vec<BackendMemberDoc> = doc
            .nics
            .iter()
            .filter(|n| n.ip_configurations[0].vnet == "vnet0")
            .map(|n| BackendMemberDoc {
                nic: n.name.clone(),
                ip_configuration: None,
            })
            .collect();
        let rule_protocol = c.pick(&["Tcp", "Udp", "All"]);
        // A NAT rule on the other protocol never takes the LB rule's port
        // (HA ports, protocol All, take every port, so then there is none).
        let nat_rules = match (rule_protocol, members.first()) {
            ("All", _) => vec![],
            (p, first) => {
                let start = c.below(65000) as i64;
                let to_nic = first.filter(|_| c.flag()).map(|m| m.nic.clone());
                vec![InboundNatRuleDoc {
                    name: "nat".into(),
                    frontend: "fe".into(),
                    protocol: if p == "Tcp" { "Udp" } else { "Tcp" }.into(),
                    frontend_port: start,
                    frontend_port_end: to_nic.is_none().then(|| start + c.below(100) as i64),
                    backend_port: c.below(65536) as i64,
                    backend_pool: to_nic.is_none().then(|| "pool".into()),
                    nic: to_nic,
                    ip_configuration: None,
                }]
            }
        };
        doc.load_balancers.push(LoadBalancerDoc {
            name: "ilb".into(),
            sku: "Standard".into(),
            frontends: vec![FrontendDoc {
                name: "fe".into(),
                public_ip: None,
                private_ip_address: Some("10.0.0.250".into()),
            }],
            backend_pools: vec![BackendPoolDoc {
                name: "pool".into(),
                members,
            }],
            rules: vec![LbRuleDoc {
                name: "r".into(),
                frontend: "fe".into(),
                backend_pool: "pool".into(),
                protocol: rule_protocol.into(),
                frontend_port: c.below(65536) as i64,
                backend_port: 8080,
                probe: Some("p".into()),
            }],
            nat_rules,
            probes: vec![ProbeDoc {
                name: "p".into(),
                protocol: c.pick(&["Tcp", "Http", "Https"]).into(),
                port: 8080,
            }],
        });
    }
    if doc.vnets[0]
        .subnets
        .iter()
        .any(|s| s.name == "AzureFirewallSubnet")
    {
        let network = RuleCollectionDoc {
            name: "net".into(),
            priority: 200,
            kind: "Network".into(),
            action: Some(c.pick(&["Allow", "Deny"]).into()),
            rules: vec![FirewallRuleDoc {
                name: "r1".into(),
                protocols: vec![c.pick(&["TCP", "UDP", "Any", "ICMP"]).into()],
                source_addresses: vec!["10.0.0.0/8".into()],
                destination_addresses: vec![c.pick(&["*", "Storage", "8.8.8.8"]).into()],
                destination_ports: vec!["53".into()],
                ..FirewallRuleDoc::default()
            }],
        };
        let app = RuleCollectionDoc {
            name: "app".into(),
            priority: 300,
            kind: "Application".into(),
            action: Some("Allow".into()),
            rules: vec![FirewallRuleDoc {
                name: "r2".into(),
                protocols: vec!["Https:443".into(), "Mssql:1433".into()],
                source_addresses: vec!["*".into()],
                target_fqdns: vec!["*.example.org".into()],
                ..FirewallRuleDoc::default()
            }],
        };
        let (rule_collections, policy) = if c.flag() {
            (vec![network, app], None)
        } else {
            (
                vec![],
                Some(FirewallPolicyDoc {
                    name: "pol".into(),
                    rule_collection_groups: vec![RuleCollectionGroupDoc {
                        name: "g".into(),
                        priority: 100,
                        from_parent_policy: c.flag(),
                        rule_collections: vec![network, app],
                    }],
                }),
            )
        };
        doc.firewalls.push(FirewallDoc {
            name: "fw".into(),
            vnet: "vnet0".into(),
            private_ip_address: "10.0.250.4".into(),
            public_ips: vec![],
            threat_intel: c.flag(),
            rule_collections,
            policy,
        });
    }
    if c.flag() {
        doc.services.push(ServiceDoc {
            name: "data".into(),
            service_tag: c.pick(&["Storage", "Sql", "AzureKeyVault"]).into(),
            location: "westeurope".into(),
            public_ip_address: "20.60.1.1".into(),
            public_network_access: !c.flag(),
            allowed_subnets: if c.flag() {
                vec![SubnetRefDoc {
                    vnet: "vnet0".into(),
                    subnet: "subnet0".into(),
                }]
            } else {
                vec![]
            },
            allowed_ip_ranges: if c.flag() {
                vec!["198.51.100.0/24".into()]
            } else {
                vec![]
            },
        });
        if c.flag() {
            doc.private_endpoints.push(PrivateEndpointDoc {
                name: "data-pe".into(),
                vnet: "vnet0".into(),
                subnet: "subnet0".into(),
                private_ip_address: "10.0.0.200".into(),
                service: "data".into(),
            });
        }
    }
    for a in 0..c.below(3) {
        doc.admin_rules.push(AdminRuleDoc {
            name: format!("admin{a}"),
            priority: 1 + c.below(4096) as i64,
            direction: c.pick(&["Inbound", "Outbound"]).into(),
            access: c.pick(&["Allow", "Deny", "AlwaysAllow"]).into(),
            protocol: c.pick(&["Tcp", "Any"]).into(),
            sources: if c.flag() {
                vec!["Internet".into(), "10.0.0.0/8".into()]
            } else {
                vec![]
            },
            source_port_ranges: vec![],
            destinations: if c.flag() { vec!["*".into()] } else { vec![] },
            destination_port_ranges: if c.flag() {
                vec!["22".into(), "3389".into()]
            } else {
                vec![]
            },
            applies_to: vec!["vnet0".into()],
        });
    }
    for i in 0..c.below(3) {
        doc.internet_clients.push(ClientDoc {
            name: format!("client{i}"),
            address: format!("203.0.113.{}", 200 + i),
        });
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn build_export_build_is_stable(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let doc = scenario(&bytes);
        let net = match build(&doc) {
            Ok(net) => net,
            Err(e) => panic!("the generator made an invalid scenario: {e}"),
        };
        let once = export(&net);
        let again = build(&once).unwrap_or_else(|e| panic!("the export does not build: {e}"));
        prop_assert_eq!(&export(&again), &once);
        // The export survives JSON too.
        let text = netsec_import::to_scenario_json(&once);
        let loaded = netsec_import::load(&text).unwrap();
        prop_assert_eq!(&export(&loaded.network), &once);
    }
}

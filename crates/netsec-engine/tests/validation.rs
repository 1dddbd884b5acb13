//! Validation mirrors Azure's errors: each row builds something Azure refuses
//! and checks the error code, the resource and the field it names. The row's
//! name is the failure message.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use netsec_engine::address::parse_prefix;
use netsec_engine::port::PortSpec;
use netsec_engine::*;

fn rule(name: &str, priority: u16, direction: Direction) -> SecurityRule {
    SecurityRule {
        name: name.into(),
        description: String::new(),
        priority,
        direction,
        access: Access::Allow,
        protocol: RuleProtocol::Any,
        source: AddressSpec::Any,
        source_ports: PortSpec::Any,
        destination: AddressSpec::Any,
        destination_ports: PortSpec::Any,
    }
}

fn base() -> (NetworkBuilder, VnetId, SubnetId) {
    let mut b = Network::builder();
    let region = b.region("westeurope").unwrap();
    let vnet = b
        .add_vnet(VirtualNetwork {
            name: "v".into(),
            region,
            address_space: vec![parse_prefix("10.0.0.0/16").unwrap()],
            gateway_routes: vec![],
        })
        .unwrap();
    let subnet = b.add_subnet(subnet("s", vnet, "10.0.1.0/24")).unwrap();
    (b, vnet, subnet)
}

fn subnet(name: &str, vnet: VnetId, prefix: &str) -> Subnet {
    Subnet {
        name: name.into(),
        vnet,
        prefixes: vec![parse_prefix(prefix).unwrap()],
        nsg: None,
        route_table: None,
        service_endpoints: vec![],
        private_endpoint_policies: PrivateEndpointPolicies::Disabled,
        default_outbound_access: true,
    }
}

fn nic(name: &str, subnet: SubnetId, ip: &str, asgs: Vec<AsgId>) -> NetworkInterface {
    NetworkInterface {
        name: name.into(),
        nsg: None,
        ip_forwarding: false,
        vm: None,
        ip_configs: vec![IpConfiguration {
            name: "ipconfig1".into(),
            subnet,
            private_ip: ip.parse().unwrap(),
            public_ip: None,
            asgs,
        }],
    }
}

fn expect(
    row: &str,
    result: Result<impl std::fmt::Debug, ModelError>,
    code: &str,
    resource: &str,
    field: &str,
) {
    let e = result.expect_err(row);
    assert_eq!(e.code(), code, "{row}: {e}");
    assert_eq!(e.resource(), resource, "{row}: {e}");
    assert_eq!(e.field(), field, "{row}: {e}");
    let text = e.to_string();
    assert!(
        text.contains(resource) && text.contains(field),
        "{row}: the message names the resource and field: {text}"
    );
}

#[test]
fn security_rule_errors() {
    let (mut b, ..) = base();
    expect(
        "same priority and direction conflict",
        b.add_nsg(NetworkSecurityGroup {
            name: "n".into(),
            rules: vec![
                rule("a", 100, Direction::Inbound),
                rule("b", 100, Direction::Inbound),
            ],
        }),
        "SecurityRuleConflict",
        "networkSecurityGroups/n/securityRules/b",
        "priority",
    );
    let e = b
        .add_nsg(NetworkSecurityGroup {
            name: "n2".into(),
            rules: vec![
                rule("a", 100, Direction::Inbound),
                rule("b", 200, Direction::Inbound),
                rule("c", 100, Direction::Outbound),
                rule("d", 100, Direction::Inbound),
                rule("e", 200, Direction::Inbound),
            ],
        })
        .expect_err("the third inbound rule at 100 conflicts");
    assert!(
        matches!(e.kind(), ErrorKind::SecurityRuleConflict { other, priority: 100 } if other == "a"),
        "the conflict names the first rule of that priority and direction: {e}"
    );
    assert_eq!(e.resource(), "networkSecurityGroups/n2/securityRules/d");
    expect(
        "a rule name used twice, ignoring case",
        b.add_nsg(NetworkSecurityGroup {
            name: "dup".into(),
            rules: vec![
                rule("Web", 100, Direction::Inbound),
                rule("db", 200, Direction::Inbound),
                rule("WEB", 300, Direction::Outbound),
            ],
        }),
        "DuplicateResourceName",
        "networkSecurityGroups/dup/securityRules/WEB",
        "name",
    );
    b.add_nsg(NetworkSecurityGroup {
        name: "ok".into(),
        rules: vec![
            rule("a", 100, Direction::Inbound),
            rule("b", 100, Direction::Outbound),
        ],
    })
    .expect("same priority, different direction is accepted");
    for (row, p) in [
        ("priority below 100", 99u16),
        ("priority above 4096", 4097),
        ("priority zero", 0),
    ] {
        expect(
            row,
            b.add_nsg(NetworkSecurityGroup {
                name: format!("p{p}"),
                rules: vec![rule("a", p, Direction::Inbound)],
            }),
            "SecurityRuleInvalidPriority",
            &format!("networkSecurityGroups/p{p}/securityRules/a"),
            "priority",
        );
    }
    let mut mixed = rule("m", 200, Direction::Inbound);
    mixed.source = AddressSpec::Prefixes(vec![parse_prefix("10.0.0.0/8").unwrap()]);
    mixed.destination = AddressSpec::Prefixes(vec![parse_prefix("2001:db8::/64").unwrap()]);
    expect(
        "IPv4 and IPv6 in one rule",
        b.add_nsg(NetworkSecurityGroup {
            name: "mix".into(),
            rules: vec![mixed],
        }),
        "ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies",
        "networkSecurityGroups/mix/securityRules/m",
        "destinationAddressPrefix",
    );
    expect(
        "bad rule name",
        b.add_nsg(NetworkSecurityGroup {
            name: "nm".into(),
            rules: vec![rule("-bad", 300, Direction::Inbound)],
        }),
        "InvalidResourceName",
        "networkSecurityGroups/nm/securityRules/-bad",
        "name",
    );
    let many: Vec<SecurityRule> = (0..1001)
        .map(|i| {
            rule(
                &format!("r{i}"),
                100 + (i % 3997) as u16,
                if i < 3997 {
                    Direction::Inbound
                } else {
                    Direction::Outbound
                },
            )
        })
        .collect();
    expect(
        "more than 1,000 rules",
        b.add_nsg(NetworkSecurityGroup {
            name: "big".into(),
            rules: many,
        }),
        "QuotaExceeded",
        "networkSecurityGroups/big",
        "securityRules",
    );
}

#[test]
fn field_readers_mirror_azure() {
    let (field, kind) =
        address_from_fields(Some("*"), &["10.0.0.0/8".into()], vec![], Side::Source).unwrap_err();
    assert_eq!(
        field, "sourceAddressPrefix",
        "exactly one of prefix, prefixes, ASGs"
    );
    assert!(matches!(kind, ErrorKind::ExactlyOneAddressField));
    let (field, kind) = address_from_fields(
        None,
        &["10.0.0.0/8".into(), "Internet".into()],
        vec![],
        Side::Destination,
    )
    .unwrap_err();
    assert_eq!(field, "destinationAddressPrefixes");
    assert!(
        matches!(kind, ErrorKind::UnsupportedValueInList { .. }),
        "a tag inside a prefix list"
    );
    let (field, _) =
        address_from_fields(Some("10.0.0.0/33"), &[], vec![], Side::Source).unwrap_err();
    assert_eq!(field, "sourceAddressPrefix", "malformed prefix");
    let (field, _) = ports_from_fields(Some("70000"), &[], Side::Destination).unwrap_err();
    assert_eq!(field, "destinationPortRange", "a port of 70000");
    let (field, _) =
        ports_from_fields(None, &["80".into(), "90-80".into()], Side::Source).unwrap_err();
    assert_eq!(field, "sourcePortRanges", "an inverted range in a list");
    assert!(matches!(
        address_from_fields(Some("VirtualNetwork"), &[], vec![], Side::Source).unwrap(),
        AddressSpec::Tag(_)
    ));
}

#[test]
fn asgs_must_share_a_virtual_network() {
    let (mut b, _, s1) = base();
    let region = b.region("westeurope").unwrap();
    let v2 = b
        .add_vnet(VirtualNetwork {
            name: "v2".into(),
            region,
            address_space: vec![parse_prefix("10.9.0.0/16").unwrap()],
            gateway_routes: vec![],
        })
        .unwrap();
    let s2 = b.add_subnet(subnet("s2", v2, "10.9.1.0/24")).unwrap();
    let web = b
        .add_asg(ApplicationSecurityGroup {
            name: "web".into(),
            region: None,
        })
        .unwrap();
    let db = b
        .add_asg(ApplicationSecurityGroup {
            name: "db".into(),
            region: None,
        })
        .unwrap();
    b.add_nic(nic("n1", s1, "10.0.1.4", vec![web])).unwrap();
    b.add_nic(nic("n2", s2, "10.9.1.4", vec![db])).unwrap();
    let mut r = rule("web-to-db", 100, Direction::Inbound);
    r.source = AddressSpec::Asgs(vec![web]);
    r.destination = AddressSpec::Asgs(vec![db]);
    b.add_nsg(NetworkSecurityGroup {
        name: "n".into(),
        rules: vec![r],
    })
    .unwrap();
    expect(
        "ASGs of one rule in different VNets",
        b.build(),
        "AllApplicationSecurityGroupsInSecurityRuleMustBeFromSameVnet",
        "networkSecurityGroups/n/securityRules/web-to-db",
        "applicationSecurityGroups",
    );
}

#[test]
fn addresses_and_limits() {
    let (mut b, vnet, s) = base();
    expect(
        "address in Azure's reserved five",
        b.add_nic(nic("a", s, "10.0.1.3", vec![])),
        "PrivateIPAddressInReservedRange",
        "networkInterfaces/a/ipConfigurations/ipconfig1",
        "privateIPAddress",
    );
    expect(
        "address outside the subnet",
        b.add_nic(nic("b", s, "10.0.2.4", vec![])),
        "PrivateIPAddressNotInSubnet",
        "networkInterfaces/b/ipConfigurations/ipconfig1",
        "privateIPAddress",
    );
    b.add_nic(nic("c", s, "10.0.1.4", vec![])).unwrap();
    expect(
        "address used twice",
        b.add_nic(nic("d", s, "10.0.1.4", vec![])),
        "PrivateIPAddressInUse",
        "networkInterfaces/d/ipConfigurations/ipconfig1",
        "privateIPAddress",
    );
    expect(
        "subnet outside the VNet",
        b.add_subnet(subnet("out", vnet, "10.1.0.0/24")),
        "NetcfgSubnetRangeOutsideVnet",
        "virtualNetworks/v/subnets/out",
        "addressPrefix",
    );
    expect(
        "overlapping subnets",
        b.add_subnet(subnet("over", vnet, "10.0.1.128/25")),
        "NetcfgInvalidSubnet",
        "virtualNetworks/v/subnets/over",
        "addressPrefix",
    );
    let asgs: Vec<AsgId> = (0..21)
        .map(|i| {
            b.add_asg(ApplicationSecurityGroup {
                name: format!("a{i}"),
                region: None,
            })
            .unwrap()
        })
        .collect();
    expect(
        "21 ASGs on one IP configuration",
        b.add_nic(nic("e", s, "10.0.1.9", asgs)),
        "QuotaExceeded",
        "networkInterfaces/e/ipConfigurations/ipconfig1",
        "applicationSecurityGroups",
    );
    let routes: Vec<Route> = (0..401)
        .map(|i| Route {
            name: format!("r{i}"),
            prefix: RoutePrefix::Net(
                parse_prefix(&format!("10.{}.{}.0/24", 100 + i / 256, i % 256)).unwrap(),
            ),
            next_hop: NextHopType::None,
            next_hop_ip: None,
        })
        .collect();
    expect(
        "401 routes in a table",
        b.add_route_table(RouteTable {
            name: "rt".into(),
            routes,
            disable_bgp_route_propagation: false,
        }),
        "QuotaExceeded",
        "routeTables/rt",
        "routes",
    );
    let hop = Route {
        name: "nva".into(),
        prefix: RoutePrefix::Net(parse_prefix("0.0.0.0/0").unwrap()),
        next_hop: NextHopType::VirtualAppliance,
        next_hop_ip: None,
    };
    expect(
        "appliance route without an address",
        b.add_route_table(RouteTable {
            name: "rt2".into(),
            routes: vec![hop],
            disable_bgp_route_propagation: false,
        }),
        "InvalidParameter",
        "routeTables/rt2/routes/nva",
        "nextHopIpAddress",
    );
    expect(
        "private address as a public IP",
        b.add_public_ip(PublicIp {
            name: "p".into(),
            sku: Sku::Standard,
            address: "10.0.0.9".parse().unwrap(),
        }),
        "InvalidParameter",
        "publicIPAddresses/p",
        "ipAddress",
    );
}

//! Effective routes: among the routes of one prefix exactly the one routing
//! uses is Active (azure-semantics §5.3), including where routing makes an
//! exception to User > BGP > System: a service endpoint's route over a UDR,
//! a private endpoint's /32 over a UDR (route policies off), the VNet's own
//! route over a BGP route of the same prefix.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use netsec_engine::routing::{RouteSource, effective_routes, select};
use netsec_engine::{NextHopType, SubnetId};

const SCENARIO: &str = r#"{
  "format": "netsec-scenario", "version": 1, "title": "effective routes",
  "vnets": [
    { "name": "vnet", "location": "westeurope", "addressSpace": ["10.0.0.0/16"],
      "gatewayRoutes": ["10.0.0.0/16", "192.168.0.0/16"],
      "subnets": [
        { "name": "app", "addressPrefixes": ["10.0.1.0/24"], "serviceEndpoints": ["Microsoft.Storage"], "routeTable": "rt" },
        { "name": "pe", "addressPrefixes": ["10.0.9.0/24"] }
      ] }
  ],
  "routeTables": [
    { "name": "rt", "routes": [
      { "name": "storage", "addressPrefix": "20.60.0.0/16", "nextHopType": "None" },
      { "name": "endpoint", "addressPrefix": "10.0.9.4/32", "nextHopType": "None" },
      { "name": "default", "addressPrefix": "0.0.0.0/0", "nextHopType": "None" }
    ] }
  ],
  "services": [
    { "name": "stg", "serviceTag": "Storage", "location": "westeurope", "publicIpAddress": "20.60.1.1", "publicNetworkAccess": false }
  ],
  "privateEndpoints": [
    { "name": "stg-pe", "vnet": "vnet", "subnet": "pe", "privateIpAddress": "10.0.9.4", "service": "stg" }
  ]
}"#;

fn app_subnet(net: &netsec_engine::Network) -> SubnetId {
    net.subnets().find(|(_, s)| s.name == "app").unwrap().0
}

#[test]
fn the_route_routing_uses_is_the_active_one_of_its_prefix() {
    let net = netsec_import::load(SCENARIO).unwrap().network;
    let routes = effective_routes(&net, app_subnet(&net));
    let state = |prefix: &str, hop: NextHopType, source: RouteSource| {
        routes
            .iter()
            .find(|r| {
                r.prefix.to_string() == prefix && r.next_hop_type == hop && r.source == source
            })
            .unwrap_or_else(|| panic!("no {prefix} {hop:?} {source:?} in {routes:#?}"))
            .active
    };
    // A UDR equal to a service endpoint prefix: the endpoint's route wins.
    assert!(state(
        "20.60.0.0/16",
        NextHopType::VirtualNetworkServiceEndpoint,
        RouteSource::Default
    ));
    assert!(!state("20.60.0.0/16", NextHopType::None, RouteSource::User));
    // A UDR equal to a private endpoint's /32 (route policies off): the /32 wins.
    assert!(state(
        "10.0.9.4/32",
        NextHopType::InterfaceEndpoint,
        RouteSource::Default
    ));
    assert!(!state("10.0.9.4/32", NextHopType::None, RouteSource::User));
    // A BGP route equal to the VNet's space: the VNet's route wins.
    assert!(state(
        "10.0.0.0/16",
        NextHopType::VnetLocal,
        RouteSource::Default
    ));
    assert!(!state(
        "10.0.0.0/16",
        NextHopType::VirtualNetworkGateway,
        RouteSource::VirtualNetworkGateway
    ));
    // The ordinary case: a UDR beats the system route of its prefix.
    assert!(state("0.0.0.0/0", NextHopType::None, RouteSource::User));
    assert!(!state(
        "0.0.0.0/0",
        NextHopType::Internet,
        RouteSource::Default
    ));
    // A prefix with one route: Active.
    assert!(state(
        "192.168.0.0/16",
        NextHopType::VirtualNetworkGateway,
        RouteSource::VirtualNetworkGateway
    ));
}

#[test]
fn every_selected_route_is_active() {
    let net = netsec_import::load(SCENARIO).unwrap().network;
    let routes = effective_routes(&net, app_subnet(&net));
    for dst in [
        "20.60.1.1",
        "20.60.200.3",
        "10.0.9.4",
        "10.0.9.5",
        "10.0.1.9",
        "192.168.3.4",
        "8.8.8.8",
        "100.64.0.1",
    ] {
        let r = select(&net, &routes, dst.parse().unwrap()).unwrap();
        assert!(r.active, "{dst} goes by an Invalid route: {r:?}");
    }
}

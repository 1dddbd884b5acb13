//! The `netsec` binary, run as a user runs it: arguments in, stdout, stderr and
//! the exit code out. Each case names what it guards.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn netsec(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_netsec"))
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json(run: &Run) -> serde_json::Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

#[test]
fn test_ip_flow_answers_like_ip_flow_verify() {
    let s = fixture("web.json");
    // Inbound HTTPS: both NSGs allow; the last NSG evaluated (the NIC's) names the rule.
    let v = json(&netsec(&[
        "test-ip-flow",
        "--scenario",
        &s,
        "--vm",
        "web-vm",
        "--direction",
        "Inbound",
        "--protocol",
        "TCP",
        "--local",
        "10.20.1.4:443",
        "--remote",
        "203.0.113.50:50000",
    ]));
    assert_eq!(
        v,
        serde_json::json!({"access": "Allow", "ruleName": "securityRules/allow-https-nic"})
    );
    // SSH is denied by the subnet NSG first.
    let v = json(&netsec(&[
        "test-ip-flow",
        "--scenario",
        &s,
        "--vm",
        "web-vm",
        "--direction",
        "Inbound",
        "--protocol",
        "TCP",
        "--local",
        "10.20.1.4:22",
        "--remote",
        "203.0.113.50:50000",
    ]));
    assert_eq!(
        v,
        serde_json::json!({"access": "Deny", "ruleName": "securityRules/deny-ssh"})
    );
    // Outbound to the Internet: the default rule, with Azure's prefix.
    let v = json(&netsec(&[
        "test-ip-flow",
        "--scenario",
        &s,
        "--nic",
        "web-nic",
        "--direction",
        "Outbound",
        "--protocol",
        "UDP",
        "--local",
        "10.20.1.4:5000",
        "--remote",
        "198.51.100.9:53",
    ]));
    assert_eq!(v["ruleName"], "defaultSecurityRules/AllowInternetOutBound");
    // Private space outside the VNet is neither VirtualNetwork nor Internet;
    // `*` is allowed for the source side's port (the local port outbound).
    let v = json(&netsec(&[
        "test-ip-flow",
        "--scenario",
        &s,
        "--vm",
        "web-vm",
        "--direction",
        "Outbound",
        "--protocol",
        "TCP",
        "--local",
        "10.20.1.4:*",
        "--remote",
        "172.31.0.100:443",
    ]));
    assert_eq!(
        v,
        serde_json::json!({"access": "Deny", "ruleName": "defaultSecurityRules/DenyAllOutBound"})
    );
    // Azure's IP flow verify takes TCP/UDP, IPv4, and `*` only on the source side.
    for (protocol, local, remote, wanted) in [
        ("ICMP", "10.20.1.4:*", "172.31.0.100:*", "takes TCP or UDP"),
        (
            "TCP",
            "10.20.1.4:50000",
            "172.31.0.100:*",
            "'*' is allowed only for the source side",
        ),
        (
            "TCP",
            "[2001:db8::4]:50000",
            "[2001:db8::5]:443",
            "IPv4 addresses only",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_netsec"))
            .args([
                "test-ip-flow",
                "--scenario",
                &s,
                "--vm",
                "web-vm",
                "--direction",
                "Outbound",
                "--protocol",
                protocol,
                "--local",
                local,
                "--remote",
                remote,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(wanted));
    }
}

#[test]
fn show_next_hop_reports_route_and_table() {
    let s = fixture("web.json");
    let v = json(&netsec(&[
        "show-next-hop",
        "--scenario",
        &s,
        "--vm",
        "web-vm",
        "--source-ip",
        "10.20.1.4",
        "--dest-ip",
        "10.20.2.4",
    ]));
    assert_eq!(v["nextHopType"], "VirtualAppliance");
    assert_eq!(v["nextHopIpAddress"], "10.10.1.4");
    assert!(
        v["routeTableId"]
            .as_str()
            .unwrap()
            .ends_with("/routeTables/spoke-rt")
    );
    let v = json(&netsec(&[
        "show-next-hop",
        "--scenario",
        &s,
        "--vm",
        "web-vm",
        "--source-ip",
        "10.20.1.4",
        "--dest-ip",
        "8.8.8.8",
    ]));
    assert_eq!(
        v,
        serde_json::json!({"nextHopType": "Internet", "nextHopIpAddress": null, "routeTableId": "System Route"})
    );
    let v = json(&netsec(&[
        "show-next-hop",
        "--scenario",
        &s,
        "--vm",
        "web-vm",
        "--source-ip",
        "10.20.1.4",
        "--dest-ip",
        "192.0.2.7",
    ]));
    assert_eq!(v["nextHopType"], "None");
    let v = json(&netsec(&[
        "show-next-hop",
        "--scenario",
        &s,
        "--vm",
        "web-vm",
        "--source-ip",
        "10.20.1.4",
        "--dest-ip",
        "10.10.1.4",
    ]));
    assert_eq!(v["nextHopType"], "VNetPeering");
}

/// A scenario of the shared corpus (tests/corpus at the workspace root).
fn corpus(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn show_next_hop_says_none_when_the_next_hop_device_is_missing() {
    // §5.2: None is also shown when the next hop device isn't configured.
    let next_hop = |file: &str, vm: &str, source: &str, destination: &str| {
        json(&netsec(&[
            "show-next-hop",
            "--scenario",
            &corpus(file),
            "--vm",
            vm,
            "--source-ip",
            source,
            "--dest-ip",
            destination,
        ]))
    };
    // A route to VirtualNetworkGateway in a VNet without a gateway.
    let v = next_hop(
        "udr-missing-gateway.json",
        "app-vm",
        "10.0.2.4",
        "198.51.100.10",
    );
    assert_eq!(v["nextHopType"], "None");
    // Gateway transit: the spoke's on-premises routes lead to the hub's gateway.
    let v = next_hop(
        "gateway-transit.json",
        "spoke-vm",
        "10.1.0.4",
        "192.168.1.1",
    );
    assert_eq!(v["nextHopType"], "VirtualNetworkGateway");
    assert_eq!(v["routeTableId"], "System Route");
    // An internal load balancer used as the appliance address stays VirtualAppliance.
    let v = next_hop("ilb-next-hop.json", "app-vm", "10.0.2.4", "198.51.100.10");
    assert_eq!(v["nextHopType"], "VirtualAppliance");
    // The host's virtual IPs are not subject to user-defined routes: the
    // subnet's 0.0.0.0/0 to the appliance does not take them.
    assert_eq!(
        next_hop("ilb-next-hop.json", "app-vm", "10.0.2.4", "8.8.8.8")["nextHopType"],
        "VirtualAppliance"
    );
    for host in ["168.63.129.16", "169.254.169.254"] {
        let v = next_hop("ilb-next-hop.json", "app-vm", "10.0.2.4", host);
        assert_eq!(
            v,
            serde_json::json!({"nextHopType": "Internet", "nextHopIpAddress": null, "routeTableId": "System Route"}),
            "{host}"
        );
    }
}

#[test]
fn list_effective_nsg_expands_tags_and_asgs() {
    let v = json(&netsec(&[
        "list-effective-nsg",
        "--scenario",
        &fixture("web.json"),
        "--nic",
        "web-nic",
    ]));
    let blocks = v["value"].as_array().unwrap();
    assert_eq!(blocks.len(), 2, "subnet NSG then NIC NSG");
    assert!(
        blocks[0]["association"]["subnet"]["id"]
            .as_str()
            .unwrap()
            .ends_with("virtualNetworks/spoke/subnets/web")
    );
    let rules = blocks[0]["effectiveSecurityRules"].as_array().unwrap();
    let https = rules
        .iter()
        .find(|r| r["name"] == "securityRules/allow-https")
        .unwrap();
    assert_eq!(https["destinationAddressPrefix"], "web-asg");
    assert_eq!(
        https["expandedDestinationAddressPrefix"],
        serde_json::json!(["10.20.1.4/32"])
    );
    assert_eq!(https["destinationPortRange"], "443-443");
    let vnet = rules
        .iter()
        .find(|r| r["name"] == "defaultSecurityRules/AllowVnetInBound")
        .unwrap();
    let expanded: Vec<&str> = vnet["expandedSourceAddressPrefix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        expanded.contains(&"10.20.0.0/16")
            && expanded.contains(&"10.10.0.0/16")
            && expanded.contains(&"168.63.129.16/32"),
        "{expanded:?}"
    );
}

#[test]
fn diagnose_reports_each_nsg_and_field_flags() {
    let v = json(&netsec(&[
        "diagnose",
        "--scenario",
        &fixture("web.json"),
        "--vm",
        "web-vm",
        "--direction",
        "Inbound",
        "--protocol",
        "TCP",
        "--source",
        "Internet",
        "--destination",
        "10.20.1.4",
        "--destination-port",
        "3389",
    ]));
    let r = &v["results"][0]["networkSecurityGroupResult"];
    assert_eq!(r["securityRuleAccessResult"], "Deny");
    let first = &r["evaluatedNetworkSecurityGroups"][0];
    assert_eq!(first["matchedRule"]["ruleName"], "deny-ssh");
    let https = &first["rulesEvaluationResult"][0];
    assert_eq!(https["name"], "allow-https");
    assert_eq!(https["destinationPortMatched"], false);
    assert_eq!(https["protocolMatched"], true);
}

#[test]
fn trace_prints_the_layers_as_a_table_and_as_json() {
    let s = fixture("web.json");
    let run = netsec(&["trace", "--scenario", &s, "--flow", "ssh in"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("DENIED at Subnet NSG (in) by securityRules/deny-ssh"),
        "{}",
        run.stdout
    );
    for layer in [
        "Azure edge",
        "Regional gateway",
        "Datacenter",
        "VNet firewall",
        "Subnet NSG",
        "NIC NSG",
    ] {
        assert!(
            run.stdout.contains(layer),
            "six layers visible: {layer} missing\n{}",
            run.stdout
        );
    }
    let v = json(&netsec(&[
        "trace",
        "--scenario",
        &s,
        "--from",
        "client/laptop",
        "--to",
        "pip/web-ip",
        "--protocol",
        "Tcp",
        "--port",
        "443",
        "--json",
    ]));
    let t = &v["trace"];
    assert_eq!(t["verdict"], "Allowed");
    assert_eq!(t["kind"], "NorthSouth");
    let layers: Vec<&str> = t["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["layer"].as_str().unwrap())
        .collect();
    assert_eq!(
        layers,
        [
            "Internet",
            "AzureEdge",
            "RegionalGateway",
            "Datacenter",
            "VnetFirewall",
            "AdminRules",
            "SubnetNsg",
            "NicNsg",
            "Vm"
        ]
    );
    let dc = &t["steps"][3];
    assert_eq!(
        dc["translation"]["to"],
        serde_json::json!(["10.20.1.4", 443])
    );
    assert_eq!(t["replyVerdict"], "Allowed");
}

#[test]
fn check_compares_flows_with_expectations() {
    let run = netsec(&["check", "--scenario", &fixture("web.json")]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("3 passed, 0 failed"), "{}", run.stdout);
}

#[test]
fn flow_log_writes_version_2_tuples() {
    let v = json(&netsec(&[
        "flow-log",
        "--scenario",
        &fixture("web.json"),
        "--flow",
        "ssh in",
        "--time",
        "1764000000",
    ]));
    let record = &v["records"][0];
    assert_eq!(record["category"], "NetworkSecurityGroupFlowEvent");
    assert_eq!(record["properties"]["Version"], 2);
    assert_eq!(
        record["properties"]["flows"][0]["rule"],
        "UserRule_deny-ssh"
    );
    let tuple = record["properties"]["flows"][0]["flows"][0]["flowTuples"][0]
        .as_str()
        .unwrap();
    assert_eq!(
        tuple,
        "1764000000,203.0.113.50,10.20.1.4,50000,22,T,I,D,B,,,,"
    );
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let dir = std::env::temp_dir().join(format!("netsec-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let broken = write(
        "broken.json",
        "{\"format\": \"netsec-scenario\",\n \"version\": 1,\n \"vnets\": [ }",
    );
    let conflict = write(
        "conflict.json",
        r#"{"format":"netsec-scenario","version":1,"nsgs":[{"name":"n","rules":[
            {"name":"a","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"80"},
            {"name":"b","priority":100,"direction":"Inbound","access":"Deny","protocol":"Tcp","sourceAddressPrefix":"*","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"81"}]}]}"#,
    );
    let port = write(
        "port.json",
        r#"{"format":"netsec-scenario","version":1,"nsgs":[{"name":"n","rules":[
            {"name":"a","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"70000"}]}]}"#,
    );
    let s = fixture("web.json");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["trace", "--scenario", &broken, "--flow", "x"],
            "line 3",
        ),
        (
            vec!["validate", "--scenario", &conflict],
            "SecurityRuleConflict",
        ),
        (vec!["validate", "--scenario", &port], "$.nsgs[0].rules[0]"),
        (
            vec!["validate", "--scenario", "/nonexistent/x.json"],
            "no such file",
        ),
        (
            vec![
                "test-ip-flow",
                "--scenario",
                &s,
                "--vm",
                "nope",
                "--direction",
                "Inbound",
                "--protocol",
                "TCP",
                "--local",
                "10.20.1.4:1",
                "--remote",
                "1.2.3.4:2",
            ],
            "no virtual machine named 'nope'",
        ),
        (
            vec![
                "test-ip-flow",
                "--scenario",
                &s,
                "--vm",
                "web-vm",
                "--direction",
                "Inbound",
                "--protocol",
                "TCP",
                "--local",
                "10.20.1.4:70000",
                "--remote",
                "1.2.3.4:2",
            ],
            "not a port",
        ),
        (
            vec![
                "test-ip-flow",
                "--scenario",
                &s,
                "--vm",
                "web-vm",
                "--direction",
                "Sideways",
                "--protocol",
                "TCP",
                "--local",
                "10.20.1.4:1",
                "--remote",
                "1.2.3.4:2",
            ],
            "Inbound or Outbound",
        ),
        (
            vec![
                "test-ip-flow",
                "--scenario",
                &s,
                "--vm",
                "web-vm",
                "--direction",
                "Inbound",
                "--protocol",
                "TCP",
                "--local",
                "10.99.1.4:1",
                "--remote",
                "1.2.3.4:2",
            ],
            "not an address of the target",
        ),
        (
            vec![
                "show-next-hop",
                "--scenario",
                &s,
                "--vm",
                "web-vm",
                "--source-ip",
                "10.20.1.4",
                "--dest-ip",
                "10.20.1",
            ],
            "--dest-ip",
        ),
        (vec!["frobnicate", "--scenario", &s], "unknown command"),
        (
            vec!["trace", "--scenario", &s, "--flow", "missing"],
            "no flow named 'missing'",
        ),
    ];
    for (args, expected) in cases {
        let run = netsec(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.starts_with("netsec: error: "),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr.trim_end().lines().count(),
            1,
            "one line for {args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(expected),
            "{args:?}: expected '{expected}' in {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn azure_resource_json_works_as_a_scenario() {
    let dir = std::env::temp_dir().join(format!("netsec-cli-azure-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("export.json");
    let id =
        |t: &str| format!("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/{t}");
    let doc = serde_json::json!({"value": [
        {"id": id("virtualNetworks/v"), "name": "v", "type": "Microsoft.Network/virtualNetworks", "location": "eastus",
         "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, "subnets": [{"id": id("virtualNetworks/v/subnets/s"), "name": "s", "properties": {"addressPrefix": "10.1.0.0/24"}}]}},
        {"id": id("networkSecurityGroups/g"), "name": "g", "type": "Microsoft.Network/networkSecurityGroups", "location": "eastus",
         "properties": {"securityRules": [{"name": "rdp", "properties": {"priority": 300, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "3389"}}]}},
        {"id": id("networkInterfaces/n"), "name": "n", "type": "Microsoft.Network/networkInterfaces", "location": "eastus",
         "properties": {"networkSecurityGroup": {"id": id("networkSecurityGroups/g")}, "ipConfigurations": [{"name": "ipconfig1", "properties": {"privateIPAddress": "10.1.0.4", "subnet": {"id": id("virtualNetworks/v/subnets/s")}}}]}}
    ]});
    std::fs::write(&path, doc.to_string()).unwrap();
    let p = path.display().to_string();
    let v = json(&netsec(&[
        "test-ip-flow",
        "--scenario",
        &p,
        "--nic",
        "n",
        "--direction",
        "Inbound",
        "--protocol",
        "TCP",
        "--local",
        "10.1.0.4:3389",
        "--remote",
        "10.1.0.9:1234",
    ]));
    assert_eq!(
        v,
        serde_json::json!({"access": "Allow", "ruleName": "securityRules/rdp"})
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn rdp_from(scenario: &str, extra: &[&str], remote: &str, local: &str) -> serde_json::Value {
    let mut args = vec!["test-ip-flow", "--scenario", scenario];
    args.extend_from_slice(extra);
    args.extend_from_slice(&[
        "--nic",
        "kiosk-nic",
        "--direction",
        "Inbound",
        "--protocol",
        "TCP",
        "--local",
        local,
        "--remote",
        remote,
    ]);
    json(&netsec(&args))
}

#[test]
fn import_prints_what_was_imported_skipped_and_assumed() {
    let run = netsec(&["import", &fixture("branch.json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("as an ARM template."), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("networkSecurityGroups/oslo-kiosk-nsg (1 rule)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Skipped (0):\n  nothing"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Network: 1 VNets, 1 subnets, 1 NSGs"),
        "{}",
        run.stdout
    );
    // With a parameters file.
    let run = netsec(&[
        "import",
        &fixture("branch.json"),
        "--parameters",
        &fixture("branch.parameters.json"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("networkSecurityGroups/bergen-kiosk-nsg"),
        "{}",
        run.stdout
    );
    // A directory of .tf files is one configuration.
    let run = netsec(&["import", &fixture("tf-dir")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("as a Terraform configuration."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("virtualNetworks/trondheim-vnet (1 subnet)"),
        "{}",
        run.stdout
    );
    // Assumptions are listed.
    let run = netsec(&["import", &fixture("web.json")]);
    assert!(
        run.stdout.contains("Assumptions (0):\n  none"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_command_reads_templates_and_terraform_with_parameters() {
    let t = fixture("branch.json");
    let p = fixture("branch.parameters.json");
    let v = rdp_from(&t, &[], "192.0.2.50:50000", "10.44.1.10:3389");
    assert_eq!(
        v,
        serde_json::json!({"access": "Allow", "ruleName": "securityRules/allow-office-rdp"})
    );
    let v = rdp_from(
        &t,
        &["--parameters", &p],
        "192.0.2.50:50000",
        "10.44.1.10:3389",
    );
    assert_eq!(v["access"], "Deny");
    let v = rdp_from(
        &t,
        &["--parameters", &p],
        "198.51.100.7:50000",
        "10.44.1.10:3389",
    );
    assert_eq!(v["access"], "Allow");
    let dir = fixture("tf-dir");
    let v = rdp_from(&dir, &[], "192.0.2.50:50000", "10.45.1.10:3389");
    assert_eq!(v["access"], "Allow");
    let v = rdp_from(
        &dir,
        &["--parameters", &fixture("branch.tfvars")],
        "192.0.2.50:50000",
        "10.45.1.10:3389",
    );
    assert_eq!(
        v,
        serde_json::json!({"access": "Deny", "ruleName": "defaultSecurityRules/DenyAllInBound"})
    );
    let run = netsec(&["validate", "--scenario", &dir]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("OK: 1 VNets"), "{}", run.stdout);
}

#[test]
fn convert_writes_scenarios_templates_and_terraform() {
    let t = fixture("branch.json");
    // To a scenario file, which loads as one.
    let run = netsec(&["convert", &t, "--to", "scenario"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["format"], "netsec-scenario");
    assert_eq!(doc["nsgs"][0]["name"], "oslo-kiosk-nsg");
    // A scenario to an ARM template; notes on what is left out go to stderr.
    let run = netsec(&["convert", &fixture("web.json"), "--to", "arm"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let template: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        template["$schema"]
            .as_str()
            .unwrap()
            .contains("deploymentTemplate")
    );
    assert!(
        run.stderr
            .contains("netsec: not exported: Internet client laptop"),
        "{}",
        run.stderr
    );
    // ... and to Terraform, which the other commands read back.
    let run = netsec(&[
        "convert",
        &t,
        "--to",
        "terraform",
        "--parameters",
        &fixture("branch.parameters.json"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("resource \"azurerm_network_security_group\" \"bergen-kiosk-nsg\""),
        "{}",
        run.stdout
    );
    let dir = std::env::temp_dir().join(format!("netsec-cli-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tf = dir.join("main.tf");
    std::fs::write(&tf, &run.stdout).unwrap();
    let v = rdp_from(
        &tf.display().to_string(),
        &[],
        "198.51.100.7:50000",
        "10.44.1.10:3389",
    );
    assert_eq!(
        v,
        serde_json::json!({"access": "Allow", "ruleName": "securityRules/allow-office-rdp"})
    );
    let _ = std::fs::remove_dir_all(&dir);
    // A wrong target format or no file are command-line errors.
    let run = netsec(&["convert", &t, "--to", "yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--to 'yaml' is not a format"),
        "{}",
        run.stderr
    );
    let run = netsec(&["convert", "--to", "arm"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("give the file to read"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_and_terraform_errors_name_the_file_and_the_place() {
    let dir = std::env::temp_dir().join(format!("netsec-cli-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let bad_params = write(
        "bad.parameters.json",
        r#"{"parameters": {"nope": {"value": 1}}}"#,
    );
    let run = netsec(&[
        "import",
        &fixture("branch.json"),
        "--parameters",
        &bad_params,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "{bad_params}: $.parameters.nope: the template declares no parameter 'nope'"
        )),
        "{}",
        run.stderr
    );
    // A .tf error in a directory names the file and its own line.
    let tfdir = dir.join("tf");
    std::fs::create_dir_all(&tfdir).unwrap();
    std::fs::write(tfdir.join("a.tf"), "variable \"x\" {\n  default = 1\n}\n").unwrap();
    std::fs::write(
        tfdir.join("b.tf"),
        "resource \"azurerm_resource_group\" \"r\" {\n  name     = nope(1)\n  location = \"uksouth\"\n}\n",
    )
    .unwrap();
    let run = netsec(&["import", &tfdir.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("b.tf: line 2, column 14: unknown function 'nope'"),
        "{}",
        run.stderr
    );
    // A local module's files are read from below the directory, and an
    // error there names the module's file.
    let module = tfdir.join("modules").join("net");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        tfdir.join("b.tf"),
        "module \"net\" {\n  source = \"./modules/net\"\n  space  = \"10.9.0.0/16\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        module.join("main.tf"),
        "variable \"space\" {}\nresource \"azurerm_virtual_network\" \"v\" {\n  name = \"from-module\"\n  location = \"uksouth\"\n  resource_group_name = \"rg\"\n  address_space = [var.space]\n}\n",
    )
    .unwrap();
    let run = netsec(&["import", &tfdir.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("virtualNetworks/from-module"),
        "{}",
        run.stdout
    );
    std::fs::write(
        module.join("main.tf"),
        "variable \"space\" {}\nresource \"x\" {\n",
    )
    .unwrap();
    let run = netsec(&["import", &tfdir.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("/modules/net/main.tf: line 3, column 1: this is not valid Terraform"),
        "{}",
        run.stderr
    );
    // Parameters for a format that takes none.
    let run = netsec(&[
        "validate",
        "--scenario",
        &fixture("web.json"),
        "--parameters",
        &bad_params,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("only for ARM templates and Terraform source"),
        "{}",
        run.stderr
    );
    // Stray words are still refused by the other commands.
    let run = netsec(&["validate", "extra", "--scenario", &fixture("web.json")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unexpected argument 'extra'"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_command_checks_every_flow_at_its_json_path() {
    let dir = std::env::temp_dir().join(format!("netsec-flows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::read_to_string(corpus("smtp-csp.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&base).unwrap();
    let cases = [
        (
            serde_json::json!({"name": "a", "source": "vm/mail", "destination": "198.51.100.1", "protocol": "Tcp", "destinationPort": 70000}),
            "$.flows[0].destinationPort: port 70000 is outside 0-65535",
        ),
        (
            serde_json::json!({"name": "a", "source": "vm/nosuch", "destination": "198.51.100.1", "protocol": "Tcp", "destinationPort": 443}),
            "$.flows[0].source: ",
        ),
        (
            serde_json::json!({"name": "a", "source": "vm/mail", "destination": "198.51.100.1", "protocol": "Tcp"}),
            "needs a destination port",
        ),
        (
            serde_json::json!({"name": "a", "source": "vm/mail", "destination": "2001:db8::1", "protocol": "Tcp", "destinationPort": 443}),
            "different IP versions",
        ),
        (
            serde_json::json!({"name": "a", "source": "vm/mail", "destination": "10.0.0.0/33", "protocol": "Tcp", "destinationPort": 443}),
            "'10.0.0.0/33' is an address prefix; a flow runs between single addresses",
        ),
        (
            serde_json::json!({"name": "a", "source": "vm/mail", "destination": "198.51.100.1", "protocol": "Tcp", "destinationPort": 443, "expect": {"verdict": "Alowed", "fact": "x"}}),
            "$.flows[0].expect.verdict: the verdict must be Allowed or Denied",
        ),
    ];
    for (i, (flow, wanted)) in cases.iter().enumerate() {
        doc["flows"] = serde_json::json!([flow]);
        let file = dir.join(format!("case-{i}.json"));
        std::fs::write(&file, doc.to_string()).unwrap();
        let path = file.to_string_lossy();
        for args in [
            vec!["validate", "--scenario", &path],
            vec!["check", "--scenario", &path],
            vec!["import", &path],
            vec!["convert", &path, "--to", "arm"],
        ] {
            let command = args[0];
            let out = Command::new(env!("CARGO_BIN_EXE_netsec"))
                .args(&args)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{command} {wanted}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(wanted), "{command}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
    // Two flows with one name.
    doc["flows"] = serde_json::json!([
        {"name": "a", "source": "vm/mail", "destination": "198.51.100.1", "protocol": "Tcp", "destinationPort": 443},
        {"name": "A", "source": "vm/mail", "destination": "198.51.100.1", "protocol": "Tcp", "destinationPort": 80}
    ]);
    let file = dir.join("dup.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_netsec"))
        .args(["validate", "--scenario", &file.to_string_lossy()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("$.flows[1].name"));
}

#[test]
fn flow_logs_leave_out_inbound_traffic_to_a_private_endpoint() {
    // §5.5: NSG flow logs don't capture inbound traffic to a private endpoint;
    // the PE subnet's NSG would be the one logged for `to-pe`, so only
    // `web-to-app` (logged at the web subnet's NSG) has a record.
    let v = json(&netsec(&[
        "flow-log",
        "--scenario",
        &fixture("pe-flowlog.json"),
    ]));
    let text = v.to_string();
    assert!(!text.contains("pe-nsg"), "{text}");
    assert!(text.contains("10.0.1.4,10.0.2.4,50000,443,T,O,A"), "{text}");
}

#[test]
fn a_flow_log_record_names_the_nic_its_nsg_guards_when_vnets_reuse_an_address() {
    // a1 (the first NIC) and b2 (the fourth) both hold 10.0.1.4 in VNets that
    // are not peered; b2's NSG denies the flow, so the record is b2's.
    let v = json(&netsec(&[
        "flow-log",
        "--scenario",
        &corpus("overlapping-unpeered-vnets.json"),
        "--flow",
        "b to 10.0.1.4: b's own VM, whose NSG denies SSH",
        "--time",
        "1",
    ]));
    let text = v.to_string();
    assert!(text.contains("\"mac\":\"000D3A000003\""), "{text}");
    assert!(text.contains("B2-ONLY-SSH-FROM-B"), "{text}");
}

/// NSG diagnostics puts the security admin rules of the NIC's VNet first:
/// Deny ends there, AlwaysAllow allows without the NSGs, Allow hands on to
/// them (both NSGs of the fixture allow 23 and allow nothing else).
#[test]
fn diagnose_evaluates_admin_rules_before_the_nsgs() {
    let diagnose = |port: &str| {
        let v = json(&netsec(&[
            "diagnose",
            "--scenario",
            &fixture("admin-diagnose.json"),
            "--vm",
            "web-vm",
            "--direction",
            "Inbound",
            "--protocol",
            "TCP",
            "--source",
            "203.0.113.10",
            "--destination",
            "10.0.1.4",
            "--destination-port",
            port,
        ]));
        v["results"][0]["networkSecurityGroupResult"].clone()
    };
    let denied = diagnose("23");
    assert_eq!(denied["securityRuleAccessResult"], "Deny");
    let layers = denied["evaluatedNetworkSecurityGroups"].as_array().unwrap();
    assert_eq!(layers.len(), 1, "{layers:?}");
    assert_eq!(layers[0]["matchedRule"]["ruleName"], "deny-23");
    assert!(
        layers[0]["appliedTo"]
            .as_str()
            .unwrap()
            .ends_with("/virtualNetworks/vnet")
    );
    assert!(
        layers[0]["networkSecurityGroupId"]
            .as_str()
            .unwrap()
            .contains("/securityAdminConfigurations/")
    );
    let always = diagnose("24");
    assert_eq!(always["securityRuleAccessResult"], "Allow");
    assert_eq!(
        always["evaluatedNetworkSecurityGroups"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        always["evaluatedNetworkSecurityGroups"][0]["matchedRule"]["ruleName"],
        "always-24"
    );
    // Allow by the admin rule, then the subnet NSG's DenyAllInBound decides.
    let handed_on = diagnose("22");
    assert_eq!(handed_on["securityRuleAccessResult"], "Deny");
    let layers = handed_on["evaluatedNetworkSecurityGroups"]
        .as_array()
        .unwrap();
    assert_eq!(layers.len(), 2, "{layers:?}");
    assert_eq!(layers[0]["matchedRule"]["ruleName"], "allow-22");
    assert_eq!(layers[1]["matchedRule"]["ruleName"], "DenyAllInBound");
    // No admin rule matches port 80: no admin entry; the NSGs decide.
    let nsgs_only = diagnose("80");
    assert_eq!(
        nsgs_only["evaluatedNetworkSecurityGroups"][0]["matchedRule"]["ruleName"],
        "DenyAllInBound"
    );
}

/// IP flow verify on a VM with several NICs, one of them forwarding, needs
/// the NIC named (Azure's targetNicResourceId); with it, the check runs.
#[test]
fn test_ip_flow_needs_the_nic_of_a_multi_nic_vm_that_forwards() {
    let s = fixture("multi-nic-forwarding.json");
    let args = |target: [&'static str; 2]| -> Vec<String> {
        let mut a = vec![
            String::from("test-ip-flow"),
            String::from("--scenario"),
            s.clone(),
        ];
        a.extend(target.map(String::from));
        a.extend(
            [
                "--direction",
                "Inbound",
                "--protocol",
                "TCP",
                "--local",
                "10.0.2.5:22",
                "--remote",
                "203.0.113.10:5000",
            ]
            .map(String::from),
        );
        a
    };
    let run_with = |target| {
        let a = args(target);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        netsec(&a)
    };
    let run = run_with(["--vm", "web-vm"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("IP forwarding is on for web-nic2")
            && run.stderr.contains("name the network interface"),
        "{}",
        run.stderr
    );
    let run = run_with(["--nic", "web-nic2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A pipe reports no length: its input is held to the size limit as it is
/// read, so an endless producer gets the size error, not an exhausted memory.
#[cfg(unix)]
#[test]
fn a_pipe_past_the_size_limit_is_refused() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_netsec"))
        .args(["import", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 1 << 20];
        // 129 MB, then stop (the reader may close the pipe first).
        for _ in 0..129 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("more than 128 MB"), "{stderr}");
}

/// Symbolic links back to the configuration's own directory are walked once,
/// not once per link per level (ten links eight levels deep never ended).
#[cfg(unix)]
#[test]
fn links_back_into_a_terraform_directory_are_read_once() {
    let dir = std::env::temp_dir().join(format!("netsec-tf-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "resource \"azurerm_network_security_group\" \"n\" {\n  name = \"nsg1\"\n  location = \"westeurope\"\n  resource_group_name = \"rg\"\n}\n",
    )
    .unwrap();
    for i in 0..10 {
        std::os::unix::fs::symlink(".", dir.join(format!("l{i}"))).unwrap();
    }
    let run = netsec(&["import", &dir.display().to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("nsg1"), "{}", run.stdout);
}

/// `convert` names the problem with --to: absent, or given twice.
#[test]
fn convert_says_whether_to_is_missing_or_repeated() {
    let s = fixture("web.json");
    let twice = netsec(&["convert", &s, "--to", "arm", "--to", "terraform"]);
    assert_eq!(twice.code, 2);
    assert!(
        twice.stderr.contains("--to is given more than once"),
        "{}",
        twice.stderr
    );
    let none = netsec(&["convert", &s]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("--to is required"), "{}", none.stderr);
}

//! One-click flows, found in whatever scenario is open: Internet to the web
//! VM on 443 (north/south), web to database on 1433 (east/west), spoke to
//! spoke through the hub (east/west via an appliance), and a VM to the
//! Internet on 25 (SMTP). Each preset picks its endpoints from the scenario
//! by role and name, or says why it cannot.

use netsec_import::scenario::doc::{FlowDoc, ScenarioDoc};

/// A preset's id, label and builder.
pub struct Preset {
    /// Stable id (data-testid).
    pub id: &'static str,
    /// Button text.
    pub label: &'static str,
    /// Builds the flow, or says what is missing.
    pub build: fn(&ScenarioDoc) -> Result<FlowDoc, String>,
}

/// The presets, in button order.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "internet-web",
        label: "Internet → web VM :443",
        build: internet_to_web,
    },
    Preset {
        id: "web-db",
        label: "web → db :1433",
        build: web_to_db,
    },
    Preset {
        id: "spoke-spoke",
        label: "spoke → spoke via hub",
        build: spoke_to_spoke,
    },
    Preset {
        id: "smtp",
        label: "VM → Internet :25",
        build: smtp_out,
    },
];

fn flow(name: &str, source: String, destination: String, port: i64) -> FlowDoc {
    FlowDoc {
        name: name.to_string(),
        source,
        destination,
        protocol: String::from("Tcp"),
        destination_port: Some(port),
        ..Default::default()
    }
}

fn vm_vnet(doc: &ScenarioDoc, vm: &str) -> Option<String> {
    let nic = doc.vms.iter().find(|v| v.name == vm)?.nics.first()?;
    Some(
        doc.nics
            .iter()
            .find(|n| &n.name == nic)?
            .ip_configurations
            .first()?
            .vnet
            .clone(),
    )
}

fn vm_named<'a>(doc: &'a ScenarioDoc, words: &[&str], except: Option<&str>) -> Option<&'a str> {
    doc.vms
        .iter()
        .filter(|v| !v.is_appliance && Some(v.name.as_str()) != except)
        .map(|v| v.name.as_str())
        .find(|n| words.iter().any(|w| n.to_ascii_lowercase().contains(w)))
}

fn internet_to_web(doc: &ScenarioDoc) -> Result<FlowDoc, String> {
    let client = doc.internet_clients.first().map_or_else(
        || String::from("203.0.113.10"),
        |c| format!("client/{}", c.name),
    );
    // The web VM's public IP, else a public load balancer, else the firewall's DNAT address.
    let nic_pips: Vec<(String, String)> = doc
        .vms
        .iter()
        .filter_map(|v| {
            let nic = doc.nics.iter().find(|n| v.nics.first() == Some(&n.name))?;
            Some((
                v.name.clone(),
                nic.ip_configurations.first()?.public_ip.clone()?,
            ))
        })
        .collect();
    let target = nic_pips
        .iter()
        .find(|(vm, _)| vm.to_ascii_lowercase().contains("web"))
        .or(nic_pips.first())
        .map(|(_, pip)| format!("pip/{pip}"))
        .or_else(|| {
            doc.load_balancers
                .iter()
                .find(|l| l.frontends.iter().any(|f| f.public_ip.is_some()))
                .map(|l| format!("lb/{}", l.name))
        })
        .or_else(|| {
            doc.firewalls
                .iter()
                .find(|f| !f.public_ips.is_empty())
                .map(|f| format!("firewall/{}", f.name))
        })
        .ok_or("no VM, load balancer or firewall has a public IP to reach from the Internet")?;
    Ok(flow("Internet → web :443", client, target, 443))
}

fn web_to_db(doc: &ScenarioDoc) -> Result<FlowDoc, String> {
    let web = vm_named(doc, &["web", "app", "front"], None)
        .or_else(|| {
            doc.vms
                .iter()
                .find(|v| !v.is_appliance)
                .map(|v| v.name.as_str())
        })
        .ok_or("there is no VM")?;
    let db = vm_named(doc, &["db", "sql", "data"], Some(web))
        .or_else(|| {
            doc.vms
                .iter()
                .find(|v| !v.is_appliance && v.name != web)
                .map(|v| v.name.as_str())
        })
        .ok_or("a second VM is needed")?;
    Ok(flow(
        "web → db :1433",
        format!("vm/{web}"),
        format!("vm/{db}"),
        1433,
    ))
}

fn spoke_to_spoke(doc: &ScenarioDoc) -> Result<FlowDoc, String> {
    let vms: Vec<(&str, String)> = doc
        .vms
        .iter()
        .filter(|v| !v.is_appliance)
        .filter_map(|v| Some((v.name.as_str(), vm_vnet(doc, &v.name)?)))
        .collect();
    for (a, va) in &vms {
        if let Some((b, _)) = vms.iter().find(|(_, vb)| vb != va) {
            return Ok(flow(
                "spoke → spoke via hub",
                format!("vm/{a}"),
                format!("vm/{b}"),
                1433,
            ));
        }
    }
    Err(String::from(
        "two VMs in different virtual networks are needed",
    ))
}

fn smtp_out(doc: &ScenarioDoc) -> Result<FlowDoc, String> {
    let vm = vm_named(doc, &["mail", "smtp", "web", "app"], None)
        .or_else(|| {
            doc.vms
                .iter()
                .find(|v| !v.is_appliance)
                .map(|v| v.name.as_str())
        })
        .ok_or("there is no VM")?;
    Ok(flow(
        "VM → Internet :25",
        format!("vm/{vm}"),
        String::from("198.51.100.25"),
        25,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn gallery(id: &str) -> ScenarioDoc {
        netsec_import::load_scenario(crate::gallery::find(id).unwrap())
            .unwrap()
            .doc
    }

    #[test]
    fn presets_find_their_endpoints_by_role() {
        let web = gallery("web-vm-80-443");
        assert_eq!((PRESETS[0].build)(&web).unwrap().destination, "pip/web-ip");
        let tiers = gallery("asg-tiers");
        let f = (PRESETS[1].build)(&tiers).unwrap();
        assert_eq!(
            (f.source.as_str(), f.destination.as_str()),
            ("vm/web-vm", "vm/db-vm")
        );
        let hub = gallery("hub-spoke-firewall");
        let f = (PRESETS[2].build)(&hub).unwrap();
        assert_eq!(
            (f.source.as_str(), f.destination.as_str()),
            ("vm/app-vm", "vm/sql-vm")
        );
        assert!(
            (PRESETS[2].build)(&web)
                .unwrap_err()
                .contains("different virtual networks")
        );
        assert_eq!(
            (PRESETS[3].build)(&gallery("smtp-by-subscription"))
                .unwrap()
                .source,
            "vm/mail-vm"
        );
    }

    #[test]
    fn every_preset_resolves_in_the_scenario_it_is_for() {
        for (scenario, preset) in [
            ("locked-down-vm", 0),
            ("asg-tiers", 1),
            ("hub-spoke-firewall", 2),
            ("smtp-by-subscription", 3),
        ] {
            let loaded =
                netsec_import::load_scenario(crate::gallery::find(scenario).unwrap()).unwrap();
            let f = (PRESETS[preset].build)(&loaded.doc).unwrap();
            netsec_import::flow_from_doc(&loaded.doc, &loaded.network, &f).unwrap();
        }
    }
}

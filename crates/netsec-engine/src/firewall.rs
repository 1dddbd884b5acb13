//! Azure Firewall rule processing (azure-semantics §6.1).
//!
//! Rule types always run DNAT, then network, then application, whatever the
//! priorities. Within a type: parent-policy groups first, then groups by
//! priority, then collections by priority, then rules top-down. Rules are
//! terminating; nothing matching means deny.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::error::{ErrorKind, ModelError};
use crate::flow::Flow;
use crate::network::check_name;
use crate::protocol::Protocol;
use crate::resources::{
    Access, AddressItem, ApplicationRule, CollectionRules, Firewall, FirewallRules, NatRule,
    NetworkRule, RuleCollection,
};
use crate::tags::TagContext;
use crate::trace::{Note, RuleHit};

/// A rule's name inside a rule collection. The reference documents the
/// naming rules of collections, not of the rules in them, and Microsoft's
/// own Terraform quickstart for a firewall policy names an application rule
/// "Global Rule". The engine's choice: any name of 1 to 80 characters
/// without control characters (the collection limit of 80 is assumed).
fn check_rule_name(resource: &str, name: &str) -> Result<(), ModelError> {
    let reason = if name.trim().is_empty() {
        "a name is required"
    } else if name.chars().count() > 80 {
        "names are at most 80 characters"
    } else if name.chars().any(char::is_control) {
        "names may not contain control characters"
    } else {
        return Ok(());
    };
    Err(ModelError::new(
        resource,
        "name",
        ErrorKind::InvalidName { reason },
    ))
}

/// Checks names and priorities of a firewall's rules.
pub(crate) fn check_rules(fw_path: &str, rules: &FirewallRules) -> Result<(), ModelError> {
    let check_collection = |path: &str, c: &RuleCollection| -> Result<(), ModelError> {
        check_name(path, &c.name)?;
        if !(100..=65000).contains(&c.priority) {
            return Err(ModelError::new(
                path,
                "priority",
                ErrorKind::PriorityOutOfRange {
                    priority: c.priority,
                    min: 100,
                    max: 65000,
                },
            ));
        }
        let names: Vec<&String> = match &c.rules {
            CollectionRules::Nat(r) => r.iter().map(|x| &x.name).collect(),
            CollectionRules::Network(_, r) => r.iter().map(|x| &x.name).collect(),
            CollectionRules::Application(_, r) => r.iter().map(|x| &x.name).collect(),
        };
        for n in names {
            check_rule_name(&alloc::format!("{path}/rules/{n}"), n)?;
        }
        if let CollectionRules::Nat(rules) = &c.rules {
            for r in rules {
                if r.protocols.is_empty()
                    || r.protocols
                        .iter()
                        .any(|p| !matches!(p, Protocol::Tcp | Protocol::Udp))
                {
                    return Err(ModelError::new(
                        alloc::format!("{path}/rules/{}", r.name),
                        "protocols",
                        ErrorKind::NotAllowed {
                            reason: String::from("DNAT rules take TCP and/or UDP"),
                        },
                    ));
                }
            }
        }
        Ok(())
    };
    match rules {
        FirewallRules::Classic(collections) => {
            for c in collections {
                check_collection(
                    &alloc::format!("{fw_path}/{}/{}", classic_kind(c), c.name),
                    c,
                )?;
            }
        }
        FirewallRules::Policy { name, groups } => {
            let ppath = alloc::format!("firewallPolicies/{name}");
            check_name(&ppath, name)?;
            // At most 50 rule collection groups per policy (azure-semantics §6.1).
            if groups.len() > 50 {
                return Err(ModelError::new(
                    ppath,
                    "ruleCollectionGroups",
                    ErrorKind::LimitExceeded {
                        what: "rule collection groups in a firewall policy",
                        limit: 50,
                        count: groups.len(),
                    },
                ));
            }
            for (i, g) in groups.iter().enumerate() {
                let gpath = alloc::format!("{ppath}/ruleCollectionGroups/{}", g.name);
                check_name(&gpath, &g.name)?;
                if groups[..i]
                    .iter()
                    .any(|o| o.name.eq_ignore_ascii_case(&g.name))
                {
                    return Err(ModelError::new(gpath, "name", ErrorKind::DuplicateName));
                }
                if !(100..=65000).contains(&g.priority) {
                    return Err(ModelError::new(
                        gpath,
                        "priority",
                        ErrorKind::PriorityOutOfRange {
                            priority: g.priority,
                            min: 100,
                            max: 65000,
                        },
                    ));
                }
                for c in &g.collections {
                    check_collection(&alloc::format!("{gpath}/ruleCollections/{}", c.name), c)?;
                }
            }
        }
    }
    Ok(())
}

fn classic_kind(c: &RuleCollection) -> &'static str {
    match c.rules {
        CollectionRules::Nat(_) => "natRuleCollections",
        CollectionRules::Network(..) => "networkRuleCollections",
        CollectionRules::Application(..) => "applicationRuleCollections",
    }
}

/// Collections in processing order, each with its path prefix.
fn ordered(fw: &Firewall) -> Vec<(String, &RuleCollection, u32)> {
    let mut out: Vec<((bool, u32, u32), String, &RuleCollection)> = Vec::new();
    match &fw.rules {
        FirewallRules::Classic(collections) => {
            for c in collections {
                out.push((
                    (true, 0, c.priority),
                    alloc::format!("azureFirewalls/{}/{}/{}", fw.name, classic_kind(c), c.name),
                    c,
                ));
            }
        }
        FirewallRules::Policy { name, groups } => {
            for g in groups {
                for c in &g.collections {
                    let path = alloc::format!(
                        "firewallPolicies/{name}/ruleCollectionGroups/{}/ruleCollections/{}",
                        g.name,
                        c.name
                    );
                    // Parent policy groups always come first (false sorts before true).
                    out.push(((!g.from_parent_policy, g.priority, c.priority), path, c));
                }
            }
        }
    }
    crate::rangeset::sort_by_key_stably(&mut out, |((parent_last, group, collection), _, _)| {
        (u128::from(*parent_last) << 64) | (u128::from(*group) << 32) | u128::from(*collection)
    });
    out.into_iter()
        .map(|((_, _, p), path, c)| (path, c, p))
        .collect()
}

fn item_matches(
    ctx: &TagContext<'_>,
    items: &[AddressItem],
    addr: IpAddr,
    notes: &mut Vec<Note>,
) -> bool {
    items.iter().any(|i| match i {
        AddressItem::Any => true,
        AddressItem::Net(n) => n.contains(&addr),
        AddressItem::Tag(t) => match ctx.tag_match(t, addr) {
            Some(basis) => {
                notes.extend(basis.note());
                true
            }
            None => false,
        },
    })
}

/// Whether `host` matches an FQDN pattern (`*.contoso.com`, `*contoso.com`,
/// `*`, or exact).
///
/// `*contoso.com` (a star not followed by a dot) is matched as "ends with
/// contoso.com", so it takes `contoso.com`, `www.contoso.com` and also
/// `notcontoso.com`. The reference does not define it; Microsoft's firewall
/// sandbox templates use `*microsoft.com` to allow `www.microsoft.com`, and a
/// plain suffix is the reading that makes them work. A match that rests on
/// it is noted as an assumption ([`fqdn_suffix_assumed`]).
pub fn fqdn_matches(pattern: &str, host: &str) -> bool {
    let (p, h) = (
        pattern.trim().trim_end_matches('.'),
        host.trim().trim_end_matches('.'),
    );
    if p == "*" {
        return true;
    }
    if let Some(suffix) = p.strip_prefix("*.") {
        return h.len() > suffix.len() + 1
            && h.is_char_boundary(h.len() - suffix.len())
            && h[h.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
            && h.as_bytes()[h.len() - suffix.len() - 1] == b'.';
    }
    if let Some(suffix) = p.strip_prefix('*') {
        return !suffix.is_empty()
            && h.len() >= suffix.len()
            && h.is_char_boundary(h.len() - suffix.len())
            && h[h.len() - suffix.len()..].eq_ignore_ascii_case(suffix);
    }
    p.eq_ignore_ascii_case(h)
}

/// Whether a match of `pattern` rests on the `*contoso.com` reading.
pub fn fqdn_suffix_assumed(pattern: &str) -> bool {
    let p = pattern.trim();
    p.len() > 1 && p.starts_with('*') && !p.starts_with("*.")
}

/// The note for a match that rests on the `*contoso.com` reading.
fn fqdn_suffix_note() -> Note {
    Note::assumption(
        "a target FQDN like *contoso.com (no dot after the star) is read as 'ends with contoso.com'; Azure's documentation shows only *.contoso.com",
    )
}

/// A firewall's decision on one flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallDecision {
    /// Allow or deny.
    pub access: Access,
    /// The deciding rule; `None` is the default deny (or the implicit DNAT allow).
    pub rule: Option<RuleHit>,
    /// Whether an application rule decided (the firewall then SNATs to itself).
    pub by_application_rule: bool,
    /// Why, in a sentence.
    pub reason: String,
    /// Remarks.
    pub notes: Vec<Note>,
}

/// The DNAT rule matching a flow to one of the firewall's public addresses.
pub fn match_dnat(
    ctx: &TagContext<'_>,
    fw: &Firewall,
    flow: &Flow,
) -> Option<(RuleHit, IpAddr, u16)> {
    for (path, c, priority) in ordered(fw) {
        let CollectionRules::Nat(rules) = &c.rules else {
            continue;
        };
        for r in rules {
            let NatRule {
                name,
                protocols,
                sources,
                destination,
                destination_ports,
                translated_address,
                translated_port,
            } = r;
            let mut ignore = Vec::new();
            if protocols.contains(&flow.protocol)
                && *destination == flow.destination
                && destination_ports.contains(flow.destination_port)
                && item_matches(ctx, sources, flow.source, &mut ignore)
            {
                let hit = RuleHit {
                    name: alloc::format!("{path}/rules/{name}"),
                    priority: Some(priority),
                    action: String::from("Dnat"),
                };
                return Some((hit, *translated_address, *translated_port));
            }
        }
    }
    None
}

fn network_rule_matches(
    ctx: &TagContext<'_>,
    r: &NetworkRule,
    flow: &Flow,
    host: Option<&str>,
    notes: &mut Vec<Note>,
) -> bool {
    let proto = r.protocols.is_empty() || r.protocols.contains(&flow.protocol);
    let port = !flow.protocol.has_ports() || r.destination_ports.contains(flow.destination_port);
    let dst = item_matches(ctx, &r.destinations, flow.destination, notes)
        || host.is_some_and(|h| r.destination_fqdns.iter().any(|f| fqdn_matches(f, h)));
    let matched = proto && port && dst && item_matches(ctx, &r.sources, flow.source, notes);
    if matched
        && host.is_some_and(|h| {
            r.destination_fqdns
                .iter()
                .any(|f| fqdn_matches(f, h) && fqdn_suffix_assumed(f))
        })
    {
        notes.push(fqdn_suffix_note());
    }
    matched
}

fn application_rule_matches(
    ctx: &TagContext<'_>,
    r: &ApplicationRule,
    flow: &Flow,
    host: &str,
    notes: &mut Vec<Note>,
) -> bool {
    let proto = flow.protocol == Protocol::Tcp
        && r.protocols
            .iter()
            .any(|(_, port)| *port == flow.destination_port);
    let Some(pattern) = r.target_fqdns.iter().find(|f| fqdn_matches(f, host)) else {
        return false;
    };
    let matched = proto && item_matches(ctx, &r.sources, flow.source, notes);
    if matched && fqdn_suffix_assumed(pattern) {
        notes.push(fqdn_suffix_note());
    }
    matched
}

/// Network then application rules, then default deny. `dnat_done` means the
/// flow was translated by a DNAT rule, which brings an implicit allow that only
/// an explicit network deny overrides.
pub fn filter(
    ctx: &TagContext<'_>,
    fw: &Firewall,
    flow: &Flow,
    host: Option<&str>,
    dnat_done: bool,
) -> FirewallDecision {
    let mut notes = Vec::new();
    if fw.threat_intel {
        notes.push(Note::not_modelled(
            "threat-intelligence filtering runs before the rules; its feed is not modelled",
        ));
    }
    let collections = ordered(fw);
    for (path, c, priority) in &collections {
        let CollectionRules::Network(action, rules) = &c.rules else {
            continue;
        };
        for r in rules {
            if network_rule_matches(ctx, r, flow, host, &mut notes) {
                let hit = RuleHit {
                    name: alloc::format!("{path}/rules/{}", r.name),
                    priority: Some(*priority),
                    action: alloc::format!("{action}"),
                };
                let reason = alloc::format!(
                    "network rule {} ({action}) matched; network rules run before application rules",
                    r.name
                );
                return FirewallDecision {
                    access: *action,
                    rule: Some(hit),
                    by_application_rule: false,
                    reason,
                    notes,
                };
            }
        }
    }
    if dnat_done {
        let reason =
            String::from("the DNAT rule's implicit network rule allows the translated flow");
        return FirewallDecision {
            access: Access::Allow,
            rule: None,
            by_application_rule: false,
            reason,
            notes,
        };
    }
    match host {
        Some(h) => {
            for (path, c, priority) in &collections {
                let CollectionRules::Application(action, rules) = &c.rules else {
                    continue;
                };
                for r in rules {
                    if application_rule_matches(ctx, r, flow, h, &mut notes) {
                        let hit = RuleHit {
                            name: alloc::format!("{path}/rules/{}", r.name),
                            priority: Some(*priority),
                            action: alloc::format!("{action}"),
                        };
                        let reason =
                            alloc::format!("application rule {} ({action}) matched {h}", r.name);
                        return FirewallDecision {
                            access: *action,
                            rule: Some(hit),
                            by_application_rule: true,
                            reason,
                            notes,
                        };
                    }
                }
            }
        }
        None => {
            if collections
                .iter()
                .any(|(_, c, _)| matches!(c.rules, CollectionRules::Application(..)))
            {
                notes.push(Note::documented("application rules match on a host name (HTTP Host or TLS SNI); this flow has none, so they were skipped"));
            }
        }
    }
    notes.push(Note::not_modelled(
        "Azure's built-in infrastructure rule collection (Azure platform FQDNs) is not modelled",
    ));
    FirewallDecision {
        access: Access::Deny,
        rule: None,
        by_application_rule: false,
        reason: String::from("no rule matched: Azure Firewall denies by default"),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::fqdn_matches;

    #[test]
    fn fqdn_wildcards_cover_subdomains_only() {
        assert!(fqdn_matches("*.contoso.com", "www.contoso.com"));
        assert!(!fqdn_matches("*.contoso.com", "contoso.com"));
        assert!(!fqdn_matches("*.contoso.com", "evilcontoso.com"));
        assert!(fqdn_matches("www.Contoso.com", "WWW.contoso.com"));
        assert!(fqdn_matches("*", "anything.example"));
        // The star without a dot: a plain suffix (an assumption).
        assert!(fqdn_matches("*microsoft.com", "www.microsoft.com"));
        assert!(fqdn_matches("*microsoft.com", "microsoft.com"));
        assert!(!fqdn_matches(
            "*microsoft.com",
            "microsoft.com.evil.example"
        ));
        assert!(super::fqdn_suffix_assumed("*microsoft.com"));
        assert!(!super::fqdn_suffix_assumed("*.microsoft.com"));
        assert!(!super::fqdn_suffix_assumed("*"));
        // Hosts with multi-byte characters never split one.
        assert!(!fqdn_matches("*.com", "é.cö"));
        assert!(!fqdn_matches("*m", "é"));
    }
}

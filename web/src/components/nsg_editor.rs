//! The NSG rules table, in the portal's vocabulary: priority, name, port,
//! protocol, source, destination, action, per direction, sorted by priority,
//! with the default rules read-only beneath. Every field edits in place; the
//! engine's Azure-style error appears next to the field at fault.

use netsec_engine::nsg_eval::default_rules;
use netsec_engine::{AddressSpec, Direction};
use netsec_import::scenario::doc::{NsgDoc, RuleDoc, ScenarioDoc};
use yew::prelude::*;

use crate::app::Ctx;
use crate::edit::next_priority;
use crate::state::Action;

/// Service tags offered for completion (any tag is accepted).
pub const TAGS: &[&str] = &[
    "VirtualNetwork",
    "Internet",
    "AzureLoadBalancer",
    "AzureCloud",
    "Storage",
    "Sql",
    "AzureKeyVault",
    "AzureMonitor",
    "EventHub",
    "ServiceBus",
    "AppService",
    "AzureCosmosDB",
    "AzureContainerRegistry",
    "AzureActiveDirectory",
    "AzureFrontDoor.Backend",
    "GatewayManager",
    "AzureBastion",
    "AzurePlatformDNS",
    "AzurePlatformIMDS",
    "AzurePlatformLKM",
];

/// How one side of a rule is written, for the editor's type selector.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SideKind {
    /// `*`.
    Any,
    /// IPs and CIDRs.
    Addresses,
    /// One service tag.
    Tag,
    /// ASGs.
    Asgs,
}

/// Reads one side of a rule document into (kind, text).
pub fn side_text(single: &Option<String>, list: &[String], asgs: &[String]) -> (SideKind, String) {
    if !asgs.is_empty() {
        return (SideKind::Asgs, asgs.join(", "));
    }
    if !list.is_empty() {
        return (SideKind::Addresses, list.join(", "));
    }
    match single.as_deref().map(str::trim) {
        None | Some("") | Some("*") => (SideKind::Any, String::from("*")),
        Some(t) if netsec_engine::address::parse_prefix(t).is_ok() => {
            (SideKind::Addresses, t.to_string())
        }
        Some(t) => (SideKind::Tag, t.to_string()),
    }
}

/// Writes one side back: (single, list, asgs), as ARM writes it.
pub fn side_fields(kind: SideKind, text: &str) -> (Option<String>, Vec<String>, Vec<String>) {
    let items: Vec<String> = text
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    match kind {
        SideKind::Any => (Some(String::from("*")), vec![], vec![]),
        SideKind::Tag => (Some(text.trim().to_string()), vec![], vec![]),
        SideKind::Asgs => (None, vec![], items),
        SideKind::Addresses if items.len() == 1 => (items.into_iter().next(), vec![], vec![]),
        SideKind::Addresses => (None, items, vec![]),
    }
}

/// Writes a port list back: one item in the single field, several in the list.
pub fn port_fields(text: &str) -> (Option<String>, Vec<String>) {
    let items: Vec<String> = text
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if items.len() <= 1 {
        (Some(items.into_iter().next().unwrap_or_default()), vec![])
    } else {
        (None, items)
    }
}

fn port_text(single: &Option<String>, list: &[String]) -> String {
    if list.is_empty() {
        single.clone().unwrap_or_default()
    } else {
        list.join(", ")
    }
}

/// Editor properties.
#[derive(Properties, PartialEq)]
pub struct NsgEditorProps {
    /// Index of the NSG in the document.
    pub index: usize,
}

fn edit_rule(
    ctx: &Ctx,
    nsg_index: usize,
    rule_index: usize,
    label: &str,
    f: impl Fn(&mut RuleDoc),
) {
    let mut d: ScenarioDoc = ctx.doc().clone();
    let Some(rule) = d
        .nsgs
        .get_mut(nsg_index)
        .and_then(|n| n.rules.get_mut(rule_index))
    else {
        return;
    };
    f(rule);
    ctx.apply_doc(label, d);
}

/// Sorts rows by priority, keeping document order among equal priorities
/// (what `sort_by_key` did). An insertion sort: rules are few and usually in
/// order already, and it spares the bundle a stable-sort instantiation.
fn sort_by_priority(rows: &mut [(usize, &RuleDoc)]) {
    for k in 1..rows.len() {
        let mut m = k;
        while m > 0 && rows[m - 1].1.priority > rows[m].1.priority {
            rows.swap(m - 1, m);
            m -= 1;
        }
    }
}

/// The rules editor of one NSG.
#[component]
pub fn NsgEditor(props: &NsgEditorProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let Some(nsg) = ctx.doc().nsgs.get(props.index).cloned() else {
        return html! {};
    };
    let i = props.index;
    let add_rule = |direction: &'static str| {
        let ctx = ctx.clone();
        let nsg = nsg.clone();
        Callback::from(move |_| {
            let mut d = ctx.doc().clone();
            let Some(n) = d.nsgs.get_mut(i) else { return };
            let name = crate::edit::fresh_name(
                if direction == "Inbound" {
                    "allow-in"
                } else {
                    "allow-out"
                },
                n.rules.iter().map(|r| r.name.as_str()),
            );
            let priority = next_priority(&nsg, direction);
            n.rules.push(RuleDoc {
                name,
                priority,
                direction: direction.to_string(),
                access: String::from("Allow"),
                protocol: String::from("Tcp"),
                source_address_prefix: Some(String::from("*")),
                source_port_range: Some(String::from("*")),
                destination_address_prefix: Some(String::from("*")),
                destination_port_range: Some(String::from("443")),
                ..Default::default()
            });
            ctx.dispatch(Action::Apply {
                label: format!("add a rule to {}", nsg.name),
                doc: d,
                select: None,
            });
        })
    };
    let focus = ctx
        .state()
        .focus_rule
        .clone()
        .filter(|(n, _)| *n == nsg.name)
        .map(|(_, r)| r);
    let section = |direction: Direction| {
        let dir_text = direction.to_string();
        let mut rows: Vec<(usize, &RuleDoc)> = nsg
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.direction.eq_ignore_ascii_case(&dir_text))
            .collect();
        sort_by_priority(&mut rows);
        let other_dir: Vec<(usize, &RuleDoc)> = nsg
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                !r.direction.eq_ignore_ascii_case("Inbound")
                    && !r.direction.eq_ignore_ascii_case("Outbound")
            })
            .collect();
        if direction == Direction::Inbound {
            rows.extend(other_dir);
        }
        let defaults: Vec<_> = default_rules()
            .into_iter()
            .filter(|r| r.direction == direction)
            .collect();
        let testid = format!("rules-{}", dir_text.to_ascii_lowercase());
        html! {
            <div class="rules-section">
                <h3>{ format!("{dir_text} security rules") }</h3>
                <table class="rules" data-testid={testid}>
                    <thead><tr>
                        <th scope="col">{ "Priority" }</th><th scope="col">{ "Name" }</th><th scope="col">{ "Port" }</th><th scope="col">{ "Protocol" }</th>
                        <th scope="col">{ "Source" }</th><th scope="col">{ "Destination" }</th><th scope="col">{ "Action" }</th><th scope="col"><span class="visually-hidden">{ "Rule actions" }</span></th>
                    </tr></thead>
                    <tbody>
                        { for rows.into_iter().map(|(j, r)| html! { <RuleRow nsg_index={i} rule_index={j} rule={r.clone()} focused={focus.as_deref() == Some(r.name.as_str())} /> }) }
                        { for defaults.iter().map(|r| {
                            let side = |s: &AddressSpec| match s { AddressSpec::Any => String::from("Any"), AddressSpec::Tag(t) => t.to_string(), _ => String::new() };
                            html! {
                                <tr class={classes!("default-rule", (focus.as_deref() == Some(r.name.as_str())).then_some("focused"))} data-testid={format!("default-rule-{}", r.name)}>
                                    <td>{ r.priority }</td><td>{ &r.name }</td><td>{ "Any" }</td><td>{ "Any" }</td>
                                    <td>{ side(&r.source) }</td><td>{ side(&r.destination) }</td><td class={r.access.to_string().to_ascii_lowercase()}>{ r.access.to_string() }</td>
                                    <td><span class="badge" title="Default rules cannot be changed; override them with a lower priority number">{ "default" }</span></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                <button onclick={add_rule(if direction == Direction::Inbound { "Inbound" } else { "Outbound" })} data-testid={format!("add-rule-{}", dir_text.to_ascii_lowercase())}>{ format!("+ Add {} rule", dir_text.to_ascii_lowercase()) }</button>
            </div>
        }
    };
    html! {
        <div class="nsg-editor" data-testid="nsg-editor">
            <datalist id="tag-list">{ for TAGS.iter().map(|t| html! { <option value={*t} /> }) }</datalist>
            <datalist id="asg-list">{ for ctx.doc().asgs.iter().map(|a| html! { <option value={a.name.clone()} /> }) }</datalist>
            if let Some(e) = ctx.error_at(&format!("$.nsgs[{i}]")) { <p class="field-error" role="alert" data-testid="nsg-error">{ e }</p> }
            { section(Direction::Inbound) }
            { section(Direction::Outbound) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RuleRowProps {
    nsg_index: usize,
    rule_index: usize,
    rule: RuleDoc,
    focused: bool,
}

#[component]
fn RuleRow(props: &RuleRowProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let (i, j) = (props.nsg_index, props.rule_index);
    let r = &props.rule;
    let base = format!("$.nsgs[{i}].rules[{j}]");
    let err = |fields: &[&str]| {
        fields
            .iter()
            .find_map(|f| ctx.error_at(&format!("{base}.{f}")))
    };
    let row_error = ctx.error_at(&base).filter(|_| {
        err(&[
            "priority",
            "name",
            "protocol",
            "access",
            "direction",
            "sourceAddressPrefix",
            "sourceAddressPrefixes",
            "sourceApplicationSecurityGroups",
            "destinationAddressPrefix",
            "destinationAddressPrefixes",
            "destinationApplicationSecurityGroups",
            "sourcePortRange",
            "sourcePortRanges",
            "destinationPortRange",
            "destinationPortRanges",
        ])
        .is_none()
    });
    let text_change = |label: &'static str, f: fn(&mut RuleDoc, String)| {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let value = input.value();
            edit_rule(&ctx, i, j, label, |r| f(r, value.clone()));
        })
    };
    let select_change = |label: &'static str, f: fn(&mut RuleDoc, String)| {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = s.value();
            edit_rule(&ctx, i, j, label, |r| f(r, value.clone()));
        })
    };
    let (src_kind, src_text) = side_text(
        &r.source_address_prefix,
        &r.source_address_prefixes,
        &r.source_application_security_groups,
    );
    let (dst_kind, dst_text) = side_text(
        &r.destination_address_prefix,
        &r.destination_address_prefixes,
        &r.destination_application_security_groups,
    );
    let side_editor = |source: bool, kind: SideKind, text: String| {
        let ctx1 = ctx.clone();
        let text1 = text.clone();
        let on_kind = Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let kind = match s.value().as_str() {
                "addresses" => SideKind::Addresses,
                "tag" => SideKind::Tag,
                "asgs" => SideKind::Asgs,
                _ => SideKind::Any,
            };
            let seed = match kind {
                SideKind::Any => String::from("*"),
                SideKind::Tag => String::from("VirtualNetwork"),
                SideKind::Asgs => ctx1
                    .doc()
                    .asgs
                    .first()
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
                SideKind::Addresses => {
                    if text1 == "*" {
                        String::from("10.0.0.0/24")
                    } else {
                        text1.clone()
                    }
                }
            };
            let (single, list, asgs) = side_fields(kind, &seed);
            edit_rule(&ctx1, i, j, "change a rule's address type", move |r| {
                set_side(r, source, single.clone(), list.clone(), asgs.clone())
            });
        });
        let ctx2 = ctx.clone();
        let on_text = Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let (single, list, asgs) = side_fields(kind, &input.value());
            edit_rule(&ctx2, i, j, "edit a rule's addresses", move |r| {
                set_side(r, source, single.clone(), list.clone(), asgs.clone())
            });
        });
        let which = if source { "source" } else { "destination" };
        let fields: [&str; 3] = if source {
            [
                "sourceAddressPrefix",
                "sourceAddressPrefixes",
                "sourceApplicationSecurityGroups",
            ]
        } else {
            [
                "destinationAddressPrefix",
                "destinationAddressPrefixes",
                "destinationApplicationSecurityGroups",
            ]
        };
        let error = err(&fields);
        let list = match kind {
            SideKind::Tag => "tag-list",
            SideKind::Asgs => "asg-list",
            _ => "",
        };
        html! {
            <td class={classes!(error.is_some().then_some("invalid"))}>
                <select aria-label={format!("{which} type")} onchange={on_kind} data-testid={format!("rule-{which}-kind")}>
                    <option value="any" selected={kind == SideKind::Any}>{ "Any" }</option>
                    <option value="addresses" selected={kind == SideKind::Addresses}>{ "IP addresses" }</option>
                    <option value="tag" selected={kind == SideKind::Tag}>{ "Service tag" }</option>
                    <option value="asgs" selected={kind == SideKind::Asgs}>{ "ASG" }</option>
                </select>
                if kind != SideKind::Any {
                    <input value={text} list={list} onchange={on_text} aria-label={format!("{which} addresses")} aria-invalid={error.is_some().to_string()} data-testid={format!("rule-{which}")} />
                }
                if let Some(e) = error { <div class="field-error" role="alert" data-testid="field-error">{ e }</div> }
            </td>
        }
    };
    let priority_error = err(&["priority"]);
    let name_error = err(&["name"]);
    let port_error = err(&["destinationPortRange", "destinationPortRanges"]);
    let sport_error = err(&["sourcePortRange", "sourcePortRanges"]);
    let duplicate = {
        let ctx = ctx.clone();
        let rule = r.clone();
        Callback::from(move |_| {
            let mut d = ctx.doc().clone();
            let Some(n) = d.nsgs.get_mut(i) else { return };
            let mut copy = rule.clone();
            copy.name = crate::edit::fresh_name(
                &format!("{}-copy", rule.name),
                n.rules.iter().map(|x| x.name.as_str()),
            );
            copy.priority = next_priority(
                &NsgDoc {
                    name: n.name.clone(),
                    rules: n.rules.clone(),
                },
                &rule.direction,
            );
            n.rules.push(copy);
            ctx.dispatch(Action::Apply {
                label: format!("duplicate rule {}", rule.name),
                doc: d,
                select: None,
            });
        })
    };
    let delete = {
        let ctx = ctx.clone();
        let name = r.name.clone();
        Callback::from(move |_| {
            let mut d = ctx.doc().clone();
            if let Some(n) = d.nsgs.get_mut(i)
                && j < n.rules.len()
            {
                n.rules.remove(j);
            }
            ctx.dispatch(Action::Apply {
                label: format!("delete rule {name}"),
                doc: d,
                select: None,
            });
        })
    };
    let invalid = |e: &Option<String>| classes!(e.is_some().then_some("invalid"));
    html! {
        <>
        <tr class={classes!("rule", props.focused.then_some("focused"))} data-testid={format!("rule-{}", r.name)}>
            <td class={invalid(&priority_error)}>
                <input class="priority" value={r.priority.to_string()} aria-label="Priority" aria-invalid={priority_error.is_some().to_string()} data-testid="rule-priority"
                    onchange={text_change("change a rule's priority", |r, v| r.priority = v.trim().parse::<i64>().unwrap_or(-1))} />
                if let Some(e) = priority_error { <div class="field-error" role="alert" data-testid="field-error">{ e }</div> }
            </td>
            <td class={invalid(&name_error)}>
                <input value={r.name.clone()} aria-label="Name" data-testid="rule-name" onchange={text_change("rename a rule", |r, v| r.name = v.trim().to_string())} />
                if let Some(e) = name_error { <div class="field-error" role="alert" data-testid="field-error">{ e }</div> }
            </td>
            <td class={invalid(&port_error)}>
                <input value={port_text(&r.destination_port_range, &r.destination_port_ranges)} aria-label="Destination ports" data-testid="rule-port"
                    onchange={text_change("change a rule's ports", |r, v| { let (s, l) = port_fields(&v); r.destination_port_range = s; r.destination_port_ranges = l; })} />
                <input class="sport" value={port_text(&r.source_port_range, &r.source_port_ranges)} aria-label="Source ports" title="Source ports" data-testid="rule-source-port"
                    onchange={text_change("change a rule's source ports", |r, v| { let (s, l) = port_fields(&v); r.source_port_range = s; r.source_port_ranges = l; })} />
                if let Some(e) = port_error.or(sport_error) { <div class="field-error" role="alert" data-testid="field-error">{ e }</div> }
            </td>
            <td>
                <select aria-label="Protocol" data-testid="rule-protocol" onchange={select_change("change a rule's protocol", |r, v| r.protocol = v)}>
                    { for [("*", "Any"), ("Tcp", "TCP"), ("Udp", "UDP"), ("Icmp", "ICMP"), ("Esp", "ESP"), ("Ah", "AH")].iter().map(|(v, l)| html! { <option value={*v} selected={r.protocol.eq_ignore_ascii_case(v)}>{ *l }</option> }) }
                </select>
            </td>
            { side_editor(true, src_kind, src_text) }
            { side_editor(false, dst_kind, dst_text) }
            <td>
                <select aria-label="Action" data-testid="rule-access" class={r.access.to_ascii_lowercase()} onchange={select_change("change a rule's action", |r, v| r.access = v)}>
                    <option value="Allow" selected={r.access.eq_ignore_ascii_case("Allow")}>{ "Allow" }</option>
                    <option value="Deny" selected={r.access.eq_ignore_ascii_case("Deny")}>{ "Deny" }</option>
                </select>
            </td>
            <td class="row-actions">
                <button onclick={duplicate} aria-label={format!("Duplicate rule {}", r.name)} data-testid="rule-duplicate">{ "⧉" }</button>
                <button onclick={delete} aria-label={format!("Delete rule {}", r.name)} data-testid="rule-delete">{ "×" }</button>
            </td>
        </tr>
        if let Some(e) = row_error { <tr class="row-error"><td colspan="8" class="field-error" role="alert" data-testid="field-error">{ e }</td></tr> }
        </>
    }
}

fn set_side(
    r: &mut RuleDoc,
    source: bool,
    single: Option<String>,
    list: Vec<String>,
    asgs: Vec<String>,
) {
    if source {
        r.source_address_prefix = single;
        r.source_address_prefixes = list;
        r.source_application_security_groups = asgs;
    } else {
        r.destination_address_prefix = single;
        r.destination_address_prefixes = list;
        r.destination_application_security_groups = asgs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_sort_by_priority_stably() {
        let rule = |name: &str, priority: i64| RuleDoc {
            name: name.to_string(),
            priority,
            ..Default::default()
        };
        let rules = [
            rule("a", 300),
            rule("b", 100),
            rule("c", 300),
            rule("d", 200),
            rule("e", 100),
        ];
        let mut rows: Vec<(usize, &RuleDoc)> = rules.iter().enumerate().collect();
        let mut expected = rows.clone();
        expected.sort_by_key(|(_, r)| r.priority);
        sort_by_priority(&mut rows);
        assert_eq!(
            rows.iter().map(|(j, _)| *j).collect::<Vec<_>>(),
            expected.iter().map(|(j, _)| *j).collect::<Vec<_>>()
        );
        assert_eq!(
            rows.iter().map(|(j, _)| *j).collect::<Vec<_>>(),
            [1, 4, 3, 0, 2]
        );
    }

    #[test]
    fn sides_round_trip_through_their_text() {
        for (kind, text) in [
            (SideKind::Addresses, "10.0.0.0/24"),
            (SideKind::Addresses, "10.0.0.0/24, 10.1.0.4"),
            (SideKind::Tag, "Internet"),
            (SideKind::Asgs, "web, db"),
        ] {
            let (single, list, asgs) = side_fields(kind, text);
            assert_eq!(side_text(&single, &list, &asgs), (kind, text.to_string()));
        }
        assert_eq!(
            side_text(&Some(String::from("*")), &[], &[]).0,
            SideKind::Any
        );
        assert_eq!(
            port_fields("80, 443"),
            (None, vec![String::from("80"), String::from("443")])
        );
        assert_eq!(port_fields("8080"), (Some(String::from("8080")), vec![]));
    }
}

//! Property editors for every resource kind but NSGs (see `nsg_editor`).
//! Each edit copies the document, changes one thing and dispatches it; the
//! engine's error for the field's JSON path is shown beside the field.

use netsec_engine::OfferType;
use netsec_import::scenario::doc::*;
use yew::prelude::*;

use crate::app::Ctx;
use crate::edit::{NodeKey, fresh_name, rename};
use crate::state::Action;

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Applies one change to a copy of the document.
fn apply(ctx: &Ctx, label: &str, f: impl FnOnce(&mut ScenarioDoc)) {
    let mut d = ctx.doc().clone();
    f(&mut d);
    ctx.apply_doc(label, d);
}

fn do_rename(ctx: &Ctx, node: NodeKey, value: String) {
    match rename(ctx.doc(), &node, &value) {
        Ok((doc, key)) => ctx.dispatch(Action::Apply {
            label: format!("rename {} to {}", node.name(), key.name()),
            doc,
            select: Some(key),
        }),
        Err(e) => ctx.dispatch(Action::Refuse(e)),
    }
}

/// A labelled text input that commits on change.
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// Label.
    pub label: AttrValue,
    /// Current value.
    pub value: String,
    /// Error to show beside it.
    #[prop_or_default]
    pub error: Option<String>,
    /// Called with the new value.
    pub on_commit: Callback<String>,
    /// data-testid.
    pub testid: AttrValue,
    /// A datalist id for completion.
    #[prop_or_default]
    pub list: Option<AttrValue>,
    /// Multi-line.
    #[prop_or_default]
    pub multiline: bool,
}

/// A text field.
#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let on_commit = props.on_commit.clone();
    let onchange = Callback::from(move |e: Event| {
        let value = if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            t.value()
        } else {
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value()
        };
        on_commit.emit(value);
    });
    let invalid = props.error.is_some();
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span>{ &props.label }</span>
            if props.multiline {
                <textarea value={props.value.clone()} {onchange} aria-invalid={invalid.to_string()} data-testid={props.testid.clone()} rows="4" />
            } else {
                <input value={props.value.clone()} {onchange} aria-invalid={invalid.to_string()} data-testid={props.testid.clone()} list={props.list.clone()} />
            }
            if let Some(e) = &props.error { <span class="field-error" role="alert" data-testid="field-error">{ e }</span> }
        </label>
    }
}

/// A labelled select.
#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    /// Label.
    pub label: AttrValue,
    /// Current value.
    pub value: String,
    /// (value, text) pairs.
    pub options: Vec<(String, String)>,
    /// Called with the chosen value.
    pub on_change: Callback<String>,
    /// data-testid.
    pub testid: AttrValue,
    /// Error to show beside it.
    #[prop_or_default]
    pub error: Option<String>,
}

/// A select field.
#[component]
pub fn SelectField(props: &SelectFieldProps) -> Html {
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |e: Event| {
        on_change.emit(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    });
    html! {
        <label class={classes!("field", props.error.is_some().then_some("invalid"))}>
            <span>{ &props.label }</span>
            <select {onchange} data-testid={props.testid.clone()}>
                { for props.options.iter().map(|(v, t)| html! { <option value={v.clone()} selected={*v == props.value}>{ t }</option> }) }
            </select>
            if let Some(e) = &props.error { <span class="field-error" role="alert" data-testid="field-error">{ e }</span> }
        </label>
    }
}

/// A labelled checkbox.
#[derive(Properties, PartialEq)]
pub struct CheckFieldProps {
    /// Label.
    pub label: AttrValue,
    /// Checked.
    pub checked: bool,
    /// Called with the new state.
    pub on_change: Callback<bool>,
    /// data-testid.
    pub testid: AttrValue,
}

/// A checkbox field.
#[component]
pub fn CheckField(props: &CheckFieldProps) -> Html {
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |e: Event| {
        on_change.emit(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked(),
        )
    });
    html! {
        <label class="check">
            <input type="checkbox" checked={props.checked} {onchange} data-testid={props.testid.clone()} />
            <span>{ &props.label }</span>
        </label>
    }
}

/// The value of the select or input a change event came from.
fn field_value(e: &Event) -> String {
    match e.target_dyn_into::<web_sys::HtmlSelectElement>() {
        Some(s) => s.value(),
        None => e
            .target_unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
    }
}

fn none_or(options: impl Iterator<Item = String>, none: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_string()))
        .chain(options.map(|o| (o.clone(), o)))
        .collect()
}

// ------------------------------------------------------------------ scenario

/// Title, explanation and subscription.
#[component]
pub fn ScenarioEditor() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let doc = ctx.doc();
    let c1 = ctx.clone();
    let c2 = ctx.clone();
    let c3 = ctx.clone();
    let c4 = ctx.clone();
    let offers: Vec<(String, String)> = OfferType::ALL
        .iter()
        .map(|o| {
            let text = match o {
                OfferType::PayAsYouGo => "Pay-as-you-go",
                OfferType::EnterpriseAgreement => "Enterprise Agreement",
                OfferType::EnterpriseAgreementDevTest => "Enterprise Agreement Dev/Test",
                OfferType::Msdn => "MSDN / Azure Pass / Education / Free trial",
                OfferType::CloudSolutionProvider => "Cloud Solution Provider",
                OfferType::Legacy => "Created before 2017-11-15",
            };
            (o.name().to_string(), text.to_string())
        })
        .collect();
    html! {
        <div class="editor" data-testid="scenario-editor">
            <TextField label="Title" value={doc.title.clone()} testid="scenario-title" on_commit={Callback::from(move |v: String| apply(&c1, "rename the scenario", |d| d.title = v))} />
            <TextField label="Explanation" multiline=true value={doc.description.clone()} testid="scenario-description" on_commit={Callback::from(move |v: String| apply(&c2, "edit the explanation", |d| d.description = v))} />
            <SelectField label="Subscription offer type (decides outbound SMTP)" value={doc.subscription.offer_type.clone()} options={offers} testid="offer-type"
                error={ctx.error_at("$.subscription")}
                on_change={Callback::from(move |v: String| apply(&c3, "change the subscription offer type", |d| {
                    // Only EA Dev/Test subscriptions can hold the SMTP exemption.
                    if !v.eq_ignore_ascii_case(OfferType::EnterpriseAgreementDevTest.name()) {
                        d.subscription.smtp_exemption = false;
                    }
                    d.subscription.offer_type = v;
                }))} />
            if doc.subscription.offer_type.eq_ignore_ascii_case(OfferType::EnterpriseAgreementDevTest.name()) {
                <CheckField label="SMTP exemption granted (Enterprise Agreement Dev/Test)" checked={doc.subscription.smtp_exemption} testid="smtp-exemption"
                    on_change={Callback::from(move |v: bool| apply(&c4, "change the SMTP exemption", |d| d.subscription.smtp_exemption = v))} />
            }
            <p class="hint">{ "Select a resource on the canvas to edit it. Drag resources from the palette; drag NSGs, route tables and ASGs onto subnets or VMs to attach them." }</p>
        </div>
    }
}

/// A region: its pair and zones.
#[derive(Properties, PartialEq)]
pub struct RegionProps {
    /// Programmatic name.
    pub region: String,
}

/// Read-only region facts.
#[component]
pub fn RegionView(props: &RegionProps) -> Html {
    let info = netsec_engine::region::lookup(&props.region);
    html! {
        <div class="editor">
            if let Some(r) = info {
                <p>{ format!("{} ({})", r.display_name, r.name) }</p>
                <p>{ match r.pair.and_then(netsec_engine::region::lookup) { Some(p) => format!("Paired with {}: platform updates roll out to one region of a pair at a time, and recovery after a wide outage prioritises one of them.", p.display_name), None => String::from("No paired region.") } }</p>
                <p>{ if r.has_zones { "Three availability zones: separate datacenters with independent power, cooling and networking." } else { "No availability zones." } }</p>
            } else {
                <p>{ "This region is not in the built-in table: it has no known pair or zones." }</p>
            }
        </div>
    }
}

// ------------------------------------------------------------------ VNets and subnets

/// Editor props by index.
#[derive(Properties, PartialEq)]
pub struct IndexProps {
    /// Index in its document list.
    pub index: usize,
}

/// A VNet: name, region, address space, peerings.
#[component]
pub fn VnetEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let Some(v) = ctx.doc().vnets.get(i).cloned() else {
        return html! {};
    };
    let regions: Vec<(String, String)> = netsec_engine::region::REGIONS
        .iter()
        .map(|r| (r.name.to_string(), r.display_name.to_string()))
        .collect();
    let (c1, c2, c3, c4) = (ctx.clone(), ctx.clone(), ctx.clone(), ctx.clone());
    let name = v.name.clone();
    let others: Vec<String> = ctx
        .doc()
        .vnets
        .iter()
        .filter(|x| x.name != v.name && !v.peerings.iter().any(|p| p.remote_vnet == x.name))
        .map(|x| x.name.clone())
        .collect();
    html! {
        <div class="editor" data-testid="vnet-editor">
            <TextField label="Name" value={v.name.clone()} testid="vnet-name" error={ctx.error_at(&format!("$.vnets[{i}].name"))} on_commit={Callback::from(move |val: String| do_rename(&c1, NodeKey::Vnet(name.clone()), val))} />
            <SelectField label="Region" value={netsec_engine::region::normalize(&v.location)} options={regions} testid="vnet-location" error={ctx.error_at(&format!("$.vnets[{i}].location"))}
                on_change={Callback::from(move |val: String| apply(&c2, "move a virtual network to another region", |d| if let Some(x) = d.vnets.get_mut(i) { x.location = val }))} />
            <TextField label="Address space (comma-separated)" value={v.address_space.join(", ")} testid="vnet-address-space" error={ctx.error_at(&format!("$.vnets[{i}].addressSpace"))}
                on_commit={Callback::from(move |val: String| apply(&c3, "change an address space", |d| if let Some(x) = d.vnets.get_mut(i) { x.address_space = split_list(&val) }))} />
            <h3>{ "Peerings" }</h3>
            if let Some(e) = ctx.error_at(&format!("$.vnets[{i}].peerings")) { <p class="field-error" role="alert" data-testid="field-error">{ e }</p> }
            <ul class="peerings">
                { for v.peerings.iter().enumerate().map(|(j, p)| {
                    let back = ctx.doc().vnets.iter().find(|x| x.name == p.remote_vnet).is_some_and(|x| x.peerings.iter().any(|q| q.remote_vnet == v.name));
                    let flag = |label: &'static str, value: bool, set: fn(&mut PeeringDoc, bool)| {
                        let ctx = ctx.clone();
                        html! { <CheckField label={label} checked={value} testid={format!("peering-{j}-{label}")} on_change={Callback::from(move |val: bool| apply(&ctx, "change a peering", |d| if let Some(p) = d.vnets.get_mut(i).and_then(|x| x.peerings.get_mut(j)) { set(p, val) }))} /> }
                    };
                    let ctx2 = ctx.clone();
                    let remove = Callback::from(move |_| apply(&ctx2, "remove a peering", |d| if let Some(x) = d.vnets.get_mut(i) && j < x.peerings.len() { x.peerings.remove(j); }));
                    html! {
                        <li>
                            <strong>{ format!("{} → {}", p.name, p.remote_vnet) }</strong>
                            <span class="badge">{ if back { "Connected" } else { "Initiated (the other side is missing)" } }</span>
                            { flag("allow virtual network access", p.allow_virtual_network_access, |p, v| p.allow_virtual_network_access = v) }
                            { flag("allow forwarded traffic", p.allow_forwarded_traffic, |p, v| p.allow_forwarded_traffic = v) }
                            <button onclick={remove}>{ "Remove" }</button>
                        </li>
                    }
                }) }
            </ul>
            if !others.is_empty() {
                <SelectField label="Peer with (adds both sides)" value={String::new()} options={none_or(others.into_iter(), "choose a virtual network…")} testid="vnet-peer"
                    on_change={Callback::from(move |remote: String| {
                        if remote.is_empty() { return; }
                        let local = v.name.clone();
                        apply(&c4, &format!("peer {local} with {remote}"), |d| {
                            for (a, b) in [(local.clone(), remote.clone()), (remote.clone(), local.clone())] {
                                if let Some(x) = d.vnets.iter_mut().find(|x| x.name == a)
                                    && !x.peerings.iter().any(|p| p.remote_vnet == b) {
                                        let name = format!("{a}-to-{b}");
                                        x.peerings.push(PeeringDoc { name, remote_vnet: b, allow_virtual_network_access: true, ..Default::default() });
                                    }
                            }
                        });
                    })} />
            }
        </div>
    }
}

/// Subnet editor props.
#[derive(Properties, PartialEq)]
pub struct SubnetProps {
    /// VNet index.
    pub vnet: usize,
    /// Subnet index.
    pub subnet: usize,
}

const ENDPOINTS: &[&str] = &[
    "Microsoft.Storage",
    "Microsoft.Sql",
    "Microsoft.KeyVault",
    "Microsoft.AzureCosmosDB",
    "Microsoft.Web",
    "Microsoft.ContainerRegistry",
];

/// A subnet.
#[component]
pub fn SubnetEditor(props: &SubnetProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let (i, j) = (props.vnet, props.subnet);
    let Some(v) = ctx.doc().vnets.get(i) else {
        return html! {};
    };
    let Some(s) = v.subnets.get(j).cloned() else {
        return html! {};
    };
    let base = format!("$.vnets[{i}].subnets[{j}]");
    let key = NodeKey::Subnet(v.name.clone(), s.name.clone());
    let set = |label: &'static str, f: fn(&mut SubnetDoc, String)| {
        let ctx = ctx.clone();
        Callback::from(move |val: String| {
            apply(&ctx, label, |d| {
                if let Some(x) = d.vnets.get_mut(i).and_then(|v| v.subnets.get_mut(j)) {
                    f(x, val)
                }
            })
        })
    };
    let c1 = ctx.clone();
    let nsgs = none_or(ctx.doc().nsgs.iter().map(|n| n.name.clone()), "(none)");
    let rts = none_or(
        ctx.doc().route_tables.iter().map(|n| n.name.clone()),
        "(none)",
    );
    let policies: Vec<(String, String)> = [
        "Disabled",
        "Enabled",
        "NetworkSecurityGroupEnabled",
        "RouteTableEnabled",
    ]
    .iter()
    .map(|p| (p.to_string(), p.to_string()))
    .collect();
    let c2 = ctx.clone();
    html! {
        <div class="editor" data-testid="subnet-editor">
            <TextField label="Name" value={s.name.clone()} testid="subnet-name" error={ctx.error_at(&format!("{base}.name"))} on_commit={Callback::from(move |val: String| do_rename(&c1, key.clone(), val))} />
            <TextField label="Address prefixes (comma-separated)" value={s.address_prefixes.join(", ")} testid="subnet-prefixes" error={ctx.error_at(&format!("{base}.addressPrefixes"))}
                on_commit={set("change a subnet's prefixes", |x, v| x.address_prefixes = split_list(&v))} />
            <SelectField label="Network security group" value={s.nsg.clone().unwrap_or_default()} options={nsgs} testid="subnet-nsg" error={ctx.error_at(&format!("{base}.nsg"))}
                on_change={set("change a subnet's NSG", |x, v| x.nsg = (!v.is_empty()).then_some(v))} />
            <SelectField label="Route table" value={s.route_table.clone().unwrap_or_default()} options={rts} testid="subnet-route-table" error={ctx.error_at(&format!("{base}.routeTable"))}
                on_change={set("change a subnet's route table", |x, v| x.route_table = (!v.is_empty()).then_some(v))} />
            <fieldset class="endpoints"><legend>{ "Service endpoints" }</legend>
                { for ENDPOINTS.iter().map(|e| {
                    let ctx = ctx.clone();
                    let e = e.to_string();
                    let checked = s.service_endpoints.iter().any(|x| x.eq_ignore_ascii_case(&e));
                    html! { <CheckField label={e.clone()} {checked} testid={format!("endpoint-{e}")} on_change={Callback::from(move |on: bool| apply(&ctx, "change service endpoints", |d| if let Some(x) = d.vnets.get_mut(i).and_then(|v| v.subnets.get_mut(j)) {
                        x.service_endpoints.retain(|y| !y.eq_ignore_ascii_case(&e));
                        if on { x.service_endpoints.push(e.clone()); }
                    }))} /> }
                }) }
            </fieldset>
            <SelectField label="Private endpoint network policies" value={s.private_endpoint_network_policies.clone().unwrap_or_else(|| String::from("Disabled"))} options={policies} testid="subnet-pe-policies"
                on_change={set("change private endpoint network policies", |x, v| x.private_endpoint_network_policies = Some(v))} />
            <CheckField label="Default outbound access (off makes a private subnet)" checked={s.default_outbound_access} testid="subnet-default-outbound"
                on_change={Callback::from(move |on: bool| apply(&c2, "change default outbound access", |d| if let Some(x) = d.vnets.get_mut(i).and_then(|v| v.subnets.get_mut(j)) { x.default_outbound_access = on }))} />
        </div>
    }
}

// ------------------------------------------------------------------ VMs and NICs

/// A resource by name.
#[derive(Properties, PartialEq)]
pub struct NameProps {
    /// Name.
    pub name: String,
}

/// A VM and its primary NIC.
#[component]
pub fn VmEditor(props: &NameProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let Some((i, vm)) = ctx
        .doc()
        .vms
        .iter()
        .enumerate()
        .find(|(_, v)| v.name == props.name)
        .map(|(i, v)| (i, v.clone()))
    else {
        return html! {};
    };
    let c1 = ctx.clone();
    let c2 = ctx.clone();
    let c3 = ctx.clone();
    let key = NodeKey::Vm(vm.name.clone());
    html! {
        <div class="editor" data-testid="vm-editor">
            <TextField label="Name" value={vm.name.clone()} testid="vm-name" error={ctx.error_at(&format!("$.vms[{i}].name"))} on_commit={Callback::from(move |v: String| do_rename(&c1, key.clone(), v))} />
            <SelectField label="Availability zone" value={vm.zone.map(|z| z.to_string()).unwrap_or_default()} options={vec![(String::new(), String::from("no zone")), (String::from("1"), String::from("zone 1")), (String::from("2"), String::from("zone 2")), (String::from("3"), String::from("zone 3"))]}
                testid="vm-zone" error={ctx.error_at(&format!("$.vms[{i}].zone"))}
                on_change={Callback::from(move |v: String| apply(&c2, "change a VM's zone", |d| if let Some(x) = d.vms.get_mut(i) { x.zone = v.parse().ok() }))} />
            <CheckField label="Network virtual appliance (forwards traffic; its own filtering is not modelled)" checked={vm.is_appliance} testid="vm-appliance"
                on_change={Callback::from(move |on: bool| apply(&c3, "change a VM's role", |d| if let Some(x) = d.vms.get_mut(i) { x.is_appliance = on }))} />
            { for vm.nics.iter().map(|n| html! { <NicEditor name={n.clone()} /> }) }
            <NetworkWatcherViews vm={vm.name.clone()} />
        </div>
    }
}

/// A NIC: address, public IP, NSG, IP forwarding, ASG membership.
#[component]
pub fn NicEditor(props: &NameProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let doc = ctx.doc();
    let Some(k) = doc.nics.iter().position(|n| n.name == props.name) else {
        return html! {};
    };
    let nic = doc.nics[k].clone();
    let base = format!("$.nics[{k}]");
    let Some(cfg) = nic.ip_configurations.first().cloned() else {
        return html! {};
    };
    let used: Vec<&str> = doc
        .nics
        .iter()
        .flat_map(|n| n.ip_configurations.iter())
        .filter_map(|c| c.public_ip.as_deref())
        .chain(
            doc.load_balancers
                .iter()
                .flat_map(|l| l.frontends.iter())
                .filter_map(|f| f.public_ip.as_deref()),
        )
        .chain(
            doc.firewalls
                .iter()
                .flat_map(|f| f.public_ips.iter().map(String::as_str)),
        )
        .collect();
    let pips = none_or(
        doc.public_ips.iter().map(|p| p.name.clone()).filter(|p| {
            !used.contains(&p.as_str()) || cfg.public_ip.as_deref() == Some(p.as_str())
        }),
        "(none)",
    );
    let nsgs = none_or(doc.nsgs.iter().map(|n| n.name.clone()), "(none)");
    let (c1, c2, c3, c4) = (ctx.clone(), ctx.clone(), ctx.clone(), ctx.clone());
    html! {
        <fieldset class="nic" data-testid="nic-editor">
            <legend>{ format!("Network interface {}", nic.name) }</legend>
            <p class="detail">{ format!("{} / {} · {}", cfg.vnet, cfg.subnet, cfg.name) }</p>
            <TextField label="Private IP address" value={cfg.private_ip_address.clone()} testid="nic-ip" error={ctx.error_at(&format!("{base}.ipConfigurations[0].privateIpAddress")).or_else(|| ctx.error_at(&format!("{base}.ipConfigurations")))}
                on_commit={Callback::from(move |v: String| apply(&c1, "change a private address", |d| if let Some(c) = d.nics.get_mut(k).and_then(|n| n.ip_configurations.first_mut()) { c.private_ip_address = v.trim().to_string() }))} />
            <SelectField label="Public IP" value={cfg.public_ip.clone().unwrap_or_default()} options={pips} testid="nic-public-ip"
                on_change={Callback::from(move |v: String| apply(&c2, "change a NIC's public IP", |d| if let Some(c) = d.nics.get_mut(k).and_then(|n| n.ip_configurations.first_mut()) { c.public_ip = (!v.is_empty()).then_some(v) }))} />
            <SelectField label="Network security group (NIC)" value={nic.nsg.clone().unwrap_or_default()} options={nsgs} testid="nic-nsg" error={ctx.error_at(&format!("{base}.nsg"))}
                on_change={Callback::from(move |v: String| apply(&c3, "change a NIC's NSG", |d| if let Some(n) = d.nics.get_mut(k) { n.nsg = (!v.is_empty()).then_some(v) }))} />
            <CheckField label="IP forwarding" checked={nic.ip_forwarding} testid="nic-ip-forwarding" on_change={Callback::from(move |on: bool| apply(&c4, "change IP forwarding", |d| if let Some(n) = d.nics.get_mut(k) { n.ip_forwarding = on }))} />
            <fieldset class="asgs"><legend>{ "Application security groups (this IP configuration)" }</legend>
                if let Some(e) = ctx.error_at(&format!("{base}.ipConfigurations[0].asgs")) { <p class="field-error" role="alert" data-testid="field-error">{ e }</p> }
                if doc.asgs.is_empty() { <p class="hint">{ "No ASGs yet: add one from the palette." }</p> }
                { for doc.asgs.iter().map(|a| {
                    let ctx = ctx.clone();
                    let name = a.name.clone();
                    let checked = cfg.asgs.contains(&a.name);
                    html! { <CheckField label={a.name.clone()} {checked} testid={format!("nic-asg-{}", a.name)} on_change={Callback::from(move |on: bool| apply(&ctx, "change ASG membership", |d| if let Some(c) = d.nics.get_mut(k).and_then(|n| n.ip_configurations.first_mut()) {
                        c.asgs.retain(|x| *x != name);
                        if on { c.asgs.push(name.clone()); }
                    }))} /> }
                }) }
            </fieldset>
        </fieldset>
    }
}

/// An ASG and its members.
#[component]
pub fn AsgEditor(props: &NameProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let doc = ctx.doc();
    let name = props.name.clone();
    let c1 = ctx.clone();
    let c2 = ctx.clone();
    let key = NodeKey::Asg(name.clone());
    let index = doc
        .asgs
        .iter()
        .position(|a| a.name == name)
        .unwrap_or_default();
    let location = doc
        .asgs
        .get(index)
        .and_then(|a| a.location.as_deref())
        .map(netsec_engine::region::normalize)
        .unwrap_or_default();
    let regions = none_or(
        netsec_engine::region::REGIONS
            .iter()
            .map(|r| r.name.to_string()),
        "its members' region",
    );
    html! {
        <div class="editor" data-testid="asg-editor">
            <TextField label="Name" value={name.clone()} testid="asg-name" on_commit={Callback::from(move |v: String| do_rename(&c1, key.clone(), v))} />
            <SelectField label="Region" value={location} options={regions} testid="asg-location" error={ctx.error_at(&format!("$.asgs[{index}]"))}
                on_change={Callback::from(move |val: String| apply(&c2, "move an application security group to another region", |d| if let Some(a) = d.asgs.get_mut(index) { a.location = (!val.is_empty()).then_some(val) }))} />
            <h3>{ "Members" }</h3>
            <p class="hint">{ "Membership belongs to a NIC's IP configuration; all members must be in one virtual network, in the ASG's region." }</p>
            { for doc.nics.iter().enumerate().map(|(k, n)| {
                let ctx = ctx.clone();
                let asg = name.clone();
                let owner = doc.vms.iter().find(|v| v.nics.contains(&n.name)).map_or_else(|| n.name.clone(), |v| format!("{} ({})", v.name, n.name));
                let checked = n.ip_configurations.first().is_some_and(|c| c.asgs.contains(&asg));
                html! { <CheckField label={owner} {checked} testid={format!("asg-member-{}", n.name)} on_change={Callback::from(move |on: bool| apply(&ctx, "change ASG membership", |d| if let Some(c) = d.nics.get_mut(k).and_then(|n| n.ip_configurations.first_mut()) {
                    c.asgs.retain(|x| *x != asg);
                    if on { c.asgs.push(asg.clone()); }
                }))} /> }
            }) }
        </div>
    }
}

// ------------------------------------------------------------------ routes

/// A route table and its routes.
#[component]
pub fn RouteTableEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let Some(t) = ctx.doc().route_tables.get(i).cloned() else {
        return html! {};
    };
    let (c1, c2, c3) = (ctx.clone(), ctx.clone(), ctx.clone());
    let key = NodeKey::RouteTable(t.name.clone());
    let hops: Vec<(String, String)> = [
        "VirtualAppliance",
        "Internet",
        "VnetLocal",
        "VirtualNetworkGateway",
        "None",
    ]
    .iter()
    .map(|h| (h.to_string(), h.to_string()))
    .collect();
    let route_set = |j: usize, label: &'static str, f: fn(&mut RouteDoc, String)| {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let value = field_value(&e);
            apply(&ctx, label, |d| {
                if let Some(r) = d.route_tables.get_mut(i).and_then(|t| t.routes.get_mut(j)) {
                    f(r, value)
                }
            });
        })
    };
    html! {
        <div class="editor" data-testid="route-table-editor">
            <TextField label="Name" value={t.name.clone()} testid="rt-name" on_commit={Callback::from(move |v: String| do_rename(&c1, key.clone(), v))} />
            <CheckField label="Disable BGP route propagation" checked={t.disable_bgp_route_propagation} testid="rt-disable-bgp" on_change={Callback::from(move |on: bool| apply(&c2, "change BGP propagation", |d| if let Some(x) = d.route_tables.get_mut(i) { x.disable_bgp_route_propagation = on }))} />
            <table class="routes" data-testid="routes">
                <thead><tr><th>{ "Name" }</th><th>{ "Address prefix" }</th><th>{ "Next hop type" }</th><th>{ "Next hop IP" }</th><th></th></tr></thead>
                <tbody>
                { for t.routes.iter().enumerate().map(|(j, r)| {
                    let base = format!("$.routeTables[{i}].routes[{j}]");
                    let error = ctx.error_at(&base);
                    let ctx2 = ctx.clone();
                    let remove = Callback::from(move |_| apply(&ctx2, "delete a route", |d| if let Some(x) = d.route_tables.get_mut(i) && j < x.routes.len() { x.routes.remove(j); }));
                    html! {
                        <>
                        <tr data-testid={format!("route-{}", r.name)} class={classes!(error.is_some().then_some("invalid"))}>
                            <td><input value={r.name.clone()} aria-label="Route name" onchange={route_set(j, "rename a route", |r, v| r.name = v.trim().to_string())} /></td>
                            <td><input value={r.address_prefix.clone()} aria-label="Address prefix" list="tag-list" data-testid="route-prefix" onchange={route_set(j, "change a route's prefix", |r, v| r.address_prefix = v.trim().to_string())} /></td>
                            <td><select aria-label="Next hop type" data-testid="route-next-hop" onchange={route_set(j, "change a route's next hop", |r, v| { if v != "VirtualAppliance" { r.next_hop_ip_address = None } r.next_hop_type = v })}>
                                { for hops.iter().map(|(v, l)| html! { <option value={v.clone()} selected={r.next_hop_type.eq_ignore_ascii_case(v)}>{ l }</option> }) }
                            </select></td>
                            <td><input value={r.next_hop_ip_address.clone().unwrap_or_default()} aria-label="Next hop IP" data-testid="route-next-hop-ip" disabled={!r.next_hop_type.eq_ignore_ascii_case("VirtualAppliance")}
                                onchange={route_set(j, "change a route's next hop address", |r, v| r.next_hop_ip_address = (!v.trim().is_empty()).then(|| v.trim().to_string()))} /></td>
                            <td><button onclick={remove} aria-label={format!("Delete route {}", r.name)}>{ "×" }</button></td>
                        </tr>
                        if let Some(e) = error { <tr><td colspan="5" class="field-error" role="alert" data-testid="field-error">{ e }</td></tr> }
                        </>
                    }
                }) }
                </tbody>
            </table>
            <button data-testid="add-route" onclick={Callback::from(move |_| apply(&c3, "add a route", |d| if let Some(x) = d.route_tables.get_mut(i) {
                let name = fresh_name("route", x.routes.iter().map(|r| r.name.as_str()));
                x.routes.push(RouteDoc { name, address_prefix: String::from("0.0.0.0/0"), next_hop_type: String::from("VirtualAppliance"), next_hop_ip_address: Some(String::from("10.0.1.4")) });
            }))}>{ "+ Add route" }</button>
        </div>
    }
}

// ------------------------------------------------------------------ public edge

/// A public IP.
#[component]
pub fn PublicIpEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let Some(p) = ctx.doc().public_ips.get(i).cloned() else {
        return html! {};
    };
    let (c1, c2, c3) = (ctx.clone(), ctx.clone(), ctx.clone());
    let key = NodeKey::PublicIp(p.name.clone());
    html! {
        <div class="editor" data-testid="pip-editor">
            <TextField label="Name" value={p.name.clone()} testid="pip-name" on_commit={Callback::from(move |v: String| do_rename(&c1, key.clone(), v))} />
            <SelectField label="SKU" value={p.sku.clone()} options={vec![(String::from("Standard"), String::from("Standard (closed until an NSG allows)")), (String::from("Basic"), String::from("Basic (open; retired 2025-09-30)"))]} testid="pip-sku"
                error={ctx.error_at(&format!("$.publicIps[{i}].sku"))} on_change={Callback::from(move |v: String| apply(&c2, "change a public IP's SKU", |d| if let Some(x) = d.public_ips.get_mut(i) { x.sku = v }))} />
            <TextField label="Address" value={p.address.clone()} testid="pip-address" error={ctx.error_at(&format!("$.publicIps[{i}].address"))}
                on_commit={Callback::from(move |v: String| apply(&c3, "change a public address", |d| if let Some(x) = d.public_ips.get_mut(i) { x.address = v.trim().to_string() }))} />
        </div>
    }
}

/// A load balancer: SKU, frontend, backends, rules, probes.
#[component]
pub fn LoadBalancerEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let doc = ctx.doc();
    let Some(lb) = doc.load_balancers.get(i).cloned() else {
        return html! {};
    };
    let (c1, c2, c3) = (ctx.clone(), ctx.clone(), ctx.clone());
    let base = format!("$.loadBalancers[{i}]");
    let rule_set = |j: usize, label: &'static str, f: fn(&mut LbRuleDoc, String)| {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let value = field_value(&e);
            apply(&ctx, label, |d| {
                if let Some(r) = d.load_balancers.get_mut(i).and_then(|l| l.rules.get_mut(j)) {
                    f(r, value)
                }
            });
        })
    };
    let probe_names: Vec<(String, String)> =
        none_or(lb.probes.iter().map(|p| p.name.clone()), "(no probe)");
    html! {
        <div class="editor" data-testid="lb-editor">
            if let Some(e) = ctx.error_at(&base) { <p class="field-error" role="alert" data-testid="field-error">{ e }</p> }
            <SelectField label="SKU" value={lb.sku.clone()} options={vec![(String::from("Standard"), String::from("Standard (secure by default)")), (String::from("Basic"), String::from("Basic (open by default)"))]} testid="lb-sku"
                on_change={Callback::from(move |v: String| apply(&c1, "change a load balancer's SKU", |d| if let Some(x) = d.load_balancers.get_mut(i) { x.sku = v.clone(); for f in &x.frontends { if let Some(p) = f.public_ip.clone() && let Some(pip) = d.public_ips.iter_mut().find(|q| q.name == p) { pip.sku = v.clone(); } } }))} />
            <h3>{ "Backend pool" }</h3>
            { for doc.vms.iter().filter_map(|vm| vm.nics.first().map(|n| (vm.name.clone(), n.clone()))).map(|(vm, nic)| {
                let ctx = ctx.clone();
                let checked = lb.backend_pools.first().is_some_and(|p| p.members.iter().any(|m| m.nic == nic));
                html! { <CheckField label={vm.clone()} {checked} testid={format!("lb-member-{vm}")} on_change={Callback::from(move |on: bool| apply(&ctx, "change a backend pool", |d| if let Some(x) = d.load_balancers.get_mut(i) {
                    if x.backend_pools.is_empty() { x.backend_pools.push(BackendPoolDoc { name: String::from("backend"), members: vec![] }); }
                    let pool = &mut x.backend_pools[0];
                    pool.members.retain(|m| m.nic != nic);
                    if on { pool.members.push(BackendMemberDoc { nic: nic.clone(), ip_configuration: None }); }
                }))} /> }
            }) }
            <h3>{ "Load-balancing rules" }</h3>
            <table class="routes"><thead><tr><th>{ "Name" }</th><th>{ "Protocol" }</th><th>{ "Frontend port" }</th><th>{ "Backend port" }</th><th>{ "Probe" }</th></tr></thead><tbody>
            { for lb.rules.iter().enumerate().map(|(j, r)| html! {
                <tr data-testid={format!("lb-rule-{}", r.name)}>
                    <td><input value={r.name.clone()} aria-label="Rule name" onchange={rule_set(j, "rename a load-balancing rule", |r, v| r.name = v.trim().to_string())} /></td>
                    <td><select aria-label="Protocol" onchange={rule_set(j, "change a load-balancing rule", |r, v| r.protocol = v)}>
                        { for ["Tcp", "Udp", "All"].iter().map(|p| html! { <option value={*p} selected={r.protocol.eq_ignore_ascii_case(p)}>{ *p }</option> }) }
                    </select></td>
                    <td><input value={r.frontend_port.to_string()} aria-label="Frontend port" onchange={rule_set(j, "change a load-balancing rule", |r, v| r.frontend_port = v.trim().parse().unwrap_or(-1))} /></td>
                    <td><input value={r.backend_port.to_string()} aria-label="Backend port" onchange={rule_set(j, "change a load-balancing rule", |r, v| r.backend_port = v.trim().parse().unwrap_or(-1))} /></td>
                    <td><select aria-label="Probe" onchange={rule_set(j, "change a load-balancing rule", |r, v| r.probe = (!v.is_empty()).then_some(v))}>
                        { for probe_names.iter().map(|(v, l)| html! { <option value={v.clone()} selected={r.probe.clone().unwrap_or_default() == *v}>{ l }</option> }) }
                    </select></td>
                </tr>
            }) }
            </tbody></table>
            <button data-testid="lb-add-rule" onclick={Callback::from(move |_| apply(&c2, "add a load-balancing rule", |d| if let Some(x) = d.load_balancers.get_mut(i) {
                let name = fresh_name("rule", x.rules.iter().map(|r| r.name.as_str()));
                let frontend = x.frontends.first().map(|f| f.name.clone()).unwrap_or_default();
                let backend_pool = x.backend_pools.first().map(|b| b.name.clone()).unwrap_or_else(|| String::from("backend"));
                if x.backend_pools.is_empty() { x.backend_pools.push(BackendPoolDoc { name: backend_pool.clone(), members: vec![] }); }
                let probe = x.probes.first().map(|p| p.name.clone());
                x.rules.push(LbRuleDoc { name, frontend, backend_pool, protocol: String::from("Tcp"), frontend_port: 80, backend_port: 80, probe });
            }))}>{ "+ Add rule" }</button>
            <NatRulesTable index={i} />
            <h3>{ "Health probes" }</h3>
            <ul>{ for lb.probes.iter().map(|p| html! { <li>{ format!("{}: {} port {}", p.name, p.protocol, p.port) }</li> }) }</ul>
            <button data-testid="lb-add-probe" onclick={Callback::from(move |_| apply(&c3, "add a health probe", |d| if let Some(x) = d.load_balancers.get_mut(i) {
                let name = fresh_name("probe", x.probes.iter().map(|r| r.name.as_str()));
                x.probes.push(ProbeDoc { name, protocol: String::from("Tcp"), port: 80 });
            }))}>{ "+ Add TCP 80 probe" }</button>
        </div>
    }
}

/// A load balancer's inbound NAT rules: a frontend port forwarded to one
/// VM, or a port range to a backend pool (one port per member, in order).
#[component]
fn NatRulesTable(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let doc = ctx.doc();
    let Some(lb) = doc.load_balancers.get(i) else {
        return html! {};
    };
    let set = |j: usize, f: fn(&mut InboundNatRuleDoc, String)| {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let value = field_value(&e);
            apply(&ctx, "change an inbound NAT rule", |d| {
                if let Some(r) = d
                    .load_balancers
                    .get_mut(i)
                    .and_then(|l| l.nat_rules.get_mut(j))
                {
                    f(r, value)
                }
            });
        })
    };
    // Targets: each VM's primary NIC, then each pool ("nic:" / "pool:" values).
    let targets: Vec<(String, String)> = doc
        .vms
        .iter()
        .filter_map(|vm| {
            Some((
                format!("nic:{}", vm.nics.first()?),
                format!("VM {}", vm.name),
            ))
        })
        .chain(lb.backend_pools.iter().map(|p| {
            (
                format!("pool:{}", p.name),
                format!("pool {} (a port each)", p.name),
            )
        }))
        .collect();
    let add = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            apply(&ctx, "add an inbound NAT rule", |d| {
                let nic = d.vms.first().and_then(|v| v.nics.first().cloned());
                if let Some(x) = d.load_balancers.get_mut(i) {
                    let name = fresh_name("nat", x.nat_rules.iter().map(|r| r.name.as_str()));
                    let frontend = x
                        .frontends
                        .first()
                        .map(|f| f.name.clone())
                        .unwrap_or_default();
                    let used = x
                        .nat_rules
                        .iter()
                        .map(|r| r.frontend_port_end.unwrap_or(r.frontend_port))
                        .max();
                    let frontend_port = used.map_or(50001, |p| p + 1);
                    x.nat_rules.push(InboundNatRuleDoc {
                        name,
                        frontend,
                        protocol: String::from("Tcp"),
                        frontend_port,
                        backend_port: 22,
                        nic,
                        ..InboundNatRuleDoc::default()
                    });
                }
            })
        })
    };
    html! {
        <>
            <h3>{ "Inbound NAT rules" }</h3>
            <p class="hint">{ "Port forwarding: no health probe needed. The NSGs judge the backend port." }</p>
            <table class="routes"><thead><tr><th>{ "Name" }</th><th>{ "Protocol" }</th><th title="Frontend port (the first of a pool rule's range)">{ "Port" }</th><th title="Last frontend port of a pool rule's range">{ "To" }</th><th>{ "Backend port" }</th><th></th></tr></thead><tbody>
            { for lb.nat_rules.iter().enumerate().map(|(j, r)| {
                let target = match (&r.nic, &r.backend_pool) { (Some(n), _) => format!("nic:{n}"), (_, Some(p)) => format!("pool:{p}"), _ => String::new() };
                let ctx = ctx.clone();
                html! { <>
                <tr data-testid={format!("lb-nat-{}", r.name)}>
                    <td><input value={r.name.clone()} aria-label="NAT rule name" onchange={set(j, |r, v| r.name = v.trim().to_string())} /></td>
                    <td><select aria-label="Protocol" onchange={set(j, |r, v| r.protocol = v)}>
                        { for ["Tcp", "Udp", "All"].iter().map(|p| html! { <option value={*p} selected={r.protocol.eq_ignore_ascii_case(p)}>{ *p }</option> }) }
                    </select></td>
                    <td><input value={r.frontend_port.to_string()} aria-label="Frontend port" onchange={set(j, |r, v| r.frontend_port = v.trim().parse().unwrap_or(-1))} /></td>
                    <td><input value={r.frontend_port_end.map(|p| p.to_string()).unwrap_or_default()} disabled={r.backend_pool.is_none()} aria-label="Range end (pool rules)"
                        onchange={set(j, |r, v| r.frontend_port_end = (!v.trim().is_empty()).then(|| v.trim().parse().unwrap_or(-1)))} /></td>
                    <td><input value={r.backend_port.to_string()} aria-label="Backend port" onchange={set(j, |r, v| r.backend_port = v.trim().parse().unwrap_or(-1))} /></td>
                    <td><button aria-label="Delete NAT rule" onclick={Callback::from(move |_| apply(&ctx, "delete an inbound NAT rule", |d| if let Some(x) = d.load_balancers.get_mut(i) && j < x.nat_rules.len() { x.nat_rules.remove(j); }))}>{ "×" }</button></td>
                </tr>
                <tr data-testid={format!("lb-nat-target-{}", r.name)}>
                    <td colspan="6" class="nat-target">{ "→ " }<select aria-label="Target" onchange={set(j, |r, v| {
                        r.ip_configuration = None;
                        match v.split_once(':') {
                            Some(("pool", p)) => { r.backend_pool = Some(p.to_string()); r.nic = None; }
                            Some((_, n)) => { r.nic = Some(n.to_string()); r.backend_pool = None; r.frontend_port_end = None; }
                            None => {}
                        }
                    })}>
                        { for targets.iter().map(|(v, l)| html! { <option value={v.clone()} selected={*v == target}>{ l }</option> }) }
                    </select></td>
                </tr>
            </> } }) }
            </tbody></table>
            <button data-testid="lb-add-nat" onclick={add}>{ "+ Add NAT rule" }</button>
        </>
    }
}

// ------------------------------------------------------------------ firewall

/// An Azure Firewall's rule collections.
#[component]
pub fn FirewallEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let Some(fw) = ctx.doc().firewalls.get(i).cloned() else {
        return html! {};
    };
    let base = format!("$.firewalls[{i}]");
    let (c1, c2) = (ctx.clone(), ctx.clone());
    let col_set = |j: usize, label: &'static str, f: fn(&mut RuleCollectionDoc, String)| {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let value = field_value(&e);
            apply(&ctx, label, |d| {
                if let Some(c) = d
                    .firewalls
                    .get_mut(i)
                    .and_then(|f| f.rule_collections.get_mut(j))
                {
                    f(c, value)
                }
            });
        })
    };
    let rule_set =
        |j: usize, k: usize, label: &'static str, f: fn(&mut FirewallRuleDoc, String)| {
            let ctx = ctx.clone();
            Callback::from(move |e: Event| {
                let value = e
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value();
                apply(&ctx, label, |d| {
                    if let Some(r) = d
                        .firewalls
                        .get_mut(i)
                        .and_then(|f| f.rule_collections.get_mut(j))
                        .and_then(|c| c.rules.get_mut(k))
                    {
                        f(r, value)
                    }
                });
            })
        };
    html! {
        <div class="editor" data-testid="firewall-editor">
            <p class="detail">{ format!("{} in {} at {}", fw.name, fw.vnet, fw.private_ip_address) }</p>
            if fw.policy.is_some() { <p class="hint">{ "This firewall uses a firewall policy; its rule collection groups are shown read-only in the trace. Classic collections below apply when there is no policy." }</p> }
            if let Some(e) = ctx.error_at(&base) { <p class="field-error" role="alert" data-testid="field-error">{ e }</p> }
            <CheckField label="Threat intelligence" checked={fw.threat_intel} testid="fw-threat-intel" on_change={Callback::from(move |on: bool| apply(&c1, "change threat intelligence", |d| if let Some(x) = d.firewalls.get_mut(i) { x.threat_intel = on }))} />
            <p class="hint">{ "Rules run DNAT first, then network, then application, whatever the priorities; within a kind, collections by priority, rules top-down; nothing matching means deny." }</p>
            { for fw.rule_collections.iter().enumerate().map(|(j, c)| {
                let ctx2 = ctx.clone();
                let add_rule = Callback::from(move |_| apply(&ctx2, "add a firewall rule", |d| if let Some(c) = d.firewalls.get_mut(i).and_then(|f| f.rule_collections.get_mut(j)) {
                    let name = fresh_name("rule", c.rules.iter().map(|r| r.name.as_str()));
                    let rule = match c.kind.as_str() {
                        "Application" => FirewallRuleDoc { name, protocols: vec![String::from("Https:443")], source_addresses: vec![String::from("*")], target_fqdns: vec![String::from("*.example.com")], ..Default::default() },
                        "Dnat" => FirewallRuleDoc { name, protocols: vec![String::from("TCP")], source_addresses: vec![String::from("*")], destination_addresses: vec![], destination_ports: vec![String::from("443")], translated_address: Some(String::from("10.0.2.4")), translated_port: Some(String::from("443")), ..Default::default() },
                        _ => FirewallRuleDoc { name, protocols: vec![String::from("TCP")], source_addresses: vec![String::from("*")], destination_addresses: vec![String::from("*")], destination_ports: vec![String::from("443")], ..Default::default() },
                    };
                    c.rules.push(rule);
                }));
                let ctx3 = ctx.clone();
                let remove = Callback::from(move |_| apply(&ctx3, "delete a rule collection", |d| if let Some(f) = d.firewalls.get_mut(i) && j < f.rule_collections.len() { f.rule_collections.remove(j); }));
                html! {
                    <fieldset class="collection" data-testid={format!("fw-collection-{}", c.name)}>
                        <legend>{ format!("{} collection {}", c.kind, c.name) }</legend>
                        <div class="row">
                            <input value={c.name.clone()} aria-label="Collection name" onchange={col_set(j, "rename a rule collection", |c, v| c.name = v.trim().to_string())} />
                            <input class="priority" value={c.priority.to_string()} aria-label="Collection priority" onchange={col_set(j, "change a collection's priority", |c, v| c.priority = v.trim().parse().unwrap_or(-1))} />
                            <select aria-label="Kind" onchange={col_set(j, "change a collection's kind", |c, v| c.kind = v)}>
                                { for ["Dnat", "Network", "Application"].iter().map(|k| html! { <option value={*k} selected={c.kind == *k}>{ *k }</option> }) }
                            </select>
                            if c.kind != "Dnat" {
                                <select aria-label="Action" onchange={col_set(j, "change a collection's action", |c, v| c.action = Some(v))}>
                                    { for ["Allow", "Deny"].iter().map(|a| html! { <option value={*a} selected={c.action.as_deref() == Some(*a)}>{ *a }</option> }) }
                                </select>
                            }
                            <button onclick={remove} aria-label={format!("Delete collection {}", c.name)}>{ "×" }</button>
                        </div>
                        <table class="routes"><thead><tr><th>{ "Rule" }</th><th>{ "Protocols" }</th><th>{ "Sources" }</th><th>{ if c.kind == "Application" { "Target FQDNs" } else { "Destinations" } }</th><th>{ "Ports" }</th>
                            if c.kind == "Dnat" { <th>{ "Translated to" }</th> }</tr></thead><tbody>
                        { for c.rules.iter().enumerate().map(|(k, r)| html! {
                            <tr data-testid={format!("fw-rule-{}", r.name)}>
                                <td><input value={r.name.clone()} aria-label="Rule name" onchange={rule_set(j, k, "rename a firewall rule", |r, v| r.name = v.trim().to_string())} /></td>
                                <td><input value={r.protocols.join(", ")} aria-label="Protocols" onchange={rule_set(j, k, "change a firewall rule", |r, v| r.protocols = split_list(&v))} /></td>
                                <td><input value={r.source_addresses.join(", ")} aria-label="Sources" onchange={rule_set(j, k, "change a firewall rule", |r, v| r.source_addresses = split_list(&v))} /></td>
                                if c.kind == "Application" {
                                    <td><input value={r.target_fqdns.join(", ")} aria-label="Target FQDNs" onchange={rule_set(j, k, "change a firewall rule", |r, v| r.target_fqdns = split_list(&v))} /></td>
                                    <td></td>
                                } else {
                                    <td><input value={r.destination_addresses.join(", ")} aria-label="Destinations" onchange={rule_set(j, k, "change a firewall rule", |r, v| r.destination_addresses = split_list(&v))} /></td>
                                    <td><input value={r.destination_ports.join(", ")} aria-label="Ports" onchange={rule_set(j, k, "change a firewall rule", |r, v| r.destination_ports = split_list(&v))} /></td>
                                }
                                if c.kind == "Dnat" {
                                    <td><input value={format!("{}:{}", r.translated_address.clone().unwrap_or_default(), r.translated_port.clone().unwrap_or_default())} aria-label="Translated address:port"
                                        onchange={rule_set(j, k, "change a DNAT translation", |r, v| { let (a, p) = v.rsplit_once(':').unwrap_or((v.as_str(), "")); r.translated_address = Some(a.trim().to_string()); r.translated_port = Some(p.trim().to_string()); })} /></td>
                                }
                            </tr>
                        }) }
                        </tbody></table>
                        <button onclick={add_rule}>{ "+ Add rule" }</button>
                    </fieldset>
                }
            }) }
            <button data-testid="fw-add-collection" onclick={Callback::from(move |_| apply(&c2, "add a rule collection", |d| if let Some(f) = d.firewalls.get_mut(i) {
                let name = fresh_name("collection", f.rule_collections.iter().map(|c| c.name.as_str()));
                let priority = f.rule_collections.iter().map(|c| c.priority).max().map_or(200, |p| (p + 100).min(65000));
                f.rule_collections.push(RuleCollectionDoc { name, priority, kind: String::from("Network"), action: Some(String::from("Allow")), rules: vec![] });
            }))}>{ "+ Add rule collection" }</button>
        </div>
    }
}

// ------------------------------------------------------------------ PaaS and clients

/// A PaaS service.
#[component]
pub fn ServiceEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let doc = ctx.doc();
    let Some(s) = doc.services.get(i).cloned() else {
        return html! {};
    };
    let (c1, c2, c3, c4, c5) = (
        ctx.clone(),
        ctx.clone(),
        ctx.clone(),
        ctx.clone(),
        ctx.clone(),
    );
    let key = NodeKey::Service(s.name.clone());
    let tags: Vec<(String, String)> = [
        "Storage",
        "Sql",
        "AzureKeyVault",
        "AzureCosmosDB",
        "AppService",
        "AzureContainerRegistry",
        "EventHub",
        "ServiceBus",
    ]
    .iter()
    .map(|t| (t.to_string(), t.to_string()))
    .collect();
    html! {
        <div class="editor" data-testid="service-editor">
            <TextField label="Name" value={s.name.clone()} testid="service-name" on_commit={Callback::from(move |v: String| do_rename(&c1, key.clone(), v))} />
            <SelectField label="Service" value={s.service_tag.clone()} options={tags} testid="service-tag" on_change={Callback::from(move |v: String| apply(&c2, "change a service's kind", |d| if let Some(x) = d.services.get_mut(i) { x.service_tag = v }))} />
            <TextField label="Public endpoint address" value={s.public_ip_address.clone()} testid="service-address" error={ctx.error_at(&format!("$.services[{i}].publicIpAddress"))}
                on_commit={Callback::from(move |v: String| apply(&c3, "change a service's address", |d| if let Some(x) = d.services.get_mut(i) { x.public_ip_address = v.trim().to_string() }))} />
            <CheckField label="Public network access" checked={s.public_network_access} testid="service-public-access" on_change={Callback::from(move |on: bool| apply(&c4, "change public network access", |d| if let Some(x) = d.services.get_mut(i) { x.public_network_access = on }))} />
            <fieldset><legend>{ "Allowed subnets (virtual network rules; need a service endpoint)" }</legend>
                { for doc.vnets.iter().flat_map(|v| v.subnets.iter().map(move |sub| (v.name.clone(), sub.name.clone()))).map(|(v, sub)| {
                    let ctx = ctx.clone();
                    let checked = s.allowed_subnets.iter().any(|r| r.vnet == v && r.subnet == sub);
                    html! { <CheckField label={format!("{v} / {sub}")} {checked} testid={format!("service-subnet-{v}-{sub}")} on_change={Callback::from(move |on: bool| apply(&ctx, "change a service's network rules", |d| if let Some(x) = d.services.get_mut(i) {
                        x.allowed_subnets.retain(|r| !(r.vnet == v && r.subnet == sub));
                        if on { x.allowed_subnets.push(SubnetRefDoc { vnet: v.clone(), subnet: sub.clone() }); }
                    }))} /> }
                }) }
            </fieldset>
            <TextField label="Allowed IP ranges (comma-separated)" value={s.allowed_ip_ranges.join(", ")} testid="service-ip-ranges" error={ctx.error_at(&format!("$.services[{i}].allowedIpRanges"))}
                on_commit={Callback::from(move |v: String| apply(&c5, "change a service's IP rules", |d| if let Some(x) = d.services.get_mut(i) { x.allowed_ip_ranges = split_list(&v) }))} />
        </div>
    }
}

/// A private endpoint.
#[component]
pub fn PrivateEndpointEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let Some(p) = ctx.doc().private_endpoints.get(i).cloned() else {
        return html! {};
    };
    let services: Vec<(String, String)> = ctx
        .doc()
        .services
        .iter()
        .map(|s| (s.name.clone(), s.name.clone()))
        .collect();
    let (c1, c2) = (ctx.clone(), ctx.clone());
    html! {
        <div class="editor" data-testid="pe-editor">
            <p class="detail">{ format!("in {} / {}", p.vnet, p.subnet) }</p>
            <SelectField label="Leads to" value={p.service.clone()} options={services} testid="pe-service" on_change={Callback::from(move |v: String| apply(&c1, "change a private endpoint's service", |d| if let Some(x) = d.private_endpoints.get_mut(i) { x.service = v }))} />
            <TextField label="Private IP address" value={p.private_ip_address.clone()} testid="pe-ip" error={ctx.error_at(&format!("$.privateEndpoints[{i}]"))}
                on_commit={Callback::from(move |v: String| apply(&c2, "change a private endpoint's address", |d| if let Some(x) = d.private_endpoints.get_mut(i) { x.private_ip_address = v.trim().to_string() }))} />
        </div>
    }
}

/// An Internet client.
#[component]
pub fn ClientEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let Some(c) = ctx.doc().internet_clients.get(i).cloned() else {
        return html! {};
    };
    let (c1, c2) = (ctx.clone(), ctx.clone());
    let key = NodeKey::Client(c.name.clone());
    html! {
        <div class="editor" data-testid="client-editor">
            <TextField label="Name" value={c.name.clone()} testid="client-name" on_commit={Callback::from(move |v: String| do_rename(&c1, key.clone(), v))} />
            <TextField label="Public address" value={c.address.clone()} testid="client-address" error={ctx.error_at(&format!("$.internetClients[{i}]"))}
                on_commit={Callback::from(move |v: String| apply(&c2, "change a client's address", |d| if let Some(x) = d.internet_clients.get_mut(i) { x.address = v.trim().to_string() }))} />
        </div>
    }
}

/// Network Watcher's per-VM views: effective security rules of the primary
/// NIC (tags and ASGs expanded) and next hop to an address.
#[derive(Properties, PartialEq)]
pub struct WatcherProps {
    /// The VM.
    pub vm: String,
}

/// Effective rules and next hop for one VM.
#[component]
pub fn NetworkWatcherViews(props: &WatcherProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let dest = use_state(|| String::from("8.8.8.8"));
    let Some(net) = ctx.network().cloned() else {
        return html! { <p class="hint">{ "Fix the scenario's error to see effective rules and next hops." }</p> };
    };
    let Some(vm) = net.find_vm(&props.vm) else {
        return html! {};
    };
    let Some(nic) = net.vm(vm).and_then(|v| v.nics.first().copied()) else {
        return html! {};
    };
    let source = net
        .nic(nic)
        .and_then(|n| n.ip_configs.first())
        .map(|c| c.private_ip);
    let blocks = netsec_engine::watcher::effective_security_rules(&net, nic);
    let hop = source.and_then(|src| {
        let d = netsec_engine::address::parse_ip(&dest).ok()?;
        netsec_engine::watcher::next_hop(&net, netsec_engine::watcher::Target::Vm(vm), src, d).ok()
    });
    let on_dest = {
        let dest = dest.clone();
        Callback::from(move |e: InputEvent| {
            dest.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let join =
        |one: &Option<String>, many: &[String]| one.clone().unwrap_or_else(|| many.join(", "));
    html! {
        <section class="watcher" data-testid="watcher">
            <h3>{ "Effective security rules" }</h3>
            if blocks.is_empty() { <p class="hint" data-testid="effective-none">{ "No NSG applies to this NIC: Azure shows no effective rules, and NSG filtering lets everything through." }</p> }
            { for blocks.iter().map(|b| {
                let at = b.association.subnet.as_ref().map(|_| "subnet").unwrap_or("network interface");
                let name = b.network_security_group.id.rsplit('/').next().unwrap_or_default().to_string();
                html! {
                    <details class="effective" open=true data-testid={format!("effective-{name}")}>
                        <summary>{ format!("{name} (on the {at})") }</summary>
                        <table class="rules">
                            <thead><tr><th>{ "Priority" }</th><th>{ "Name" }</th><th>{ "Dir" }</th><th>{ "Protocol" }</th><th>{ "Source (expanded)" }</th><th>{ "Destination (expanded)" }</th><th>{ "Ports" }</th><th>{ "Access" }</th></tr></thead>
                            <tbody>
                            { for b.effective_security_rules.iter().map(|r| {
                                let src = if r.expanded_source_address_prefix.is_empty() { join(&r.source_address_prefix, &r.source_address_prefixes) } else { format!("{} = {}", join(&r.source_address_prefix, &r.source_address_prefixes), r.expanded_source_address_prefix.join(", ")) };
                                let dst = if r.expanded_destination_address_prefix.is_empty() { join(&r.destination_address_prefix, &r.destination_address_prefixes) } else { format!("{} = {}", join(&r.destination_address_prefix, &r.destination_address_prefixes), r.expanded_destination_address_prefix.join(", ")) };
                                html! {
                                    <tr>
                                        <td>{ r.priority }</td><td>{ &r.name }</td><td>{ r.direction.to_string() }</td><td>{ &r.protocol }</td>
                                        <td class="expanded">{ src }</td><td class="expanded">{ dst }</td><td>{ join(&r.destination_port_range, &r.destination_port_ranges) }</td>
                                        <td class={r.access.to_string().to_ascii_lowercase()}>{ r.access.to_string() }</td>
                                    </tr>
                                }
                            }) }
                            </tbody>
                        </table>
                    </details>
                }
            }) }
            <h3>{ "Next hop" }</h3>
            <label class="field"><span>{ format!("From {} to", source.map(|s| s.to_string()).unwrap_or_default()) }</span>
                <input value={(*dest).clone()} oninput={on_dest} aria-label="Next hop destination" data-testid="next-hop-dest" /></label>
            <p data-testid="next-hop-result">{ match hop {
                Some(h) => format!("{}{} · {}", h.next_hop_type, h.next_hop_ip_address.map(|i| format!(" {i}")).unwrap_or_default(), h.route_table_id.rsplit('/').next().unwrap_or_default()),
                None => String::from("enter an IP address"),
            } }</p>
        </section>
    }
}

/// An Azure Virtual Network Manager security admin rule.
#[component]
pub fn AdminRuleEditor(props: &IndexProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let i = props.index;
    let doc = ctx.doc();
    let Some(r) = doc.admin_rules.get(i).cloned() else {
        return html! {};
    };
    let base = format!("$.adminRules[{i}]");
    let key = NodeKey::AdminRule(r.name.clone());
    let c1 = ctx.clone();
    let set_text = |label: &'static str, f: fn(&mut AdminRuleDoc, String)| {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            apply(&ctx, label, |d| {
                if let Some(x) = d.admin_rules.get_mut(i) {
                    f(x, v)
                }
            })
        })
    };
    let options = |items: &[&str]| {
        items
            .iter()
            .map(|s| (s.to_string(), s.to_string()))
            .collect::<Vec<_>>()
    };
    html! {
        <div class="editor" data-testid="admin-rule-editor">
            <p class="hint">{ "Security admin rules from Azure Virtual Network Manager run before every NSG: Deny drops the flow, Always allow delivers it without NSGs, Allow hands it on to the NSGs." }</p>
            if let Some(e) = ctx.error_at(&base) { <p class="field-error" role="alert" data-testid="field-error">{ e }</p> }
            <TextField label="Name" value={r.name.clone()} testid="admin-name" on_commit={Callback::from(move |v: String| do_rename(&c1, key.clone(), v))} />
            <TextField label="Priority (1-4096)" value={r.priority.to_string()} testid="admin-priority" error={ctx.error_at(&format!("{base}.priority"))}
                on_commit={set_text("change an admin rule's priority", |x, v| x.priority = v.trim().parse().unwrap_or(-1))} />
            <SelectField label="Direction" value={r.direction.clone()} options={options(&["Inbound", "Outbound"])} testid="admin-direction" on_change={set_text("change an admin rule's direction", |x, v| x.direction = v)} />
            <SelectField label="Action" value={r.access.clone()} options={options(&["Deny", "AlwaysAllow", "Allow"])} testid="admin-action" on_change={set_text("change an admin rule's action", |x, v| x.access = v)} />
            <SelectField label="Protocol" value={r.protocol.clone()} options={options(&["Any", "Tcp", "Udp", "Icmp", "Esp", "Ah"])} testid="admin-protocol" on_change={set_text("change an admin rule's protocol", |x, v| x.protocol = v)} />
            <TextField label="Sources (prefixes or tags, comma-separated; empty = any)" value={r.sources.join(", ")} testid="admin-sources" error={ctx.error_at(&format!("{base}.sources"))}
                on_commit={set_text("change an admin rule's sources", |x, v| x.sources = split_list(&v))} />
            <TextField label="Destinations (empty = any)" value={r.destinations.join(", ")} testid="admin-destinations" error={ctx.error_at(&format!("{base}.destinations"))}
                on_commit={set_text("change an admin rule's destinations", |x, v| x.destinations = split_list(&v))} />
            <TextField label="Destination ports (empty = any)" value={r.destination_port_ranges.join(", ")} testid="admin-ports" error={ctx.error_at(&format!("{base}.destinationPortRanges"))}
                on_commit={set_text("change an admin rule's ports", |x, v| x.destination_port_ranges = split_list(&v))} />
            <fieldset><legend>{ "Applies to (network group)" }</legend>
                { for doc.vnets.iter().map(|v| {
                    let ctx = ctx.clone();
                    let name = v.name.clone();
                    let checked = r.applies_to.contains(&v.name);
                    html! { <CheckField label={v.name.clone()} {checked} testid={format!("admin-vnet-{}", v.name)} on_change={Callback::from(move |on: bool| apply(&ctx, "change an admin rule's network group", |d| if let Some(x) = d.admin_rules.get_mut(i) {
                        x.applies_to.retain(|a| *a != name);
                        if on { x.applies_to.push(name.clone()); }
                    }))} /> }
                }) }
            </fieldset>
        </div>
    }
}

//! The inspector: the selected resource's properties, editable, with the
//! engine's validation error next to the field at fault. Nothing selected
//! shows the scenario and its subscription.

use yew::prelude::*;

use crate::app::Ctx;
use crate::components::NsgEditor;
use crate::components::resource_editors::*;
use crate::edit::{NodeKey, delete};
use crate::state::Action;

/// The inspector panel.
#[component]
pub fn Inspector() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let selected = ctx.state().selected.clone();
    let doc = ctx.doc();
    let body = match &selected {
        None => html! { <ScenarioEditor /> },
        Some(NodeKey::Region(r)) => html! { <RegionView region={r.clone()} /> },
        Some(NodeKey::Vnet(v)) => match doc.vnets.iter().position(|x| x.name == *v) {
            Some(i) => html! { <VnetEditor index={i} /> },
            None => html! {},
        },
        Some(NodeKey::Subnet(v, s)) => {
            let at = doc.vnets.iter().position(|x| x.name == *v).and_then(|i| {
                doc.vnets[i]
                    .subnets
                    .iter()
                    .position(|x| x.name == *s)
                    .map(|j| (i, j))
            });
            match at {
                Some((i, j)) => html! { <SubnetEditor vnet={i} subnet={j} /> },
                None => html! {},
            }
        }
        Some(NodeKey::Vm(v)) => html! { <VmEditor name={v.clone()} /> },
        Some(NodeKey::Nic(n)) => html! { <NicEditor name={n.clone()} /> },
        Some(NodeKey::Nsg(n)) => match doc.nsgs.iter().position(|x| x.name == *n) {
            Some(i) => html! { <NsgEditor index={i} /> },
            None => html! {},
        },
        Some(NodeKey::Asg(a)) => html! { <AsgEditor name={a.clone()} /> },
        Some(NodeKey::RouteTable(t)) => match doc.route_tables.iter().position(|x| x.name == *t) {
            Some(i) => html! { <RouteTableEditor index={i} /> },
            None => html! {},
        },
        Some(NodeKey::PublicIp(p)) => match doc.public_ips.iter().position(|x| x.name == *p) {
            Some(i) => html! { <PublicIpEditor index={i} /> },
            None => html! {},
        },
        Some(NodeKey::LoadBalancer(l)) => {
            match doc.load_balancers.iter().position(|x| x.name == *l) {
                Some(i) => html! { <LoadBalancerEditor index={i} /> },
                None => html! {},
            }
        }
        Some(NodeKey::Firewall(f)) => match doc.firewalls.iter().position(|x| x.name == *f) {
            Some(i) => html! { <FirewallEditor index={i} /> },
            None => html! {},
        },
        Some(NodeKey::Service(s)) => match doc.services.iter().position(|x| x.name == *s) {
            Some(i) => html! { <ServiceEditor index={i} /> },
            None => html! {},
        },
        Some(NodeKey::PrivateEndpoint(p)) => {
            match doc.private_endpoints.iter().position(|x| x.name == *p) {
                Some(i) => html! { <PrivateEndpointEditor index={i} /> },
                None => html! {},
            }
        }
        Some(NodeKey::AdminRule(r)) => match doc.admin_rules.iter().position(|x| x.name == *r) {
            Some(k) => html! { <AdminRuleEditor index={k} /> },
            None => html! {},
        },
        Some(NodeKey::Client(c)) => match doc.internet_clients.iter().position(|x| x.name == *c) {
            Some(i) => html! { <ClientEditor index={i} /> },
            None => html! {},
        },
    };
    let title = selected.as_ref().map_or_else(
        || String::from("Scenario"),
        |k| format!("{}: {}", k.kind_label(), k.name()),
    );
    let remove = selected.clone().map(|node| {
        let ctx = ctx.clone();
        let onclick = Callback::from(move |_| {
            let doc = delete(ctx.doc(), &node);
            ctx.dispatch(Action::Apply { label: format!("delete {}", node.name()), doc, select: None });
            ctx.dispatch(Action::Select(None));
        });
        html! { <button class="danger" {onclick} data-testid="delete-selected">{ "Delete" }</button> }
    });
    let general_error = ctx
        .built
        .error
        .as_ref()
        .map(|(path, message)| (path.clone(), message.clone()));
    html! {
        <section class="panel inspector" aria-label="Inspector" data-testid="inspector">
            <div class="panel-head">
                <h2 data-testid="inspector-title">{ title }</h2>
                { for remove }
            </div>
            if let Some((path, message)) = general_error {
                <p class="validation" role="alert" data-testid="validation-error">{ format!("{path}: {message}") }</p>
            }
            { body }
        </section>
    }
}

//! Azure resource ids: `/subscriptions/…/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/web`.

/// The subscription written into ids the importers make up (an ARM
/// template's deployment, a Terraform resource's id): the real one is not
/// known offline.
pub(crate) const ASSUMED_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// The resource group an ARM template is taken to be deployed to: not known
/// offline either.
pub(crate) const ASSUMED_RESOURCE_GROUP: &str = "netsec-rg";

/// A parsed resource id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ResId {
    /// The whole id, lower-cased (for exact matching).
    pub full: String,
    /// The type, lower-cased: `microsoft.network/virtualnetworks/subnets`.
    pub ty: String,
    /// The type as written: `Microsoft.Network/virtualNetworks/subnets`.
    pub ty_raw: String,
    /// The names, outermost first: `["hub", "web"]`.
    pub names: Vec<String>,
    /// The resource group, if the id names one.
    pub resource_group: Option<String>,
    /// The subscription, if the id names one.
    pub subscription: Option<String>,
}

impl ResId {
    /// Reads an id; `None` if it has no `/providers/<namespace>/<type>/<name>`.
    pub fn parse(id: &str) -> Option<ResId> {
        let segs: Vec<&str> = id.split('/').filter(|s| !s.is_empty()).collect();
        // The last `providers` segment: extension resources nest providers.
        let p = segs
            .iter()
            .rposition(|s| s.eq_ignore_ascii_case("providers"))?;
        let namespace = segs.get(p + 1)?;
        let rest = segs.get(p + 2..)?;
        if rest.len() < 2 {
            return None;
        }
        let mut types = vec![(*namespace).to_string()];
        let mut names = Vec::new();
        for pair in rest.chunks(2) {
            if let [t, n] = pair {
                types.push((*t).to_string());
                names.push((*n).to_string());
            }
        }
        let ty_raw = types.join("/");
        let resource_group = segs
            .iter()
            .position(|s| s.eq_ignore_ascii_case("resourceGroups"))
            .and_then(|i| segs.get(i + 1))
            .map(|s| (*s).to_string());
        let subscription = segs
            .iter()
            .position(|s| s.eq_ignore_ascii_case("subscriptions"))
            .and_then(|i| segs.get(i + 1))
            .map(|s| (*s).to_string());
        Some(ResId {
            full: id.trim().to_ascii_lowercase(),
            ty: ty_raw.to_ascii_lowercase(),
            ty_raw,
            names,
            resource_group,
            subscription,
        })
    }

    /// An id made from a type and names, for resources given without one.
    pub fn from_parts(ty: &str, names: Vec<String>) -> ResId {
        ResId {
            full: String::new(),
            ty: ty.to_ascii_lowercase(),
            ty_raw: ty.to_string(),
            names,
            resource_group: None,
            subscription: None,
        }
    }

    /// A child of this resource (`subnets`, `web`).
    pub fn child(&self, ty: &str, name: &str) -> ResId {
        let mut names = self.names.clone();
        names.push(name.to_string());
        ResId {
            full: if self.full.is_empty() {
                String::new()
            } else {
                format!("{}/{}/{}", self.full, ty, name).to_ascii_lowercase()
            },
            ty: format!("{}/{}", self.ty, ty.to_ascii_lowercase()),
            ty_raw: format!("{}/{}", self.ty_raw, ty),
            names,
            resource_group: self.resource_group.clone(),
            subscription: self.subscription.clone(),
        }
    }

    /// The parent resource (`virtualNetworks/hub` for a subnet).
    pub fn parent(&self) -> Option<ResId> {
        if self.names.len() < 2 {
            return None;
        }
        let ty = self.ty.rsplit_once('/')?.0.to_string();
        let ty_raw = self.ty_raw.rsplit_once('/')?.0.to_string();
        let mut names = self.names.clone();
        names.pop();
        let full = if self.full.is_empty() {
            String::new()
        } else {
            let mut parts: Vec<&str> = self.full.rsplitn(3, '/').collect();
            parts.reverse();
            parts.first().map_or_else(String::new, |s| (*s).to_string())
        };
        Some(ResId {
            full,
            ty,
            ty_raw,
            names,
            resource_group: self.resource_group.clone(),
            subscription: self.subscription.clone(),
        })
    }

    /// The last name.
    pub fn name(&self) -> &str {
        self.names.last().map_or("", String::as_str)
    }

    /// Type and names, lower-cased: how references match ("the trailing names").
    pub fn key(&self) -> String {
        let names: Vec<String> = self.names.iter().map(|n| n.to_ascii_lowercase()).collect();
        format!("{}/{}", self.ty, names.join("/"))
    }

    /// Whether a reference written as `self` may mean `other`, a resource of
    /// the same type and names whose full id differs: yes unless both ids
    /// name a subscription, or a resource group, and these differ. A scope
    /// the importers made up (the subscription of a Terraform or ARM id,
    /// the resource group an ARM template is taken to be deployed to) matches
    /// any, because the real one is not known: a template that names its own
    /// resource group through a parameter means the group it is deployed to.
    /// Export files name real scopes, so there a reference to `nsg1` of
    /// another resource group does not bind to the `nsg1` the file holds.
    pub fn may_mean(&self, other: &ResId) -> bool {
        let assumed_sub = |id: &ResId| {
            id.subscription
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case(ASSUMED_SUBSCRIPTION))
        };
        let assumed_rg = |id: &ResId| {
            assumed_sub(id)
                && id
                    .resource_group
                    .as_deref()
                    .is_none_or(|g| g.eq_ignore_ascii_case(ASSUMED_RESOURCE_GROUP))
        };
        let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => true,
        };
        let sub_ok = assumed_sub(self)
            || assumed_sub(other)
            || same(&self.subscription, &other.subscription);
        let rg_ok = assumed_rg(self)
            || assumed_rg(other)
            || same(&self.resource_group, &other.resource_group);
        sub_ok && rg_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_ids() {
        let id = ResId::parse(
            "/subscriptions/s/resourceGroups/RG1/providers/Microsoft.Network/virtualNetworks/Hub/subnets/Web",
        )
        .unwrap();
        assert_eq!(id.ty, "microsoft.network/virtualnetworks/subnets");
        assert_eq!(id.names, ["Hub", "Web"]);
        assert_eq!(id.resource_group.as_deref(), Some("RG1"));
        assert_eq!(
            id.key(),
            "microsoft.network/virtualnetworks/subnets/hub/web"
        );
        let parent = id.parent().unwrap();
        assert_eq!(parent.key(), "microsoft.network/virtualnetworks/hub");
        assert!(parent.full.ends_with("/virtualnetworks/hub"));
        assert!(ResId::parse("/subscriptions/s/resourceGroups/rg").is_none());
        assert!(ResId::parse("").is_none());
    }
}

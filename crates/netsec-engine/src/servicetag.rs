//! Service tags: names for sets of addresses that Microsoft maintains.
//!
//! Three tags depend on where they are evaluated and are computed per NIC by
//! [`crate::tags`]: `VirtualNetwork`, `Internet` and `AzureLoadBalancer`'s
//! platform address. The others expand to a small built-in table plus the
//! addresses of the PaaS services declared in the network.
//!
//! **Assumption:** the built-in prefixes are illustrative samples of each
//! service's public space, not Microsoft's weekly published list (the engine is
//! offline). Verdicts that depend on them carry an assumption label.

use alloc::string::String;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr};

/// The host virtual IP: DHCP, DNS, health probes (azure-semantics §2).
pub const HOST_VIP: IpAddr = IpAddr::V4(Ipv4Addr::new(168, 63, 129, 16));
/// The instance metadata service address.
pub const IMDS_IP: IpAddr = IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254));

/// A service tag as written in a rule, route or firewall rule, maybe regional
/// (`Storage.WestEurope`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ServiceTag {
    kind: TagKind,
    /// The base name as Azure spells it (`Storage`), or as written for unknown tags.
    name: String,
    /// The region suffix, normalised (`westeurope`), for regional tags.
    region: Option<String>,
}

/// The tags the engine gives meaning to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TagKind {
    /// `VirtualNetwork`: computed per NIC.
    VirtualNetwork,
    /// `Internet`: computed per NIC.
    Internet,
    /// `AzureLoadBalancer`: the platform address where probes come from.
    AzureLoadBalancer,
    /// `AzurePlatformDNS`.
    AzurePlatformDns,
    /// `AzurePlatformIMDS`.
    AzurePlatformImds,
    /// `AzurePlatformLKM`.
    AzurePlatformLkm,
    /// A PaaS or Microsoft service tag with a built-in sample table (`Storage`, `Sql`, ...).
    Service,
    /// A tag the engine has no prefixes for: it matches only declared PaaS services of that name.
    Unknown,
}

/// Built-in sample prefixes per service tag (assumption; see the module docs).
const SERVICE_PREFIXES: &[(&str, &[&str])] = &[
    (
        "AzureCloud",
        &[
            "13.64.0.0/11",
            "20.0.0.0/8",
            "40.64.0.0/10",
            "52.0.0.0/8",
            "104.40.0.0/13",
        ],
    ),
    ("Storage", &["20.60.0.0/16", "20.150.0.0/15"]),
    ("Sql", &["20.37.0.0/16", "40.78.0.0/16"]),
    ("AzureKeyVault", &["20.38.0.0/16"]),
    ("AzureMonitor", &["20.42.0.0/16"]),
    ("EventHub", &["20.47.0.0/16"]),
    ("ServiceBus", &["20.48.0.0/16"]),
    ("AppService", &["20.49.0.0/16"]),
    ("AzureCosmosDB", &["20.50.0.0/16"]),
    ("AzureContainerRegistry", &["20.51.0.0/16"]),
    ("AzureActiveDirectory", &["20.190.128.0/18"]),
    ("AzureFrontDoor.Backend", &["147.243.0.0/16"]),
    ("GatewayManager", &["51.104.0.0/16"]),
    ("AzureBastion", &["51.105.0.0/16"]),
    ("AzureDevOps", &["20.37.158.0/23"]),
];

/// The tags with platform meaning, matched case-insensitively, with classic spellings.
const FIXED_TAGS: &[(&str, TagKind)] = &[
    ("VirtualNetwork", TagKind::VirtualNetwork),
    ("VIRTUAL_NETWORK", TagKind::VirtualNetwork),
    ("Internet", TagKind::Internet),
    ("INTERNET", TagKind::Internet),
    ("AzureLoadBalancer", TagKind::AzureLoadBalancer),
    ("AZURE_LOADBALANCER", TagKind::AzureLoadBalancer),
    ("AzurePlatformDNS", TagKind::AzurePlatformDns),
    ("AzurePlatformIMDS", TagKind::AzurePlatformImds),
    ("AzurePlatformLKM", TagKind::AzurePlatformLkm),
];

impl ServiceTag {
    /// Reads a tag name. Returns `None` for text that cannot be a tag (it has
    /// digits-and-dots or slashes like an address, or characters tags never use).
    pub fn parse(text: &str) -> Option<ServiceTag> {
        let t = text.trim();
        let first = t.chars().next()?;
        if !first.is_ascii_alphabetic()
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
        {
            return None;
        }
        for (name, kind) in FIXED_TAGS {
            if t.eq_ignore_ascii_case(name) {
                let canonical = match kind {
                    TagKind::VirtualNetwork => "VirtualNetwork",
                    TagKind::Internet => "Internet",
                    TagKind::AzureLoadBalancer => "AzureLoadBalancer",
                    _ => name,
                };
                return Some(ServiceTag {
                    kind: *kind,
                    name: String::from(canonical),
                    region: None,
                });
            }
        }
        // Whole-name matches first: `AzureFrontDoor.Backend` has a dot but is not regional.
        if let Some((name, _)) = SERVICE_PREFIXES
            .iter()
            .find(|(n, _)| t.eq_ignore_ascii_case(n))
        {
            return Some(ServiceTag {
                kind: TagKind::Service,
                name: String::from(*name),
                region: None,
            });
        }
        let (base, region) = match t.split_once('.') {
            Some((b, r)) if !r.is_empty() => (b, Some(crate::region::normalize(r))),
            _ => (t, None),
        };
        // VirtualNetwork, Internet, AzureLoadBalancer and the platform tags
        // have no regional form (azure-semantics §4): `VirtualNetwork.WestEurope`
        // is not a tag.
        if region.is_some() && FIXED_TAGS.iter().any(|(n, _)| base.eq_ignore_ascii_case(n)) {
            return None;
        }
        let known = SERVICE_PREFIXES
            .iter()
            .find(|(n, _)| base.eq_ignore_ascii_case(n));
        Some(match known {
            Some((name, _)) => ServiceTag {
                kind: TagKind::Service,
                name: String::from(*name),
                region,
            },
            None => ServiceTag {
                kind: TagKind::Unknown,
                name: String::from(base),
                region,
            },
        })
    }

    /// What the engine knows this tag to be.
    pub fn kind(&self) -> TagKind {
        self.kind
    }

    /// The base name (`Storage` for `Storage.WestEurope`).
    pub fn base_name(&self) -> &str {
        &self.name
    }

    /// The region of a regional tag, normalised.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Whether the tag stands for a whole service (as opposed to a platform tag).
    pub fn is_service(&self) -> bool {
        matches!(self.kind, TagKind::Service | TagKind::Unknown)
    }

    /// The built-in sample prefixes of a service tag (empty for unknown tags and
    /// for regional tags, which only cover declared services of their region).
    pub fn builtin_prefixes(&self) -> &'static [&'static str] {
        if self.region.is_some() {
            return &[];
        }
        SERVICE_PREFIXES
            .iter()
            .find(|(n, _)| *n == self.name)
            .map_or(&[], |(_, p)| p)
    }

    /// Whether a PaaS service of `service_tag` in `region` belongs to this tag.
    /// `AzureCloud` takes in every service.
    pub fn covers_service(&self, service_tag: &str, region: &str) -> bool {
        let name_ok = self.name.eq_ignore_ascii_case(service_tag) || self.name == "AzureCloud";
        name_ok && self.region.as_deref().is_none_or(|r| r == region)
    }
}

impl fmt::Display for ServiceTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(region) = &self.region {
            write!(f, ".{region}")?;
        }
        Ok(())
    }
}

/// The service-endpoint name for a tag's service (`Storage` → `Microsoft.Storage`).
pub fn service_endpoint_name(tag_base: &str) -> String {
    let service = match tag_base {
        "AzureKeyVault" => "KeyVault",
        "AzureCosmosDB" => "AzureCosmosDB",
        "AppService" => "Web",
        "AzureActiveDirectory" => "AzureActiveDirectory",
        "AzureContainerRegistry" => "ContainerRegistry",
        other => other,
    };
    alloc::format!("Microsoft.{service}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_case_insensitively_and_classic_spellings() {
        assert_eq!(
            ServiceTag::parse("virtualnetwork").unwrap().kind(),
            TagKind::VirtualNetwork
        );
        assert_eq!(
            ServiceTag::parse("INTERNET").unwrap().kind(),
            TagKind::Internet
        );
        assert_eq!(
            ServiceTag::parse("AZURE_LOADBALANCER").unwrap().kind(),
            TagKind::AzureLoadBalancer
        );
        let regional = ServiceTag::parse("Storage.WestEurope").unwrap();
        assert_eq!(
            (regional.base_name(), regional.region()),
            ("Storage", Some("westeurope"))
        );
        assert_eq!(
            ServiceTag::parse("AzureFrontDoor.Backend")
                .unwrap()
                .region(),
            None
        );
        assert!(ServiceTag::parse("10.0.0.0/8").is_none());
        assert!(ServiceTag::parse("*").is_none());
    }

    #[test]
    fn endpoint_names_follow_azure() {
        assert_eq!(service_endpoint_name("Storage"), "Microsoft.Storage");
        assert_eq!(service_endpoint_name("Sql"), "Microsoft.Sql");
        assert_eq!(service_endpoint_name("AzureKeyVault"), "Microsoft.KeyVault");
    }
}

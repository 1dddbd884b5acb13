//! What a service tag means at one place in the network.
//!
//! `VirtualNetwork` and `Internet` are not fixed lists: Azure computes them per
//! NIC (azure-semantics §4). A [`TagContext`] holds that computation for one
//! subnet:
//!
//! - `VirtualNetwork` = the VNet's address spaces, the address spaces of
//!   connected peers whose peering allows virtual network access, the prefixes
//!   reached through the VNet gateway, the host virtual IP `168.63.129.16`, and
//!   the prefixes of the UDRs on the subnet's route table. The last part comes
//!   from user reports, not docs, so matches that rest only on it are labelled
//!   as an assumption.
//! - `Internet` = public unicast space (everything but RFC 1918, 0/8, 127/8,
//!   100.64/10, 169.254/16, multicast and 240/4; for IPv6, 2000::/3) minus
//!   `VirtualNetwork`. So private space outside the VNet is in neither tag,
//!   as Microsoft's own example shows.

use alloc::vec::Vec;
use core::net::IpAddr;

use crate::address::{AddressSet, IpNet, parse_prefix};
use crate::ids::SubnetId;
use crate::network::Network;
use crate::resources::RoutePrefix;
use crate::servicetag::{HOST_VIP, IMDS_IP, ServiceTag, TagKind};

/// Windows activation (KMS) address used for `AzurePlatformLKM`.
const LKM_PREFIXES: &[&str] = &["23.102.135.246/32", "20.118.99.224/32", "40.83.235.53/32"];

/// Whether `addr` is one of Azure's KMS (Windows activation) endpoints.
pub fn is_kms_address(addr: core::net::IpAddr) -> bool {
    AddressSet::from_nets(&nets(LKM_PREFIXES)).contains(addr)
}

fn nets(texts: &[&str]) -> Vec<IpNet> {
    texts.iter().filter_map(|t| parse_prefix(t).ok()).collect()
}

pub use crate::address::{is_private_or_reserved, public_space};
use crate::trace::Note;

/// What a tag matched, for labelling verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagBasis {
    /// Documented membership.
    Documented,
    /// `VirtualNetwork` matched only through a UDR prefix (reported by users, not documented).
    UdrPrefix,
    /// `VirtualNetwork` matched the host virtual IP 168.63.129.16.
    HostVip,
    /// A service tag matched one of the engine's illustrative prefixes.
    IllustrativePrefix,
}

impl TagBasis {
    /// The assumption a match on this basis rests on, if any.
    pub fn note(self) -> Option<Note> {
        match self {
            TagBasis::Documented => None,
            TagBasis::HostVip => Some(Note::assumption(
                "VirtualNetwork includes the host address 168.63.129.16 (shown in Azure's expanded tag, per the VirtualNetwork doc and user reports)",
            )),
            TagBasis::UdrPrefix => Some(Note::assumption(
                "VirtualNetwork includes the prefixes of the subnet's user-defined routes (reported by users, not documented)",
            )),
            TagBasis::IllustrativePrefix => Some(Note::assumption(
                "the service tag's addresses are the playground's illustrative sample, not Microsoft's published list",
            )),
        }
    }
}

/// Tag meanings for NICs in one subnet.
#[derive(Clone, Debug)]
pub struct TagContext<'n> {
    net: &'n Network,
    subnet: SubnetId,
    vnet_documented: AddressSet,
    vnet_udr: AddressSet,
    vnet_all: AddressSet,
    internet: AddressSet,
}

impl<'n> TagContext<'n> {
    /// The context of NICs in `subnet`.
    pub fn for_subnet(net: &'n Network, subnet: SubnetId) -> Self {
        let mut documented: Vec<IpNet> = Vec::new();
        let mut udr: Vec<IpNet> = Vec::new();
        if let Some(s) = net.subnet(subnet) {
            if let Some(vnet) = net.vnet(s.vnet) {
                documented.extend(vnet.address_space.iter().copied());
            }
            // On-premises spaces behind the VNet's own gateway, or a hub's
            // gateway used through gateway transit.
            if let Some(gateway) = net.gateway_vnet(s.vnet).and_then(|g| net.vnet(g)) {
                documented.extend(gateway.gateway_routes.iter().copied());
            }
            for p in net.peerings.iter().filter(|p| p.local == s.vnet) {
                if p.allow_virtual_network_access
                    && net.peering_connected(p.local, p.remote)
                    && let Some(remote) = net.vnet(p.remote)
                {
                    documented.extend(remote.address_space.iter().copied());
                }
            }
            if let Some(rt) = s.route_table.and_then(|r| net.route_table(r)) {
                udr.extend(rt.routes.iter().filter_map(|r| match &r.prefix {
                    RoutePrefix::Net(n) => Some(*n),
                    RoutePrefix::Tag(_) => None,
                }));
            }
        }
        documented.push(IpNet::from(HOST_VIP));
        let vnet_documented = AddressSet::from_nets(&documented);
        let vnet_udr = AddressSet::from_nets(&udr);
        let vnet_all = vnet_documented.union(&vnet_udr);
        let internet = public_space().difference(&vnet_all);
        Self {
            net,
            subnet,
            vnet_documented,
            vnet_udr,
            vnet_all,
            internet,
        }
    }

    /// The network the context belongs to.
    pub fn network(&self) -> &'n Network {
        self.net
    }

    /// Whether Windows activation (KMS) keeps its platform rule here: the
    /// rule is disabled "for deployments using a default route 0.0.0.0/0"
    /// (azure-semantics §2, DOC S1). The engine reads that as a 0.0.0.0/0
    /// route the subnet was given, user-defined or learned from the
    /// gateway; the system route to the Internet every subnet has does not
    /// count (an assumption: the documentation does not say which routes).
    pub fn kms_platform_rule(&self) -> bool {
        !crate::routing::effective_routes(self.net, self.subnet)
            .iter()
            .any(|r| {
                r.source != crate::routing::RouteSource::Default
                    && r.prefix.prefix_len() == 0
                    && r.prefix.addr().is_ipv4()
            })
    }

    /// Whether `addr` is in `tag` here, and on what basis. `None` when it is not.
    pub fn tag_match(&self, tag: &ServiceTag, addr: IpAddr) -> Option<TagBasis> {
        match tag.kind() {
            TagKind::VirtualNetwork => {
                if addr == HOST_VIP {
                    Some(TagBasis::HostVip)
                } else if self.vnet_documented.contains(addr) {
                    Some(TagBasis::Documented)
                } else if self.vnet_udr.contains(addr) {
                    Some(TagBasis::UdrPrefix)
                } else {
                    None
                }
            }
            TagKind::Internet => self.internet.contains(addr).then_some(TagBasis::Documented),
            TagKind::AzureLoadBalancer | TagKind::AzurePlatformDns => {
                (addr == HOST_VIP).then_some(TagBasis::Documented)
            }
            TagKind::AzurePlatformImds => (addr == IMDS_IP).then_some(TagBasis::Documented),
            TagKind::AzurePlatformLkm => AddressSet::from_nets(&nets(LKM_PREFIXES))
                .contains(addr)
                .then_some(TagBasis::Documented),
            TagKind::Service | TagKind::Unknown => {
                if self.declared_services(tag).contains(addr) {
                    Some(TagBasis::Documented)
                } else if AddressSet::from_nets(&nets(tag.builtin_prefixes())).contains(addr) {
                    Some(TagBasis::IllustrativePrefix)
                } else {
                    None
                }
            }
        }
    }

    /// Whether `addr` is in `tag` here.
    pub fn contains(&self, tag: &ServiceTag, addr: IpAddr) -> bool {
        self.tag_match(tag, addr).is_some()
    }

    fn declared_services(&self, tag: &ServiceTag) -> AddressSet {
        let ips: Vec<IpNet> = self
            .net
            .paas()
            .filter(|(_, s)| {
                let region = self.net.region(s.region).map_or("", |r| r.name.as_str());
                tag.covers_service(&s.service_tag, region)
            })
            .map(|(_, s)| IpNet::from(s.public_ip))
            .collect();
        AddressSet::from_nets(&ips)
    }

    /// Every address of `tag` here, as effective-rules output expands it.
    pub fn expand(&self, tag: &ServiceTag) -> AddressSet {
        match tag.kind() {
            TagKind::VirtualNetwork => self.vnet_all.clone(),
            TagKind::Internet => self.internet.clone(),
            TagKind::AzureLoadBalancer | TagKind::AzurePlatformDns => AddressSet::single(HOST_VIP),
            TagKind::AzurePlatformImds => AddressSet::single(IMDS_IP),
            TagKind::AzurePlatformLkm => AddressSet::from_nets(&nets(LKM_PREFIXES)),
            TagKind::Service | TagKind::Unknown => self
                .declared_services(tag)
                .union(&AddressSet::from_nets(&nets(tag.builtin_prefixes()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::str::FromStr;

    #[test]
    fn internet_excludes_private_space() {
        let p = public_space();
        for private in [
            "10.1.2.3",
            "172.31.0.100",
            "192.168.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
        ] {
            assert!(!p.contains(IpAddr::from_str(private).unwrap()), "{private}");
        }
        for public in ["8.8.8.8", "203.0.113.7", "20.60.1.1", "2001:db8::1"] {
            assert!(p.contains(IpAddr::from_str(public).unwrap()), "{public}");
        }
    }
}

//! Addresses and prefixes in Azure's syntax, and sets of addresses.
//!
//! Azure writes an address condition as one IP (`10.0.0.4`), one CIDR
//! (`10.0.0.0/24`), `*`, or a service tag. [`parse_prefix`] reads the first two;
//! [`AddressSet`] is what every condition becomes once tags and ASGs are
//! expanded, so that matching never depends on how the rule was written.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

pub use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::rangeset::RangeSet;

/// Why a string is not an IP address or prefix.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PrefixParseError {
    text: String,
}

impl PrefixParseError {
    pub(crate) fn new(text: &str) -> Self {
        Self { text: clip(text) }
    }
}

impl fmt::Display for PrefixParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not an IP address or CIDR prefix (expected e.g. 10.0.0.0/24 or 10.0.0.4)",
            self.text
        )
    }
}

impl core::error::Error for PrefixParseError {}

/// Keeps user text in error messages short and printable.
pub(crate) fn clip(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().count() > 64 {
        out.push('…');
    }
    out
}

/// Reads `10.0.0.4`, `10.0.0.0/24`, `2001:db8::/32` as Azure does.
///
/// A bare address is a /32 (or /128). Host bits after the mask are cleared
/// (`10.0.0.7/24` is `10.0.0.0/24`), as NSG rules accept them; resources that
/// must be exact (address spaces, subnets) check with [`has_host_bits`].
pub fn parse_prefix(text: &str) -> Result<IpNet, PrefixParseError> {
    let trimmed = text.trim();
    if let Ok(net) = IpNet::from_str(trimmed) {
        return Ok(net.trunc());
    }
    match IpAddr::from_str(trimmed) {
        Ok(addr) => Ok(IpNet::from(addr)),
        Err(_) => Err(PrefixParseError::new(text)),
    }
}

/// Reads one IP address.
pub fn parse_ip(text: &str) -> Result<IpAddr, PrefixParseError> {
    IpAddr::from_str(text.trim()).map_err(|_| PrefixParseError::new(text))
}

/// Whether the prefix as written had bits set after the mask (`10.0.0.7/24`).
pub fn has_host_bits(text: &str) -> bool {
    IpNet::from_str(text.trim()).is_ok_and(|net| net != net.trunc())
}

/// Whether `net` contains `addr` (false across address families).
pub fn net_contains(net: &IpNet, addr: IpAddr) -> bool {
    net.contains(&addr)
}

/// A set of IPv4 and IPv6 addresses.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct AddressSet {
    v4: RangeSet<u32>,
    v6: RangeSet<u128>,
}

impl AddressSet {
    /// No addresses.
    pub const fn empty() -> Self {
        Self {
            v4: RangeSet::empty(),
            v6: RangeSet::empty(),
        }
    }

    /// Every IPv4 and IPv6 address (`*`).
    pub fn any() -> Self {
        Self {
            v4: RangeSet::full(),
            v6: RangeSet::full(),
        }
    }

    /// The addresses of some prefixes.
    pub fn from_nets<'a>(nets: impl IntoIterator<Item = &'a IpNet>) -> Self {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for net in nets {
            match net {
                IpNet::V4(n) => v4.push((u32::from(n.network()), u32::from(n.broadcast()))),
                IpNet::V6(n) => v6.push((u128::from(n.network()), u128::from(n.broadcast()))),
            }
        }
        Self {
            v4: RangeSet::from_ranges(v4),
            v6: RangeSet::from_ranges(v6),
        }
    }

    /// One address.
    pub fn single(addr: IpAddr) -> Self {
        Self::from_nets(&[IpNet::from(addr)])
    }

    /// Whether the set holds `addr`.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match addr {
            IpAddr::V4(a) => self.v4.contains(u32::from(a)),
            IpAddr::V6(a) => self.v6.contains(u128::from(a)),
        }
    }

    /// Whether the set holds nothing.
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// Whether the set is every address of both families.
    pub fn is_any(&self) -> bool {
        self.v4.is_full() && self.v6.is_full()
    }

    /// Whether the two sets share an address.
    pub fn intersects(&self, other: &Self) -> bool {
        self.v4.intersects(&other.v4) || self.v6.intersects(&other.v6)
    }

    /// Everything in either set.
    pub fn union(&self, other: &Self) -> Self {
        Self {
            v4: self.v4.union(&other.v4),
            v6: self.v6.union(&other.v6),
        }
    }

    /// Everything in `self` but not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        Self {
            v4: self.v4.difference(&other.v4),
            v6: self.v6.difference(&other.v6),
        }
    }

    /// The IPv4 ranges, as integers.
    pub fn v4_ranges(&self) -> &[(u32, u32)] {
        self.v4.ranges()
    }

    /// The IPv6 ranges, as integers.
    pub fn v6_ranges(&self) -> &[(u128, u128)] {
        self.v6.ranges()
    }

    /// The set written as the fewest CIDR prefixes, IPv4 first, as
    /// effective-rules output shows an expanded tag.
    pub fn to_prefixes(&self) -> Vec<IpNet> {
        let mut out = Vec::new();
        for &(lo, hi) in self.v4.ranges() {
            range_to_cidrs(lo as u128, hi as u128, 32, &mut |start, len| {
                let net = Ipv4Net::new(Ipv4Addr::from(start as u32), len).map(IpNet::V4);
                out.extend(net.ok());
            });
        }
        for &(lo, hi) in self.v6.ranges() {
            range_to_cidrs(lo, hi, 128, &mut |start, len| {
                out.extend(Ipv6Net::new(Ipv6Addr::from(start), len).map(IpNet::V6).ok());
            });
        }
        out
    }
}

/// Splits `[lo, hi]` into aligned blocks, largest first.
fn range_to_cidrs(mut lo: u128, hi: u128, bits: u8, emit: &mut dyn FnMut(u128, u8)) {
    // `lo + 2^k - 1`; cannot overflow because `lo` is aligned to `2^k`.
    let block_end = |lo: u128, k: u32| {
        if k >= 128 {
            u128::MAX
        } else {
            lo + ((1u128 << k) - 1)
        }
    };
    loop {
        let mut k = if lo == 0 {
            u32::from(bits)
        } else {
            lo.trailing_zeros().min(u32::from(bits))
        };
        while k > 0 && block_end(lo, k) > hi {
            k -= 1;
        }
        emit(lo, bits - k as u8);
        let end = block_end(lo, k);
        if end >= hi {
            return;
        }
        lo = end + 1;
    }
}

/// Non-public IPv4 space: never part of `Internet`.
const NON_PUBLIC_V4: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/3",
];

fn nets_of(texts: &[&str]) -> Vec<IpNet> {
    texts.iter().filter_map(|t| parse_prefix(t).ok()).collect()
}

/// Public unicast space of both families.
pub fn public_space() -> AddressSet {
    let v4 = AddressSet::from_nets(&nets_of(&["0.0.0.0/0"]))
        .difference(&AddressSet::from_nets(&nets_of(NON_PUBLIC_V4)));
    v4.union(&AddressSet::from_nets(&nets_of(&["2000::/3"])))
}

/// Whether an address is private or reserved (not routable on the Internet).
pub fn is_private_or_reserved(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(_) => AddressSet::from_nets(&nets_of(NON_PUBLIC_V4)).contains(addr),
        IpAddr::V6(_) => !AddressSet::from_nets(&nets_of(&["2000::/3"])).contains(addr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn set(prefixes: &[&str]) -> AddressSet {
        let nets: Vec<IpNet> = prefixes.iter().map(|p| parse_prefix(p).unwrap()).collect();
        AddressSet::from_nets(&nets)
    }

    #[test]
    fn parses_bare_address_as_host_prefix() {
        assert_eq!(parse_prefix("10.0.0.4").unwrap().to_string(), "10.0.0.4/32");
        assert_eq!(
            parse_prefix("10.0.0.7/24").unwrap().to_string(),
            "10.0.0.0/24"
        );
        assert!(has_host_bits("10.0.0.7/24") && !has_host_bits("10.0.0.0/24"));
        assert!(parse_prefix("10.0.0.0/33").is_err());
        assert!(parse_prefix("300.1.1.1").is_err());
        assert!(parse_prefix("").is_err());
    }

    #[test]
    fn prefixes_round_trip_through_ranges() {
        let s = set(&["10.0.0.0/16", "10.1.0.0/16", "192.168.1.5", "2001:db8::/64"]);
        let text: Vec<_> = s.to_prefixes().iter().map(|n| n.to_string()).collect();
        assert_eq!(text, ["10.0.0.0/15", "192.168.1.5/32", "2001:db8::/64"]);
    }

    #[test]
    fn whole_space_becomes_default_route() {
        let text: Vec<_> = AddressSet::any()
            .to_prefixes()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(text, ["0.0.0.0/0", "::/0"]);
    }

    #[test]
    fn unaligned_range_splits_into_blocks() {
        let s = set(&["0.0.0.0/0"]).difference(&set(&["10.0.0.0/8"]));
        let text: Vec<_> = s.to_prefixes().iter().map(|n| n.to_string()).collect();
        assert_eq!(
            text,
            [
                "0.0.0.0/5",
                "8.0.0.0/7",
                "11.0.0.0/8",
                "12.0.0.0/6",
                "16.0.0.0/4",
                "32.0.0.0/3",
                "64.0.0.0/2",
                "128.0.0.0/1"
            ]
        );
    }
}

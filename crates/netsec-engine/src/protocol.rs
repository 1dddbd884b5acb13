//! IP protocols as NSG rules and flows name them.

use core::fmt;
use core::str::FromStr;

/// The protocol of a flow.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Protocol {
    /// TCP (IANA 6).
    Tcp,
    /// UDP (IANA 17).
    Udp,
    /// ICMP (IANA 1, or 58 for IPv6).
    Icmp,
    /// IPsec ESP (IANA 50).
    Esp,
    /// IPsec AH (IANA 51).
    Ah,
}

impl Protocol {
    /// Whether flows of this protocol carry ports. ICMP, ESP and AH do not.
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }

    /// The IANA protocol number (ICMP as 1).
    pub fn iana_number(self) -> u8 {
        match self {
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Icmp => 1,
            Protocol::Esp => 50,
            Protocol::Ah => 51,
        }
    }

    /// Azure's API spelling (`Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`).
    pub fn api_name(self) -> &'static str {
        match self {
            Protocol::Tcp => "Tcp",
            Protocol::Udp => "Udp",
            Protocol::Icmp => "Icmp",
            Protocol::Esp => "Esp",
            Protocol::Ah => "Ah",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Icmp => "ICMP",
            Protocol::Esp => "ESP",
            Protocol::Ah => "AH",
        })
    }
}

/// Why a protocol name was not understood.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProtocolParseError(alloc::string::String);

impl fmt::Display for ProtocolParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a protocol (expected Tcp, Udp, Icmp, Esp, Ah or *)",
            self.0
        )
    }
}

impl core::error::Error for ProtocolParseError {}

/// A rule's protocol condition: one protocol or `*` (Any).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RuleProtocol {
    /// `*` / Any. Azure documents it as TCP, UDP and ICMP; the engine also lets it
    /// match ESP and AH, and labels such verdicts as an assumption.
    Any,
    /// Exactly one protocol.
    Only(Protocol),
}

impl RuleProtocol {
    /// Whether a flow of `protocol` matches.
    pub fn matches(self, protocol: Protocol) -> bool {
        match self {
            RuleProtocol::Any => true,
            RuleProtocol::Only(p) => p == protocol,
        }
    }

    /// Azure's API spelling (`*`, `Tcp`, ...).
    pub fn api_name(self) -> &'static str {
        match self {
            RuleProtocol::Any => "*",
            RuleProtocol::Only(p) => p.api_name(),
        }
    }
}

impl fmt::Display for RuleProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleProtocol::Any => f.write_str("Any"),
            RuleProtocol::Only(p) => write!(f, "{p}"),
        }
    }
}

impl FromStr for Protocol {
    type Err = ProtocolParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match RuleProtocol::from_str(s)? {
            RuleProtocol::Only(p) => Ok(p),
            RuleProtocol::Any => Err(ProtocolParseError(crate::address::clip(s))),
        }
    }
}

impl FromStr for RuleProtocol {
    type Err = ProtocolParseError;
    /// Case-insensitive, as the API is: `Tcp`, `TCP`, `tcp`; `*`, `Any`, `All`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let p = if t == "*" || t.eq_ignore_ascii_case("any") || t.eq_ignore_ascii_case("all") {
            return Ok(RuleProtocol::Any);
        } else if t.eq_ignore_ascii_case("tcp") {
            Protocol::Tcp
        } else if t.eq_ignore_ascii_case("udp") {
            Protocol::Udp
        } else if t.eq_ignore_ascii_case("icmp") {
            Protocol::Icmp
        } else if t.eq_ignore_ascii_case("esp") {
            Protocol::Esp
        } else if t.eq_ignore_ascii_case("ah") {
            Protocol::Ah
        } else {
            return Err(ProtocolParseError(crate::address::clip(s)));
        };
        Ok(RuleProtocol::Only(p))
    }
}

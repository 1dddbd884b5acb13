//! A flow: the five-tuple the security layers look at.

use core::fmt;
use core::net::IpAddr;

use crate::protocol::Protocol;

/// One packet's five-tuple. ICMP, ESP and AH carry no ports; theirs are 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Flow {
    /// Protocol.
    pub protocol: Protocol,
    /// Source address.
    pub source: IpAddr,
    /// Source port (0 for protocols without ports).
    pub source_port: u16,
    /// Destination address.
    pub destination: IpAddr,
    /// Destination port (0 for protocols without ports).
    pub destination_port: u16,
}

impl Flow {
    /// A TCP flow.
    pub fn tcp(
        source: IpAddr,
        source_port: u16,
        destination: IpAddr,
        destination_port: u16,
    ) -> Self {
        Self {
            protocol: Protocol::Tcp,
            source,
            source_port,
            destination,
            destination_port,
        }
    }

    /// A flow of any protocol; ports are dropped for protocols without them.
    pub fn new(
        protocol: Protocol,
        source: IpAddr,
        source_port: u16,
        destination: IpAddr,
        destination_port: u16,
    ) -> Self {
        let (sp, dp) = if protocol.has_ports() {
            (source_port, destination_port)
        } else {
            (0, 0)
        };
        Self {
            protocol,
            source,
            source_port: sp,
            destination,
            destination_port: dp,
        }
    }

    /// The reply: addresses and ports swapped.
    pub fn reply(&self) -> Self {
        Self {
            protocol: self.protocol,
            source: self.destination,
            source_port: self.destination_port,
            destination: self.source,
            destination_port: self.source_port,
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.protocol.has_ports() {
            write!(
                f,
                "{} {}:{} -> {}:{}",
                self.protocol,
                fmt_ip(self.source),
                self.source_port,
                fmt_ip(self.destination),
                self.destination_port
            )
        } else {
            write!(
                f,
                "{} {} -> {}",
                self.protocol, self.source, self.destination
            )
        }
    }
}

struct IpForPort(IpAddr);
impl fmt::Display for IpForPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(a) => write!(f, "{a}"),
            IpAddr::V6(a) => write!(f, "[{a}]"),
        }
    }
}
fn fmt_ip(ip: IpAddr) -> IpForPort {
    IpForPort(ip)
}

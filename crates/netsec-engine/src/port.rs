//! Port conditions in Azure's syntax: `*`, `80`, `1000-2000`, and lists of them.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::address::clip;
use crate::rangeset::RangeSet;

/// Why a string is not a port, range or `*`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PortParseError {
    text: String,
    reason: &'static str,
}

impl fmt::Display for PortParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a valid port or range: {}",
            self.text, self.reason
        )
    }
}

impl core::error::Error for PortParseError {}

/// One inclusive port range; a single port is `n-n`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct PortRange {
    /// First port.
    pub lo: u16,
    /// Last port (inclusive).
    pub hi: u16,
}

impl PortRange {
    /// All ports, 0-65535.
    pub const ANY: PortRange = PortRange { lo: 0, hi: 65535 };

    /// One port.
    pub const fn single(port: u16) -> Self {
        Self { lo: port, hi: port }
    }

    /// Whether `port` is in the range.
    pub fn contains(&self, port: u16) -> bool {
        self.lo <= port && port <= self.hi
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lo == self.hi {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{}-{}", self.lo, self.hi)
        }
    }
}

/// A port condition: `*` or a list of ports and ranges, as written.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum PortSpec {
    /// `*`: every port.
    Any,
    /// A list of ports and ranges (`80, 443, 8000-8080`).
    List(Vec<PortRange>),
}

impl PortSpec {
    /// Reads one item: `*`, `80` or `1000-2000`.
    pub fn parse_one(text: &str) -> Result<PortSpec, PortParseError> {
        let t = text.trim();
        if t == "*" {
            return Ok(PortSpec::Any);
        }
        Ok(PortSpec::List(alloc::vec![parse_range(t).map_err(
            |reason| PortParseError {
                text: clip(text),
                reason
            }
        )?]))
    }

    /// Reads a list, as in `destinationPortRanges`; `*` may only stand alone.
    pub fn parse_list<S: AsRef<str>>(items: &[S]) -> Result<PortSpec, PortParseError> {
        if items.is_empty() {
            return Err(PortParseError {
                text: String::new(),
                reason: "the list is empty",
            });
        }
        let mut ranges = Vec::with_capacity(items.len());
        for item in items {
            let t = item.as_ref().trim();
            if t == "*" {
                if items.len() == 1 {
                    return Ok(PortSpec::Any);
                }
                return Err(PortParseError {
                    text: clip(t),
                    reason: "'*' cannot be combined with other ports",
                });
            }
            ranges.push(parse_range(t).map_err(|reason| PortParseError {
                text: clip(t),
                reason,
            })?);
        }
        Ok(PortSpec::List(ranges))
    }

    /// Reads a comma-separated list as the portal shows it (`80, 443, 8000-8080`).
    pub fn parse_comma_list(text: &str) -> Result<PortSpec, PortParseError> {
        let items: Vec<&str> = text.split(',').collect();
        Self::parse_list(&items)
    }

    /// The ports as a set.
    pub fn to_set(&self) -> RangeSet<u16> {
        match self {
            PortSpec::Any => RangeSet::full(),
            PortSpec::List(list) => RangeSet::from_ranges(list.iter().map(|r| (r.lo, r.hi))),
        }
    }

    /// Whether the condition allows every port.
    pub fn is_any(&self) -> bool {
        match self {
            PortSpec::Any => true,
            PortSpec::List(list) => list.contains(&PortRange::ANY),
        }
    }

    /// Whether `port` matches.
    pub fn contains(&self, port: u16) -> bool {
        match self {
            PortSpec::Any => true,
            PortSpec::List(list) => list.iter().any(|r| r.contains(port)),
        }
    }

    /// The items as Azure's API writes them (`*`, `80`, `1000-2000`).
    pub fn items(&self) -> Vec<String> {
        match self {
            PortSpec::Any => alloc::vec![String::from("*")],
            PortSpec::List(list) => list.iter().map(|r| alloc::format!("{r}")).collect(),
        }
    }
}

impl fmt::Display for PortSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortSpec::Any => f.write_str("*"),
            PortSpec::List(list) => {
                for (i, r) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{r}")?;
                }
                Ok(())
            }
        }
    }
}

fn parse_range(t: &str) -> Result<PortRange, &'static str> {
    if t.is_empty() {
        return Err("it is empty");
    }
    let (lo, hi) = match t.split_once('-') {
        Some((a, b)) => (parse_port(a.trim())?, parse_port(b.trim())?),
        None => {
            let p = parse_port(t)?;
            (p, p)
        }
    };
    if lo > hi {
        return Err("the range starts after it ends");
    }
    Ok(PortRange { lo, hi })
}

fn parse_port(t: &str) -> Result<u16, &'static str> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err("ports are whole numbers from 0 to 65535");
    }
    // Leading zeros count for nothing ("0080" is 80, as an integer parse reads
    // it, however many there are); after them, more than five digits can only
    // be out of range, which also avoids overflow on long input.
    let t = t.trim_start_matches('0');
    let t = if t.is_empty() { "0" } else { t };
    if t.len() > 5 {
        return Err("ports go up to 65535");
    }
    let value: u32 = t
        .parse()
        .map_err(|_| "ports are whole numbers from 0 to 65535")?;
    u16::try_from(value).map_err(|_| "ports go up to 65535")
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn parses_azure_port_forms() {
        assert_eq!(PortSpec::parse_one("*").unwrap(), PortSpec::Any);
        assert_eq!(PortSpec::parse_one("80").unwrap().to_string(), "80");
        assert_eq!(
            PortSpec::parse_one("1000-2000").unwrap().to_string(),
            "1000-2000"
        );
        assert_eq!(
            PortSpec::parse_comma_list("80, 10000-10005")
                .unwrap()
                .to_string(),
            "80, 10000-10005"
        );
        // Leading zeros, however many, do not make a port out of range.
        for text in ["0080", "000000000000000000000000080"] {
            assert_eq!(PortSpec::parse_one(text).unwrap().to_string(), "80");
        }
        assert_eq!(PortSpec::parse_one("0000").unwrap().to_string(), "0");
    }

    #[test]
    fn rejects_bad_ports_with_reason() {
        for (text, reason) in [
            ("70000", "ports go up to 65535"),
            ("000000000000000000070000", "ports go up to 65535"),
            ("-1", "ports are whole numbers from 0 to 65535"),
            ("90-80", "the range starts after it ends"),
            ("http", "ports are whole numbers from 0 to 65535"),
            ("", "it is empty"),
        ] {
            let err = PortSpec::parse_one(text).unwrap_err();
            assert_eq!(err.reason, reason, "input {text:?}");
        }
        assert!(PortSpec::parse_list(&["*", "80"]).is_err());
    }

    #[test]
    fn ranges_are_inclusive() {
        let spec = PortSpec::parse_one("3389-3390").unwrap();
        assert!(spec.contains(3389) && spec.contains(3390) && !spec.contains(3391));
    }
}

//! A compiled NSG: the expanded rules of one NSG, direction and NIC turned
//! into per-field bit vectors, so one flow is decided with four binary
//! searches and a few dozen word ANDs instead of a scan of every rule.
//!
//! Each field's value space is cut into elementary intervals at every rule
//! boundary; each interval maps to a bit vector of the rules whose condition
//! covers it (identical vectors shared). A flow's rule is the lowest set bit
//! of the AND of its five vectors: rules are stored in priority order, so
//! that bit is the first match. The decision equals [`effective::decide`]
//! (a property test holds them to it); IPv6 flows and platform traffic take
//! that linear path directly.

use alloc::vec::Vec;

use crate::address::AddressSet;
use crate::effective::{self, EffectiveRule};
use crate::flow::Flow;
use crate::nsg_eval::is_platform_destination;
use crate::protocol::{Protocol, RuleProtocol};
use crate::rangeset::{Bound, RangeSet};
use crate::resources::{Access, Direction};

/// One field: interval starts, the class of each interval, the class vectors.
#[derive(Clone, Debug)]
struct Dimension<T> {
    starts: Vec<T>,
    class_of: Vec<u32>,
    bits: Vec<u64>,
}

impl<T: Bound> Dimension<T> {
    fn build(words: usize, sets: &[&RangeSet<T>]) -> Self {
        let mut cuts: Vec<T> = alloc::vec![T::MIN];
        for set in sets {
            for &(lo, hi) in set.ranges() {
                cuts.push(lo);
                if let Some(next) = hi.succ() {
                    cuts.push(next);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut bits: Vec<u64> = Vec::new();
        let mut class_of = Vec::with_capacity(cuts.len());
        let mut scratch = alloc::vec![0u64; words];
        for &start in &cuts {
            scratch.iter_mut().for_each(|w| *w = 0);
            for (i, set) in sets.iter().enumerate() {
                if set.contains(start) {
                    scratch[i / 64] |= 1 << (i % 64);
                }
            }
            // Share identical vectors; neighbours are often equal.
            let existing = (0..bits.len() / words.max(1))
                .rev()
                .take(8)
                .find(|c| bits[c * words..(c + 1) * words] == scratch[..]);
            let class = match existing {
                Some(c) => c,
                None => {
                    bits.extend_from_slice(&scratch);
                    bits.len() / words.max(1) - 1
                }
            };
            class_of.push(class as u32);
        }
        Self {
            starts: cuts,
            class_of,
            bits,
        }
    }

    #[inline]
    fn lookup(&self, value: T, words: usize) -> &[u64] {
        // The interval holding `value`: the last start <= value (there is always one: MIN).
        let idx = self
            .starts
            .partition_point(|&s| s <= value)
            .saturating_sub(1);
        let class = self.class_of[idx] as usize;
        &self.bits[class * words..(class + 1) * words]
    }
}

/// One NSG, one direction, one NIC, compiled.
#[derive(Clone, Debug)]
pub struct CompiledNsg {
    direction: Direction,
    rules: Vec<EffectiveRule>,
    words: usize,
    source: Dimension<u32>,
    destination: Dimension<u32>,
    source_port: Dimension<u16>,
    destination_port: Dimension<u16>,
    /// Per protocol (Tcp, Udp, Icmp, Esp, Ah): rules whose protocol matches.
    protocol: [Vec<u64>; 5],
    /// Rules whose port conditions accept a flow without ports.
    portless: Vec<u64>,
}

fn v4_set(set: &AddressSet) -> RangeSet<u32> {
    RangeSet::from_ranges(set.v4_ranges().iter().copied())
}

fn protocol_index(p: Protocol) -> usize {
    match p {
        Protocol::Tcp => 0,
        Protocol::Udp => 1,
        Protocol::Icmp => 2,
        Protocol::Esp => 3,
        Protocol::Ah => 4,
    }
}

impl CompiledNsg {
    /// Compiles expanded rules of one direction (as [`effective::expand`] returns them).
    pub fn compile(rules: Vec<EffectiveRule>, direction: Direction) -> Self {
        let rules: Vec<EffectiveRule> = rules
            .into_iter()
            .filter(|r| r.rule.direction == direction)
            .collect();
        let words = rules.len().div_ceil(64).max(1);
        let src: Vec<RangeSet<u32>> = rules.iter().map(|r| v4_set(&r.source)).collect();
        let dst: Vec<RangeSet<u32>> = rules.iter().map(|r| v4_set(&r.destination)).collect();
        let src_refs: Vec<&RangeSet<u32>> = src.iter().collect();
        let dst_refs: Vec<&RangeSet<u32>> = dst.iter().collect();
        let sp: Vec<&RangeSet<u16>> = rules.iter().map(|r| &r.source_ports).collect();
        let dp: Vec<&RangeSet<u16>> = rules.iter().map(|r| &r.destination_ports).collect();
        let mut protocol: [Vec<u64>; 5] = core::array::from_fn(|_| alloc::vec![0u64; words]);
        let mut portless = alloc::vec![0u64; words];
        for (i, r) in rules.iter().enumerate() {
            for p in [
                Protocol::Tcp,
                Protocol::Udp,
                Protocol::Icmp,
                Protocol::Esp,
                Protocol::Ah,
            ] {
                if r.rule.protocol.matches(p) {
                    protocol[protocol_index(p)][i / 64] |= 1 << (i % 64);
                }
            }
            let ports_ok = matches!(r.rule.protocol, RuleProtocol::Only(_))
                || (r.source_ports.is_full() && r.destination_ports.is_full());
            if ports_ok {
                portless[i / 64] |= 1 << (i % 64);
            }
        }
        Self {
            direction,
            words,
            source: Dimension::build(words, &src_refs),
            destination: Dimension::build(words, &dst_refs),
            source_port: Dimension::build(words, &sp),
            destination_port: Dimension::build(words, &dp),
            protocol,
            portless,
            rules,
        }
    }

    /// The rules, in evaluation order.
    pub fn rules(&self) -> &[EffectiveRule] {
        &self.rules
    }

    /// The index (into [`CompiledNsg::rules`]) of the rule deciding `flow`;
    /// `None` for platform traffic no rule targets (allowed).
    pub fn decide(&self, flow: &Flow) -> Option<usize> {
        let (core::net::IpAddr::V4(src), core::net::IpAddr::V4(dst)) =
            (flow.source, flow.destination)
        else {
            return self.linear(flow);
        };
        if is_platform_destination(self.direction, flow.destination) {
            return self.linear(flow);
        }
        let w = self.words;
        let s = self.source.lookup(u32::from(src), w);
        let d = self.destination.lookup(u32::from(dst), w);
        let p = &self.protocol[protocol_index(flow.protocol)];
        if flow.protocol.has_ports() {
            let sp = self.source_port.lookup(flow.source_port, w);
            let dp = self.destination_port.lookup(flow.destination_port, w);
            for i in 0..w {
                let m = s[i] & d[i] & p[i] & sp[i] & dp[i];
                if m != 0 {
                    return Some(i * 64 + m.trailing_zeros() as usize);
                }
            }
        } else {
            for i in 0..w {
                let m = s[i] & d[i] & p[i] & self.portless[i];
                if m != 0 {
                    return Some(i * 64 + m.trailing_zeros() as usize);
                }
            }
        }
        None
    }

    fn linear(&self, flow: &Flow) -> Option<usize> {
        let chosen = effective::decide(&self.rules, self.direction, flow)?;
        self.rules.iter().position(|r| core::ptr::eq(r, chosen))
    }

    /// The access the NSG gives `flow`.
    pub fn access(&self, flow: &Flow) -> Access {
        self.decide(flow)
            .map_or(Access::Allow, |i| self.rules[i].rule.access)
    }
}

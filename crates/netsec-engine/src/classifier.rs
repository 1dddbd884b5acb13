//! A compiled NSG: the expanded rules of one NSG, direction and NIC turned
//! into per-field bit vectors, so one flow is decided with four table
//! lookups and a few dozen word ANDs instead of a scan of every rule.
//!
//! Each field's value space (source and destination address per family,
//! source and destination port) is cut into elementary intervals at every
//! rule boundary; each interval maps to a bit vector of the rules whose
//! condition covers it (identical vectors are stored once). A flow's rule is
//! the lowest set bit of the AND of its field vectors: rules are stored in
//! priority order, so that bit is the first match.
//!
//! The decision equals [`effective::decide`] for every flow (a property test
//! holds them to it), including the cases that are not plain field matches:
//!
//! - Flows without ports (ICMP, ESP, AH): a rule matches on protocol and
//!   addresses only if it names that protocol or has `*` for both port
//!   conditions. That condition is folded into the protocol vectors of the
//!   port-less protocols, and their flows skip the port lookups.
//! - Outbound traffic to the platform addresses (168.63.129.16,
//!   169.254.169.254): only rules that target the platform tags take part.
//!   A second set of protocol vectors, masked to those rules, is used. The VM
//!   agent's traffic to 168.63.129.16 (TCP 80 and 32526) skips every rule.
//! - IPv6 addresses have their own dimensions; a flow may mix families, each
//!   side is looked up in its own.
//!
//! ## Layout (what makes it fast)
//!
//! - Address and port lookups go through a radix table on the top bits of
//!   the value, then a short branch-free binary search inside the bucket.
//! - All vectors live in one arena of 32-byte blocks; a lookup yields an
//!   offset. The AND runs over blocks of four words with one test per block
//!   and stops at the first block with a set bit.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::effective::{self, EffectiveRule};
use crate::flow::Flow;
use crate::nsg_eval::{is_platform_destination, is_vm_agent_traffic};
use crate::protocol::{Protocol, RuleProtocol};
use crate::rangeset::{Bound, RangeSet};
use crate::resources::{Access, Direction};

/// Four words of a rule bit vector; a vector is `blocks` consecutive blocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
#[repr(C, align(32))]
struct Block([u64; 4]);

const BLOCK_BITS: usize = 256;

impl Block {
    #[inline(always)]
    fn and(self, other: Block) -> Block {
        Block([
            self.0[0] & other.0[0],
            self.0[1] & other.0[1],
            self.0[2] & other.0[2],
            self.0[3] & other.0[3],
        ])
    }

    #[inline(always)]
    fn any(self) -> bool {
        (self.0[0] | self.0[1] | self.0[2] | self.0[3]) != 0
    }

    /// Index of the lowest set bit (the block is not zero).
    #[inline(always)]
    fn first_bit(self) -> usize {
        let mut base = 0;
        for w in self.0 {
            if w != 0 {
                return base + w.trailing_zeros() as usize;
            }
            base += 64;
        }
        base
    }

    fn set(&mut self, bit: usize) {
        self.0[bit / 64] |= 1 << (bit % 64);
    }
}

/// Deduplicating store of all bit vectors of one compiled NSG.
#[derive(Clone, Debug)]
struct Arena {
    blocks: usize,
    data: Vec<Block>,
    index: BTreeMap<Vec<Block>, u32>,
}

impl Arena {
    fn new(blocks: usize) -> Self {
        Self {
            blocks,
            data: Vec::new(),
            index: BTreeMap::new(),
        }
    }

    /// The offset (in blocks) of `vector`, stored once.
    fn intern(&mut self, vector: &[Block]) -> u32 {
        if let Some(&off) = self.index.get(vector) {
            return off;
        }
        let off = self.data.len() as u32;
        self.data.extend_from_slice(vector);
        self.index.insert(vector.to_vec(), off);
        off
    }
}

/// The cut points and per-interval vectors of `sets` (one per rule, in order).
fn intervals<T: Bound>(arena: &mut Arena, sets: &[&RangeSet<T>]) -> (Vec<T>, Vec<u32>) {
    // Sweep: each rule's bit turns on at the start of each of its ranges and
    // off after its end. Ranges of one set are disjoint and not adjacent, so
    // a rule never turns on and off at the same point.
    let mut events: Vec<(T, usize, bool)> = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        for &(lo, hi) in set.ranges() {
            events.push((lo, i, true));
            if let Some(next) = hi.succ() {
                events.push((next, i, false));
            }
        }
    }
    events.sort_unstable();
    let mut scratch = alloc::vec![Block::default(); arena.blocks];
    let mut starts = alloc::vec![T::MIN];
    let mut offsets = Vec::new();
    let mut here = T::MIN;
    let mut e = 0;
    loop {
        while let Some(&(at, rule, on)) = events.get(e) {
            if at != here {
                break;
            }
            if let Some(block) = scratch.get_mut(rule / BLOCK_BITS) {
                let word = &mut block.0[(rule % BLOCK_BITS) / 64];
                let bit = 1u64 << (rule % 64);
                if on {
                    *word |= bit;
                } else {
                    *word &= !bit;
                }
            }
            e += 1;
        }
        offsets.push(arena.intern(&scratch));
        match events.get(e) {
            Some(&(at, _, _)) => {
                here = at;
                starts.push(at);
            }
            None => break,
        }
    }
    (starts, offsets)
}

/// One field searched by binary search (IPv6 addresses).
#[derive(Clone, Debug)]
struct Dimension<T> {
    starts: Vec<T>,
    offsets: Vec<u32>,
}

impl<T: Bound> Dimension<T> {
    fn build(arena: &mut Arena, sets: &[&RangeSet<T>]) -> Self {
        let (starts, offsets) = intervals(arena, sets);
        Self { starts, offsets }
    }

    /// The vector offset of the interval holding `value`. Kept out of line:
    /// IPv6 is the rare case, and a smaller hot path compiles better (WASM).
    #[inline(never)]
    fn lookup(&self, value: T) -> usize {
        // The last start <= value; there is always one (starts[0] == MIN).
        let idx = self.starts.partition_point(|&s| s <= value);
        self.offsets
            .get(idx.wrapping_sub(1))
            .map_or(0, |&o| o as usize)
    }
}

/// Trie entry: a child node (bits 0..31: index of its first entry).
const CHILD: u32 = 1 << 31;
/// Trie entry: a bucket of at most [`BUCKET_MAX`] starts to scan (bits
/// 24..30: count, bits 0..24: index of the first). Neither flag: the vector
/// offset of the one interval covering the entry's whole range.
const BUCKET: u32 = 1 << 30;
const BUCKET_MAX: usize = 8;
const COUNT_SHIFT: u32 = 24;
const LO_MASK: u32 = (1 << COUNT_SHIFT) - 1;
/// Bits per trie level below the root.
const STRIDE: u32 = 8;

/// One field of at most 32 bits (IPv4 addresses, ports): a radix trie over
/// the interval starts. The root indexes the top bits; a range holding too
/// many starts gets a child node for the next [`STRIDE`] bits, and so on,
/// until the range lies in one interval (the entry is then the vector offset)
/// or holds at most [`BUCKET_MAX`] starts (scanned without branches).
#[derive(Clone, Debug)]
struct Trie {
    starts: Vec<u32>,
    offsets: Vec<u32>,
    nodes: Vec<u32>,
    root_shift: u32,
}

impl Trie {
    /// A trie over interval `starts` (ascending, the first 0) of a `bits`-wide
    /// key, each interval mapped to `values[i]` (below 2^30).
    fn build(starts: Vec<u32>, values: Vec<u32>, bits: u32) -> Self {
        let mut trie = Self {
            starts,
            offsets: values,
            nodes: Vec::new(),
            root_shift: bits,
        };
        // The encoding holds 2^24 starts and values below 2^30: far past any
        // NSG. Beyond that every lookup is a plain binary search.
        let fits =
            trie.starts.len() <= LO_MASK as usize && trie.offsets.iter().all(|&o| o < BUCKET);
        if !fits {
            return trie;
        }
        // About four root entries per start, 16 bits at most.
        let log = usize::BITS - 1 - trie.starts.len().leading_zeros();
        let root_bits = (log + 2).clamp(4, 16.min(bits));
        trie.root_shift = bits - root_bits;
        trie.node(0, bits, root_bits, 0);
        // Padding for the fixed-size bucket window.
        trie.starts.extend([u32::MAX; BUCKET_MAX]);
        trie
    }

    /// Appends a node with `stride` bits covering `[begin, begin + 2^width)`,
    /// whose first start (if any) is at index `first`. Returns its base.
    fn node(&mut self, begin: u64, width: u32, stride: u32, first: usize) -> u32 {
        let base = self.nodes.len();
        self.nodes.resize(base + (1 << stride), 0);
        let sub = width - stride;
        let mut at = first;
        for k in 0..(1u64 << stride) {
            let (entry, next) = self.entry(begin + (k << sub), sub, at);
            if let Some(slot) = self.nodes.get_mut(base + k as usize) {
                *slot = entry;
            }
            at = next;
        }
        base as u32
    }

    /// The entry for `[begin, begin + 2^width)`, and the index after its starts.
    fn entry(&mut self, begin: u64, width: u32, first: usize) -> (u32, usize) {
        let end = begin + (1u64 << width);
        let mut after = first;
        while self.starts.get(after).is_some_and(|&s| u64::from(s) < end) {
            after += 1;
        }
        let n = after - first;
        let offset = |i: usize| self.offsets.get(i).copied().unwrap_or(0);
        let entry = if n == 0 {
            // Inside the interval that started before `begin` (first >= 1: starts[0] == 0).
            offset(first.wrapping_sub(1))
        } else if n == 1
            && self
                .starts
                .get(first)
                .is_some_and(|&s| u64::from(s) == begin)
        {
            offset(first)
        } else if n <= BUCKET_MAX || width == 0 {
            BUCKET | ((n as u32) << COUNT_SHIFT) | first as u32
        } else {
            CHILD | self.node(begin, width, width.min(STRIDE), first)
        };
        (entry, after)
    }

    /// The vector offset of the interval holding `v`.
    #[inline(always)]
    fn lookup(&self, v: u32) -> usize {
        let Some(&root) = self
            .nodes
            .get((v.checked_shr(self.root_shift).unwrap_or(0)) as usize)
        else {
            return self.lookup_plain(v);
        };
        let mut e = root;
        let mut shift = self.root_shift;
        while e & CHILD != 0 {
            let stride = shift.min(STRIDE);
            shift -= stride;
            let i = (e & !CHILD) as usize + ((v >> shift) & ((1 << stride) - 1)) as usize;
            e = self.nodes.get(i).copied().unwrap_or(0);
        }
        if e & BUCKET == 0 {
            return e as usize;
        }
        let lo = (e & LO_MASK) as usize;
        let n = ((e & !BUCKET) >> COUNT_SHIFT) as usize;
        // A fixed window of BUCKET_MAX starts, compared without branches: the
        // starts after the bucket's own are past the range, so above `v`,
        // except the padding when `v` is the largest key (hence the `min`).
        let below = match self.starts.get(lo..lo + BUCKET_MAX) {
            Some(window) => window.iter().map(|&s| usize::from(s <= v)).sum::<usize>(),
            None => 0,
        };
        // Starts before `lo` are below the range, so <= v.
        self.offsets
            .get((lo + below.min(n)).wrapping_sub(1))
            .map_or(0, |&o| o as usize)
    }

    #[cold]
    fn lookup_plain(&self, v: u32) -> usize {
        let idx = self.starts.partition_point(|&s| s <= v);
        self.offsets
            .get(idx.min(self.offsets.len()).wrapping_sub(1))
            .map_or(0, |&o| o as usize)
    }
}

/// A port field: a trie from port to class (a dense index of its distinct
/// vectors), and each class's vector offset.
#[derive(Clone, Debug)]
struct PortDimension {
    trie: Trie,
    class_offsets: Vec<u32>,
}

impl PortDimension {
    fn build(arena: &mut Arena, sets: &[&RangeSet<u16>]) -> Self {
        let (starts, offsets) = intervals(arena, sets);
        let mut class_offsets = offsets.clone();
        class_offsets.sort_unstable();
        class_offsets.dedup();
        let classes: Vec<u32> = offsets
            .iter()
            .map(|o| class_offsets.binary_search(o).unwrap_or(0) as u32)
            .collect();
        let starts = starts.into_iter().map(u32::from).collect();
        Self {
            trie: Trie::build(starts, classes, 16),
            class_offsets,
        }
    }

    fn classes(&self) -> usize {
        self.class_offsets.len()
    }

    #[inline(always)]
    fn class(&self, port: u16) -> usize {
        self.trie.lookup(u32::from(port))
    }

    #[inline(always)]
    fn offset(&self, class: usize) -> usize {
        self.class_offsets.get(class).map_or(0, |&o| o as usize)
    }
}

/// Most entries of the combined protocol-and-ports table (4 x source-port
/// classes x destination-port classes); past it, the ports stay separate.
const PORT_TABLE_MAX: usize = 4096;

/// A flow's fields as the classifier reads them, converted once, so a flow
/// crossing several NSGs is converted once. [`CompiledNsg::decide`] makes
/// one for each call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowKey {
    source: Addr,
    destination: Addr,
    protocol: Protocol,
    source_port: u16,
    destination_port: u16,
    /// The destination is a platform address (matters outbound only).
    platform: bool,
    /// The VM agent's traffic to the host, which no rule filters (outbound only).
    vm_agent: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Addr {
    V4(u32),
    V6(u128),
}

impl From<IpAddr> for Addr {
    #[inline(always)]
    fn from(a: IpAddr) -> Self {
        match a {
            IpAddr::V4(a) => Addr::V4(u32::from(a)),
            IpAddr::V6(a) => Addr::V6(u128::from(a)),
        }
    }
}

impl FlowKey {
    /// The key of `flow`.
    #[inline]
    pub fn new(flow: &Flow) -> Self {
        Self {
            source: Addr::from(flow.source),
            destination: Addr::from(flow.destination),
            protocol: flow.protocol,
            source_port: flow.source_port,
            destination_port: flow.destination_port,
            platform: is_platform_destination(Direction::Outbound, flow.destination),
            vm_agent: is_vm_agent_traffic(Direction::Outbound, flow),
        }
    }
}

impl From<&Flow> for FlowKey {
    fn from(flow: &Flow) -> Self {
        Self::new(flow)
    }
}

/// One NSG, one direction, one NIC, compiled.
#[derive(Clone, Debug)]
pub struct CompiledNsg {
    direction: Direction,
    rules: Vec<EffectiveRule>,
    /// Each rule's access, by index (the rules themselves are large and cold).
    access: Vec<Access>,
    /// Blocks per vector.
    blocks: usize,
    /// Every vector, deduplicated.
    arena: Vec<Block>,
    source_v4: Trie,
    destination_v4: Trie,
    source_v6: Dimension<u128>,
    destination_v6: Dimension<u128>,
    source_port: PortDimension,
    destination_port: PortDimension,
    /// Offsets of the protocol vectors: `[platform][protocol]`. Port-less
    /// protocols include the port-less condition; the platform row only the
    /// rules that target the platform tags.
    protocol: [[u32; 5]; 2],
    /// Offsets of protocol AND source port AND destination port, for TCP and
    /// UDP: `[(platform * 2 + udp) * sp classes + sp class] * dp classes + dp
    /// class`. Empty when there would be more than [`PORT_TABLE_MAX`].
    ports: Vec<u32>,
}

const PROTOCOLS: [Protocol; 5] = [
    Protocol::Tcp,
    Protocol::Udp,
    Protocol::Icmp,
    Protocol::Esp,
    Protocol::Ah,
];

#[inline(always)]
fn protocol_index(p: Protocol) -> usize {
    match p {
        Protocol::Tcp => 0,
        Protocol::Udp => 1,
        Protocol::Icmp => 2,
        Protocol::Esp => 3,
        Protocol::Ah => 4,
    }
}

fn refs<T>(sets: &[RangeSet<T>]) -> Vec<&RangeSet<T>> {
    sets.iter().collect()
}

/// The first rule set in all five vectors, block by block.
#[inline(always)]
fn first_match5(a: &[Block], b: &[Block], c: &[Block], d: &[Block], e: &[Block]) -> Option<usize> {
    for (i, ((((a, b), c), d), e)) in a.iter().zip(b).zip(c).zip(d).zip(e).enumerate() {
        let m = a.and(*b).and(*c).and(*d).and(*e);
        if m.any() {
            return Some(i * BLOCK_BITS + m.first_bit());
        }
    }
    None
}

/// The first rule set in all three vectors.
#[inline(always)]
fn first_match3(a: &[Block], b: &[Block], c: &[Block]) -> Option<usize> {
    // An NSG has at most 1,000 custom and 3 default rules per direction: at
    // most four blocks. Fixed sizes unroll, without bounds checks or loop.
    match a.len() {
        1 => first_match3_fixed::<1>(a, b, c),
        2 => first_match3_fixed::<2>(a, b, c),
        3 => first_match3_fixed::<3>(a, b, c),
        4 => first_match3_fixed::<4>(a, b, c),
        _ => first_match3_any(a, b, c),
    }
}

#[inline(always)]
fn first_match3_fixed<const N: usize>(a: &[Block], b: &[Block], c: &[Block]) -> Option<usize> {
    let (Ok(a), Ok(b), Ok(c)) = (
        <&[Block; N]>::try_from(a),
        <&[Block; N]>::try_from(b),
        <&[Block; N]>::try_from(c),
    ) else {
        return first_match3_any(a, b, c);
    };
    for i in 0..N {
        let m = a[i].and(b[i]).and(c[i]);
        if m.any() {
            return Some(i * BLOCK_BITS + m.first_bit());
        }
    }
    None
}

#[inline(always)]
fn first_match3_any(a: &[Block], b: &[Block], c: &[Block]) -> Option<usize> {
    for (i, ((a, b), c)) in a.iter().zip(b).zip(c).enumerate() {
        let m = a.and(*b).and(*c);
        if m.any() {
            return Some(i * BLOCK_BITS + m.first_bit());
        }
    }
    None
}

fn address_trie(arena: &mut Arena, sets: &[RangeSet<u32>]) -> Trie {
    let (starts, offsets) = intervals(arena, &refs(sets));
    Trie::build(starts, offsets, 32)
}

impl CompiledNsg {
    /// Compiles expanded rules of one direction (as [`effective::expand`] returns them).
    /// Rules of the other direction are dropped.
    pub fn compile(rules: Vec<EffectiveRule>, direction: Direction) -> Self {
        let rules: Vec<EffectiveRule> = rules
            .into_iter()
            .filter(|r| r.rule.direction == direction)
            .collect();
        let blocks = rules.len().div_ceil(BLOCK_BITS).max(1);
        let mut arena = Arena::new(blocks);
        let v4 = |set: &crate::address::AddressSet| {
            RangeSet::from_ranges(set.v4_ranges().iter().copied())
        };
        let v6 = |set: &crate::address::AddressSet| {
            RangeSet::from_ranges(set.v6_ranges().iter().copied())
        };
        let src4: Vec<RangeSet<u32>> = rules.iter().map(|r| v4(&r.source)).collect();
        let dst4: Vec<RangeSet<u32>> = rules.iter().map(|r| v4(&r.destination)).collect();
        let src6: Vec<RangeSet<u128>> = rules.iter().map(|r| v6(&r.source)).collect();
        let dst6: Vec<RangeSet<u128>> = rules.iter().map(|r| v6(&r.destination)).collect();
        let sp: Vec<&RangeSet<u16>> = rules.iter().map(|r| &r.source_ports).collect();
        let dp: Vec<&RangeSet<u16>> = rules.iter().map(|r| &r.destination_ports).collect();

        let source_v4 = address_trie(&mut arena, &src4);
        let destination_v4 = address_trie(&mut arena, &dst4);
        let source_v6 = Dimension::build(&mut arena, &refs(&src6));
        let destination_v6 = Dimension::build(&mut arena, &refs(&dst6));
        let source_port = PortDimension::build(&mut arena, &sp);
        let destination_port = PortDimension::build(&mut arena, &dp);

        let mut protocol = [[0u32; 5]; 2];
        let mut protocol_vectors: [[Vec<Block>; 5]; 2] = Default::default();
        for (platform, (row, vectors)) in protocol.iter_mut().zip(&mut protocol_vectors).enumerate()
        {
            for ((slot, vector), p) in row.iter_mut().zip(vectors.iter_mut()).zip(PROTOCOLS) {
                let mut v = alloc::vec![Block::default(); blocks];
                for (i, r) in rules.iter().enumerate() {
                    let ports_ok = p.has_ports()
                        || matches!(r.rule.protocol, RuleProtocol::Only(_))
                        || (r.source_ports.is_full() && r.destination_ports.is_full());
                    let platform_ok = platform == 0 || r.targets_platform;
                    if r.rule.protocol.matches(p)
                        && ports_ok
                        && platform_ok
                        && let Some(b) = v.get_mut(i / BLOCK_BITS)
                    {
                        b.set(i % BLOCK_BITS);
                    }
                }
                *slot = arena.intern(&v);
                *vector = v;
            }
        }

        // TCP and UDP flows: fold protocol and both ports into one vector.
        let (nsp, ndp) = (source_port.classes(), destination_port.classes());
        let mut ports = Vec::new();
        if 4 * nsp * ndp <= PORT_TABLE_MAX {
            ports.reserve(4 * nsp * ndp);
            let block = |off: usize| arena.data.get(off..off + blocks).map(<[Block]>::to_vec);
            let sp_vectors: Vec<Vec<Block>> = (0..nsp)
                .map(|c| block(source_port.offset(c)).unwrap_or_default())
                .collect();
            let dp_vectors: Vec<Vec<Block>> = (0..ndp)
                .map(|c| block(destination_port.offset(c)).unwrap_or_default())
                .collect();
            for row in &protocol_vectors {
                for p in [Protocol::Tcp, Protocol::Udp] {
                    let pv = &row[protocol_index(p)];
                    for spv in &sp_vectors {
                        for dpv in &dp_vectors {
                            let v: Vec<Block> = pv
                                .iter()
                                .zip(spv)
                                .zip(dpv)
                                .map(|((a, b), c)| a.and(*b).and(*c))
                                .collect();
                            ports.push(arena.intern(&v));
                        }
                    }
                }
            }
        }
        Self {
            direction,
            access: rules.iter().map(|r| r.rule.access).collect(),
            rules,
            blocks,
            arena: arena.data,
            source_v4,
            destination_v4,
            source_v6,
            destination_v6,
            source_port,
            destination_port,
            protocol,
            ports,
        }
    }

    /// The rules, in evaluation order.
    pub fn rules(&self) -> &[EffectiveRule] {
        &self.rules
    }

    #[inline(always)]
    fn vector(&self, offset: usize) -> &[Block] {
        self.arena.get(offset..offset + self.blocks).unwrap_or(&[])
    }

    /// The index (into [`CompiledNsg::rules`]) of the rule deciding `flow`;
    /// `None` for platform traffic no rule targets and for the VM agent's
    /// traffic (both allowed), or when no rule matches at all (only possible without the default rules).
    #[inline]
    pub fn decide(&self, flow: &Flow) -> Option<usize> {
        self.decide_key(&FlowKey::new(flow))
    }

    /// [`CompiledNsg::decide`] for a flow already converted to a [`FlowKey`].
    #[inline(always)]
    pub fn decide_key(&self, key: &FlowKey) -> Option<usize> {
        if key.vm_agent && self.direction == Direction::Outbound {
            return None;
        }
        let s = match key.source {
            Addr::V4(a) => self.source_v4.lookup(a),
            Addr::V6(a) => self.source_v6.lookup(a),
        };
        let d = match key.destination {
            Addr::V4(a) => self.destination_v4.lookup(a),
            Addr::V6(a) => self.destination_v6.lookup(a),
        };
        let platform = usize::from(key.platform && self.direction == Direction::Outbound);
        let proto = protocol_index(key.protocol);
        let found = if key.protocol.has_ports() {
            let sp = self.source_port.class(key.source_port);
            let dp = self.destination_port.class(key.destination_port);
            let nsp = self.source_port.classes();
            let ndp = self.destination_port.classes();
            let row = platform * 2 + (proto & 1);
            match self.ports.get((row * nsp + sp) * ndp + dp) {
                Some(&ports) => {
                    first_match3(self.vector(s), self.vector(d), self.vector(ports as usize))
                }
                None => self.separate_ports(s, d, platform, proto, sp, dp),
            }
        } else {
            let p = self.protocol[platform & 1][proto] as usize;
            first_match3(self.vector(s), self.vector(d), self.vector(p))
        };
        // Padding bits are never set, so `found` is a rule index.
        found.filter(|&i| i < self.rules.len())
    }

    /// The five-vector AND, for NSGs whose port table would be too large.
    #[inline(never)]
    fn separate_ports(
        &self,
        s: usize,
        d: usize,
        platform: usize,
        proto: usize,
        sp: usize,
        dp: usize,
    ) -> Option<usize> {
        let p = self
            .protocol
            .get(platform)
            .and_then(|row| row.get(proto))
            .map_or(0, |&o| o as usize);
        first_match5(
            self.vector(s),
            self.vector(d),
            self.vector(p),
            self.vector(self.source_port.offset(sp)),
            self.vector(self.destination_port.offset(dp)),
        )
    }

    /// The access the NSG gives `flow`.
    #[inline]
    pub fn access(&self, flow: &Flow) -> Access {
        self.access_key(&FlowKey::new(flow))
    }

    /// [`CompiledNsg::access`] for a flow already converted to a [`FlowKey`].
    #[inline]
    pub fn access_key(&self, key: &FlowKey) -> Access {
        self.decide_key(key)
            .and_then(|i| self.access.get(i).copied())
            .unwrap_or(Access::Allow)
    }

    /// The rule [`effective::decide`] picks, by a linear scan (for checks).
    pub fn decide_linear(&self, flow: &Flow) -> Option<usize> {
        let chosen = effective::decide(&self.rules, self.direction, flow)?;
        self.rules.iter().position(|r| core::ptr::eq(r, chosen))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::{AddressSet, IpNet, Ipv4Net, Ipv6Net};
    use crate::nsg_eval::RuleRef;
    use crate::port::PortSpec;
    use crate::resources::{AddressSpec, SecurityRule};
    use alloc::string::String;
    use core::net::{Ipv4Addr, Ipv6Addr};
    use proptest::prelude::*;

    /// IPv4 values rules and flows cluster around, so they meet often.
    const V4_ANCHORS: &[u32] = &[
        0,
        0x0A00_0000, // 10.0.0.0
        0x0A00_0104, // 10.0.1.4
        0xA83F_8110, // 168.63.129.16
        0xA9FE_A9FE, // 169.254.169.254
        0xC0A8_0000, // 192.168.0.0
        0xFFFF_FFFF, // 255.255.255.255
    ];
    const V6_ANCHORS: &[u128] = &[
        0,
        1,
        0x2001_0db8_0000_0000_0000_0000_0000_0000,
        0x2001_0db8_0000_0001_0000_0000_0000_0004,
        u128::MAX,
    ];
    const PORT_ANCHORS: &[u16] = &[0, 1, 22, 80, 443, 1024, 3389, 49152, 65534, 65535];

    fn v4_value() -> impl Strategy<Value = u32> {
        prop_oneof![
            4 => (prop::sample::select(V4_ANCHORS), -300i64..300)
                .prop_map(|(a, d)| (i64::from(a) + d).clamp(0, i64::from(u32::MAX)) as u32),
            1 => any::<u32>(),
        ]
    }

    fn v6_value() -> impl Strategy<Value = u128> {
        (prop::sample::select(V6_ANCHORS), -40i64..40).prop_map(|(a, d)| {
            if d < 0 {
                a.saturating_sub(d.unsigned_abs().into())
            } else {
                a.saturating_add(d as u128)
            }
        })
    }

    fn port_value() -> impl Strategy<Value = u16> {
        prop_oneof![
            3 => (prop::sample::select(PORT_ANCHORS), -3i32..3)
                .prop_map(|(a, d)| (i32::from(a) + d).clamp(0, 65535) as u16),
            1 => any::<u16>(),
        ]
    }

    fn v4_net() -> impl Strategy<Value = IpNet> {
        (v4_value(), prop_oneof![0u8..=32, 24u8..=32]).prop_map(|(a, len)| {
            Ipv4Net::new(Ipv4Addr::from(a), len)
                .map_or(IpNet::from(IpAddr::V4(Ipv4Addr::from(a))), |n| {
                    IpNet::V4(n.trunc())
                })
        })
    }

    fn v6_net() -> impl Strategy<Value = IpNet> {
        (v6_value(), prop_oneof![0u8..=128, 120u8..=128]).prop_map(|(a, len)| {
            Ipv6Net::new(Ipv6Addr::from(a), len)
                .map_or(IpNet::from(IpAddr::V6(Ipv6Addr::from(a))), |n| {
                    IpNet::V6(n.trunc())
                })
        })
    }

    /// Any set: `*`, empty, unions of prefixes, or `*` minus prefixes (so
    /// ranges need not be CIDR-aligned), in either family or both.
    fn address_set() -> impl Strategy<Value = AddressSet> {
        let nets = prop::collection::vec(prop_oneof![3 => v4_net(), 1 => v6_net()], 1..5);
        prop_oneof![
            1 => Just(AddressSet::any()),
            1 => Just(AddressSet::empty()),
            5 => nets.clone().prop_map(|n| AddressSet::from_nets(&n)),
            2 => nets.prop_map(|n| AddressSet::any().difference(&AddressSet::from_nets(&n))),
        ]
    }

    fn port_set() -> impl Strategy<Value = RangeSet<u16>> {
        prop_oneof![
            2 => Just(RangeSet::full()),
            3 => prop::collection::vec((port_value(), port_value()), 1..4).prop_map(|v| {
                RangeSet::from_ranges(v.into_iter().map(|(a, b)| (a.min(b), a.max(b))))
            }),
        ]
    }

    fn protocol() -> impl Strategy<Value = Protocol> {
        prop::sample::select(PROTOCOLS.to_vec())
    }

    fn rule() -> impl Strategy<Value = EffectiveRule> {
        (
            any::<bool>(),
            any::<bool>(),
            prop::option::of(protocol()),
            address_set(),
            port_set(),
            address_set(),
            port_set(),
            prop::bool::weighted(0.2),
        )
            .prop_map(|(inbound, allow, proto, src, sp, dst, dp, platform)| {
                let direction = if inbound {
                    Direction::Inbound
                } else {
                    Direction::Outbound
                };
                EffectiveRule {
                    rule_ref: RuleRef::Custom(0),
                    name: String::from("securityRules/r"),
                    // Only direction, access and protocol of the rule as
                    // written are read; the expanded sets decide the rest.
                    rule: SecurityRule {
                        name: String::from("r"),
                        description: String::new(),
                        priority: 100,
                        direction,
                        access: if allow { Access::Allow } else { Access::Deny },
                        protocol: proto.map_or(RuleProtocol::Any, RuleProtocol::Only),
                        source: AddressSpec::Any,
                        source_ports: PortSpec::Any,
                        destination: AddressSpec::Any,
                        destination_ports: PortSpec::Any,
                    },
                    source: src,
                    source_ports: sp,
                    destination: dst,
                    destination_ports: dp,
                    targets_platform: platform,
                }
            })
    }

    fn address() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            6 => v4_value().prop_map(|a| IpAddr::V4(Ipv4Addr::from(a))),
            1 => Just(IpAddr::V4(Ipv4Addr::new(168, 63, 129, 16))),
            1 => Just(IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254))),
            2 => v6_value().prop_map(|a| IpAddr::V6(Ipv6Addr::from(a))),
        ]
    }

    fn flow() -> impl Strategy<Value = Flow> {
        (protocol(), address(), port_value(), address(), port_value()).prop_map(
            |(protocol, source, source_port, destination, destination_port)| Flow {
                // Not through Flow::new: port-less flows with stray ports must
                // be decided as the linear scan decides them too.
                protocol,
                source,
                source_port,
                destination,
                destination_port,
            },
        )
    }

    /// The index the linear scan picks among the rules of `direction`.
    fn linear(rules: &[EffectiveRule], direction: Direction, flow: &Flow) -> Option<usize> {
        let own: Vec<EffectiveRule> = rules
            .iter()
            .filter(|r| r.rule.direction == direction)
            .cloned()
            .collect();
        let chosen = effective::decide(&own, direction, flow)?;
        own.iter().position(|r| core::ptr::eq(r, chosen))
    }

    fn check(rules: &[EffectiveRule], flows: &[Flow]) -> Result<(), TestCaseError> {
        for direction in [Direction::Inbound, Direction::Outbound] {
            let compiled = CompiledNsg::compile(rules.to_vec(), direction);
            for flow in flows {
                let expected = linear(rules, direction, flow);
                prop_assert_eq!(compiled.decide(flow), expected, "{:?} {}", direction, flow);
                prop_assert_eq!(compiled.decide_linear(flow), expected);
                let access = expected
                    .and_then(|i| compiled.rules().get(i))
                    .map_or(Access::Allow, |r| r.rule.access);
                prop_assert_eq!(compiled.access(flow), access);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn compiled_equals_linear(
            rules in prop::collection::vec(rule(), 0..40),
            flows in prop::collection::vec(flow(), 1..64),
        ) {
            check(&rules, &flows)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn compiled_equals_linear_many_rules(
            rules in prop::collection::vec(rule(), 250..600),
            flows in prop::collection::vec(flow(), 1..64),
        ) {
            // More than one block of 256 rules, dense cut points (buckets and
            // child nodes in the tries).
            check(&rules, &flows)?;
        }
    }

    fn prefix_rule(
        direction: Direction,
        access: Access,
        protocol: RuleProtocol,
        destination: &str,
        ports: RangeSet<u16>,
        platform: bool,
    ) -> EffectiveRule {
        let net = crate::address::parse_prefix(destination).unwrap();
        EffectiveRule {
            rule_ref: RuleRef::Custom(0),
            name: String::from("securityRules/r"),
            rule: SecurityRule {
                name: String::from("r"),
                description: String::new(),
                priority: 100,
                direction,
                access,
                protocol,
                source: AddressSpec::Any,
                source_ports: PortSpec::Any,
                destination: AddressSpec::Any,
                destination_ports: PortSpec::Any,
            },
            source: AddressSet::any(),
            source_ports: RangeSet::full(),
            destination: AddressSet::from_nets(&[net]),
            destination_ports: ports,
            targets_platform: platform,
        }
    }

    #[test]
    fn special_cases_match_the_linear_scan() {
        use Direction::*;
        let any = RuleProtocol::Any;
        let icmp = RuleProtocol::Only(Protocol::Icmp);
        let rules = alloc::vec![
            // `*` protocol with ports: not for port-less flows.
            prefix_rule(
                Outbound,
                Access::Deny,
                any,
                "0.0.0.0/0",
                RangeSet::range(80, 80),
                false
            ),
            // An ICMP rule with ports: the ports are ignored.
            prefix_rule(
                Outbound,
                Access::Deny,
                icmp,
                "10.0.0.0/8",
                RangeSet::range(1, 2),
                false
            ),
            // A platform rule.
            prefix_rule(
                Outbound,
                Access::Deny,
                any,
                "169.254.169.254/32",
                RangeSet::full(),
                true
            ),
            prefix_rule(
                Outbound,
                Access::Allow,
                any,
                "0.0.0.0/0",
                RangeSet::full(),
                false
            ),
            prefix_rule(
                Inbound,
                Access::Deny,
                any,
                "0.0.0.0/0",
                RangeSet::full(),
                false
            ),
        ];
        let compiled = CompiledNsg::compile(rules.clone(), Outbound);
        assert_eq!(compiled.rules().len(), 4);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let cases = [
            (
                Flow::new(Protocol::Icmp, ip("10.0.0.4"), 0, ip("8.8.8.8"), 0),
                Some(3),
            ),
            (
                Flow::new(Protocol::Icmp, ip("10.0.0.4"), 0, ip("10.1.2.3"), 0),
                Some(1),
            ),
            (Flow::tcp(ip("10.0.0.4"), 5000, ip("10.1.2.3"), 80), Some(0)),
            // Platform: only the platform rule takes part.
            (
                Flow::tcp(ip("10.0.0.4"), 5000, ip("169.254.169.254"), 80),
                Some(2),
            ),
            (
                Flow::tcp(ip("10.0.0.4"), 5000, ip("168.63.129.16"), 53),
                None,
            ),
            // IPv6 and mixed families: no v4 prefix matches.
            (
                Flow::tcp(ip("2001:db8::1"), 5000, ip("2001:db8::2"), 443),
                None,
            ),
            (
                Flow::tcp(ip("10.0.0.4"), 5000, ip("2001:db8::2"), 443),
                None,
            ),
            (
                Flow::tcp(ip("10.0.0.4"), 5000, ip("255.255.255.255"), 443),
                Some(3),
            ),
        ];
        for (flow, expected) in cases {
            assert_eq!(linear(&rules, Outbound, &flow), expected, "{flow}");
            assert_eq!(compiled.decide(&flow), expected, "{flow}");
        }
        // Inbound, the platform addresses are ordinary.
        let inbound = CompiledNsg::compile(rules, Inbound);
        let flow = Flow::tcp(ip("10.0.0.4"), 5000, ip("168.63.129.16"), 53);
        assert_eq!(inbound.decide(&flow), Some(0));
        assert_eq!(inbound.access(&flow), Access::Deny);
    }
}

//! Raw DEFLATE (RFC 1951) for share links: a small compressor and inflate.
//!
//! The compressor: LZ77 over DEFLATE's 32 KiB window, matches found through
//! hash chains, coded with the fixed Huffman codes of RFC 1951 §3.2.6 in one
//! final block. Fixed codes make a link only about 15% longer than zlib's
//! level 9 (1,263 against 1,077 bytes for the ASG tiers scenario).
//!
//! Inflate reads every block type (stored, fixed, dynamic), so the links that
//! earlier builds wrote with miniz_oxide's level 9 still open. It never
//! panics on a damaged stream and refuses to grow past a caller's limit.
//!
//! Why not miniz_oxide, a well-kept crate: its code cost the page about
//! 16 KB of gzipped wasm (budget G7, see docs/BENCHMARKS.md), against about
//! 2 KB for this module. The tests check this module against miniz_oxide in
//! both directions, on every compression level and on damaged input.

/// DEFLATE's window: a match may reach this far back.
const WINDOW: usize = 32 * 1024;
/// The shortest and longest match DEFLATE can code.
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
/// Candidates tried per position: enough for JSON's repeated keys, and a
/// bound on the time a hostile, repetitive scenario can take.
const MAX_CHAIN: usize = 64;
const HASH_BITS: u32 = 15;
const NONE: u32 = u32::MAX;

/// Length codes 257..=285: the shortest length of each and its extra bits.
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Distance codes 0..=29: the shortest distance of each and its extra bits.
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Bits packed least significant first, as DEFLATE stores them.
struct Bits {
    out: Vec<u8>,
    pending: u32,
    count: u32,
}

impl Bits {
    fn put(&mut self, value: u32, width: u32) {
        self.pending |= value << self.count;
        self.count += width;
        while self.count >= 8 {
            self.out.push(self.pending as u8);
            self.pending >>= 8;
            self.count -= 8;
        }
    }

    /// A Huffman code: sent from its most significant bit.
    fn code(&mut self, code: u32, width: u32) {
        self.put(code.reverse_bits() >> (32 - width), width);
    }

    /// A literal/length symbol in the fixed code (RFC 1951 §3.2.6).
    fn symbol(&mut self, symbol: u32) {
        match symbol {
            0..=143 => self.code(0x30 + symbol, 8),
            144..=255 => self.code(0x190 + symbol - 144, 9),
            256..=279 => self.code(symbol - 256, 7),
            _ => self.code(0xC0 + symbol - 280, 8),
        }
    }
}

/// The index of the last entry of `bases` that is at most `value`.
fn bucket(bases: &[u16], value: usize) -> usize {
    bases
        .iter()
        .rposition(|&b| usize::from(b) <= value)
        .unwrap_or(0)
}

/// Where each 3-byte string was seen: the latest position per hash, and for
/// each position the one before it with the same hash.
struct Chains {
    head: Vec<u32>,
    previous: Vec<u32>,
}

impl Chains {
    fn hash(data: &[u8], at: usize) -> usize {
        let v = u32::from(data[at]) << 16 | u32::from(data[at + 1]) << 8 | u32::from(data[at + 2]);
        (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
    }

    fn insert(&mut self, data: &[u8], at: usize) {
        if at + MIN_MATCH <= data.len() {
            let h = Self::hash(data, at);
            self.previous[at] = self.head[h];
            self.head[h] = at as u32;
        }
    }

    /// The longest earlier match for the bytes at `at`: (length, distance),
    /// length 0 when there is none of at least [`MIN_MATCH`].
    fn longest_match(&self, data: &[u8], at: usize) -> (usize, usize) {
        if at + MIN_MATCH > data.len() {
            return (0, 0);
        }
        let limit = (data.len() - at).min(MAX_MATCH);
        let mut best = (0, 0);
        let mut candidate = self.head[Self::hash(data, at)];
        for _ in 0..MAX_CHAIN {
            if candidate == NONE {
                break;
            }
            let from = candidate as usize;
            if at - from > WINDOW {
                break;
            }
            let length = data[from..from + limit]
                .iter()
                .zip(&data[at..at + limit])
                .take_while(|(a, b)| a == b)
                .count();
            if length > best.0 {
                best = (length, at - from);
                if length == limit {
                    break;
                }
            }
            candidate = self.previous[from];
        }
        if best.0 < MIN_MATCH { (0, 0) } else { best }
    }
}

/// Compresses `data` into a raw DEFLATE stream (no zlib header).
pub fn compress(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits {
        out: Vec::with_capacity(data.len() / 3 + 16),
        pending: 0,
        count: 0,
    };
    // BFINAL = 1, BTYPE = 01 (fixed Huffman codes).
    bits.put(1, 1);
    bits.put(1, 2);
    let mut chains = Chains {
        head: vec![NONE; 1 << HASH_BITS],
        previous: vec![NONE; data.len()],
    };
    let mut at = 0;
    while at < data.len() {
        let (length, distance) = chains.longest_match(data, at);
        if length >= MIN_MATCH {
            let code = bucket(&LENGTH_BASE, length);
            bits.symbol(257 + code as u32);
            bits.put(
                (length - usize::from(LENGTH_BASE[code])) as u32,
                u32::from(LENGTH_EXTRA[code]),
            );
            let code = bucket(&DISTANCE_BASE, distance);
            bits.code(code as u32, 5);
            bits.put(
                (distance - usize::from(DISTANCE_BASE[code])) as u32,
                u32::from(DISTANCE_EXTRA[code]),
            );
            for p in at..at + length {
                chains.insert(data, p);
            }
            at += length;
        } else {
            bits.symbol(u32::from(data[at]));
            chains.insert(data, at);
            at += 1;
        }
    }
    bits.symbol(256);
    if bits.count > 0 {
        bits.out.push(bits.pending as u8);
    }
    bits.out
}

// ------------------------------------------------------------------ inflate

/// Why a stream does not inflate. The share-link reader turns any of them
/// into one sentence ("the link is damaged"), so the variants only help tests.
#[derive(Debug, PartialEq, Eq)]
pub enum InflateError {
    /// The stream ends inside a block.
    Truncated,
    /// A block, code or distance that DEFLATE does not allow.
    Invalid,
    /// The output would exceed the caller's limit.
    TooLarge,
}

/// Bits read least significant first.
struct Input<'a> {
    data: &'a [u8],
    at: usize,
    pending: u32,
    count: u32,
}

impl Input<'_> {
    fn bits(&mut self, width: u32) -> Result<u32, InflateError> {
        while self.count < width {
            let byte = *self.data.get(self.at).ok_or(InflateError::Truncated)?;
            self.at += 1;
            self.pending |= u32::from(byte) << self.count;
            self.count += 8;
        }
        let value = self.pending & ((1u32 << width) - 1);
        self.pending >>= width;
        self.count -= width;
        Ok(value)
    }
}

/// A canonical Huffman code: how many codes have each length, and the
/// symbols in code order.
struct Code {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Code {
    /// The code whose symbol `i` has length `lengths[i]` (0: unused). An
    /// over-subscribed set of lengths is invalid; an incomplete one is
    /// accepted, and a bit pattern outside it fails when decoded.
    fn new(lengths: &[u8]) -> Result<Self, InflateError> {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        counts[0] = 0;
        let mut left: i32 = 1;
        for &c in &counts[1..] {
            left = 2 * left - i32::from(c);
            if left < 0 {
                return Err(InflateError::Invalid);
            }
        }
        let mut offsets = [0u16; 16];
        for len in 1..15 {
            offsets[len + 1] = offsets[len] + counts[len];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (symbol, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[usize::from(offsets[usize::from(l)])] = symbol as u16;
                offsets[usize::from(l)] += 1;
            }
        }
        Ok(Self { counts, symbols })
    }

    fn decode(&self, input: &mut Input<'_>) -> Result<usize, InflateError> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for &count in &self.counts[1..] {
            code |= input.bits(1)? as i32;
            let count = i32::from(count);
            if code - first < count {
                return self
                    .symbols
                    .get((index + code - first) as usize)
                    .map(|&s| usize::from(s))
                    .ok_or(InflateError::Invalid);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(InflateError::Invalid)
    }
}

/// The order in which a dynamic block gives its code-length code's lengths.
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Inflates a raw DEFLATE stream (stored, fixed and dynamic blocks), refusing
/// to produce more than `limit` bytes, so a hostile link cannot exhaust memory.
pub fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let mut input = Input {
        data,
        at: 0,
        pending: 0,
        count: 0,
    };
    let mut out = Vec::new();
    loop {
        let last = input.bits(1)? == 1;
        match input.bits(2)? {
            0 => {
                input.pending = 0;
                input.count = 0;
                let header = input
                    .data
                    .get(input.at..input.at + 4)
                    .ok_or(InflateError::Truncated)?;
                let len = usize::from(u16::from_le_bytes([header[0], header[1]]));
                let check = u16::from_le_bytes([header[2], header[3]]);
                if check != !(len as u16) {
                    return Err(InflateError::Invalid);
                }
                input.at += 4;
                let bytes = input
                    .data
                    .get(input.at..input.at + len)
                    .ok_or(InflateError::Truncated)?;
                if out.len() + len > limit {
                    return Err(InflateError::TooLarge);
                }
                out.extend_from_slice(bytes);
                input.at += len;
            }
            1 => {
                let mut lengths = [8u8; 288];
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                let literals = Code::new(&lengths)?;
                let distances = Code::new(&[5u8; 30])?;
                block(&mut input, &mut out, &literals, &distances, limit)?;
            }
            2 => {
                let (literals, distances) = dynamic_codes(&mut input)?;
                block(&mut input, &mut out, &literals, &distances, limit)?;
            }
            _ => return Err(InflateError::Invalid),
        }
        if last {
            return Ok(out);
        }
    }
}

/// Reads a dynamic block's code descriptions (RFC 1951 §3.2.7).
fn dynamic_codes(input: &mut Input<'_>) -> Result<(Code, Code), InflateError> {
    let literal_count = input.bits(5)? as usize + 257;
    let distance_count = input.bits(5)? as usize + 1;
    let length_count = input.bits(4)? as usize + 4;
    if literal_count > 286 || distance_count > 30 {
        return Err(InflateError::Invalid);
    }
    let mut code_lengths = [0u8; 19];
    for &i in &CODE_LENGTH_ORDER[..length_count] {
        code_lengths[i] = input.bits(3)? as u8;
    }
    let length_code = Code::new(&code_lengths)?;
    let mut lengths = vec![0u8; literal_count + distance_count];
    let mut i = 0;
    while i < lengths.len() {
        let symbol = length_code.decode(input)?;
        let (value, repeat) = match symbol {
            0..=15 => (symbol as u8, 1),
            16 => {
                let previous = *lengths
                    .get(i.wrapping_sub(1))
                    .ok_or(InflateError::Invalid)?;
                (previous, 3 + input.bits(2)? as usize)
            }
            17 => (0, 3 + input.bits(3)? as usize),
            _ => (0, 11 + input.bits(7)? as usize),
        };
        let run = lengths
            .get_mut(i..i + repeat)
            .ok_or(InflateError::Invalid)?;
        run.fill(value);
        i += repeat;
    }
    if lengths[256] == 0 {
        return Err(InflateError::Invalid);
    }
    let (literal_lengths, distance_lengths) = lengths.split_at(literal_count);
    Ok((Code::new(literal_lengths)?, Code::new(distance_lengths)?))
}

/// Decodes one block's symbols until its end-of-block symbol.
fn block(
    input: &mut Input<'_>,
    out: &mut Vec<u8>,
    literals: &Code,
    distances: &Code,
    limit: usize,
) -> Result<(), InflateError> {
    loop {
        let symbol = literals.decode(input)?;
        if symbol < 256 {
            if out.len() >= limit {
                return Err(InflateError::TooLarge);
            }
            out.push(symbol as u8);
            continue;
        }
        if symbol == 256 {
            return Ok(());
        }
        let code = symbol - 257;
        let (Some(&base), Some(&extra)) = (LENGTH_BASE.get(code), LENGTH_EXTRA.get(code)) else {
            return Err(InflateError::Invalid);
        };
        let length = usize::from(base) + input.bits(u32::from(extra))? as usize;
        let code = distances.decode(input)?;
        let (Some(&base), Some(&extra)) = (DISTANCE_BASE.get(code), DISTANCE_EXTRA.get(code))
        else {
            return Err(InflateError::Invalid);
        };
        let distance = usize::from(base) + input.bits(u32::from(extra))? as usize;
        if distance > out.len() {
            return Err(InflateError::Invalid);
        }
        if out.len() + length > limit {
            return Err(InflateError::TooLarge);
        }
        let from = out.len() - distance;
        for k in 0..length {
            let byte = out[from + k];
            out.push(byte);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    /// The tests' pseudo-random numbers: xorshift32 from `seed`.
    fn xorshift(mut state: u32) -> impl FnMut() -> u32 {
        move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        }
    }

    /// Compresses, and checks that both this module's inflate and
    /// miniz_oxide's give the input back.
    fn round_trip(data: &[u8]) -> Vec<u8> {
        let packed = compress(data);
        let back = miniz_oxide::inflate::decompress_to_vec(&packed).unwrap();
        assert_eq!(back, data, "{} bytes", data.len());
        assert_eq!(inflate(&packed, usize::MAX).unwrap(), data);
        packed
    }

    /// What miniz_oxide's compressor writes (stored, fixed or dynamic
    /// blocks, by level) inflates back here: links written by earlier builds.
    #[test]
    fn miniz_streams_of_every_level_inflate() {
        let mut next = xorshift(0x2545_f491);
        let mut inputs: Vec<Vec<u8>> = crate::gallery::SCENARIOS
            .iter()
            .map(|(_, t)| t.as_bytes().to_vec())
            .collect();
        for len in [0, 1, 100, 70_000] {
            inputs.push((0..len).map(|_| (next() % 13) as u8 + b'a').collect());
        }
        for data in &inputs {
            for level in 0..=10 {
                let packed = miniz_oxide::deflate::compress_to_vec(data, level);
                assert_eq!(
                    &inflate(&packed, usize::MAX).unwrap(),
                    data,
                    "level {level}"
                );
            }
        }
    }

    #[test]
    fn damaged_streams_fail_cleanly() {
        let packed =
            miniz_oxide::deflate::compress_to_vec(crate::gallery::SCENARIOS[4].1.as_bytes(), 9);
        // Every truncation fails (or, at most, stops short); none panics.
        for n in 0..packed.len() {
            assert!(inflate(&packed[..n], usize::MAX).is_err(), "{n}");
        }
        // Every single-byte corruption returns (most with an error); none panics.
        for i in 0..packed.len() {
            for flip in [0x01, 0x10, 0xff] {
                let mut bad = packed.clone();
                bad[i] ^= flip;
                let _ = inflate(&bad, 1 << 20);
            }
        }
        assert_eq!(
            inflate(&[0x07], 100),
            Err(InflateError::Invalid),
            "block type 3"
        );
        assert_eq!(
            inflate(&[0x01, 0x05, 0x00, 0x00, 0x00], 100),
            Err(InflateError::Invalid),
            "stored length check"
        );
        assert_eq!(
            inflate(&compress(&[b'a'; 1000]), 999),
            Err(InflateError::TooLarge)
        );
        assert_eq!(
            inflate(&compress(&[b'a'; 1000]), 1000).map(|v| v.len()),
            Ok(1000)
        );
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut next = xorshift(0xdead_beef);
        for _ in 0..3000 {
            let len = (next() % 64) as usize;
            let data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let _ = inflate(&data, 1 << 16);
        }
    }

    #[test]
    fn edge_inputs_inflate_back() {
        round_trip(b"");
        round_trip(b"a");
        round_trip(b"ab");
        round_trip(b"abc");
        round_trip(b"aaaa");
        // The longest match (258) and lengths around each length code's base.
        for n in [257, 258, 259, 300, 515, 516, 517, 1000] {
            round_trip(&vec![b'x'; n]);
        }
        // All byte values: both widths of literal codes.
        let all: Vec<u8> = (0..=255).chain(0..=255).collect();
        round_trip(&all);
    }

    #[test]
    fn distances_up_to_the_window_inflate_back() {
        // A pseudo-random block repeated at distances across every distance code.
        let mut next = xorshift(0x1234_5678);
        let mut noise = || next() as u8;
        for gap in [
            1,
            2,
            4,
            5,
            24,
            25,
            1000,
            4097,
            16385,
            24577,
            WINDOW - 300,
            WINDOW + 10,
        ] {
            let block: Vec<u8> = (0..40).map(|_| noise()).collect();
            let mut data = block.clone();
            data.extend((0..gap).map(|_| noise()));
            data.extend(&block);
            round_trip(&data);
        }
    }

    #[test]
    fn random_inputs_inflate_back() {
        let mut next = xorshift(0x9e37_79b9);
        for round in 0..200 {
            let len = (next() % 5000) as usize;
            // A small alphabet makes many matches, a large one few.
            let alphabet = 1 + (round % 7) * 40;
            let data: Vec<u8> = (0..len).map(|_| (next() % alphabet) as u8).collect();
            round_trip(&data);
        }
    }

    #[test]
    fn scenarios_compress_nearly_as_well_as_level_9() {
        for (id, text) in crate::gallery::SCENARIOS {
            let packed = round_trip(text.as_bytes());
            let best = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
            assert!(
                packed.len() * 100 <= best.len() * 125,
                "{id}: {} bytes, level 9 {}",
                packed.len(),
                best.len()
            );
        }
    }
}

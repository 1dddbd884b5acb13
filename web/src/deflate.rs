//! A small raw DEFLATE (RFC 1951) compressor for share links.
//!
//! LZ77 over DEFLATE's 32 KiB window, matches found through hash chains,
//! coded with the fixed Huffman codes of RFC 1951 §3.2.6 in one final block.
//! miniz_oxide's inflate reads what this writes, and also the
//! dynamic-Huffman links that earlier builds wrote with miniz_oxide's
//! compressor, so every link ever shared still opens.
//!
//! Why not miniz_oxide's compressor: it cost the page about 9 KB of gzipped
//! wasm (budget G7, see docs/BENCHMARKS.md), and fixed codes make a link
//! only about 15% longer than its level 9 output (1,263 against 1,077 bytes
//! for the ASG tiers scenario).

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn round_trip(data: &[u8]) -> Vec<u8> {
        let packed = compress(data);
        let back = miniz_oxide::inflate::decompress_to_vec(&packed).unwrap();
        assert_eq!(back, data, "{} bytes", data.len());
        packed
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
        let mut state = 0x1234_5678_u32;
        let mut noise = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        };
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
        let mut state = 0x9e37_79b9_u32;
        for round in 0..200 {
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state
            };
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

//! Sets of integers kept as sorted, disjoint, non-adjacent inclusive ranges.
//!
//! Every address and port condition of the engine ends up as one of these: a
//! prefix list, a service tag and an ASG all expand to a `RangeSet` of
//! addresses, a port list to a `RangeSet<u16>`. Matching is then one binary
//! search, whatever the rule was written with.

use alloc::vec::Vec;

/// An integer type a [`RangeSet`] can hold.
pub trait Bound: Copy + Ord + core::fmt::Debug {
    /// The smallest value.
    const MIN: Self;
    /// The largest value.
    const MAX: Self;
    /// `self + 1`, or `None` at `MAX`.
    fn succ(self) -> Option<Self>;
    /// `self - 1`, or `None` at `MIN`.
    fn pred(self) -> Option<Self>;
    /// The value as a `u128`, which holds every `Bound`.
    fn wide(self) -> u128;
    /// The value back from [`Bound::wide`].
    fn narrow(wide: u128) -> Self;
}

macro_rules! impl_bound {
    ($($t:ty),*) => {$(
        impl Bound for $t {
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            fn succ(self) -> Option<Self> { self.checked_add(1) }
            fn pred(self) -> Option<Self> { self.checked_sub(1) }
            fn wide(self) -> u128 { self as u128 }
            // Only ever given what `wide` made from a `$t`.
            fn narrow(wide: u128) -> Self { wide as $t }
        }
    )*};
}
impl_bound!(u16, u32, u128);

/// The engine's one sort routine for integers: every `RangeSet` width and
/// [`sort_by_key_stably`] go through it, because each instance of core's
/// sort costs the browser bundle about 2 KB of code.
#[inline(never)]
fn sort_wide(ranges: &mut [(u128, u128)]) {
    ranges.sort_unstable();
}

/// Sorts `items` by `key` (at most 96 bits), keeping the order of equal
/// keys, through [`sort_wide`]: the index in the low 32 bits makes every
/// pair unique.
pub(crate) fn sort_by_key_stably<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u128) {
    let mut keyed: Vec<(u128, u128)> = (items.iter().enumerate())
        .map(|(i, t)| ((key(t) << 32) | (i as u32 as u128), 0))
        .collect();
    sort_wide(&mut keyed);
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        keyed
            .iter()
            .filter_map(|(k, _)| slots.get_mut(*k as u32 as usize).and_then(Option::take)),
    );
}

/// A set of integers as sorted, disjoint, non-adjacent inclusive ranges.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct RangeSet<T> {
    ranges: Vec<(T, T)>,
}

impl<T: Bound> Default for RangeSet<T> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<T: Bound> RangeSet<T> {
    /// The empty set.
    pub const fn empty() -> Self {
        Self { ranges: Vec::new() }
    }

    /// Every value of `T`.
    pub fn full() -> Self {
        Self {
            ranges: alloc::vec![(T::MIN, T::MAX)],
        }
    }

    /// One inclusive range. `lo > hi` gives the empty set.
    pub fn range(lo: T, hi: T) -> Self {
        if lo > hi {
            Self::empty()
        } else {
            Self {
                ranges: alloc::vec![(lo, hi)],
            }
        }
    }

    /// Builds a set from any ranges, in any order, overlapping or not.
    pub fn from_ranges(ranges: impl IntoIterator<Item = (T, T)>) -> Self {
        // Sorted as u128 pairs: one sort routine for every width, not one
        // per type (each costs the browser bundle about 2 KB of code).
        let mut raw: Vec<(u128, u128)> = ranges
            .into_iter()
            .filter(|(lo, hi)| lo <= hi)
            .map(|(lo, hi)| (lo.wide(), hi.wide()))
            .collect();
        sort_wide(&mut raw);
        let mut out: Vec<(T, T)> = Vec::with_capacity(raw.len());
        for (lo, hi) in raw {
            let (lo, hi) = (T::narrow(lo), T::narrow(hi));
            if let Some(last) = out.last_mut() {
                // Merge when overlapping or adjacent.
                if last.1.succ().is_none_or(|next| lo <= next) {
                    if hi > last.1 {
                        last.1 = hi;
                    }
                    continue;
                }
            }
            out.push((lo, hi));
        }
        Self { ranges: out }
    }

    /// The ranges, sorted and disjoint.
    pub fn ranges(&self) -> &[(T, T)] {
        &self.ranges
    }

    /// Whether the set holds nothing.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether the set holds every value of `T`.
    pub fn is_full(&self) -> bool {
        self.ranges.len() == 1 && self.ranges[0] == (T::MIN, T::MAX)
    }

    /// Whether `value` is in the set.
    pub fn contains(&self, value: T) -> bool {
        // Index of the first range whose start is > value; the candidate is the one before.
        let idx = self.ranges.partition_point(|&(lo, _)| lo <= value);
        idx > 0 && value <= self.ranges[idx - 1].1
    }

    /// Whether every value of `other` is in `self`.
    pub fn contains_set(&self, other: &Self) -> bool {
        other.difference(self).is_empty()
    }

    /// Whether the two sets share a value.
    pub fn intersects(&self, other: &Self) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a, b) = (self.ranges[i], other.ranges[j]);
            if a.1 < b.0 {
                i += 1;
            } else if b.1 < a.0 {
                j += 1;
            } else {
                return true;
            }
        }
        false
    }

    /// Everything in either set.
    pub fn union(&self, other: &Self) -> Self {
        Self::from_ranges(self.ranges.iter().chain(other.ranges.iter()).copied())
    }

    /// Everything not in the set.
    pub fn complement(&self) -> Self {
        let mut out = Vec::with_capacity(self.ranges.len() + 1);
        let mut next = Some(T::MIN);
        for &(lo, hi) in &self.ranges {
            if let Some(start) = next
                && start < lo
                && let Some(end) = lo.pred()
            {
                out.push((start, end));
            }
            next = hi.succ();
        }
        if let Some(start) = next {
            out.push((start, T::MAX));
        }
        Self { ranges: out }
    }

    /// Everything in `self` and not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        self.intersection(&other.complement())
    }

    /// Everything in both sets.
    pub fn intersection(&self, other: &Self) -> Self {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a, b) = (self.ranges[i], other.ranges[j]);
            let lo = if a.0 > b.0 { a.0 } else { b.0 };
            let hi = if a.1 < b.1 { a.1 } else { b.1 };
            if lo <= hi {
                out.push((lo, hi));
            }
            if a.1 < b.1 { i += 1 } else { j += 1 }
        }
        Self { ranges: out }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn sort_by_key_stably_keeps_equal_keys_in_order() {
        let mut items: Vec<(u16, char)> = alloc::vec![
            (300, 'a'),
            (100, 'b'),
            (300, 'c'),
            (100, 'd'),
            (65535, 'e'),
            (0, 'f')
        ];
        sort_by_key_stably(&mut items, |(k, _)| u128::from(*k));
        let order: alloc::string::String = items.iter().map(|(_, c)| *c).collect();
        assert_eq!(order, "fbdace");
        // Keys over 64 bits sort too.
        let mut wide: Vec<u128> = alloc::vec![1 << 90, 1, 1 << 64, 0];
        sort_by_key_stably(&mut wide, |k| *k);
        assert_eq!(wide, [0, 1, 1 << 64, 1 << 90]);
    }

    use super::*;

    #[test]
    fn merges_overlapping_and_adjacent_ranges() {
        let set = RangeSet::<u16>::from_ranges([(10, 20), (21, 30), (5, 12), (40, 50)]);
        assert_eq!(set.ranges(), &[(5, 30), (40, 50)]);
    }

    #[test]
    fn contains_checks_bounds_inclusively() {
        let set = RangeSet::<u16>::from_ranges([(80, 80), (443, 445)]);
        assert!(set.contains(80) && set.contains(443) && set.contains(445));
        assert!(!set.contains(79) && !set.contains(81) && !set.contains(446));
    }

    #[test]
    fn complement_of_full_is_empty_and_back() {
        let full = RangeSet::<u16>::full();
        assert!(full.complement().is_empty());
        assert!(full.complement().complement().is_full());
        let edge = RangeSet::<u16>::from_ranges([(0, 0), (65535, 65535)]);
        assert_eq!(edge.complement().ranges(), &[(1, 65534)]);
    }

    #[test]
    fn difference_and_intersection() {
        let a = RangeSet::<u32>::range(0, 100);
        let b = RangeSet::<u32>::from_ranges([(10, 20), (90, 200)]);
        assert_eq!(a.difference(&b).ranges(), &[(0, 9), (21, 89)]);
        assert_eq!(a.intersection(&b).ranges(), &[(10, 20), (90, 100)]);
        assert!(a.intersects(&b));
        assert!(!RangeSet::<u32>::range(0, 5).intersects(&RangeSet::range(6, 9)));
    }
}

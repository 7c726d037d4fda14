//! A hasher for the integer keys of the adoption fast paths (tenant and service keys):
//! one multiply-and-rotate a word instead of SipHash's rounds. The keys come from the
//! database's own counters, not from users, so flooding is not a concern.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map by integer key(s).
pub(crate) type KeyMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;
/// A set of integer keys.
pub(crate) type KeySet<K> = HashSet<K, BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
pub(crate) struct KeyHasher(u64);

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        // The table picks buckets by the low bits, which a product takes from the key's
        // low bits only: folding the well-mixed high bits down keeps keys with a
        // power-of-two stride apart.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(K);
        }
    }
    fn write_i64(&mut self, v: i64) {
        self.0 = (self.0.rotate_left(29) ^ (v as u64)).wrapping_mul(K);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(29) ^ v).wrapping_mul(K);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_keys_spread_and_stay_apart() {
        let mut m: KeyMap<(i64, i64), i64> = KeyMap::default();
        for t in 0..1000 {
            for s in 0..10 {
                m.insert((t, s), t * 10 + s);
            }
        }
        assert_eq!(m.len(), 10_000);
        assert_eq!(m.get(&(7, 3)), Some(&73));
        assert_eq!(m.get(&(3, 7)), Some(&37));
        let set: KeySet<i64> = (0..5000).collect();
        assert!(set.contains(&4999) && !set.contains(&5000));
    }

    #[test]
    fn strided_keys_spread_over_the_low_bits() {
        use std::hash::BuildHasher;
        let build = BuildHasherDefault::<KeyHasher>::default();
        let low: KeySet<u64> = (0..4096i64)
            .map(|k| build.hash_one(k * 1024) & 4095)
            .collect();
        // 4,096 random values in 4,096 buckets fill about 2,589 of them.
        assert!(low.len() > 2000, "{} buckets", low.len());
    }
}

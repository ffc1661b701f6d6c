//! The random streams of a replication. Each purpose gets its own generator, seeded from the
//! scenario's seed, the replication and the purpose only, so that what one part of the model
//! draws never shifts another's draws: visitors arrive the same whatever routing does, and an
//! agent's breaks do not move when staffing changes elsewhere.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// What a stream is drawn for.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    /// Arrival gaps, streams and each visitor's own seed.
    Visitors,
    /// One agent's breaks.
    Breaks(u64),
}

/// The generator of `purpose` in replication `replication`.
pub fn stream(seed: u64, replication: u64, purpose: Purpose) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(seed, replication, purpose))
}

/// Mixed so that nearby inputs give unrelated seeds (the generator's own seeding spreads them
/// further); every purpose gets a different third term.
fn mix(seed: u64, replication: u64, purpose: Purpose) -> u64 {
    const K: [u64; 3] = [
        0x9E37_79B9_7F4A_7C15,
        0xC2B2_AE3D_27D4_EB4F,
        0x1656_67B1_9E37_79F9,
    ];
    let third = match purpose {
        Purpose::Visitors => 0,
        Purpose::Breaks(agent) => agent.wrapping_add(1),
    };
    seed.wrapping_mul(K[0])
        ^ replication.wrapping_add(1).wrapping_mul(K[1])
        ^ third.wrapping_mul(K[2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn purposes_and_replications_get_different_streams() {
        let first = |r, p| stream(7, r, p).next_u64();
        let draws = [
            first(0, Purpose::Visitors),
            first(1, Purpose::Visitors),
            first(0, Purpose::Breaks(0)),
            first(0, Purpose::Breaks(1)),
            first(1, Purpose::Breaks(0)),
        ];
        for (i, a) in draws.iter().enumerate() {
            assert!(draws[i + 1..].iter().all(|b| a != b), "{draws:?}");
        }
        assert_eq!(first(3, Purpose::Breaks(2)), first(3, Purpose::Breaks(2)));
    }
}

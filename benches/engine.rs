//! The parts on their own: the event queue under a simulation-like load, and one routing
//! decision.
//!
//! `cargo bench --bench engine`

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;

use chatsim::engine::{EventQueue, Time};
use chatsim::model::{AgentState, Router};
use chatsim::scenario;
use divan::Bencher;
use divan::counter::ItemsCount;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, Exp};

fn main() {
    divan::main();
}

const HOLDS: u64 = 100_000;

/// Delays like the 200-agent case's: mostly chat ends minutes ahead.
fn delays(n: u64) -> Vec<u64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let exp = Exp::new(1.0 / 600_000.0).unwrap();
    (0..n).map(|_| exp.sample(&mut rng) as u64).collect()
}

/// The "hold" model: with `pending` events waiting, pop the earliest and schedule one more.
#[divan::bench(args = [1_000, 10_000], counter = ItemsCount::new(HOLDS))]
fn calendar_queue_hold(bencher: Bencher, pending: u64) {
    let d = delays(pending + HOLDS);
    bencher.bench_local(|| {
        let mut q = EventQueue::default();
        for (i, &x) in d[..pending as usize].iter().enumerate() {
            q.push(Time(x), i);
        }
        for &x in &d[pending as usize..] {
            let (now, e) = q.pop().unwrap();
            q.push(Time(now.millis() + x), e);
        }
        q.len()
    });
}

/// The same hold model on the standard library's binary heap, keyed the same way: the
/// baseline the calendar queue was chosen against.
#[divan::bench(args = [1_000, 10_000], counter = ItemsCount::new(HOLDS))]
fn binary_heap_hold(bencher: Bencher, pending: u64) {
    let d = delays(pending + HOLDS);
    bencher.bench_local(|| {
        let mut q = BinaryHeap::new();
        let mut seq = 0u128;
        let mut push = |q: &mut BinaryHeap<Reverse<(u128, usize)>>, t: u64, e: usize| {
            q.push(Reverse(((t as u128) << 64 | seq, e)));
            seq += 1;
        };
        for (i, &x) in d[..pending as usize].iter().enumerate() {
            push(&mut q, x, i);
        }
        for &x in &d[pending as usize..] {
            let Reverse((key, e)) = q.pop().unwrap();
            push(&mut q, (key >> 64) as u64 + x, e);
        }
        q.len()
    });
}

/// One round-robin pick in the 200-agent team with a sixth of the agents at cap.
#[divan::bench(counter = ItemsCount::new(1u64))]
fn routing_decision(bencher: Bencher) {
    let sc = scenario::load(Path::new("scenarios/bench-200.toml")).expect("bench scenario");
    let mut router = Router::new(&sc);
    let agents: Vec<AgentState> = (0..sc.agents.len())
        .map(|i| AgentState {
            held: if i % 6 == 0 { 10 } else { 7 },
            cap: 10,
            online: true,
        })
        .collect();
    let team_pool = 1;
    bencher.bench_local(|| router.pick(team_pool, &agents, &[]));
}

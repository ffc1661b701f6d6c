//! Live-chat requests still waiting for an outcome, in a slab whose slots are reused: memory
//! follows the number of requests in flight, never the number of visitors simulated.

use crate::engine::Time;
use crate::model::recorder::{Arrival, Whose};
use crate::model::routing::Destination;
use crate::model::visitor_rng::VisitorRng;
use crate::scenario::{AgentId, TeamId};

/// A handle to a request. The generation makes handles held by events that outlived their
/// request (an accept-timeout after the visitor left) stale instead of wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReqRef {
    slot: u32,
    generation: u32,
}

impl ReqRef {
    /// The slab slot it names (reused once the request ends).
    pub fn slot(self) -> u32 {
        self.slot
    }
}

#[derive(Clone, Debug)]
pub struct Request {
    /// Odd while the slot holds a live request: one compare checks a handle.
    generation: u32,
    /// Its stream, its team once routed, whether it counts (it arrived after the warm-up) and
    /// where its arrival is counted: what every count of its outcome reads, kept as the tally
    /// takes it, so that handing it over is one copy.
    pub whose: Whose,
    pub destination: Option<Destination>,
    /// Agents offered the chat so far, the current one last.
    pub tried: Vec<AgentId>,
    pub offered_at: Time,
    /// The request's own random stream: its draws do not shift when routing changes what other
    /// requests draw, which keeps paired comparisons tight.
    pub rng: VisitorRng,
    /// When it joined a waiting queue, while it waits there.
    pub queued_at: Option<Time>,
    /// The team that took it from its own (the overflow what-if).
    pub overflowed_to: Option<TeamId>,
}

#[derive(Default)]
pub struct Requests {
    slots: Vec<Request>,
    free: Vec<u32>,
}

impl Requests {
    /// A request of `stream` whose visitor arrived as `arrival` says; not yet routed. Always
    /// inlined, like the visitor's other steps: a free slot is almost always there, and filling
    /// it costs less than the call did.
    #[inline(always)]
    pub fn insert(
        &mut self,
        counted: bool,
        stream: u32,
        rng: VisitorRng,
        arrival: Arrival,
    ) -> ReqRef {
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => self.grow(),
        };
        let r = &mut self.slots[slot as usize];
        r.generation = r.generation.wrapping_add(1);
        // Field by field: a whole `Whose` built on the stack and copied over was read back in
        // wider words than it had just been written in, which stalled the processor on every
        // arrival (9% of the run loop's time sat on that one read).
        let w = &mut r.whose;
        w.stream = stream;
        w.team = None;
        w.counted = counted;
        w.bucket = arrival.bucket;
        w.slot = arrival.slot;
        w.windows = arrival.windows;
        r.destination = None;
        r.tried.clear();
        r.offered_at = Time::ZERO;
        r.rng = rng;
        r.queued_at = None;
        r.overflowed_to = None;
        ReqRef {
            slot,
            generation: r.generation,
        }
    }

    /// A new free slot, for [`Requests::insert`] to fill when none is left.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) -> u32 {
        self.slots.push(Request {
            generation: 0,
            whose: Whose::default(),
            destination: None,
            tried: Vec::with_capacity(2),
            offered_at: Time::ZERO,
            rng: VisitorRng::new(0),
            queued_at: None,
            overflowed_to: None,
        });
        self.slots.len() as u32 - 1
    }

    /// The request, unless it has ended since the handle was taken.
    pub fn get_mut(&mut self, r: ReqRef) -> Option<&mut Request> {
        self.slots
            .get_mut(r.slot as usize)
            .filter(|q| q.generation == r.generation)
    }

    /// Ends the request; its handle goes stale.
    pub fn remove(&mut self, r: ReqRef) {
        if let Some(q) = self.get_mut(r) {
            q.generation = q.generation.wrapping_add(1);
            self.free.push(r.slot);
        }
    }

    /// Requests in flight, with their counted flag.
    pub fn live(&self) -> impl Iterator<Item = &Request> {
        self.slots.iter().filter(|q| q.generation % 2 == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn removed_handles_go_stale_and_slots_are_reused() {
        let mut rs = Requests::default();
        let rng = VisitorRng::new(0);
        let a = rs.insert(true, 0, rng.clone(), Arrival::default());
        rs.remove(a);
        assert!(rs.get_mut(a).is_none());
        let b = rs.insert(false, 1, rng, Arrival::default());
        assert!(rs.get_mut(a).is_none());
        assert_eq!(rs.get_mut(b).unwrap().whose.stream, 1);
        assert_eq!(rs.slots.len(), 1);
        assert_eq!(rs.live().count(), 1);
    }
}

//! The pending-event set, ordered by time, then by the order events were scheduled.
//!
//! That order makes a run deterministic without any care from the model. The one exception is
//! the recurring source's event (the next arrival), which comes after every other event due at
//! the same instant: it is kept apart and has no place in the scheduling order.
//!
//! It is a calendar queue: near-future events go unsorted into two-second buckets of a ring,
//! in the order they are scheduled, and a bucket is sorted by time only when the clock reaches
//! it. The sort is stable, so same-instant events keep their scheduling order without a
//! sequence number each. Events beyond the ring's span wait in a heap. In this model most
//! events fall within minutes of being scheduled, so scheduling and popping cost O(1) on
//! average instead of a heap's O(log n) with a cache miss per level; the benchmarks in
//! `benches/` measured a binary heap at several times the cost per event.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::Time;

/// log2 of a bucket's width in milliseconds (2.048 s).
const BUCKET_SHIFT: u32 = 11;
/// Buckets in the ring: it spans about 70 minutes ahead.
const RING: u64 = 2048;
/// Capacity a ring slot keeps once emptied; larger ones are released.
const SLOT_KEEP: usize = 16;

fn bucket_of(time: Time) -> u64 {
    time.millis() >> BUCKET_SHIFT
}

/// An event in a bucket. Only the time's offset within the bucket is kept (the bucket gives the
/// rest), so that an entry of the chat model takes 16 bytes rather than 24: the ring is written
/// at random places on every push, and a smaller one stays in the processor's caches.
#[derive(Clone, Copy)]
struct Entry<E> {
    offset: u32,
    event: E,
}

fn offset_of(time: Time) -> u32 {
    (time.millis() & ((1 << BUCKET_SHIFT) - 1)) as u32
}

/// An event beyond the ring. A heap does not keep insertion order, so it carries its place in
/// the scheduling order: time in the high 64 bits, sequence number in the low.
struct FarEntry<E> {
    key: u128,
    event: E,
}

impl<E> FarEntry<E> {
    fn time(&self) -> Time {
        Time((self.key >> 64) as u64)
    }
}

impl<E> PartialEq for FarEntry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<E> Eq for FarEntry<E> {}

impl<E> PartialOrd for FarEntry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for FarEntry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

/// Events waiting to happen. Cancellation is left to the model (lazy: a stale event is skipped
/// when it comes out).
pub struct EventQueue<E> {
    /// Numbers the far events.
    next_seq: u64,
    /// The bucket the clock is in.
    bucket: u64,
    /// The events of the current bucket in the order they come out, from `head` on.
    current: Vec<Entry<E>>,
    head: usize,
    /// Bucket `b` in `(bucket, bucket + RING)` lives at `ring[b % RING]`, in scheduling order.
    ring: Vec<Vec<Entry<E>>>,
    in_ring: usize,
    /// Events beyond the ring's span when they were scheduled. They were all scheduled before
    /// any ring event of their bucket, which could only be scheduled once the clock came
    /// within the ring's span of it.
    far: BinaryHeap<Reverse<FarEntry<E>>>,
    /// The one pending event of a recurring source (the next arrival), kept out of the buckets:
    /// a third of all events, each spared a push and a sort.
    recurring: Option<(Time, E)>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            next_seq: 0,
            bucket: 0,
            current: Vec::new(),
            head: 0,
            ring: (0..RING).map(|_| Vec::new()).collect(),
            in_ring: 0,
            far: BinaryHeap::new(),
            recurring: None,
        }
    }
}

impl<E: Copy> EventQueue<E> {
    /// Amortised O(1) for events within the ring's span (a sorted insert when it falls in the
    /// current bucket), O(log n) beyond it. No allocation once buckets reach their working size.
    /// Inlined: the common case, an event a few minutes ahead, is a handful of instructions.
    #[inline(always)]
    pub fn push(&mut self, time: Time, event: E) {
        let b = bucket_of(time);
        if b > self.bucket && b < self.bucket + RING {
            self.ring[(b % RING) as usize].push(Entry {
                offset: offset_of(time),
                event,
            });
            self.in_ring += 1;
        } else {
            self.push_elsewhere(time, event);
        }
    }

    /// [`EventQueue::push`] into the current bucket or beyond the ring. Inlined although rare:
    /// as a call, it made the caller build every event in memory to pass it, and the common
    /// path then read the event back in wider words than it had been written in, waiting for
    /// the writes to land.
    #[inline(always)]
    fn push_elsewhere(&mut self, time: Time, event: E) {
        if bucket_of(time) <= self.bucket {
            debug_assert_eq!(bucket_of(time), self.bucket, "an event in a past bucket");
            // After every event due no later.
            let offset = offset_of(time);
            let at = self.head + self.current[self.head..].partition_point(|e| e.offset <= offset);
            self.current.insert(at, Entry { offset, event });
        } else {
            let key = (time.millis() as u128) << 64 | self.next_seq as u128;
            self.next_seq += 1;
            self.far.push(Reverse(FarEntry { key, event }));
        }
    }

    /// O(1). Schedules the one pending event of a recurring source; it comes out after every
    /// other event due at the same instant.
    ///
    /// # Panics
    /// When the source already has an event pending.
    pub fn push_recurring(&mut self, time: Time, event: E) {
        assert!(
            self.recurring.is_none(),
            "a recurring event is already pending"
        );
        self.recurring = Some((time, event));
    }

    /// Amortised O(1) plus the sort of each bucket once. The earliest event, first scheduled
    /// first among equal times.
    pub fn pop(&mut self) -> Option<(Time, E)> {
        self.pop_until(Time::MAX)
    }

    /// The earliest event if it is due no later than `until`; otherwise leaves it in place.
    #[inline]
    pub fn pop_until(&mut self, until: Time) -> Option<(Time, E)> {
        if self.head == self.current.len() {
            self.advance();
        }
        let bucket_start = self.bucket << BUCKET_SHIFT;
        let head = self
            .current
            .get(self.head)
            .map(|e| (Time(bucket_start | e.offset as u64), e.event));
        let recurring_first = match (self.recurring, head) {
            (Some((r, _)), Some((c, _))) => r < c,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let next = if recurring_first {
            self.recurring
        } else {
            head
        };
        if next.is_none_or(|(t, _)| t > until) {
            return None;
        }
        if recurring_first {
            self.recurring = None;
        } else {
            self.head += 1;
        }
        next
    }

    /// Events waiting, O(1).
    pub fn len(&self) -> usize {
        self.current.len() - self.head
            + self.in_ring
            + self.far.len()
            + self.recurring.is_some() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves the clock's bucket to the next one holding events and sorts it, stopping at the
    /// recurring event's bucket: events it schedules near its own time then land in the ring,
    /// not in a far-ahead current bucket.
    #[inline(never)]
    fn advance(&mut self) {
        debug_assert_eq!(
            self.head,
            self.current.len(),
            "advanced with events left in the bucket"
        );
        self.current.clear();
        self.head = 0;
        let stop = self
            .recurring
            .as_ref()
            .map_or(u64::MAX, |&(t, _)| bucket_of(t));
        loop {
            if self.bucket >= stop {
                return;
            }
            if self.in_ring == 0 {
                // Nothing in the ring: jump straight to the first far event's bucket.
                match self.far.peek() {
                    Some(Reverse(e)) => self.bucket = bucket_of(e.time()).min(stop),
                    None if stop < u64::MAX => self.bucket = stop,
                    None => return,
                }
            } else {
                self.bucket += 1;
            }
            let slot = &mut self.ring[(self.bucket % RING) as usize];
            self.in_ring -= slot.len();
            // The current bucket is empty here: trading buffers moves no events.
            std::mem::swap(&mut self.current, slot);
            if slot.capacity() > SLOT_KEEP {
                // A burst (every agent's shift starting at once) must not leave its capacity
                // behind in the slot, or the ring's memory would creep up with the horizon.
                *slot = Vec::new();
            }
            if self
                .far
                .peek()
                .is_some_and(|Reverse(e)| bucket_of(e.time()) <= self.bucket)
            {
                self.take_far();
            }
            if !self.current.is_empty() {
                self.current.sort_by_key(|e| e.offset);
                return;
            }
        }
    }

    /// Puts the far events of the clock's bucket ahead of its ring events, in their order.
    #[cold]
    fn take_far(&mut self) {
        let mut far = Vec::new();
        while self
            .far
            .peek()
            .is_some_and(|Reverse(e)| bucket_of(e.time()) <= self.bucket)
        {
            let Reverse(e) = self.far.pop().expect("peeked");
            far.push(Entry {
                offset: offset_of(e.time()),
                event: e.event,
            });
        }
        self.current.splice(0..0, far);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pops_in_time_order_then_schedule_order() {
        let mut q = EventQueue::default();
        q.push(Time(30), 'c');
        q.push(Time(10), 'a');
        q.push(Time(30), 'd');
        q.push(Time(10), 'b');
        q.push(Time(20), 'x');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['a', 'b', 'x', 'c', 'd']);
        assert!(q.is_empty());
    }

    proptest! {
        /// Against a plain sort by (time, recurring last, sequence), with events scheduled while
        /// popping as a simulation does: near, far, same-instant and recurring ones. Near and
        /// recurring events fall on whole seconds, so that many tie.
        #[test]
        fn agrees_with_a_sorted_list(ops in prop::collection::vec((0u64..5, 0u64..20_000_000), 1..400)) {
            let mut q = EventQueue::default();
            let mut reference: Vec<(u64, bool, usize)> = Vec::new();
            let mut now = 0u64;
            let mut recurring: Option<usize> = None;
            let mut popped = Vec::new();
            let mut expected = Vec::new();
            for (i, (kind, delay)) in ops.into_iter().enumerate() {
                if kind == 0 {
                    if let Some((t, e)) = q.pop() {
                        now = t.millis();
                        popped.push((now, recurring == Some(e), e));
                        if recurring == Some(e) {
                            recurring = None;
                        }
                        reference.sort();
                        expected.push(reference.remove(0));
                    }
                } else if kind == 3 {
                    if recurring.is_none() {
                        let t = now + delay % 600 * 1000;
                        q.push_recurring(Time(t), i);
                        reference.push((t, true, i));
                        recurring = Some(i);
                    }
                } else {
                    let t = now + match kind {
                        1 => delay % 5 * 1000,
                        2 => delay,
                        _ => 0,
                    };
                    q.push(Time(t), i);
                    reference.push((t, false, i));
                }
            }
            while let Some((t, e)) = q.pop() {
                popped.push((t.millis(), recurring == Some(e), e));
            }
            reference.sort();
            expected.extend(reference);
            prop_assert_eq!(popped, expected);
        }
    }
}

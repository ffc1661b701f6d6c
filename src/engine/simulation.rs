//! The run loop and the handle a model uses to schedule events.

use super::{EventQueue, Time};

/// A simulated system: it reacts to its own events and schedules new ones.
pub trait Model {
    /// Plain data (ids, handles), copied in and out of the queue.
    type Event: Copy;
    fn handle(&mut self, event: Self::Event, sched: &mut Scheduler<Self::Event>);
}

/// The clock and the pending events, as seen by a model while it handles an event.
pub struct Scheduler<E> {
    now: Time,
    queue: EventQueue<E>,
    processed: u64,
    /// Set by a model that cannot go on (its input failed): the run ends at once.
    stopped: bool,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler {
            now: Time::ZERO,
            queue: EventQueue::default(),
            processed: 0,
            stopped: false,
        }
    }
}

impl<E: Copy> Scheduler<E> {
    pub fn now(&self) -> Time {
        self.now
    }

    /// Ends the run after the event being handled: for a model whose input failed, so that
    /// nothing after the failure is simulated.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Whether the model stopped the run.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Events handled so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Events still waiting (including stale ones the model will skip).
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Schedules `event` at `time`.
    ///
    /// # Panics
    /// When `time` is in the past: that is a bug in the model, and silently reordering time
    /// would hide it.
    pub fn at(&mut self, time: Time, event: E) {
        self.check_not_past(time);
        self.queue.push(time, event);
    }

    /// Schedules the one pending event of a recurring source, such as the next arrival of a
    /// stream generated one at a time. It costs less than [`Scheduler::at`] and comes out after
    /// every other event due at the same instant (an arrival finds the slots freed then).
    ///
    /// # Panics
    /// When `time` is in the past, or the source already has an event pending.
    pub fn at_recurring(&mut self, time: Time, event: E) {
        self.check_not_past(time);
        self.queue.push_recurring(time, event);
    }

    fn check_not_past(&self, time: Time) {
        assert!(
            time >= self.now,
            "event scheduled in the past: {time} < now {}",
            self.now
        );
    }

    /// Schedules `event` after `delay`.
    pub fn after(&mut self, delay: Time, event: E) {
        self.queue.push(self.now + delay, event);
    }
}

/// Handles events in time order until the next one would fall after `until` (events at exactly
/// `until` are handled), then leaves the clock at `until`; or until the model stops the run,
/// leaving the clock where it stopped.
pub fn run_until<M: Model>(model: &mut M, sched: &mut Scheduler<M::Event>, until: Time) {
    while let Some((time, event)) = sched.queue.pop_until(until) {
        sched.now = time;
        sched.processed += 1;
        model.handle(event, sched);
        if sched.stopped {
            return;
        }
    }
    sched.now = until;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that ticks every second and records when it ticked.
    struct Ticker(Vec<Time>);

    impl Model for Ticker {
        type Event = ();
        fn handle(&mut self, _: (), sched: &mut Scheduler<()>) {
            self.0.push(sched.now());
            sched.after(Time::from_secs(1), ());
        }
    }

    #[test]
    fn runs_up_to_and_including_the_horizon() {
        let mut model = Ticker(Vec::new());
        let mut sched = Scheduler::default();
        sched.at(Time::ZERO, ());
        run_until(&mut model, &mut sched, Time::from_secs(3));
        assert_eq!(model.0, (0..=3).map(Time::from_secs).collect::<Vec<_>>());
        assert_eq!(sched.processed(), 4);
        assert_eq!(sched.now(), Time::from_secs(3));
    }

    /// A model that stops the run at its second event.
    struct Stopper(u32);

    impl Model for Stopper {
        type Event = ();
        fn handle(&mut self, _: (), sched: &mut Scheduler<()>) {
            self.0 += 1;
            if self.0 == 2 {
                sched.stop();
            }
            sched.after(Time::from_secs(1), ());
        }
    }

    #[test]
    fn a_stopped_run_handles_nothing_more() {
        let mut model = Stopper(0);
        let mut sched = Scheduler::default();
        sched.at(Time::ZERO, ());
        run_until(&mut model, &mut sched, Time::from_secs(100));
        assert_eq!((model.0, sched.now()), (2, Time::from_secs(1)));
    }

    #[test]
    #[should_panic(expected = "in the past")]
    fn scheduling_into_the_past_fails_loudly() {
        let mut sched: Scheduler<()> = Scheduler {
            now: Time(10),
            ..Scheduler::default()
        };
        sched.at(Time(5), ());
    }
}

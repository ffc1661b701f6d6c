//! The bookkeeping of a replication: every count the journey's steps leave in the [`Tally`],
//! in one place, so that the model's event handlers only decide and the reports' figures have
//! one writer. Requests that arrived during the warm-up count only in the time series.

use crate::engine::Time;
use crate::figure::Reason;
use crate::model::availability::week_phase;
use crate::model::offer::{Offer, OfferOutcome};
use crate::model::window_clock::WindowClock;
use crate::model::{AgentState, Intervals, Outcomes, Tally};
use crate::scenario::{AgentId, Scenario, TeamId};

/// What the tally needs to know of a request to count its outcome.
#[derive(Clone, Copy, Debug, Default)]
pub struct Whose {
    pub stream: u32,
    pub team: Option<TeamId>,
    pub counted: bool,
    /// The time-series bucket of the visitor's arrival, and where its interval of the week
    /// counts (see [`Intervals::slot_at`]).
    pub bucket: u32,
    pub slot: u32,
    /// Bit `k` set when the visitor arrived inside the scenario's window `k`.
    pub windows: u32,
}

impl Whose {
    /// The request as window `k`'s tally counts it: only if it arrived inside the window, in
    /// the tally's one bucket and interval.
    #[inline(always)]
    fn in_window(self, k: usize) -> Whose {
        Whose {
            counted: self.counted && self.windows >> k & 1 == 1,
            bucket: 0,
            slot: 0,
            ..self
        }
    }
}

/// Where a visitor's arrival is counted: its time-series bucket, interval of the week and
/// windows.
#[derive(Clone, Copy, Debug, Default)]
pub struct Arrival {
    pub bucket: u32,
    pub slot: u32,
    pub windows: u32,
}

/// The most windows one scenario may restrict figures to.
pub const MAX_WINDOWS: usize = 32;

/// `WINDOWS`: whether the scenario has windows. Without, every window count is compiled out of
/// the journey's steps rather than tested for at each: the plain run pays nothing for them.
pub struct Recorder<const WINDOWS: bool> {
    tally: Tally,
    /// Per window of the scenario, a tally of what arrived in it, on the window's clock.
    windows: Vec<(WindowClock, Tally)>,
    /// The window every figure is restricted to, if any.
    primary: Option<usize>,
}

impl<const WINDOWS: bool> Recorder<WINDOWS> {
    /// The books of a run of `sc`, which has windows if and only if `WINDOWS`.
    pub fn new(sc: &Scenario) -> Recorder<WINDOWS> {
        assert_eq!(
            WINDOWS,
            !sc.windows.is_empty(),
            "a recorder of the wrong kind"
        );
        let s = &sc.simulation;
        let mut agent_teams: Vec<(Vec<u32>, u32)> =
            sc.agents.iter().map(|a| (Vec::new(), a.cap)).collect();
        for (t, team) in sc.teams.iter().enumerate() {
            for &a in &team.members {
                agent_teams[a as usize].0.push(t as u32);
            }
        }
        let intervals = Intervals::new(
            s.interval,
            week_phase(s.start),
            s.warmup,
            s.horizon,
            sc.teams.len(),
            sc.streams.len(),
            &agent_teams,
        );
        let tally = |warmup, horizon| {
            Tally::new(
                sc.streams.len(),
                sc.teams.len(),
                sc.agents.len(),
                warmup,
                horizon,
            )
        };
        let windows = sc
            .windows
            .iter()
            .take(MAX_WINDOWS)
            .map(|w| {
                let clock = WindowClock::new(&w.schedule, s.start);
                let (warmup, horizon) = {
                    let mut c = clock.clone();
                    (c.at(s.warmup), c.at(s.horizon))
                };
                let t =
                    tally(warmup, horizon).with_series(horizon, horizon, sc.package.accept_timeout);
                (clock, t)
            })
            .collect();
        Recorder {
            tally: tally(s.warmup, s.horizon)
                .with_series(s.bucket, s.horizon, sc.package.accept_timeout)
                .with_intervals(intervals),
            windows,
            primary: s.window,
        }
    }

    /// Closes the books: `in_flight[0]` requests (counted ones) had no outcome by `end`, and
    /// `in_flight[1 + k]` of those that arrived in window `k`. With a window for every figure,
    /// the tally is that window's, with the whole run's time series and intervals.
    pub fn finish(mut self, end: Time, in_flight: &[u64], events: u64) -> Tally {
        self.tally.finish(end);
        self.tally.in_flight_at_end = in_flight[0];
        self.tally.events = events;
        let mut windows: Vec<Tally> = self
            .windows
            .into_iter()
            .enumerate()
            .map(|(k, (mut clock, mut t))| {
                t.finish(clock.at(end));
                t.in_flight_at_end = in_flight.get(1 + k).copied().unwrap_or(0);
                t.events = events;
                t
            })
            .collect();
        let mut main = match self.primary {
            Some(k) => {
                let mut w = windows[k].clone();
                std::mem::swap(&mut w.series, &mut self.tally.series);
                w.week = Some(Box::new(self.tally.intervals));
                w
            }
            None => self.tally,
        };
        main.windows = std::mem::take(&mut windows);
        main
    }

    /// Applies `f` to each window's tally, with the request as each counts it. The run's own
    /// tally is counted by a direct call beside it, so that the common case, no windows, is
    /// inlined as if written out.
    #[cold]
    #[inline(never)]
    fn each_window(&mut self, w: Whose, f: impl Fn(&mut Tally, Whose)) {
        for (k, (_, t)) in self.windows.iter_mut().enumerate() {
            f(t, w.in_window(k));
        }
    }

    /// An agent's state changed (see [`Tally::agent_changed`]).
    pub fn agent_changed(&mut self, now: Time, agent: AgentId, old: AgentState, new: AgentState) {
        self.tally.agent_changed(now, agent as usize, old, new);
        if WINDOWS {
            self.windows_changed(now, agent, old, new);
        }
    }

    /// A slot taken or freed (see [`Tally::held_changed`]).
    #[inline(always)]
    pub fn held_changed(&mut self, now: Time, agent: AgentId, old: AgentState, new: AgentState) {
        self.tally.held_changed(now, agent as usize, old, new);
        if WINDOWS {
            self.windows_changed(now, agent, old, new);
        }
    }

    #[cold]
    #[inline(never)]
    fn windows_changed(&mut self, now: Time, agent: AgentId, old: AgentState, new: AgentState) {
        for (clock, t) in &mut self.windows {
            t.agent_changed(clock.at(now), agent as usize, old, new);
        }
    }

    /// A visitor arrived at `now`; returns where its outcome goes.
    #[inline(always)]
    pub fn visitor(&mut self, now: Time, counted: bool) -> Arrival {
        self.tally.visitors += counted as u64;
        let bucket = self.tally.series.bucket_at(now);
        self.tally.series.count(bucket, |b| b.visitors += 1);
        let windows = if WINDOWS {
            self.visitor_in_windows(now, counted)
        } else {
            0
        };
        Arrival {
            bucket,
            slot: self.tally.slot_at(now),
            windows,
        }
    }

    /// Counts the visitor in the windows it arrived in; returns them as bits.
    #[cold]
    #[inline(never)]
    fn visitor_in_windows(&mut self, now: Time, counted: bool) -> u32 {
        let mut windows = 0;
        for (k, (clock, t)) in self.windows.iter_mut().enumerate() {
            let inside = clock.inside(now);
            t.visitors += (counted && inside) as u64;
            windows |= (inside as u32) << k;
        }
        windows
    }

    /// The monthly limit kept a visitor's dialogue from triggering.
    pub fn suppressed(&mut self, counted: bool, at: Arrival) {
        let w = Whose {
            stream: 0,
            team: None,
            counted,
            bucket: at.bucket,
            slot: at.slot,
            windows: at.windows,
        };
        let count = |t: &mut Tally, w: Whose| t.suppressed += w.counted as u64;
        count(&mut self.tally, w);
        if WINDOWS {
            self.each_window(w, count);
        }
    }

    /// A visitor of a dialogue that branches on availability found nobody online: not offered
    /// live chat, not a request.
    pub fn hidden(&mut self, counted: bool) {
        self.tally.hidden_demand += counted as u64;
    }

    /// The request went to its overflow team (counted under its own team and stream).
    pub fn overflowed(&mut self, w: Whose) {
        if w.counted {
            self.tally.outcome(w.stream, w.team, |o| o.overflowed += 1);
        }
    }

    /// An overflowed request was engaged by an agent of `taken_by` (counted under that team,
    /// and under the request's stream for the site's total).
    pub fn overflow_served(&mut self, w: Whose, taken_by: TeamId) {
        if w.counted {
            self.tally.streams[w.stream as usize].overflow_served += 1;
            self.tally.teams[taken_by as usize].overflow_served += 1;
        }
    }

    /// A request, counted under its stream before it is routed (its team is not known yet).
    #[inline(always)]
    pub fn request(&mut self, w: Whose) {
        request(&mut self.tally, w);
        if WINDOWS {
            self.each_window(w, request);
        }
    }

    /// The request, counted under its team once routing has decided the team.
    #[inline(always)]
    pub fn team_request(&mut self, w: Whose) {
        team_request(&mut self.tally, w);
        if WINDOWS {
            self.each_window(w, team_request);
        }
    }

    #[inline(always)]
    pub fn offer_made(&mut self, agent: AgentId, offer: &Offer, w: Whose) {
        offer_made(&mut self.tally, w, agent, offer);
        if WINDOWS {
            self.each_window(w, |t, w| offer_made(t, w, agent, offer));
        }
    }

    /// An offer ended `waited` after it was made.
    #[inline(always)]
    pub fn offer_ended(&mut self, agent: AgentId, outcome: OfferOutcome, waited: Time, w: Whose) {
        offer_ended(&mut self.tally, w, agent, outcome, waited);
        if WINDOWS {
            self.each_window(w, |t, w| offer_ended(t, w, agent, outcome, waited));
        }
    }

    /// The accept that used up the trial.
    pub fn trial_exhausted(&mut self, at: Time) {
        self.tally.trial_exhausted_at = Some(at);
        for (_, t) in &mut self.windows {
            t.trial_exhausted_at = Some(at);
        }
    }

    /// An engagement with `agent`, `waited` seconds after its offer, holding the slot for
    /// `hold`; `rescued` when a retry won it.
    #[inline(always)]
    pub fn engaged(&mut self, w: Whose, agent: AgentId, rescued: bool, waited: f64, hold: Time) {
        engaged(&mut self.tally, w, agent, rescued, waited, hold);
        if WINDOWS {
            self.each_window(w, |t, w| engaged(t, w, agent, rescued, waited, hold));
        }
    }

    /// A slowed agent's chat lasted `delta_s` seconds longer than the length counted at its
    /// accept (negative when shorter).
    pub fn chat_length_changed(&mut self, w: Whose, agent: AgentId, delta_s: f64) {
        if w.counted {
            self.tally
                .outcome(w.stream, w.team, |o| o.chat_length_sum_s += delta_s);
            self.tally.agents[agent as usize].chat_length_sum_s += delta_s;
        }
    }

    /// A further agent is offered the chat.
    pub fn retry(&mut self, w: Whose) {
        let count = |t: &mut Tally, w: Whose| {
            if w.counted {
                outcome(t, w, |o| o.retry_attempts += 1);
            }
        };
        count(&mut self.tally, w);
        if WINDOWS {
            self.each_window(w, count);
        }
    }

    /// The visitor left, withdrawing the offer to `withdrawn_from` if one ran.
    pub fn abandoned(&mut self, w: Whose, withdrawn_from: Option<AgentId>) {
        abandoned(&mut self.tally, w, withdrawn_from);
        if WINDOWS {
            self.each_window(w, |t, w| abandoned(t, w, withdrawn_from));
        }
    }

    /// The fallback message for `reason`; `meeting` when the visitor booked one instead, and
    /// `retried` when more than one agent had been offered the chat.
    pub fn fallback(&mut self, w: Whose, reason: Reason, meeting: bool, retried: bool) {
        fallback(&mut self.tally, w, reason, meeting, retried);
        if WINDOWS {
            self.each_window(w, |t, w| fallback(t, w, reason, meeting, retried));
        }
    }

    pub fn queued(&mut self, w: Whose) {
        let count = |t: &mut Tally, w: Whose| t.queued += w.counted as u64;
        count(&mut self.tally, w);
        if WINDOWS {
            self.each_window(w, count);
        }
    }

    /// A request left its queue (offered, timed out or abandoned) after `waited`.
    pub fn left_queue(&mut self, w: Whose, waited: Time) {
        let count = |t: &mut Tally, w: Whose| {
            if w.counted {
                t.queue_left += 1;
                t.queue_wait_sum_s += waited.as_secs_f64();
            }
        };
        count(&mut self.tally, w);
        if WINDOWS {
            self.each_window(w, count);
        }
    }

    /// A request waited the longest allowed wait (its fallback is recorded apart).
    pub fn queue_timeout(&mut self, w: Whose) {
        let count = |t: &mut Tally, w: Whose| t.queue_timeouts += w.counted as u64;
        count(&mut self.tally, w);
        if WINDOWS {
            self.each_window(w, count);
        }
    }
}

// What each step counts in one tally: the run's, or a window's. Always inlined, as they run on
// every request.

#[inline(always)]
fn request(t: &mut Tally, w: Whose) {
    if w.counted {
        t.outcome(w.stream, None, |o| o.requests += 1);
        t.intervals
            .outcome(w.slot, w.stream, None, |o| o.requests += 1);
    }
    t.series.count(w.bucket, |b| b.requests += 1);
}

#[inline(always)]
fn team_request(t: &mut Tally, w: Whose) {
    if let Some(team) = w.team.filter(|_| w.counted) {
        t.teams[team as usize].requests += 1;
        t.intervals.team_outcome(w.slot, team, |o| o.requests += 1);
    }
}

#[inline(always)]
fn offer_made(t: &mut Tally, w: Whose, agent: AgentId, offer: &Offer) {
    if w.counted {
        t.agents[agent as usize].offers += 1;
        if !offer.missed() {
            t.responses.record(offer.response.as_secs_f64());
        }
    }
}

#[inline(always)]
fn offer_ended(t: &mut Tally, w: Whose, agent: AgentId, outcome: OfferOutcome, waited: Time) {
    if !w.counted {
        return;
    }
    let at = &mut t.agents[agent as usize];
    match outcome {
        OfferOutcome::Accepted => {
            at.accepted += 1;
            at.response_sum_s += waited.as_secs_f64();
        }
        OfferOutcome::Declined => at.declined += 1,
        OfferOutcome::Missed => at.missed += 1,
        OfferOutcome::TooSlow => at.too_slow += 1,
    }
}

#[inline(always)]
fn engaged(t: &mut Tally, w: Whose, agent: AgentId, rescued: bool, waited: f64, hold: Time) {
    t.series.count(w.bucket, |b| b.engaged += 1);
    if w.counted {
        let length_s = hold.as_secs_f64();
        outcome(t, w, |o| {
            o.engaged += 1;
            o.rescued += rescued as u64;
            o.response_sum_s += waited;
            o.chat_length_sum_s += length_s;
        });
        let at = &mut t.agents[agent as usize];
        at.engaged += 1;
        at.chat_length_sum_s += length_s;
    }
}

#[inline(always)]
fn abandoned(t: &mut Tally, w: Whose, withdrawn_from: Option<AgentId>) {
    if let Some(a) = withdrawn_from {
        t.agents[a as usize].withdrawn += w.counted as u64;
    }
    t.series.count(w.bucket, |b| b.abandoned += 1);
    if w.counted {
        outcome(t, w, |o| o.abandoned += 1);
    }
}

#[inline(always)]
fn fallback(t: &mut Tally, w: Whose, reason: Reason, meeting: bool, retried: bool) {
    t.series
        .count(w.bucket, |b| b.fallback[reason.index()] += 1);
    if w.counted {
        outcome(t, w, |o| {
            o.fallback[reason.index()] += 1;
            o.meetings += meeting as u64;
            o.retry_failed += retried as u64;
        });
    }
}

/// Counts a counted request's outcome under its stream and team, for the run and for its
/// interval of the week.
#[inline(always)]
fn outcome(t: &mut Tally, w: Whose, f: impl Fn(&mut Outcomes)) {
    t.outcome(w.stream, w.team, &f);
    t.intervals.outcome(w.slot, w.stream, w.team, f);
}

#[cfg(test)]
mod tests;

//! The bookkeeping of a replication: every count the journey's steps leave in the [`Tally`],
//! in one place, so that the model's event handlers only decide and the reports' figures have
//! one writer. Requests that arrived during the warm-up count only in the time series.

use crate::engine::Time;
use crate::figure::Reason;
use crate::model::offer::{Offer, OfferOutcome};
use crate::model::{AgentState, Tally};
use crate::scenario::{AgentId, Scenario, TeamId};

/// What the tally needs to know of a request to count its outcome.
#[derive(Clone, Copy, Debug)]
pub struct Whose {
    pub stream: u32,
    pub team: Option<TeamId>,
    pub counted: bool,
    /// The time-series bucket of the visitor's arrival.
    pub bucket: u32,
}

pub struct Recorder {
    tally: Tally,
}

impl Recorder {
    pub fn new(sc: &Scenario) -> Recorder {
        let s = &sc.simulation;
        Recorder {
            tally: Tally::new(sc.streams.len(), sc.teams.len(), sc.agents.len(), s.warmup)
                .with_series(s.bucket, s.horizon, sc.package.accept_timeout),
        }
    }

    /// Closes the books: `in_flight` requests (counted ones) had no outcome by `end`.
    pub fn finish(mut self, end: Time, in_flight: u64, events: u64) -> Tally {
        self.tally.finish(end);
        self.tally.in_flight_at_end = in_flight;
        self.tally.events = events;
        self.tally
    }

    /// An agent's state changed (see [`Tally::agent_changed`]).
    pub fn agent_changed(&mut self, now: Time, agent: AgentId, old: AgentState, new: AgentState) {
        self.tally.agent_changed(now, agent as usize, old, new);
    }

    /// A slot taken or freed (see [`Tally::held_changed`]).
    #[inline(always)]
    pub fn held_changed(&mut self, now: Time, agent: AgentId, old: AgentState, new: AgentState) {
        self.tally.held_changed(now, agent as usize, old, new);
    }

    /// A visitor arrived at `now`; returns the bucket its outcome goes to.
    #[inline(always)]
    pub fn visitor(&mut self, now: Time, counted: bool) -> u32 {
        self.tally.visitors += counted as u64;
        let bucket = self.tally.series.bucket_at(now);
        self.tally.series.count(bucket, |b| b.visitors += 1);
        bucket
    }

    /// The monthly limit kept a visitor's dialogue from triggering.
    pub fn suppressed(&mut self, counted: bool) {
        self.tally.suppressed += counted as u64;
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
    pub fn request(&mut self, stream: u32, counted: bool, bucket: u32) {
        if counted {
            self.tally.outcome(stream, None, |o| o.requests += 1);
        }
        self.tally.series.count(bucket, |b| b.requests += 1);
    }

    /// The request, counted under its team once routing has decided the team.
    #[inline(always)]
    pub fn team_request(&mut self, w: Whose) {
        if let Some(t) = w.team.filter(|_| w.counted) {
            self.tally.teams[t as usize].requests += 1;
        }
    }

    #[inline(always)]
    pub fn offer_made(&mut self, agent: AgentId, offer: &Offer, counted: bool) {
        if counted {
            self.tally.agents[agent as usize].offers += 1;
            if !offer.missed() {
                self.tally.responses.record(offer.response.as_secs_f64());
            }
        }
    }

    /// An offer ended `waited` after it was made.
    #[inline(always)]
    pub fn offer_ended(
        &mut self,
        agent: AgentId,
        outcome: OfferOutcome,
        waited: Time,
        counted: bool,
    ) {
        if !counted {
            return;
        }
        let at = &mut self.tally.agents[agent as usize];
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

    /// The accept that used up the trial.
    pub fn trial_exhausted(&mut self, at: Time) {
        self.tally.trial_exhausted_at = Some(at);
    }

    /// An engagement with `agent`, `waited` seconds after its offer, holding the slot for
    /// `hold`; `rescued` when a retry won it.
    #[inline(always)]
    pub fn engaged(&mut self, w: Whose, agent: AgentId, rescued: bool, waited: f64, hold: Time) {
        self.tally.series.count(w.bucket, |b| b.engaged += 1);
        if w.counted {
            let length_s = hold.as_secs_f64();
            self.tally.outcome(w.stream, w.team, |o| {
                o.engaged += 1;
                o.rescued += rescued as u64;
                o.response_sum_s += waited;
                o.chat_length_sum_s += length_s;
            });
            let at = &mut self.tally.agents[agent as usize];
            at.engaged += 1;
            at.chat_length_sum_s += length_s;
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
        if w.counted {
            self.tally
                .outcome(w.stream, w.team, |o| o.retry_attempts += 1);
        }
    }

    /// The visitor left, withdrawing the offer to `withdrawn_from` if one ran.
    pub fn abandoned(&mut self, w: Whose, withdrawn_from: Option<AgentId>) {
        if let Some(a) = withdrawn_from {
            self.tally.agents[a as usize].withdrawn += w.counted as u64;
        }
        self.tally.series.count(w.bucket, |b| b.abandoned += 1);
        if w.counted {
            self.tally.outcome(w.stream, w.team, |o| o.abandoned += 1);
        }
    }

    /// The fallback message for `reason`; `meeting` when the visitor booked one instead, and
    /// `retried` when more than one agent had been offered the chat.
    pub fn fallback(&mut self, w: Whose, reason: Reason, meeting: bool, retried: bool) {
        self.tally
            .series
            .count(w.bucket, |b| b.fallback[reason.index()] += 1);
        if w.counted {
            self.tally.fallback(w.stream, w.team, reason, meeting);
            if retried {
                self.tally
                    .outcome(w.stream, w.team, |o| o.retry_failed += 1);
            }
        }
    }

    pub fn queued(&mut self, counted: bool) {
        self.tally.queued += counted as u64;
    }

    /// A request left its queue (offered, timed out or abandoned) after `waited`.
    pub fn left_queue(&mut self, counted: bool, waited: Time) {
        if counted {
            self.tally.queue_left += 1;
            self.tally.queue_wait_sum_s += waited.as_secs_f64();
        }
    }

    /// A request waited the longest allowed wait (its fallback is recorded apart).
    pub fn queue_timeout(&mut self, counted: bool) {
        self.tally.queue_timeouts += counted as u64;
    }
}

#[cfg(test)]
mod tests;

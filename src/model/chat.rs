//! The live-chat model as a discrete-event system: visitors arrive, ask for an agent, are
//! offered, accepted, retried or given the fallback message, and chats end.
//!
//! This file only wires the engine's events to the rules (`journey`, `offer`, `limits`,
//! `routing`, `pool`, `queues`, `breaks`) and to the [`Recorder`]; what it keeps are the
//! model's state and the speed forks that change no outcome.

use crate::engine::{Model, Scheduler, Time};
use crate::figure::Reason;
use crate::model::availability::Availability;
use crate::model::breaks::Breaks;
use crate::model::events::{About, EventSink, Journal};
use crate::model::journey::{self, Accounts, Start};
use crate::model::limits::Limits;
use crate::model::offer::{Offer, OfferOutcome};
use crate::model::pace::{AgentPace, LiveChat};
use crate::model::queues::Queues;
use crate::model::recorder::Recorder;
use crate::model::requests::{ReqRef, Request, Requests};
use crate::model::routing::{PoolId, Router};
use crate::model::visitor_rng::VisitorRng;
use crate::model::visitors::{Visitor, VisitorSource, attribute_cdfs, draw_attributes};
use crate::model::{AgentState, Tally};
use crate::scenario::{AgentId, Scenario, TraceError};

/// `WaitEnds`: a queued request has waited the longest allowed wait. `BreakChange`: an agent with
/// shrinkage starts or ends a break.
#[derive(Clone, Copy, Debug)]
pub enum Event {
    Arrival,
    OfferEnds {
        req: ReqRef,
        outcome: OfferOutcome,
    },
    PatienceEnds {
        req: ReqRef,
    },
    ChatEnds {
        agent: AgentId,
    },
    ShiftChange {
        agent: AgentId,
    },
    WaitEnds {
        req: ReqRef,
    },
    BreakChange {
        agent: AgentId,
    },
    /// A slowed agent's next live chat reaches the end of its active part (see `pace`);
    /// stale when the agent's number of live chats changed since it was scheduled.
    PaceEnds {
        agent: AgentId,
        generation: u32,
    },
}

/// `WINDOWS`: whether the scenario has windows (see [`Recorder`]). `WHAT_IFS`: whether a what-if
/// beyond the plain journey may happen ([`has_what_ifs`]) or the event log is written; without,
/// their tests are compiled out of every request's steps as well.
pub struct ChatModel<'s, const WINDOWS: bool, const WHAT_IFS: bool> {
    sc: &'s Scenario,
    /// `None` when the trace could not be read (the error is in `failed`).
    source: Option<VisitorSource>,
    /// The visitor arriving now, and the one whose `Arrival` event is scheduled: they trade
    /// places at each arrival.
    visitor: Visitor,
    next_visitor: Visitor,
    /// Per attribute: cumulative probabilities of its values.
    attribute_cdfs: Vec<Vec<f64>>,
    accounts: Accounts,
    shifts: Vec<Availability>,
    router: Router,
    agents: Vec<AgentState>,
    requests: Requests,
    scratch_attributes: Vec<u32>,
    limits: Limits,
    recorder: Recorder<WINDOWS>,
    queues: Queues,
    breaks: Breaks,
    /// Whether an accepted offer can be settled when it is made: true when nothing that
    /// happens while it runs can change what accepting does (no engagement limit counts
    /// engagements in accept order, no visitor can leave). Settling it then spares an event
    /// for most requests, with the same draws; only events falling at the same millisecond as
    /// the chat's end may come out in another order, as its end is scheduled earlier.
    settle_accepts_early: bool,
    /// Why the run stopped early: the trace could not be read.
    failed: Option<String>,
    /// Some stream offers live chat only when an agent is available: arrivals then ask the
    /// router, otherwise they pay one test.
    branches_on_availability: bool,
    /// Per agent, its live chats when it slows down when busy; empty when nobody does, so
    /// that an offer and an accept pay one test.
    paces: Vec<Option<AgentPace>>,
    /// Some team overflows or some agent slows down: an accept then takes the longer way.
    what_ifs_on_accept: bool,
    /// The per-request event log, when one is written (`run --events`).
    journal: Option<Box<Journal<'s>>>,
}

/// Whether `sc` has a dialogue that branches on availability, an agent who slows down or an
/// overflow between teams.
pub fn has_what_ifs(sc: &Scenario) -> bool {
    sc.streams.iter().any(|s| s.only_when_available)
        || sc.agents.iter().any(|a| a.slowdown.is_some())
        || sc.uses().overflow
}

/// The request as the event log names it.
fn about(r: &Request, req: ReqRef) -> About {
    About {
        slot: req.slot(),
        stream: r.whose.stream,
        team: r.whose.team,
    }
}

impl<'s, const WINDOWS: bool, const WHAT_IFS: bool> ChatModel<'s, WINDOWS, WHAT_IFS> {
    /// Sets up replication `replication`: its generators are seeded from the seed, the
    /// replication and their purpose only (see `streams`), so a replication's results do not
    /// depend on which thread runs it.
    pub fn new(sc: &'s Scenario, replication: u64, sched: &mut Scheduler<Event>) -> Self {
        assert!(
            WHAT_IFS || !has_what_ifs(sc),
            "a model without what-ifs for a scenario with some"
        );
        let (source, trace_error) = match VisitorSource::new(sc, replication) {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        let agents = sc
            .agents
            .iter()
            .map(|a| AgentState {
                held: 0,
                cap: a.cap,
                online: false,
            })
            .collect();
        let router = Router::new(sc);
        let mut model = ChatModel {
            sc,
            source,
            visitor: Visitor::default(),
            next_visitor: Visitor::default(),
            attribute_cdfs: attribute_cdfs(&sc.visitors.attributes),
            accounts: Accounts::new(&sc.accounts),
            shifts: sc
                .agents
                .iter()
                .map(|a| Availability::new(&a.schedule, sc.simulation.start))
                .collect(),
            queues: Queues::new(router.pool_count()),
            router,
            agents,
            requests: Requests::default(),
            scratch_attributes: Vec::with_capacity(sc.visitors.attributes.len()),
            limits: Limits::new(&sc.package, sc.simulation.start),
            recorder: Recorder::new(sc),
            breaks: Breaks::new(sc, replication),
            // A slowed agent's chat must start when it is accepted, never ahead.
            settle_accepts_early: sc.package.trial_engagements.is_none()
                && sc.package.monthly_engagements.is_none()
                && sc.visitors.patience.is_none()
                && sc.agents.iter().all(|a| a.slowdown.is_none()),
            failed: None,
            branches_on_availability: sc.streams.iter().any(|s| s.only_when_available),
            paces: if sc.agents.iter().any(|a| a.slowdown.is_some()) {
                sc.agents
                    .iter()
                    .map(|a| a.slowdown.clone().map(AgentPace::new))
                    .collect()
            } else {
                Vec::new()
            },
            what_ifs_on_accept: sc.agents.iter().any(|a| a.slowdown.is_some())
                || sc.uses().overflow,
            journal: None,
        };
        if let Some(e) = trace_error {
            model.failed = Some(e);
            sched.stop();
        }
        for id in 0..sc.agents.len() as AgentId {
            if let Some(spell) = model.breaks.start(id as usize) {
                sched.after(spell, Event::BreakChange { agent: id });
            }
            model.shift_change(id, sched);
        }
        model.schedule_next_arrival(sched);
        model
    }

    /// Writes every step of every request to `sink` from now on.
    pub fn log_events(&mut self, sink: &'s mut dyn EventSink) {
        assert!(WHAT_IFS, "an event log for a model without what-ifs");
        self.journal = Some(Box::new(Journal::new(sink, self.sc.simulation.horizon)));
    }

    /// Closes the books at the end of the run, or says why it stopped early.
    pub fn finish(mut self, end: Time, events: u64) -> Result<Tally, TraceError> {
        if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
            j.finish();
        }
        if let Some(e) = self.failed {
            return Err(TraceError(e));
        }
        let mut in_flight = vec![0u64; 1 + self.sc.windows.len()];
        for r in self.requests.live().filter(|r| r.whose.counted) {
            in_flight[0] += 1;
            for (k, n) in in_flight[1..].iter_mut().enumerate() {
                *n += (r.whose.windows >> k & 1) as u64;
            }
        }
        Ok(self.recorder.finish(end, &in_flight, events))
    }

    /// Schedules the next visitor's arrival. A trace that fails mid-run (the file changed since
    /// it was checked) stops the run at once. Always inlined, like
    /// the other steps every visitor takes: as calls, saving and restoring registers cost as
    /// much as their bodies.
    #[inline(always)]
    fn schedule_next_arrival(&mut self, sched: &mut Scheduler<Event>) {
        let Some(source) = &mut self.source else {
            return;
        };
        match source.next_visitor(&mut self.next_visitor) {
            Ok(true) => sched.at_recurring(
                Time::from_secs_f64(self.next_visitor.time_s).max(sched.now()),
                Event::Arrival,
            ),
            Ok(false) => {}
            Err(e) => {
                self.source = None;
                self.failed = Some(e);
                sched.stop();
            }
        }
    }

    /// Sets `agent`'s state and tells routing and the tally.
    fn set_agent(&mut self, now: Time, agent: AgentId, new: AgentState) {
        let old = std::mem::replace(&mut self.agents[agent as usize], new);
        self.router.agent_changed(agent, old, new);
        self.recorder.agent_changed(now, agent, old, new);
    }

    /// [`ChatModel::set_agent`] for a slot taken or freed. Writes only the count in place:
    /// copying a whole state back made the processor wait on a partly forwarded store (its flag
    /// and padding) on every offer and chat end. Always inlined (see `schedule_next_arrival`).
    #[inline(always)]
    fn adjust_held(&mut self, now: Time, agent: AgentId, up: bool) {
        let state = &mut self.agents[agent as usize];
        let old = *state;
        state.held = if up { old.held + 1 } else { old.held - 1 };
        let new = AgentState {
            held: state.held,
            ..old
        };
        self.router.agent_changed(agent, old, new);
        self.recorder.held_changed(now, agent, old, new);
    }

    /// Frees one of `agent`'s slots; a freed slot goes to the oldest request waiting for it.
    fn release(&mut self, agent: AgentId, sched: &mut Scheduler<Event>) {
        self.adjust_held(sched.now(), agent, false);
        self.serve_queue(agent, sched);
    }

    fn shift_change(&mut self, agent: AgentId, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        self.refresh_online(agent, sched);
        if let Some(next) = self.shifts[agent as usize].next_after(now) {
            sched.at(next, Event::ShiftChange { agent });
        }
    }

    /// Online means on schedule and not on a break; an agent who comes online serves the queue.
    /// Only `online` changes: live chats go on (rule 7).
    fn refresh_online(&mut self, agent: AgentId, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let a = agent as usize;
        let mut s = self.agents[a];
        s.online = self.shifts[a].online_at(now) && !self.breaks.on_break(a);
        self.set_agent(now, agent, s);
        self.serve_queue(agent, sched);
    }

    /// The next spell is drawn first but scheduled after the agent's queue is served, where
    /// it has always been among the events of this instant.
    fn break_change(&mut self, agent: AgentId, sched: &mut Scheduler<Event>) {
        let spell = self.breaks.toggle(agent as usize);
        self.refresh_online(agent, sched);
        sched.after(spell, Event::BreakChange { agent });
    }

    fn arrival(&mut self, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        std::mem::swap(&mut self.visitor, &mut self.next_visitor);
        self.schedule_next_arrival(sched);
        let visitor = &self.visitor;
        let counted = now >= self.sc.simulation.warmup;
        let arrival = self.recorder.visitor(now, counted);
        let (stream, seed) = (visitor.stream.filter(|_| visitor.asks), visitor.seed);
        let Some(stream) = stream else {
            return;
        };
        if self.limits.monthly_reached(now) {
            self.recorder.suppressed(counted, arrival);
            return;
        }
        self.limits.conversation();
        let req = self
            .requests
            .insert(counted, stream, VisitorRng::new(seed), arrival);
        self.request(req, sched);
    }

    /// A dialogue that branches on availability offers no live chat when nobody is online who
    /// could take its visitor (by the visitor's own route: account, rule, team and its
    /// overflow, or the round-robin fallback). A visitor who matches no rule is not hidden.
    #[cold]
    #[inline(never)]
    fn hidden(&self, stream: u32, owner: Option<AgentId>) -> bool {
        let package = &self.sc.package;
        self.sc.streams[stream as usize].only_when_available
            && self
                .router
                .destination(stream as usize, &self.scratch_attributes, owner)
                .is_ok_and(|d| {
                    let owner_falls_back = package.round_robin_fallback
                        && package.account_fallback == crate::scenario::AccountFallback::RoundRobin;
                    !self.router.anyone_online(d, &self.agents, owner_falls_back)
                })
    }

    /// The visitor arriving now asks for a live agent: draw what the visitor brings, then
    /// route.
    fn request(&mut self, req: ReqRef, sched: &mut Scheduler<Event>) {
        let sc = self.sc;
        let r = self.requests.get_mut(req).expect("just inserted");
        let stream = r.whose.stream;
        draw_attributes(
            &mut r.rng,
            &self.attribute_cdfs,
            &self.visitor.attributes,
            &mut self.scratch_attributes,
        );
        let owner = self.accounts.owner(&mut r.rng);
        let patience = sc.visitors.patience.as_ref().map(|p| p.sample(&mut r.rng));
        let (counted, whose) = (r.whose.counted, r.whose);
        if WHAT_IFS && self.branches_on_availability && self.hidden(stream, owner) {
            self.requests.remove(req);
            return self.recorder.hidden(counted);
        }
        self.recorder.request(whose);
        if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
            let r = self.requests.get_mut(req).expect("live");
            j.requested(sched.now(), about(r, req), &self.scratch_attributes);
        }
        if self.limits.trial_used_up() {
            return self.fallback(req, Reason::TrialLimit, sched.now());
        }
        let destination =
            match self
                .router
                .destination(stream as usize, &self.scratch_attributes, owner)
            {
                Ok(d) => d,
                Err(reason) => return self.fallback(req, reason, sched.now()),
            };
        let r = self.requests.get_mut(req).expect("live");
        r.destination = Some(destination);
        let picked = if self.router.goes_elsewhere() {
            let resolution =
                journey::resolve(&mut self.router, &self.agents, destination, &sc.package);
            if let Some(pool) = resolution.overflowed_to {
                // Retries now come from the team that took it.
                r.destination = Some(journey::overflowed(destination, pool));
                r.overflowed_to = self.router.pool(pool).team;
            }
            resolution.picked
        } else {
            journey::own_pick(&mut self.router, &self.agents, destination)
        };
        r.whose.team = journey::reported_team(&self.router, &sc.agents, destination, picked);
        self.recorder.team_request(r.whose);
        if WHAT_IFS && r.overflowed_to.is_some() {
            self.recorder.overflowed(r.whose);
        }
        match journey::start(picked, destination, &sc.package) {
            Start::Offer(agent) => self.offer(req, agent, sched),
            Start::Queue { pool, max_wait } => self.enqueue(req, pool, max_wait, sched),
            Start::Fallback(reason) => return self.fallback(req, reason, sched.now()),
        }
        if let Some(p) = patience {
            sched.after(Time::from_secs_f64(p), Event::PatienceEnds { req });
        }
    }

    fn enqueue(&mut self, req: ReqRef, pool: PoolId, max_wait: Time, sched: &mut Scheduler<Event>) {
        let r = self.requests.get_mut(req).expect("live");
        r.queued_at = Some(sched.now());
        self.recorder.queued(r.whose);
        self.queues.push(pool, req);
        sched.after(max_wait, Event::WaitEnds { req });
    }

    /// Takes `req` out of its queue (it is already out of the deque, or will be skipped there)
    /// and counts its wait.
    fn leave_queue(&mut self, req: ReqRef, now: Time) {
        let r = self.requests.get_mut(req).expect("live");
        let since = r.queued_at.take().expect("queued");
        self.recorder.left_queue(r.whose, now - since);
    }

    /// While `agent` can take a chat, offers it the oldest request waiting in any queue of the
    /// pools it belongs to. Inlined, so that without queues (the usual case) a chat end pays
    /// one test.
    #[inline(always)]
    fn serve_queue(&mut self, agent: AgentId, sched: &mut Scheduler<Event>) {
        if self.sc.package.queue.is_some() {
            self.serve_queues(agent, sched);
        }
    }

    #[inline(never)]
    fn serve_queues(&mut self, agent: AgentId, sched: &mut Scheduler<Event>) {
        while self.agents[agent as usize].eligible() {
            let requests = &mut self.requests;
            let Some(req) = self.queues.pop_oldest(self.router.pools_of(agent), |q| {
                requests.get_mut(q).and_then(|r| r.queued_at)
            }) else {
                return;
            };
            self.leave_queue(req, sched.now());
            self.offer(req, agent, sched);
        }
    }

    /// A request still queued after the longest wait is turned away as if at once: `at_cap`.
    fn wait_ends(&mut self, req: ReqRef, now: Time) {
        let Some(r) = self.requests.get_mut(req) else {
            return;
        };
        if r.queued_at.is_none() {
            // Offered since; the wait's end no longer matters.
            return;
        }
        let whose = r.whose;
        self.leave_queue(req, now);
        self.recorder.queue_timeout(whose);
        self.fallback(req, Reason::AtCap, now);
    }

    /// The offer holds one of the agent's slots from now on (the cap counts offers).
    fn offer(&mut self, req: ReqRef, agent: AgentId, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let window = self.sc.package.accept_timeout;
        let r = self.requests.get_mut(req).expect("live");
        let whose = r.whose;
        r.tried.push(agent);
        r.offered_at = now;
        let offer = if !WHAT_IFS || self.paces.is_empty() {
            Offer::draw(&mut r.rng, &self.sc.agents[agent as usize], window)
        } else {
            slowed_offer(&self.paces, &mut r.rng, &self.sc.agents, agent, window)
        };
        self.recorder.offer_made(agent, &offer, whose);
        if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
            j.offered(now, about(r, req), agent);
        }
        self.adjust_held(now, agent, true);
        let ends = now + offer.lasts;
        // Settled now only when the accept falls within the run, so that a request still
        // waiting for its accept at the horizon stays in flight.
        if offer.outcome == OfferOutcome::Accepted
            && self.settle_accepts_early
            && ends <= self.sc.simulation.horizon
        {
            self.recorder
                .offer_ended(agent, offer.outcome, offer.lasts, whose);
            if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
                let r = self.requests.get_mut(req).expect("live");
                j.offer_ended(now, ends, about(r, req), agent, offer.outcome);
            }
            self.accepted(req, agent, ends, offer.lasts.as_secs_f64(), sched);
        } else {
            let outcome = offer.outcome;
            sched.after(offer.lasts, Event::OfferEnds { req, outcome });
        }
    }

    fn offer_ends(&mut self, req: ReqRef, outcome: OfferOutcome, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let Some(r) = self.requests.get_mut(req) else {
            return;
        };
        let agent = *r.tried.last().expect("offered");
        let whose = r.whose;
        let waited = now - r.offered_at;
        self.recorder.offer_ended(agent, outcome, waited, whose);
        if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
            j.offer_ended(now, now, about(r, req), agent, outcome);
        }
        if outcome == OfferOutcome::Accepted {
            self.accepted(req, agent, now, waited.as_secs_f64(), sched);
        } else {
            // The retry never picks the agent just tried, so it may run before the slot frees.
            self.retry_or_fallback(req, sched);
            self.release(agent, sched);
        }
    }

    /// `req`'s offer to `agent` is accepted at `now` (the present, or later when settled early).
    /// Always inlined (see `schedule_next_arrival`).
    #[inline(always)]
    fn accepted(
        &mut self,
        req: ReqRef,
        agent: AgentId,
        now: Time,
        waited: f64,
        sched: &mut Scheduler<Event>,
    ) {
        let sc = self.sc;
        if self.limits.trial_used_up() {
            // Offered before the trial ran out, accepted after: not connected either.
            self.fallback(req, Reason::TrialLimit, now);
            return self.release(agent, sched);
        }
        if self.limits.engage() {
            self.recorder.trial_exhausted(now);
        }
        if WHAT_IFS && self.what_ifs_on_accept {
            return self.engage_with_what_ifs(req, agent, now, waited, sched);
        }
        let r = self.requests.get_mut(req).expect("live");
        let (hold, silent) = journey::slot_hold(
            &mut r.rng,
            &sc.agents[agent as usize],
            sc.visitors.silent_end,
            sc.package.inactivity_timeout,
        );
        if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
            j.chat(about(r, req), agent, now + hold, silent);
        }
        let (whose, rescued) = (r.whose, r.tried.len() > 1);
        self.requests.remove(req);
        self.recorder.engaged(whose, agent, rescued, waited, hold);
        sched.at(now + hold, Event::ChatEnds { agent });
    }

    /// [`ChatModel::accepted`]'s engagement when an overflow or a slowdown is configured: the
    /// same draws, then the overflow team's count and the slowed agent's pace.
    #[cold]
    #[inline(never)]
    fn engage_with_what_ifs(
        &mut self,
        req: ReqRef,
        agent: AgentId,
        now: Time,
        waited: f64,
        sched: &mut Scheduler<Event>,
    ) {
        let sc = self.sc;
        let r = self.requests.get_mut(req).expect("live");
        let (active, silent) = journey::slot_parts(
            &mut r.rng,
            &sc.agents[agent as usize],
            sc.visitors.silent_end,
        );
        let hold = journey::hold_of(active, silent, sc.package.inactivity_timeout);
        if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
            // A slowed agent's chat may end later than drawn: the log gives the drawn end.
            j.chat(about(r, req), agent, now + hold, silent);
        }
        let (whose, rescued) = (r.whose, r.tried.len() > 1);
        if let Some(team) = r.overflowed_to {
            self.recorder.overflow_served(whose, team);
        }
        self.requests.remove(req);
        self.recorder.engaged(whose, agent, rescued, waited, hold);
        if !self.paces.is_empty() && self.paces[agent as usize].is_some() {
            let chat = LiveChat {
                remaining_s: active,
                drawn_s: active,
                started: now,
                silent,
                whose,
            };
            return self.start_paced_chat(agent, chat, now, sched);
        }
        sched.at(now + hold, Event::ChatEnds { agent });
    }

    /// A slowed agent's chat starts: the agent's other chats slow down from now.
    #[cold]
    #[inline(never)]
    fn start_paced_chat(
        &mut self,
        agent: AgentId,
        chat: LiveChat,
        now: Time,
        sched: &mut Scheduler<Event>,
    ) {
        let Some(p) = self.paces[agent as usize].as_mut() else {
            return;
        };
        p.advance(now);
        p.chats.push(chat);
        Self::schedule_pace_end(p, agent, now, sched);
    }

    /// Schedules a slowed agent's next chat end after its number of live chats changed.
    fn schedule_pace_end(
        p: &mut AgentPace,
        agent: AgentId,
        now: Time,
        sched: &mut Scheduler<Event>,
    ) {
        if let Some(at) = p.next_end(now) {
            let generation = p.generation;
            sched.at(at, Event::PaceEnds { agent, generation });
        }
    }

    /// A slowed agent's chat ends its active part: the others speed up, the tally learns its
    /// real length, and the slot frees now or after the inactivity timeout of a silent end.
    fn pace_ends(&mut self, agent: AgentId, generation: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let Some(Some(p)) = self.paces.get_mut(agent as usize) else {
            return;
        };
        if p.generation != generation {
            return;
        }
        p.advance(now);
        let Some(chat) = p.take_next() else {
            return;
        };
        Self::schedule_pace_end(p, agent, now, sched);
        let lasted = (now - chat.started).as_secs_f64();
        self.recorder
            .chat_length_changed(chat.whose, agent, lasted - chat.drawn_s);
        if chat.silent {
            sched.after(
                self.sc.package.inactivity_timeout,
                Event::ChatEnds { agent },
            );
        } else {
            self.release(agent, sched);
        }
    }

    fn retry_or_fallback(&mut self, req: ReqRef, sched: &mut Scheduler<Event>) {
        let r = self.requests.get_mut(req).expect("live");
        let next = journey::next_to_try(
            &mut self.router,
            &self.agents,
            r.destination,
            &r.tried,
            &self.sc.package,
        );
        match next {
            Some(agent) => {
                self.recorder.retry(r.whose);
                self.offer(req, agent, sched);
            }
            None => self.fallback(req, Reason::Timeout, sched.now()),
        }
    }

    fn patience_ends(&mut self, req: ReqRef, sched: &mut Scheduler<Event>) {
        let Some(r) = self.requests.get_mut(req) else {
            return;
        };
        let whose = r.whose;
        let withdrawn_from = journey::withdrawn_from(r.queued_at, &r.tried);
        if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
            j.abandoned(sched.now(), about(r, req), withdrawn_from);
        }
        match withdrawn_from {
            None => {
                self.leave_queue(req, sched.now());
                self.requests.remove(req);
            }
            Some(agent) => {
                self.requests.remove(req);
                self.release(agent, sched);
            }
        }
        self.recorder.abandoned(whose, withdrawn_from);
    }

    /// Rule 9: the fallback message, which a share of visitors answer by booking a meeting.
    fn fallback(&mut self, req: ReqRef, reason: Reason, now: Time) {
        let r = self.requests.get_mut(req).expect("live");
        if WHAT_IFS && let Some(j) = self.journal.as_deref_mut() {
            j.fallback(now, about(r, req), reason);
        }
        let meeting = r.rng.chance(self.sc.visitors.meeting_booking)
            || journey::calendar_shown(&self.sc.package, r.destination, &r.tried, reason);
        let (whose, retried) = (r.whose, r.tried.len() > 1);
        self.requests.remove(req);
        self.recorder.fallback(whose, reason, meeting, retried);
    }
}

/// An offer to an agent who may slow down when busy (see `pace`): its response factor.
#[cold]
#[inline(never)]
fn slowed_offer(
    paces: &[Option<AgentPace>],
    rng: &mut VisitorRng,
    agents: &[crate::scenario::Agent],
    agent: AgentId,
    window: Time,
) -> Offer {
    let a = &agents[agent as usize];
    match &paces[agent as usize] {
        None => Offer::draw(rng, a, window),
        Some(p) => Offer::draw_slowed(rng, a, window, p.response_factor()),
    }
}

impl<const WINDOWS: bool, const WHAT_IFS: bool> Model for ChatModel<'_, WINDOWS, WHAT_IFS> {
    type Event = Event;

    /// Always inlined into the engine's loop, so that handing over an event costs no call and
    /// no saving of registers: the whole-program build did that by itself only while the model
    /// was smaller.
    #[inline(always)]
    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        match event {
            Event::Arrival => self.arrival(sched),
            Event::OfferEnds { req, outcome } => self.offer_ends(req, outcome, sched),
            Event::PatienceEnds { req } => self.patience_ends(req, sched),
            Event::ChatEnds { agent } => self.release(agent, sched),
            Event::ShiftChange { agent } => self.shift_change(agent, sched),
            Event::WaitEnds { req } => self.wait_ends(req, sched.now()),
            Event::BreakChange { agent } => self.break_change(agent, sched),
            Event::PaceEnds { agent, generation } => self.pace_ends(agent, generation, sched),
        }
    }
}

#[cfg(test)]
mod tests;

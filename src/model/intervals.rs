//! The run folded onto the week: per interval of the week (`[simulation] interval`, an hour by
//! default) and per team and stream, the requests that arrived in it and their outcomes, and
//! per team the agents' levels integrated over it.
//!
//! Intervals are of the UTC week, counted from Monday 00:00 UTC, so that every week of the
//! horizon adds to the same rows whatever the start. Levels come from the agents' own
//! time-weighted integrals: when the run crosses into the next interval, each agent's integrals
//! at the boundary less those at the last one are added to the site's and its teams' rows. A
//! change of level costs nothing here; a crossing costs a pass over the agents. Memory is one
//! row per interval of the week and scope, whatever the horizon and the traffic.
//!
//! The agents' levels include two that the site-wide series has not: the chats agents hold
//! whether or not they are still online (chats go on after a shift ends, and Little's law holds
//! for this level), and the agents online holding at least one chat.

use crate::engine::Time;
use crate::model::Outcomes;
use crate::model::series::{AGENTS_AT_CAP, BUSY_SLOTS, LEVELS, ONLINE_AGENTS, ONLINE_SLOTS};
use crate::stats::TimeWeighted;

/// The levels integrated per interval: the series' four, then [`LIVE_CHATS`] and
/// [`CHATTING_AGENTS`].
pub const LOADS: usize = LEVELS + 2;
/// Chats held, by agents online or not.
pub const LIVE_CHATS: usize = LEVELS;
/// Agents online holding at least one chat.
pub const CHATTING_AGENTS: usize = LEVELS + 1;

const WEEK_MS: u64 = 7 * 86_400_000;

/// An agent's levels, as its tally integrates them: agents online, busy slots (chats held
/// online), agents at cap, chats held offline and agents chatting. The slots online are the
/// agents online times the cap, the chats held the busy slots and those held offline.
pub trait AgentLevels {
    fn levels(&self) -> [&TimeWeighted; 5];
}

#[derive(Clone, Debug)]
pub struct Intervals {
    width: u64,
    /// Milliseconds from the Monday 00:00 UTC before the start to the start.
    phase: u64,
    slots: usize,
    warmup: Time,
    horizon: Time,
    teams: usize,
    streams: usize,
    /// Per interval, the teams' outcomes then the streams'; counted requests only.
    outcomes: Vec<Outcomes>,
    /// Per interval, the site's then each team's levels, in value x milliseconds.
    areas: Vec<[u128; LOADS]>,
    /// Per interval, the counted time it covered: its width times the weeks it came round.
    exposure: Vec<u64>,
    /// Per agent, its cap and its integrals at the last boundary.
    caps: Vec<u32>,
    last: Vec<[i128; 5]>,
    /// The teams each agent belongs to, flattened: agent `a`'s are
    /// `agent_teams[team_start[a]..team_start[a + 1]]`.
    agent_teams: Vec<u32>,
    team_start: Vec<u32>,
    current: Span,
    /// [`Intervals::crossing`], kept so that the common case costs one compare.
    next_cross: Time,
}

/// The stretch of time changes go to: one interval, cut at the warm-up's end and the horizon.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: Time,
    end: Time,
    slot: usize,
}

impl Intervals {
    /// Intervals `width` wide of the week whose Monday 00:00 UTC lies `phase` milliseconds
    /// before time 0, for `teams` teams and `streams` streams; agent `a` has cap `caps[a]` and
    /// is in teams `agent_teams[a]`. `width` divides the week; a width of a week or more makes one interval of the
    /// whole run. Spans of level are multiplied by levels in 64 bits, so the horizon is at
    /// most a century.
    pub fn new(
        width: Time,
        phase: u64,
        warmup: Time,
        horizon: Time,
        teams: usize,
        streams: usize,
        agent_teams: &[(Vec<u32>, u32)],
    ) -> Intervals {
        let whole = width.millis() >= WEEK_MS;
        let (width, phase, slots) = if whole {
            (horizon.millis().max(1), 0, 1)
        } else {
            let w = width.millis().max(1);
            (w, phase, (WEEK_MS / w) as usize)
        };
        let mut team_start = vec![0u32];
        let mut flat = Vec::new();
        for (t, _) in agent_teams {
            flat.extend_from_slice(t);
            team_start.push(flat.len() as u32);
        }
        let mut iv = Intervals {
            width,
            phase,
            slots,
            warmup,
            horizon,
            teams,
            streams,
            outcomes: vec![Outcomes::default(); slots * (teams + streams)],
            areas: vec![[0; LOADS]; slots * (1 + teams)],
            exposure: vec![0; slots],
            caps: agent_teams.iter().map(|(_, cap)| *cap).collect(),
            last: vec![[0; 5]; agent_teams.len()],
            agent_teams: flat,
            team_start,
            current: Span {
                start: Time::ZERO,
                end: Time::ZERO,
                slot: 0,
            },
            next_cross: Time::ZERO,
        };
        iv.current = iv.span_from(Time::ZERO);
        iv.next_cross = iv.crossing();
        iv
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Where the outcomes of a request arriving at `t` go: the first row of its interval of the
    /// week, for [`Intervals::outcome`]. `t` is no earlier than the last change or arrival, so
    /// the interval is found by moving forward, which spares a division per visitor.
    #[inline(always)]
    pub fn slot_at<A: AgentLevels>(&mut self, t: Time, agents: &[A]) -> u32 {
        self.reach(t, agents);
        (self.current.slot * (self.teams + self.streams)) as u32
    }

    /// The interval of the week that `t` falls in, from scratch.
    /// When the run next crosses into another span: never once the last has begun.
    fn crossing(&self) -> Time {
        if self.current.end < self.horizon {
            self.current.end
        } else {
            Time::MAX
        }
    }

    fn slot_of(&self, t: Time) -> usize {
        if self.slots == 1 {
            return 0;
        }
        (((t.millis() + self.phase) / self.width) % self.slots as u64) as usize
    }

    /// The span from `start` to the next interval boundary, the warm-up's end or the horizon.
    fn span_from(&self, start: Time) -> Span {
        let slot = self.slot_of(start);
        let pos = start.millis().saturating_add(self.phase);
        let next = (pos / self.width)
            .saturating_add(1)
            .saturating_mul(self.width)
            .saturating_sub(self.phase);
        let mut end = Time(next).min(self.horizon);
        if start < self.warmup {
            end = end.min(self.warmup);
        }
        Span { start, end, slot }
    }

    /// Counts an outcome of a request that arrived in the interval whose first row is `row`
    /// (from [`Intervals::slot_at`]) under its stream and team.
    #[inline(always)]
    pub fn outcome(&mut self, row: u32, stream: u32, team: Option<u32>, f: impl Fn(&mut Outcomes)) {
        let row = row as usize;
        f(&mut self.outcomes[row + self.teams + stream as usize]);
        if let Some(t) = team {
            f(&mut self.outcomes[row + t as usize]);
        }
    }

    /// The request's outcome under its team only, once routing has found the team.
    #[inline(always)]
    pub fn team_outcome(&mut self, row: u32, team: u32, f: impl Fn(&mut Outcomes)) {
        f(&mut self.outcomes[row as usize + team as usize]);
    }

    /// Moves up to the interval `now` falls in, before anything changes at `now`: the agents'
    /// integrals then hold up to `now`.
    #[inline(always)]
    pub fn reach<A: AgentLevels>(&mut self, now: Time, agents: &[A]) {
        if now >= self.next_cross {
            self.cross(now, agents);
        }
    }

    /// Closes the spans up to the one `now` falls in.
    #[cold]
    #[inline(never)]
    fn cross<A: AgentLevels>(&mut self, now: Time, agents: &[A]) {
        while now >= self.current.end && self.current.end < self.horizon {
            self.close(agents);
            self.current = self.span_from(self.current.end);
        }
        self.next_cross = self.crossing();
    }

    /// Adds the current span's areas to its interval's rows, when it is counted time.
    fn close<A: AgentLevels>(&mut self, agents: &[A]) {
        let Span { start, end, slot } = self.current;
        let counted = start >= self.warmup;
        if counted {
            self.exposure[slot] += (end - start).millis();
        }
        let site = slot * (1 + self.teams);
        for (a, agent) in agents.iter().enumerate() {
            let now = agent.levels().map(|tw| tw.integral_to(end));
            let d: [i128; 5] = std::array::from_fn(|k| now[k] - self.last[a][k]);
            self.last[a] = now;
            if !counted || d.iter().all(|&x| x == 0) {
                continue;
            }
            let mut area = [0u128; LOADS];
            area[ONLINE_AGENTS] = d[0] as u128;
            area[ONLINE_SLOTS] = d[0] as u128 * self.caps[a] as u128;
            area[BUSY_SLOTS] = d[1] as u128;
            area[AGENTS_AT_CAP] = d[2] as u128;
            area[LIVE_CHATS] = (d[1] + d[3]) as u128;
            area[CHATTING_AGENTS] = d[4] as u128;
            let teams = self.team_start[a] as usize..self.team_start[a + 1] as usize;
            for (k, &x) in area.iter().enumerate() {
                self.areas[site][k] += x;
                for &t in &self.agent_teams[teams.clone()] {
                    self.areas[site + 1 + t as usize][k] += x;
                }
            }
        }
    }

    /// Closes the last span at `end`, the horizon or where the run stopped.
    pub fn finish<A: AgentLevels>(&mut self, end: Time, agents: &[A]) {
        let end = end.min(self.horizon);
        self.cross(end, agents);
        self.current.end = end.max(self.current.start);
        self.close(agents);
        self.current.start = self.current.end;
    }

    /// The outcomes of the requests that arrived in `slot`, for a team or a stream.
    pub fn team(&self, slot: usize, team: usize) -> &Outcomes {
        &self.outcomes[slot * (self.teams + self.streams) + team]
    }

    pub fn stream(&self, slot: usize, stream: usize) -> &Outcomes {
        &self.outcomes[slot * (self.teams + self.streams) + self.teams + stream]
    }

    /// The site's outcomes in `slot`: the sum of its streams'.
    pub fn site(&self, slot: usize) -> Outcomes {
        let mut o = Outcomes::default();
        for s in 0..self.streams {
            o.add(self.stream(slot, s));
        }
        o
    }

    /// The levels of the site (`team` = `None`) or a team integrated over `slot`, in value x
    /// milliseconds.
    pub fn areas(&self, slot: usize, team: Option<usize>) -> &[u128; LOADS] {
        &self.areas[slot * (1 + self.teams) + team.map_or(0, |t| t + 1)]
    }

    /// The counted milliseconds `slot` covered.
    pub fn exposure(&self, slot: usize) -> u64 {
        self.exposure[slot]
    }

    /// How many times `slot` came round in counted time, in widths (a part of a week counts
    /// as its share).
    pub fn occurrences(&self, slot: usize) -> f64 {
        self.exposure[slot] as f64 / self.width as f64
    }

    /// The width of an interval, in milliseconds.
    pub fn width(&self) -> u64 {
        self.width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: u64 = 3_600_000;

    fn hour(n: u64) -> Time {
        Time(n * H)
    }

    /// An agent's five levels, all changed together in these tests.
    #[derive(Clone)]
    struct Levels([TimeWeighted; 5]);

    impl Levels {
        fn new(from: Time) -> Levels {
            Levels(std::array::from_fn(|_| TimeWeighted::new(from)))
        }

        /// Every level but the chats held offline.
        fn change(&mut self, at: Time, d: i64) {
            for (k, tw) in self.0.iter_mut().enumerate() {
                if k != 3 {
                    tw.change(at, d);
                }
            }
        }
    }

    impl AgentLevels for Levels {
        fn levels(&self) -> [&TimeWeighted; 5] {
            self.0.each_ref()
        }
    }

    #[test]
    fn levels_fold_onto_the_week_and_split_at_boundaries() {
        // One agent of cap 10 in team 0, hourly intervals, two weeks.
        let mut iv = Intervals::new(hour(1), 0, Time::ZERO, hour(336), 1, 1, &[(vec![0], 10)]);
        let mut a = [Levels::new(Time::ZERO)];
        assert_eq!(iv.slots(), 168);
        iv.reach(Time(H / 2), &a);
        a[0].change(Time(H / 2), 1);
        iv.reach(Time(3 * H / 2), &a);
        a[0].change(Time(3 * H / 2), -1);
        iv.finish(hour(336), &a);
        // On from 0:30 to 1:30 in the first week only.
        assert_eq!(iv.areas(0, Some(0))[ONLINE_AGENTS], (H / 2) as u128);
        assert_eq!(iv.areas(0, Some(0))[ONLINE_SLOTS], (10 * H / 2) as u128);
        assert_eq!(iv.areas(1, None)[LIVE_CHATS], (H / 2) as u128);
        assert_eq!(iv.areas(2, None)[ONLINE_AGENTS], 0);
        assert_eq!(iv.exposure(0), 2 * H);
        assert_eq!(iv.occurrences(5), 2.0);
    }

    #[test]
    fn the_warmup_is_not_counted_and_the_phase_moves_the_slots() {
        // The start is a Monday 02:00 UTC: time 0 is interval 2.
        let warmup = Time(H / 2);
        let mut iv = Intervals::new(hour(1), 2 * H, warmup, hour(168), 0, 1, &[(vec![], 1)]);
        let mut a = [Levels::new(warmup)];
        assert_eq!(iv.slot_of(Time::ZERO), 2);
        assert_eq!(iv.slot_of(hour(166)), 0);
        a[0].change(Time::ZERO, 1);
        iv.finish(hour(168), &a);
        // Half of interval 2 is warm-up.
        assert_eq!(iv.exposure(2), H / 2);
        assert_eq!(iv.areas(2, None)[LIVE_CHATS], (H / 2) as u128);
        assert_eq!(iv.areas(3, None)[CHATTING_AGENTS], H as u128);
    }

    #[test]
    fn one_interval_of_the_whole_run() {
        let mut iv = Intervals::new(
            Time(WEEK_MS),
            0,
            Time::ZERO,
            hour(500),
            0,
            2,
            &[(vec![], 5)],
        );
        let mut a = [Levels::new(Time::ZERO)];
        assert_eq!(iv.slots(), 1);
        let slot = iv.slot_at(hour(400), &a);
        iv.outcome(slot, 1, None, |o| o.requests += 1);
        iv.reach(hour(450), &a);
        a[0].change(hour(450), 2);
        iv.finish(hour(500), &a);
        assert_eq!(iv.exposure(0), 500 * H);
        assert_eq!(iv.site(0).requests, 1);
        assert_eq!(iv.areas(0, None)[BUSY_SLOTS], 2 * 50 * H as u128);
    }

    #[test]
    fn a_run_stopped_early_ends_its_last_interval_there() {
        let mut iv = Intervals::new(hour(1), 0, Time::ZERO, hour(10), 0, 1, &[(vec![], 1)]);
        let mut a = [Levels::new(Time::ZERO)];
        iv.reach(Time(9 * H / 4), &a);
        a[0].change(Time(9 * H / 4), 1);
        iv.finish(Time(5 * H / 2), &a);
        assert_eq!(iv.exposure(2), H / 2);
        assert_eq!(iv.exposure(3), 0);
        // One chat held from 2:15 to the stop at 2:30.
        assert_eq!(iv.areas(2, None)[LIVE_CHATS], (H / 4) as u128);
    }
}

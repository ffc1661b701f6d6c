//! Busy agents slow down (the optional per-agent `slowdown`): an agent's response to an offer
//! and the pace of its live chats depend on how many live chats it holds. Field evidence on
//! chat (Goes, Ilk, Lin and Zhao 2018) and chat staffing models (Tezcan and Zhang 2014; Luo and
//! Zhang 2013) make the service rate a function of the agent's current number of chats.
//!
//! A live chat's active length is work, drawn as always, that advances at 1/f of real time
//! while the agent holds k other live chats (f = the pace factor of k). Whenever the number
//! changes, every chat of the agent advances by the time since the last change at the old
//! factor, and the agent's next chat end is scheduled at the new one: one pending event per
//! agent, made stale by a generation when the number changes again.

use crate::engine::Time;
use crate::model::recorder::Whose;
use crate::scenario::Slowdown;

/// One live chat of a slowed agent.
#[derive(Clone, Copy, Debug)]
pub struct LiveChat {
    /// Active work left, in seconds at the chat's own pace.
    pub remaining_s: f64,
    /// The active length drawn at the accept, which the tally counted then.
    pub drawn_s: f64,
    pub started: Time,
    /// Whether the visitor goes silent at the end: the slot is then held for the inactivity
    /// timeout after the active part.
    pub silent: bool,
    pub whose: Whose,
}

/// A slowed agent's live chats and when they last advanced.
#[derive(Clone, Debug)]
pub struct AgentPace {
    pub factors: std::sync::Arc<Slowdown>,
    pub chats: Vec<LiveChat>,
    since: Time,
    /// Of the agent's one pending chat-end event; an event with another is stale.
    pub generation: u32,
}

impl AgentPace {
    pub fn new(factors: std::sync::Arc<Slowdown>) -> AgentPace {
        AgentPace {
            factors,
            chats: Vec::new(),
            since: Time::ZERO,
            generation: 0,
        }
    }

    /// The factor on a response to an offer made now: by the live chats the agent holds.
    pub fn response_factor(&self) -> f64 {
        Slowdown::factor(&self.factors.response, self.chats.len() as u32)
    }

    /// The pace factor of each of `n` live chats: by the other `n - 1`.
    fn pace_factor(&self, n: usize) -> f64 {
        Slowdown::factor(&self.factors.pace, n.saturating_sub(1) as u32)
    }

    /// Advances every chat to `now` at the factor of their current number.
    pub fn advance(&mut self, now: Time) {
        let f = self.pace_factor(self.chats.len());
        let elapsed = (now - self.since).as_secs_f64() / f;
        for c in &mut self.chats {
            c.remaining_s -= elapsed;
        }
        self.since = now;
    }

    /// After a change at `now` (chats advanced to it): the chat to end next, and when, at the
    /// factor of the current number; a new generation makes the pending event stale.
    pub fn next_end(&mut self, now: Time) -> Option<Time> {
        self.generation = self.generation.wrapping_add(1);
        let f = self.pace_factor(self.chats.len());
        let least = self
            .chats
            .iter()
            .map(|c| c.remaining_s)
            .min_by(f64::total_cmp)?;
        Some(now + Time::from_secs_f64(least.max(0.0) * f))
    }

    /// The chat whose active part ends now (the least work left), taken out.
    pub fn take_next(&mut self) -> Option<LiveChat> {
        let i = (0..self.chats.len()).min_by(|&a, &b| {
            self.chats[a]
                .remaining_s
                .total_cmp(&self.chats[b].remaining_s)
        })?;
        Some(self.chats.swap_remove(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn pace(factors: &[f64]) -> AgentPace {
        AgentPace::new(Arc::new(Slowdown {
            response: vec![1.0, 2.0],
            pace: factors.to_vec(),
        }))
    }

    fn chat(remaining_s: f64) -> LiveChat {
        LiveChat {
            remaining_s,
            drawn_s: remaining_s,
            started: Time::ZERO,
            silent: false,
            whose: Whose {
                stream: 0,
                team: None,
                counted: true,
                bucket: 0,
                slot: 0,
                windows: 0,
            },
        }
    }

    #[test]
    fn slowdown_a_lone_chat_keeps_its_own_pace_at_factor_one() {
        let mut p = pace(&[1.0, 1.5]);
        p.advance(Time::ZERO);
        p.chats.push(chat(60.0));
        assert_eq!(p.next_end(Time::ZERO), Some(Time::from_secs(60)));
    }

    #[test]
    fn slowdown_a_second_chat_slows_both_from_the_moment_it_starts() {
        let mut p = pace(&[1.0, 2.0]);
        p.chats.push(chat(60.0));
        // 20 s alone, then a second chat: both advance at half pace.
        p.advance(Time::from_secs(20));
        p.chats.push(chat(100.0));
        assert_eq!(p.next_end(Time::from_secs(20)), Some(Time::from_secs(100)));
        p.advance(Time::from_secs(100));
        let first = p.take_next().unwrap();
        assert!(first.remaining_s.abs() < 1e-9 && first.drawn_s == 60.0);
        // The other has 100 - 40 = 60 s left, alone again at full pace.
        assert_eq!(p.next_end(Time::from_secs(100)), Some(Time::from_secs(160)));
    }

    #[test]
    fn slowdown_factors_past_the_list_take_its_last_entry() {
        let mut p = pace(&[1.0, 1.1]);
        for _ in 0..4 {
            p.chats.push(chat(1.0));
        }
        assert_eq!(p.pace_factor(4), 1.1);
        assert_eq!(p.response_factor(), 2.0);
        p.chats.clear();
        assert_eq!(p.response_factor(), 1.0);
    }

    #[test]
    fn slowdown_a_new_end_makes_the_pending_one_stale() {
        let mut p = pace(&[1.0]);
        p.chats.push(chat(5.0));
        let g = p.generation;
        p.next_end(Time::ZERO);
        assert_ne!(p.generation, g);
        p.chats.clear();
        assert_eq!(p.next_end(Time::ZERO), None);
    }
}

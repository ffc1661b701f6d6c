//! A routing destination's agents with a round-robin cursor and a bitset of who can take a
//! chat now.

use crate::model::AgentState;
use crate::scenario::{AgentId, TeamId};

/// A destination's agents in round-robin order, with which of them can take a chat now.
///
/// Eligibility is kept as a bitset over member positions, updated as agents change, so that a
/// pick finds the next eligible agent a word (64 agents) at a time and a pool with nobody
/// eligible answers at once: scanning 2,000 offline agents for every request at night cost more
/// than everything else the model does.
#[derive(Clone, Debug)]
pub struct Pool {
    pub members: Vec<AgentId>,
    /// The team this pool is, when it is one: requests routed to it are reported under it.
    pub team: Option<TeamId>,
    /// Index into `members` of the next agent in turn.
    cursor: usize,
    /// Bit `i` set: `members[i]` is eligible (online and below cap).
    eligible: Vec<u64>,
    eligible_count: u32,
    online_count: u32,
}

impl Pool {
    /// Every member starts offline, as agents do before their first shift change.
    pub fn new(members: Vec<AgentId>, team: Option<TeamId>) -> Pool {
        let words = members.len().div_ceil(64);
        Pool {
            members,
            team,
            cursor: 0,
            eligible: vec![0; words],
            eligible_count: 0,
            online_count: 0,
        }
    }

    /// The next eligible member in turn, from the cursor round to just before it, that is not
    /// in `tried`; moves the cursor past it. A word of the bitset at a time.
    #[inline(always)]
    pub fn next_in_turn(&mut self, tried: &[AgentId]) -> Option<AgentId> {
        let start = self.cursor;
        let (first_word, words) = (start / 64, self.eligible.len());
        let mut word = first_word;
        let mut bits = self.eligible[word] & (u64::MAX << (start % 64));
        let mut wrapped = false;
        loop {
            while bits != 0 {
                let i = word * 64 + bits.trailing_zeros() as usize;
                if wrapped && i >= start {
                    return None;
                }
                let agent = self.members[i];
                if !tried.contains(&agent) {
                    // A compare rather than a remainder: a division on every pick showed.
                    self.cursor = if i + 1 == self.members.len() {
                        0
                    } else {
                        i + 1
                    };
                    return Some(agent);
                }
                bits &= bits - 1;
            }
            word += 1;
            if word == words {
                if wrapped {
                    return None;
                }
                (word, wrapped) = (0, true);
            } else if wrapped && word > first_word {
                return None;
            }
            bits = self.eligible[word];
        }
    }

    /// The member at `pos` changed state; the counts answer a pick that finds nobody without
    /// a scan.
    #[inline]
    pub fn member_changed(&mut self, pos: usize, old: AgentState, new: AgentState) {
        let (word, bit) = (pos / 64, 1u64 << (pos % 64));
        if new.eligible() {
            self.eligible[word] |= bit;
        } else {
            self.eligible[word] &= !bit;
        }
        self.eligible_count = self.eligible_count + new.eligible() as u32 - old.eligible() as u32;
        self.online_count = self.online_count + new.online as u32 - old.online as u32;
    }

    /// A pool with nobody eligible answers without a scan.
    #[inline(always)]
    pub fn anyone_eligible(&self) -> bool {
        self.eligible_count > 0
    }

    /// Members online, eligible or at cap: with the tried ones, tells `at_cap` from
    /// `unavailable`.
    pub fn online_count(&self) -> u32 {
        self.online_count
    }
}

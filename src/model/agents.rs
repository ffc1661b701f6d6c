//! What routing needs to know of an agent at one instant.

/// The live state of one agent. Kept small and separate from statistics: routing scans these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgentState {
    /// Chats counted against the cap: offered and not yet resolved, or live.
    pub held: u32,
    pub cap: u32,
    pub online: bool,
}

impl AgentState {
    pub fn eligible(&self) -> bool {
        self.online && self.held < self.cap
    }

    pub fn at_cap(&self) -> bool {
        self.held >= self.cap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule4_eligible_means_online_and_below_cap() {
        let a = |held, online| AgentState {
            held,
            cap: 2,
            online,
        };
        assert!(a(1, true).eligible());
        assert!(!a(2, true).eligible());
        assert!(!a(0, false).eligible());
        assert!(a(2, false).at_cap() && !a(1, true).at_cap());
    }
}

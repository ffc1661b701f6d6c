//! The reasons a request gets the fallback message: part of the figures' vocabulary
//! (`fallback.<reason>`, `fallback_rate.<reason>`) as much as of the model's rules.

/// Why a request got the fallback message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    NoRule,
    Unavailable,
    AtCap,
    Timeout,
    TrialLimit,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::NoRule,
        Reason::Unavailable,
        Reason::AtCap,
        Reason::Timeout,
        Reason::TrialLimit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reason::NoRule => "no_rule",
            Reason::Unavailable => "unavailable",
            Reason::AtCap => "at_cap",
            Reason::Timeout => "timeout",
            Reason::TrialLimit => "trial_limit",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

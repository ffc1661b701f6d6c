//! The features a scenario uses whose figures appear only when it does. A figure that means
//! nothing without its feature (the hidden demand of dialogues that branch on availability,
//! the overflow between teams) is left out of every output of a scenario that does not use it,
//! so that adding a feature changes no existing output. Such figures come last in
//! `summary.json`, after every figure that always appears, in [`Uses`]'s field order.

use super::metric::{Metric, OVERFLOW, UNAVAILABLE_BRANCH};

/// Which optional features a scenario uses; `Uses::default()` is none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Uses {
    /// Some stream offers live chat only when an agent is available.
    pub availability_branch: bool,
    /// Some team or rule names a team to overflow to.
    pub overflow: bool,
}

impl Uses {
    /// Every feature: the vocabulary a stored file's names are read against.
    pub const ALL: Uses = Uses {
        availability_branch: true,
        overflow: true,
    };

    /// The site-wide metrics of the features in use, in `summary.json`'s order.
    pub fn site_metrics(self) -> Vec<Metric> {
        let mut all = Vec::new();
        if self.availability_branch {
            all.extend(UNAVAILABLE_BRANCH);
        }
        if self.overflow {
            all.extend(OVERFLOW);
        }
        all
    }

    /// The per-team metrics of the features in use, in `summary.json`'s order.
    pub fn team_metrics(self) -> Vec<Metric> {
        if self.overflow {
            OVERFLOW.to_vec()
        } else {
            Vec::new()
        }
    }
}

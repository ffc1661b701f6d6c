//! How an offer to an agent ends (rule 5 of docs/model.md): decided by its draws when it is
//! made, so that an offer costs one event whatever happens.

use crate::engine::Time;
use crate::model::VisitorRng;
use crate::scenario::Agent;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferOutcome {
    Accepted,
    Declined,
    /// Never answered: the window runs out.
    Missed,
    /// Answered after the window had run out.
    TooSlow,
}

/// An offer's fate as drawn when it is made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offer {
    pub outcome: OfferOutcome,
    /// From the offer to its end: the window, or the response when it falls within it.
    pub lasts: Time,
    /// The agent's response time; recorded only when the offer was not missed.
    pub response: Time,
}

impl Offer {
    /// Takes the miss, response and decline draws in that order whatever the earlier ones say,
    /// so that the visitor's next draws (the chat's length) do not depend on how it went.
    #[inline(always)]
    pub fn draw(rng: &mut VisitorRng, agent: &Agent, window: Time) -> Offer {
        let missed = rng.chance(agent.miss);
        let response = Time::from_secs_f64(agent.response.sample(rng));
        let declined = rng.chance(agent.decline);
        Offer::from_draws(missed, response, declined, window)
    }

    /// [`Offer::draw`] for an agent who slows down when busy: the same draws, the response
    /// time multiplied by `factor`.
    #[inline]
    pub fn draw_slowed(rng: &mut VisitorRng, agent: &Agent, window: Time, factor: f64) -> Offer {
        let missed = rng.chance(agent.miss);
        let response = Time::from_secs_f64(agent.response.sample(rng) * factor);
        let declined = rng.chance(agent.decline);
        Offer::from_draws(missed, response, declined, window)
    }

    /// A miss outranks everything, then a response at or after the window; a decline counts
    /// only within the window.
    #[inline(always)]
    pub fn from_draws(missed: bool, response: Time, declined: bool, window: Time) -> Offer {
        let (lasts, outcome) = if missed {
            (window, OfferOutcome::Missed)
        } else if response >= window {
            (window, OfferOutcome::TooSlow)
        } else if declined {
            (response, OfferOutcome::Declined)
        } else {
            (response, OfferOutcome::Accepted)
        };
        Offer {
            outcome,
            lasts,
            response,
        }
    }

    pub fn missed(&self) -> bool {
        self.outcome == OfferOutcome::Missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Time = Time(100_000);

    fn secs(s: u64) -> Time {
        Time::from_secs(s)
    }

    #[test]
    fn rule5_a_miss_runs_the_whole_window_whatever_else_was_drawn() {
        let o = Offer::from_draws(true, secs(5), true, WINDOW);
        assert_eq!((o.outcome, o.lasts), (OfferOutcome::Missed, WINDOW));
    }

    #[test]
    fn rule5_a_response_at_or_after_the_window_is_a_timeout() {
        for r in [100, 250] {
            let o = Offer::from_draws(false, secs(r), false, WINDOW);
            assert_eq!((o.outcome, o.lasts), (OfferOutcome::TooSlow, WINDOW));
        }
        let o = Offer::from_draws(false, secs(99), false, WINDOW);
        assert_eq!((o.outcome, o.lasts), (OfferOutcome::Accepted, secs(99)));
    }

    #[test]
    fn rule5_a_decline_ends_the_offer_at_the_response() {
        let o = Offer::from_draws(false, secs(30), true, WINDOW);
        assert_eq!((o.outcome, o.lasts), (OfferOutcome::Declined, secs(30)));
        // Too late to decline: the window ran out first.
        let o = Offer::from_draws(false, secs(120), true, WINDOW);
        assert_eq!(o.outcome, OfferOutcome::TooSlow);
    }
}

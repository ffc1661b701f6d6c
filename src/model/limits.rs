//! The engagement limits of docs/model.md's "Limits": the trial's lifetime limit and the
//! monthly limit, counted in accept order.

use crate::engine::Time;
use crate::model::calendar::Months;
use crate::scenario::{MonthlyCounting, Package, Tier};

pub struct Limits {
    trial: Option<u64>,
    monthly: Option<u64>,
    /// Over the account's lifetime, from time 0 (warm-up included: the trial does not know
    /// about statistics).
    engagements: u64,
    months: Months,
    month_engagements: u64,
    /// What one dialogue engagement and one live chat add to the month's count.
    per_conversation: u64,
    per_live_chat: u64,
}

impl Limits {
    /// `start`: the instant simulated time 0 stands for, which the calendar months count from.
    pub fn new(package: &Package, start: jiff::Timestamp) -> Limits {
        Limits {
            trial: package.trial_engagements,
            monthly: package.monthly_engagements,
            engagements: 0,
            months: Months::new(start),
            month_engagements: 0,
            per_conversation: match package.monthly_counting {
                MonthlyCounting::Conversations => 1,
                MonthlyCounting::LiveChats => 0,
            },
            per_live_chat: match (package.monthly_counting, package.tier) {
                (MonthlyCounting::Conversations, Tier::Prime) => 0,
                _ => 1,
            },
        }
    }

    /// A visitor engaged a dialogue up to the live-chat card: one engaged conversation, as the
    /// product counts them (not with `monthly_counting = "live_chats"`).
    #[inline(always)]
    pub fn conversation(&mut self) {
        if self.monthly.is_some() {
            self.month_engagements += self.per_conversation;
        }
    }

    /// Whether the trial connects nobody any more: checked on a request and again on its
    /// accept, as an offer made before the limit may be accepted after it.
    #[inline(always)]
    pub fn trial_used_up(&self) -> bool {
        self.trial.is_some_and(|l| self.engagements >= l)
    }

    /// Whether this month's engagements have reached the monthly limit at `now`. Months move
    /// on only here, at arrivals: engagements accepted after a month's start but before its
    /// first arrival are still counted to the month before.
    pub fn monthly_reached(&mut self, now: Time) -> bool {
        let Some(limit) = self.monthly else {
            return false;
        };
        while self.months.next_start() <= now {
            self.months.advance();
            self.month_engagements = 0;
        }
        self.month_engagements >= limit
    }

    /// Counts an engagement (a live chat, which on Select adds to the month's engaged
    /// conversations); true when it is the one that uses up the trial.
    #[inline(always)]
    pub fn engage(&mut self) -> bool {
        self.engagements += 1;
        self.month_engagements += self.per_live_chat;
        self.trial == Some(self.engagements)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::scenario_with;
    use crate::scenario::Routing;

    const DAY: u64 = 86_400;

    /// Limits that count live chats only, as these tests were written for.
    fn limits(trial: Option<u64>, monthly: Option<u64>) -> Limits {
        let mut p = scenario_with(1, Routing::RoundRobin).package;
        (p.trial_engagements, p.monthly_engagements) = (trial, monthly);
        p.monthly_counting = MonthlyCounting::LiveChats;
        Limits::new(&p, crate::scenario::DEFAULT_START)
    }

    #[test]
    fn monthly_counts_as_the_product_select_a_live_chat_twice_prime_once() {
        let count = |tier, counting| {
            let mut p = scenario_with(1, Routing::RoundRobin).package;
            (p.tier, p.monthly_engagements, p.monthly_counting) = (tier, Some(4), counting);
            let mut l = Limits::new(&p, crate::scenario::DEFAULT_START);
            // Two conversations, one of which becomes a live chat.
            l.conversation();
            l.conversation();
            l.engage();
            l.month_engagements
        };
        assert_eq!(count(Tier::Select, MonthlyCounting::Conversations), 3);
        assert_eq!(count(Tier::Prime, MonthlyCounting::Conversations), 2);
        assert_eq!(count(Tier::Select, MonthlyCounting::LiveChats), 1);
        assert_eq!(count(Tier::Prime, MonthlyCounting::LiveChats), 1);
    }

    #[test]
    fn trial_connects_nobody_after_its_last_engagement() {
        let mut l = limits(Some(3), None);
        let last: Vec<bool> = (0..3)
            .map(|_| {
                assert!(!l.trial_used_up());
                l.engage()
            })
            .collect();
        assert_eq!(last, [false, false, true]);
        assert!(l.trial_used_up());
    }

    #[test]
    fn without_a_trial_nothing_is_used_up() {
        let mut l = limits(None, None);
        (0..1_000).for_each(|_| assert!(!l.engage()));
        assert!(!l.trial_used_up());
        assert!(!l.monthly_reached(Time::from_secs(DAY)));
    }

    #[test]
    fn monthly_limit_stops_dialogues_until_the_calendar_month_ends() {
        let mut l = limits(None, Some(2));
        let jan_31 = Time::from_secs(30 * DAY);
        let feb_1 = Time::from_secs(31 * DAY);
        l.engage();
        assert!(!l.monthly_reached(jan_31));
        l.engage();
        assert!(l.monthly_reached(jan_31));
        assert!(l.monthly_reached(Time(feb_1.millis() - 1)));
        assert!(!l.monthly_reached(feb_1));
        // February 2024 has 29 days.
        l.engage();
        l.engage();
        assert!(l.monthly_reached(Time::from_secs(59 * DAY)));
        assert!(!l.monthly_reached(Time::from_secs(60 * DAY)));
    }

    #[test]
    fn monthly_limit_resets_on_the_calendar_from_the_start() {
        let mut p = scenario_with(1, Routing::RoundRobin).package;
        p.monthly_engagements = Some(1);
        p.monthly_counting = MonthlyCounting::LiveChats;
        // From Wednesday 2024-03-27 12:00 UTC, April starts 4.5 days in.
        let mut l = Limits::new(&p, "2024-03-27T12:00:00Z".parse().unwrap());
        l.engage();
        assert!(l.monthly_reached(Time::from_secs(4 * DAY)));
        assert!(l.monthly_reached(Time::from_secs(4 * DAY + 12 * 3600 - 1)));
        assert!(!l.monthly_reached(Time::from_secs(4 * DAY + 12 * 3600)));
    }

    #[test]
    fn monthly_limit_does_not_touch_the_trial() {
        let mut l = limits(Some(5), Some(1));
        l.engage();
        assert!(l.monthly_reached(Time::ZERO));
        assert!(!l.trial_used_up());
    }
}

//! The named metrics of one replication: the vocabulary shared by `summary.json`,
//! `replications.csv`, expectations and comparisons.

use crate::model::{Outcomes, Reason, Tally};
use crate::report::table::ratio;
use crate::scenario::Scenario;

/// One replication's metrics, in a fixed order. `None` where a metric is undefined in that
/// replication (a rate with no requests, an exhaustion time when the limit was never reached).
pub type Metrics = Vec<(String, Option<f64>)>;

pub fn metrics(sc: &Scenario, t: &Tally) -> Metrics {
    let mut m = Metrics::new();
    let mut put = |name: String, v: Option<f64>| m.push((name, v));
    put("visitors".into(), Some(t.visitors as f64));
    outcomes(&mut put, "", &t.total);
    put("in_flight_at_end".into(), Some(t.in_flight_at_end as f64));
    put("suppressed".into(), Some(t.suppressed as f64));
    put("emails".into(), Some(t.total.fallbacks() as f64));
    put(
        "occupancy".into(),
        ratio(t.busy_slots.area_secs(), t.online_slots.area_secs()),
    );
    put(
        "cap_saturation".into(),
        ratio(t.agents_at_cap.area_secs(), t.online_agents.area_secs()),
    );
    let window = (sc.simulation.horizon - sc.simulation.warmup).as_secs_f64();
    put(
        "online_agents.mean".into(),
        ratio(t.online_agents.area_secs(), window),
    );
    let engaged = t.total.engaged as f64;
    put(
        "response_time.mean_s".into(),
        ratio(t.total.response_sum_s, engaged),
    );
    put(
        "chat_length.mean_s".into(),
        ratio(t.total.chat_length_sum_s, engaged),
    );
    if sc.package.trial_engagements.is_some() {
        put(
            "trial.exhausted".into(),
            Some(t.trial_exhausted_at.is_some() as u8 as f64),
        );
        put(
            "trial.exhausted_at_s".into(),
            t.trial_exhausted_at.map(|x| x.as_secs_f64()),
        );
    } else {
        put("trial.exhausted".into(), Some(0.0));
        put("trial.exhausted_at_s".into(), None);
    }
    for (team, o) in sc.teams.iter().zip(&t.teams) {
        outcomes(&mut put, &format!("teams.{}.", team.name), o);
    }
    for (stream, o) in sc.streams.iter().zip(&t.streams) {
        outcomes(&mut put, &format!("streams.{}.", stream.name), o);
    }
    let requests = t.total.requests as f64;
    put("queue.queued".into(), Some(t.queued as f64));
    put(
        "queue.waited_share".into(),
        ratio(t.queued as f64, requests),
    );
    put(
        "queue.wait.mean_s".into(),
        ratio(t.queue_wait_sum_s, t.queue_left as f64),
    );
    put("queue.timeouts".into(), Some(t.queue_timeouts as f64));
    put(
        "queue.timeout_rate".into(),
        ratio(t.queue_timeouts as f64, requests),
    );
    m
}

/// Every metric name `metrics` gives for `sc`, in the same order: the names expectations and
/// baselines may use. Read off an empty tally, so the list cannot drift from `metrics`.
pub fn metric_names(sc: &Scenario) -> Vec<String> {
    let empty = Tally::new(
        sc.streams.len(),
        sc.teams.len(),
        sc.agents.len(),
        sc.simulation.warmup,
    );
    metrics(sc, &empty).into_iter().map(|(n, _)| n).collect()
}

/// The request outcome metrics that every team and stream has under `teams.<team>.` and
/// `streams.<stream>.`.
pub fn outcome_metric_names() -> Vec<String> {
    let mut names = Vec::new();
    outcomes(&mut |n, _| names.push(n), "", &Outcomes::default());
    names
}

/// The request outcome metrics under `prefix` ("" for the whole site, "teams.emea." ...).
fn outcomes(put: &mut impl FnMut(String, Option<f64>), prefix: &str, o: &Outcomes) {
    let requests = o.requests as f64;
    let mut count = |name: &str, v: u64| put(format!("{prefix}{name}"), Some(v as f64));
    count("requests", o.requests);
    count("engaged", o.engaged);
    count("abandoned", o.abandoned);
    count("fallback", o.fallbacks());
    for r in Reason::ALL {
        count(&format!("fallback.{}", r.name()), o.fallback[r.index()]);
    }
    count("retry.attempts", o.retry_attempts);
    count("retry.rescued", o.rescued);
    count("meetings", o.meetings);
    put(
        format!("{prefix}fallback_rate"),
        ratio(o.fallbacks() as f64, requests),
    );
    for r in Reason::ALL {
        let v = ratio(o.fallback[r.index()] as f64, requests);
        put(format!("{prefix}fallback_rate.{}", r.name()), v);
    }
    put(
        format!("{prefix}engaged_rate"),
        ratio(o.engaged as f64, requests),
    );
    put(
        format!("{prefix}abandoned_rate"),
        ratio(o.abandoned as f64, requests),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DEFAULT_SCENARIO, parse_str};

    #[test]
    fn names_cover_site_team_and_stream_metrics() {
        let sc = parse_str(DEFAULT_SCENARIO, "default", std::path::Path::new("."), &[]).unwrap();
        let names = metric_names(&sc);
        for n in [
            "visitors",
            "fallback_rate",
            "fallback_rate.at_cap",
            "teams.emea.fallback_rate",
            "streams.pricing.engaged_rate",
            "trial.exhausted_at_s",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} missing");
        }
        let per_group = outcome_metric_names();
        assert!(per_group.contains(&"abandoned_rate".to_string()));
        let expected = names.len() - (sc.teams.len() + sc.streams.len()) * per_group.len();
        assert_eq!(
            names
                .iter()
                .filter(|n| !n.starts_with("teams.") && !n.starts_with("streams."))
                .count(),
            expected
        );
    }
}

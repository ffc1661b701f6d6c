//! Bounds on the work a command may start: the visitors it would simulate are estimated from
//! the arrival rates and the horizon (or a trace's rows) before anything runs, and a command
//! above [`MAX_VISITORS`] is refused (exit 2) unless `--force` is given.

use crate::scenario::{Clock, DEFAULT_START, Scenario, ScenarioError, Source};

/// Visitors one command may simulate without `--force`: about 7 minutes on one core at
/// chatsim's 12 million visitors a second, a few hours at the slowest scenarios' pace.
pub const MAX_VISITORS: f64 = 5e9;

/// Worker threads: `--threads` from 1 to this.
pub const MAX_THREADS: usize = 512;

/// Expected visitors of one replication of `sc`: the sources' together.
pub fn expected_visitors(sc: &Scenario) -> f64 {
    if let Some(t) = &sc.arrivals.trace {
        return t.visitors as f64;
    }
    sc.arrivals
        .sources
        .iter()
        .map(|a| source_visitors(a, sc))
        .sum()
}

/// Expected visitors of the source `a` in one replication of `sc`.
fn source_visitors(a: &Source, sc: &Scenario) -> f64 {
    let horizon = sc.simulation.horizon.as_secs_f64();
    // Pieces between surge boundaries: within one, the surges in force are fixed.
    let mut cuts: Vec<f64> = vec![0.0, horizon];
    for s in &a.surges {
        let start = s.start.as_secs_f64();
        cuts.extend([start, start + s.length.as_secs_f64()]);
    }
    cuts.retain(|c| (0.0..=horizon).contains(c));
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let week = week_profile(&a.hourly, &a.weekday);
    let phase = profile_phase(&a.clock, sc);
    let mut total = 0.0;
    for w in cuts.windows(2) {
        let (from, to) = (w[0], w[1]);
        let factor: f64 = a
            .surges
            .iter()
            .filter(|s| {
                let start = s.start.as_secs_f64();
                start <= from && to <= start + s.length.as_secs_f64()
            })
            .map(|s| s.factor)
            .product();
        total += factor * (week.integral(to + phase) - week.integral(from + phase));
    }
    a.per_hour * total
}

/// Seconds from the local Monday 00:00 of a source's profile before the start to the start. A
/// time zone's offset is taken as it is at the start: daylight saving moves the profile by an
/// hour at most, which an estimate for a limit can ignore.
fn profile_phase(clock: &Clock, sc: &Scenario) -> f64 {
    let start = sc.simulation.start;
    let offset = match clock {
        Clock::Offset(o) => *o,
        Clock::Zone(tz) => tz.to_offset(start).seconds() as i64,
    };
    (start.as_second() + offset - DEFAULT_START.as_second()).rem_euclid(7 * 86_400) as f64
}

/// The hourly times weekday multipliers over a week, as prefix sums (in multiplier-hours).
struct WeekProfile {
    multipliers: [f64; 168],
    prefix: [f64; 169],
}

fn week_profile(hourly: &[f64; 24], weekday: &[f64; 7]) -> WeekProfile {
    let mut multipliers = [0.0; 168];
    let mut prefix = [0.0; 169];
    for h in 0..168 {
        multipliers[h] = hourly[h % 24] * weekday[h / 24];
        prefix[h + 1] = prefix[h] + multipliers[h];
    }
    WeekProfile {
        multipliers,
        prefix,
    }
}

impl WeekProfile {
    /// Multiplier-hours from time 0 to `t` seconds.
    fn integral(&self, t: f64) -> f64 {
        let hours = t / 3600.0;
        let weeks = (hours / 168.0).floor();
        let within = hours - weeks * 168.0;
        let h = (within.floor() as usize).min(167);
        weeks * self.prefix[168] + self.prefix[h] + self.multipliers[h] * (within - h as f64)
    }
}

/// Refuses work above [`MAX_VISITORS`] unless `force`: `runs` are the scenarios to simulate
/// with their number of replications each; `what` names the work in the message.
pub fn check_work(runs: &[(&Scenario, u64)], force: bool, what: &str) -> Result<(), ScenarioError> {
    let total: f64 = runs
        .iter()
        .map(|(sc, reps)| expected_visitors(sc) * *reps as f64)
        .sum();
    let name = runs.first().map_or("scenario", |(sc, _)| sc.name.as_str());
    check_visitors(total, name, force, what)
}

/// [`check_work`] for an estimate already summed: `total` visitors, of the scenario `name`.
pub fn check_visitors(
    total: f64,
    name: &str,
    force: bool,
    what: &str,
) -> Result<(), ScenarioError> {
    // A NaN estimate (an infinite rate times a zero factor) is refused like an infinite one.
    if force || total <= MAX_VISITORS {
        return Ok(());
    }
    let estimate = if total.is_finite() {
        format!("about {total:.3e} visitors")
    } else {
        "more visitors than can be counted".to_string()
    };
    Err(ScenarioError::Invalid {
        file: name.to_string(),
        location: "arrivals".into(),
        message: format!(
            "{what} would simulate {estimate} (from the arrival rates and the horizon), more \
             than the limit of {MAX_VISITORS:.0e}: lower arrivals.per_hour (or the sources'), \
             the surges, the horizon or the replications, or give --force to run it anyway"
        ),
    })
}

/// Parses `--threads`: from 1 to [`MAX_THREADS`].
pub fn threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected a number of threads from 1 to {MAX_THREADS}, got {s:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DEFAULT_SCENARIO, Override, parse_str};
    use std::path::Path;

    fn default_with(sets: &[&str]) -> Scenario {
        let ovs: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
        parse_str(DEFAULT_SCENARIO, "default", Path::new("."), &ovs).unwrap()
    }

    #[test]
    fn the_estimate_matches_the_simulated_visitors() {
        let sc = default_with(&[]);
        // The README's default run: 35231.5 visitors per replication.
        let e = expected_visitors(&sc);
        assert!((e - 35_231.5).abs() / 35_231.5 < 0.01, "{e}");
        let surged =
            default_with(&[r#"arrivals.surges=[{ start = "1d", length = "1d", factor = 3.0 }]"#]);
        assert!(expected_visitors(&surged) > 1.1 * e);
    }

    #[test]
    fn the_estimate_adds_the_sources_up() {
        let text = std::fs::read_to_string("scenarios/global.toml").unwrap();
        let sc = parse_str(&text, "global", Path::new("scenarios"), &[]).unwrap();
        let alone = |name: &str| {
            let others: Vec<Override> = ["na", "emea", "apac"]
                .into_iter()
                .filter(|n| *n != name)
                .map(|n| format!("arrivals.sources.{n}.per_hour=0").parse().unwrap())
                .collect();
            expected_visitors(&parse_str(&text, "global", Path::new("scenarios"), &others).unwrap())
        };
        let parts = [alone("na"), alone("emea"), alone("apac")];
        assert!(parts.iter().all(|&p| p > 0.0));
        let sum: f64 = parts.iter().sum();
        assert!((expected_visitors(&sc) - sum).abs() < 1e-9 * sum);
        // APAC's: 40 an hour over a week of its profile (hourly multipliers summing to 21.8,
        // weekday ones to 7), and the launch's three doubled hours of Wednesday's 1.3.
        let apac = 40.0 * 21.8 * 7.0 + 40.0 * 1.3 * (1.8 + 1.9 + 1.9);
        assert!(
            (parts[2] - apac).abs() < 1e-6 * apac,
            "{} vs {apac}",
            parts[2]
        );
    }

    #[test]
    fn refuses_runs_that_would_not_finish_unless_forced() {
        for set in [
            "arrivals.per_hour=1e12",
            "arrivals.per_hour=1e308",
            r#"arrivals.surges=[{ start = "0s", length = "7d", factor = 1e9 }]"#,
            "arrivals.hourly=[4294967296, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
        ] {
            let sc = default_with(&[set]);
            let e = check_work(&[(&sc, 10)], false, "the run")
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("--force") && e.contains("visitors"),
                "{set}: {e}"
            );
            assert!(check_work(&[(&sc, 10)], true, "the run").is_ok());
        }
        let sc = default_with(&[]);
        assert!(check_work(&[(&sc, 10)], false, "the run").is_ok());
    }

    #[test]
    fn threads_from_one_to_the_limit() {
        assert_eq!(threads("4"), Ok(4));
        for bad in ["0", "50000", "-1", "x"] {
            assert!(threads(bad).is_err(), "{bad}");
        }
    }
}

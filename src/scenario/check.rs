//! Raw file contents into a checked [`Scenario`] in one step: every default and every validation
//! lives here and in the parts split off, `arrivals` (sources and traces), `roster` (agents and
//! teams) and `routing` (streams).

use std::path::Path;

use crate::engine::Time;

use super::arrivals::{arrivals, resolve_sources};
use super::distribution;
use super::duration::DurationValue;
use super::error::Problem;
use super::expectations::expectations;
use super::fields::{SUM_TOLERANCE, share, shrinkage, time};
use super::raw::*;
use super::roster::{Roster, check_cap, roster};
use super::routing::streams;
use super::trace;
use super::*;

/// An attribute's value shares must sum to 1 within this.
const ATTRIBUTE_TOLERANCE: f64 = 1e-6;
/// Visitor attributes, and values of one attribute: each visitor who asks draws every attribute.
pub const MAX_ATTRIBUTES: usize = 64;
pub const MAX_ATTRIBUTE_VALUES: usize = 1_000;
/// Replications of one run: a run keeps every replication's tables (about 0.5 MB each for the
/// default scenario) until its report is written.
pub const MAX_REPLICATIONS: u32 = 1_000;
/// The time series keeps a row per bucket in every replication; this bounds its memory.
const MAX_BUCKETS: u64 = 20_000;

pub(crate) fn check(
    raw: RawScenario,
    default_name: &str,
    base_dir: &Path,
) -> Result<Scenario, Problem> {
    let name = scenario_name(raw.name, default_name)?;
    let simulation = simulation(&raw.simulation)?;
    let package = package(&raw.package)?;
    let mut arrivals = arrivals(raw.arrivals.as_ref(), simulation.start, base_dir)?;
    let visitors = visitors(&raw.visitors, base_dir)?;
    let mut roster = roster(&raw.agents, &package, base_dir)?;
    overflow(raw.package.overflow.as_ref(), &mut roster)?;
    let streams = streams(&raw.streams, &package, &visitors, &roster)?;
    resolve_sources(&mut arrivals, raw.arrivals.as_ref(), &visitors, &streams)?;
    if let Some(t) = &mut arrivals.trace {
        t.visitors = trace::validate(t, &streams, &visitors.attributes)
            .map_err(|why| Problem::new("arrivals.trace", why))?;
    }
    let accounts = accounts(&raw.accounts, &roster)?;
    let mut scenario = Scenario {
        name,
        simulation,
        package,
        arrivals,
        visitors,
        streams,
        agents: roster.agents,
        groups: roster.groups,
        teams: roster.teams,
        accounts,
        expect: Vec::new(),
        windows: Vec::new(),
        provenance: Provenance::default(),
    };
    if let Some(text) = &raw.simulation.window {
        let w = window_index(&mut scenario.windows, text, "simulation.window")?;
        scenario.simulation.window = Some(w);
    }
    let expect_windows = raw
        .expect
        .iter()
        .enumerate()
        .map(|(i, e)| {
            e.window
                .as_ref()
                .map(|w| window_index(&mut scenario.windows, w, &format!("expect[{i}].window")))
                .transpose()
        })
        .collect::<Result<Vec<_>, Problem>>()?;
    // Figure names depend on the teams and streams, so expectations are checked last.
    scenario.expect = expectations(&raw.expect, &expect_windows, &scenario)?;
    Ok(scenario)
}

/// The index of the window written `text` among `windows`, added if it is new.
fn window_index(windows: &mut Vec<Window>, text: &str, at: &str) -> Result<usize, Problem> {
    let w = super::window::parse_window(text).map_err(|why| Problem::new(at, why))?;
    Ok(match windows.iter().position(|x| x.text == w.text) {
        Some(i) => i,
        None => {
            windows.push(w);
            windows.len() - 1
        }
    })
}

/// The name also names the report folder, so it must be usable as one.
fn scenario_name(name: Option<String>, default_name: &str) -> Result<String, Problem> {
    let name = name.unwrap_or_else(|| default_name.to_string());
    check_name(&name).map_err(|why| Problem::new("name", why))?;
    Ok(name)
}

/// A scenario name, also a folder name: see [`super::fields::name`], and no `/`, `\\`, `.` or
/// `..`. Names read from other files (a shard's) are held to the same rule.
pub fn check_name(name: &str) -> Result<(), String> {
    super::fields::name(name, "name").map_err(|p| p.message)?;
    let bad = name.contains(['/', '\\']) || name == "." || name == "..";
    if bad {
        return Err(format!(
            "expected a name usable as a folder name, got {name:?}"
        ));
    }
    Ok(())
}

/// The longest horizon: far beyond any plan, and it lets time-weighted statistics multiply a
/// change by its instant in 64 bits (a whole cap of slots times 100 years of milliseconds).
const MAX_HORIZON: Time = Time::from_secs(100 * 365 * 86_400);

fn simulation(raw: &RawSimulation) -> Result<Simulation, Problem> {
    let horizon = positive_time(raw.horizon.as_ref(), 7.0 * 86_400.0, "simulation.horizon")?;
    if horizon > MAX_HORIZON {
        return Err(Problem::new(
            "simulation.horizon",
            format!("expected at most 100 years ({MAX_HORIZON}), got {horizon}"),
        ));
    }
    let warmup = time(raw.warmup.as_ref(), 0.0, "simulation.warmup")?;
    if warmup >= horizon {
        return Err(Problem::new(
            "simulation.warmup",
            format!("the warmup ({warmup}) must be shorter than the horizon ({horizon})"),
        ));
    }
    let replications = raw.replications.unwrap_or(10);
    if replications < 2 {
        return Err(Problem::new(
            "simulation.replications",
            format!("expected at least 2 (confidence intervals need two), got {replications}"),
        ));
    }
    if replications > MAX_REPLICATIONS {
        return Err(Problem::new(
            "simulation.replications",
            format!("expected at most {MAX_REPLICATIONS}, got {replications}"),
        ));
    }
    let bucket = match raw.bucket.as_ref() {
        Some(b) => positive_time(Some(b), 0.0, "simulation.bucket")?,
        None => default_bucket(horizon),
    };
    let buckets = horizon.millis().div_ceil(bucket.millis());
    if buckets > MAX_BUCKETS {
        return Err(Problem::new(
            "simulation.bucket",
            format!(
                "a bucket of {bucket} cuts the horizon of {horizon} into {buckets} buckets, more \
                 than {MAX_BUCKETS}: choose a wider bucket"
            ),
        ));
    }
    let interval = match raw.interval.as_ref() {
        Some(i) => interval_width(positive_time(Some(i), 0.0, "simulation.interval")?)
            .map_err(|why| Problem::new("simulation.interval", why))?,
        None => Time::from_secs(3600),
    };
    let start = match &raw.start {
        Some(t) => {
            super::zone::parse_start(&t.0).map_err(|why| Problem::new("simulation.start", why))?
        }
        None => super::zone::DEFAULT_START,
    };
    Ok(Simulation {
        horizon,
        warmup,
        replications,
        seed: raw.seed.unwrap_or(1),
        bucket,
        interval,
        window: None,
        start,
    })
}

/// An interval of the week must tile every day: a whole number of minutes from 5 minutes to a
/// day that divides the day.
fn interval_width(t: Time) -> Result<Time, String> {
    const DAY_MS: u64 = 86_400_000;
    let ms = t.millis();
    if !ms.is_multiple_of(60_000) || !(300_000..=DAY_MS).contains(&ms) || !DAY_MS.is_multiple_of(ms)
    {
        return Err(format!(
            "expected a whole number of minutes from 5m to 24h that divides a day (like 15m,              30m or 1h), got {t}"
        ));
    }
    Ok(t)
}

fn package(raw: &RawPackage) -> Result<Package, Problem> {
    let tier = match raw.tier.unwrap_or(RawTier::Prime) {
        RawTier::Select => Tier::Select,
        RawTier::Prime => Tier::Prime,
    };
    let limit = |l: Option<Limit>, default: Option<u64>| match l {
        None => default,
        Some(Limit::Count(n)) => Some(n),
        Some(Limit::Unlimited) => None,
    };
    let release = release(raw.release.as_deref())?;
    let accept_timeout =
        positive_time(raw.accept_timeout.as_ref(), 100.0, "package.accept_timeout")?;
    // January 2024: the cap became an admin setting, 5 unless changed.
    let cap = raw
        .cap
        .unwrap_or(if release >= Release::Jan2024 { 5 } else { 10 });
    check_cap(cap, "package.cap")?;
    let revamp = release >= Release::Jun2025;
    let calendar = raw.calendar.unwrap_or(false);
    if calendar && !revamp {
        return Err(Problem::new(
            "package.calendar",
            format!(
                r#"the calendar after failed attempts is the routing revamp's (release = "2025-06"), this scenario has release = {:?}"#,
                release.name()
            ),
        ));
    }
    let round_robin_fallback = raw
        .round_robin_fallback
        .unwrap_or(release >= Release::Apr2025);
    let account_fallback = match raw.account_fallback {
        None | Some(RawAccountFallback::MappedOnly) => AccountFallback::MappedOnly,
        Some(RawAccountFallback::RoundRobin) => AccountFallback::RoundRobin,
    };
    if account_fallback == AccountFallback::RoundRobin && !round_robin_fallback {
        return Err(Problem::new(
            "package.account_fallback",
            r#""round_robin" needs the round-robin fallback (release = "2025-04" or later, or round_robin_fallback = true)"#,
        ));
    }
    Ok(Package {
        tier,
        release,
        round_robin_fallback,
        account_fallback,
        calendar,
        trial_engagements: limit(raw.trial_engagements, (tier == Tier::Select).then_some(100)),
        monthly_engagements: limit(raw.monthly_engagements, None),
        monthly_counting: match raw.monthly_counting {
            None | Some(RawMonthlyCounting::Conversations) => MonthlyCounting::Conversations,
            Some(RawMonthlyCounting::LiveChats) => MonthlyCounting::LiveChats,
        },
        // The revamp: up to two attempts on every package and routing option.
        retries: raw
            .team_retries
            .unwrap_or(if tier == Tier::Prime || revamp { 1 } else { 0 }),
        retry_scope: match raw.retry_scope.unwrap_or(if revamp {
            RawRetryScope::Any
        } else {
            RawRetryScope::Team
        }) {
            RawRetryScope::Team => RetryScope::Team,
            RawRetryScope::Any => RetryScope::Any,
        },
        accept_timeout,
        cap,
        inactivity_timeout: time(
            raw.inactivity_timeout.as_ref(),
            600.0,
            "package.inactivity_timeout",
        )?,
        queue: raw
            .queue
            .as_ref()
            .map(|q| {
                let max_wait = time(Some(&q.max_wait), 0.0, "package.queue.max_wait")?;
                if max_wait == Time::ZERO {
                    return Err(Problem::new(
                        "package.queue.max_wait",
                        "must be longer than 0 (omit the queue for none)",
                    ));
                }
                Ok(Queue { max_wait })
            })
            .transpose()?,
        break_length: positive_time(raw.break_length.as_ref(), 900.0, "package.break_length")?,
        shrinkage: shrinkage(raw.shrinkage, 0.0, "package.shrinkage")?,
    })
}

/// `[package] release`: one of the release names, `"overview"` when not given.
fn release(raw: Option<&str>) -> Result<Release, Problem> {
    let Some(name) = raw else {
        return Ok(Release::Overview);
    };
    Release::ALL
        .into_iter()
        .find(|r| r.name() == name)
        .ok_or_else(|| {
            let names: Vec<String> = Release::ALL
                .iter()
                .map(|r| format!("{:?}", r.name()))
                .collect();
            Problem::new(
                "package.release",
                format!("expected one of {}, got {name:?}", names.join(", ")),
            )
        })
}

fn visitors(raw: &RawVisitors, base_dir: &Path) -> Result<Visitors, Problem> {
    if raw.attributes.0.len() > MAX_ATTRIBUTES {
        return Err(Problem::new(
            "visitors.attributes",
            format!(
                "expected at most {MAX_ATTRIBUTES} attributes, got {}",
                raw.attributes.0.len()
            ),
        ));
    }
    let mut attributes = Vec::new();
    for (name, values) in &raw.attributes.0 {
        let at = format!("visitors.attributes.{}", super::paths::label(name));
        super::fields::name(name, &at)?;
        for (value, _) in &values.0 {
            super::fields::name(value, &format!("{at}.{}", super::paths::label(value)))?;
        }
        if values.0.len() > MAX_ATTRIBUTE_VALUES {
            return Err(Problem::new(
                at,
                format!(
                    "expected at most {MAX_ATTRIBUTE_VALUES} values, got {}",
                    values.0.len()
                ),
            ));
        }
        if values.0.is_empty() {
            return Err(Problem::new(
                at,
                "expected at least one value with its share, like { US = 0.6, DE = 0.4 }",
            ));
        }
        for (value, p) in &values.0 {
            share(*p, &format!("{at}.{value}"))?;
        }
        let sum: f64 = values.0.iter().map(|(_, p)| p).sum();
        if (sum - 1.0).abs() > ATTRIBUTE_TOLERANCE {
            return Err(Problem::new(
                at,
                format!("the values' shares must sum to 1, they sum to {sum}"),
            ));
        }
        attributes.push(Attribute {
            name: name.clone(),
            values: values.0.clone(),
        });
    }
    Ok(Visitors {
        attributes,
        silent_end: share(raw.silent_end.unwrap_or(0.0), "visitors.silent_end")?,
        patience: raw
            .patience
            .as_ref()
            .map(|d| distribution::build(d, "visitors.patience", base_dir))
            .transpose()?,
        meeting_booking: share(
            raw.meeting_booking.unwrap_or(0.0),
            "visitors.meeting_booking",
        )?,
    })
}

/// `[package] overflow = { sales = "emea" }`: each team named takes the other's overflow.
fn overflow(raw: Option<&Ordered<String>>, roster: &mut Roster) -> Result<(), Problem> {
    for (from, to) in raw.map_or(&[][..], |o| &o.0[..]) {
        let at = format!("package.overflow.{}", super::paths::label(from));
        let from_id = roster.team(from, &at)?;
        let to_id = roster.team(to, &at)?;
        if from_id == to_id {
            return Err(Problem::new(at, "a team cannot overflow to itself"));
        }
        roster.teams[from_id as usize].overflow = Some(to_id);
    }
    Ok(())
}

fn accounts(raw: &[RawAccount], roster: &Roster) -> Result<Vec<Account>, Problem> {
    let accounts = raw
        .iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(Account {
                owner: roster.agent(&a.owner, &format!("accounts[{i}].owner"))?,
                share: share(a.share, &format!("accounts[{i}].share"))?,
            })
        })
        .collect::<Result<Vec<_>, Problem>>()?;
    let total: f64 = accounts.iter().map(|a| a.share).sum();
    if total > 1.0 + SUM_TOLERANCE {
        return Err(Problem::new(
            "accounts",
            format!("the accounts' shares sum to {total}, more than 1"),
        ));
    }
    Ok(accounts)
}

/// Hourly buckets up to a month; for longer horizons the narrowest of a few round widths (up to
/// a week) that keeps the series to a month's worth of rows, and past 744 weeks the whole hours
/// that do, so that a year's run needs no more memory for its time series than a month's (and
/// its plots stay readable).
fn default_bucket(horizon: Time) -> Time {
    const ROWS: u64 = 31 * 24;
    const HOURS: [u64; 7] = [1, 2, 3, 6, 12, 24, 168];
    let hours = HOURS
        .into_iter()
        .find(|h| horizon.millis().div_ceil(h * 3_600_000) <= ROWS)
        .unwrap_or_else(|| horizon.millis().div_ceil(ROWS * 3_600_000));
    Time::from_secs(hours * 3600)
}

/// [`time`] for a span that must not be zero.
fn positive_time(
    raw: Option<&DurationValue>,
    default_secs: f64,
    at: &str,
) -> Result<Time, Problem> {
    let t = time(raw, default_secs, at)?;
    if t == Time::ZERO {
        return Err(Problem::new(at, "must be longer than 0"));
    }
    Ok(t)
}

//! What `fit` writes: the estimated scenario (TOML, each estimate commented with its standard
//! error and a goodness-of-fit figure), `fit.json` with every estimate, and the plots of fitted
//! against observed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::tz::TimeZone;
use serde_json::{Value, json};

use super::arrivals::{self, HOURS, Profile};
use super::collect::Observed;
use super::families::Fitted;
use super::log::Format;
use super::{DurationFit, FitOptions};
use crate::report::plots::{BLUE, Curve, Curves, ORANGE, VERMILION};
use crate::scenario::DAY_NAMES;

/// One agent group's estimates.
#[derive(Clone, Debug)]
pub struct GroupFit {
    pub name: String,
    pub count: usize,
    pub team: Option<String>,
    pub offers: u64,
    /// Share of offers never answered (withdrawn offers left out), with its standard error.
    pub miss: (f64, f64),
    /// Share of answers within the window that were declines.
    pub decline: (f64, f64),
    pub response: Option<DurationFit>,
    pub chat: Option<DurationFit>,
    /// Share of ended chats that ended by inactivity.
    pub inactivity: (f64, f64),
    /// Weekly availability read from activity (local time of the fit's zone); empty: always.
    pub schedule: Vec<String>,
}

pub struct FitReport {
    pub observed: Observed,
    pub profile: Profile,
    pub groups: Vec<GroupFit>,
    pub patience: Option<DurationFit>,
    pub connect: Option<DurationFit>,
    pub window_s: f64,
    pub silent_end: (f64, f64),
    pub start: jiff::Timestamp,
    pub days: i64,
    pub inactivity_s: f64,
    /// Per agent group, schedule lines taken from a scenario (`--schedules-from`), which
    /// replace the schedule read from activity; with where they come from.
    pub schedules: BTreeMap<String, Vec<String>>,
    pub schedules_from: String,
    /// Use empirical distributions everywhere (else only where no family fits).
    pub empirical: bool,
}

/// An empirical distribution's file, written beside the scenario.
pub struct SampleFile {
    pub name: String,
    pub seconds: Vec<f64>,
}

/// A name made safe for a file name: letters, digits, `-` and `_`.
fn file_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn share(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    let p = k as f64 / n as f64;
    (p, (p * (1.0 - p) / n as f64).sqrt())
}

/// The miss share by maximum likelihood: a missed offer is never answered (share m); an offer
/// withdrawn after `w` was either to be missed or to be answered later than `w`, with
/// probability m + (1 - m) S(w) under the fitted response distribution. Leaving withdrawn
/// offers out would bias m low: the visitors who leave are mostly those whose offer was
/// never going to be answered. Solved by expectation-maximisation; the standard error is the
/// binomial one over the offers.
fn miss_share(g: &super::Group, response: Option<&DurationFit>) -> (f64, f64) {
    let (Some(d), true) = (response, g.withdrawn > 0) else {
        return share(g.missed, g.offers - g.withdrawn);
    };
    let dist = d.best().dist;
    let points: Vec<(f64, f64)> = g
        .withdrawn_at
        .censored_points()
        .iter()
        .map(|&(w, n)| (1.0 - dist.cdf(w), n as f64))
        .collect();
    let mut m = share(g.missed, g.offers - g.withdrawn).0.max(1e-6);
    for _ in 0..200 {
        let expected: f64 = points
            .iter()
            .map(|&(s, n)| n * m / (m + (1.0 - m) * s).max(1e-300))
            .sum();
        m = (g.missed as f64 + expected) / g.offers.max(1) as f64;
    }
    (m, (m * (1.0 - m) / g.offers.max(1) as f64).sqrt())
}

/// Hours of the week a group was active in at least half of the weeks observed, as schedule
/// lines; none when it was active at every hour (always online).
fn schedule(active_weeks: &[u32], exposure: &[f64; HOURS]) -> Vec<String> {
    let on: Vec<bool> = (0..HOURS)
        .map(|c| exposure[c] <= 0.0 || active_weeks[c] as f64 >= 0.5 * exposure[c])
        .collect();
    if on.iter().all(|&b| b) {
        return Vec::new();
    }
    let mut lines = Vec::new();
    for (d, day) in DAY_NAMES.iter().enumerate() {
        let mut h = 0;
        while h < 24 {
            if on[d * 24 + h] {
                let from = h;
                while h < 24 && on[d * 24 + h] {
                    h += 1;
                }
                lines.push(format!("{day} {from:02}:00-{h:02}:00"));
            } else {
                h += 1;
            }
        }
    }
    lines
}

pub fn report(observed: Observed, tz: &TimeZone, opts: &FitOptions) -> FitReport {
    let (start_ms, end_ms) = arrivals::period(observed.first_ms, observed.last_ms, tz);
    let exposure = arrivals::exposure(start_ms, end_ms, tz);
    let profile = arrivals::fit_profile(
        &observed.arrivals,
        &exposure,
        &opts.time_zone,
        opts.smooth_hours,
    );
    let groups = observed
        .groups
        .iter()
        .map(|(name, g)| {
            let answered = g.accepted + g.declined;
            let response = DurationFit::of(&g.response);
            GroupFit {
                name: name.clone(),
                count: g.agents.len(),
                team: g
                    .teams
                    .iter()
                    .max_by_key(|(_, n)| **n)
                    .map(|(t, _)| t.clone()),
                offers: g.offers,
                miss: miss_share(g, response.as_ref()),
                decline: share(g.declined, answered),
                response,
                chat: DurationFit::of(&g.chat),
                inactivity: share(g.inactivity, g.inactivity + g.closed),
                schedule: schedule(&g.active_weeks, &exposure),
            }
        })
        .collect();
    let (silent, ended) = observed.groups.values().fold((0, 0), |(s, e), g| {
        (s + g.inactivity, e + g.inactivity + g.closed)
    });
    let window_ms = observed
        .window_ms
        .iter()
        .max_by_key(|(_, n)| **n)
        .map_or(100_000, |(ms, _)| *ms);
    FitReport {
        patience: (observed.abandoned > 0)
            .then(|| DurationFit::of(&observed.patience))
            .flatten(),
        connect: DurationFit::of(&observed.connect),
        profile,
        groups,
        window_s: (window_ms as f64 / 1000.0).round(),
        silent_end: share(silent, ended),
        start: jiff::Timestamp::from_millisecond(start_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        days: ((end_ms - start_ms) as f64 / 86_400_000.0).round() as i64,
        inactivity_s: opts.inactivity_s,
        schedules: BTreeMap::new(),
        schedules_from: String::new(),
        empirical: opts.empirical,
        observed,
    }
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(v: &[f64], decimals: usize) -> String {
    let items: Vec<String> = v.iter().map(|x| format!("{x:.decimals$}")).collect();
    format!("[{}]", items.join(", "))
}

/// `# lognormal by AIC (weibull +12.3, gamma +40.1); median 25.1 s ± 0.2, mean 32.0 s ± 0.3;
/// KS distance 0.004; 1234 observed, 56 censored`.
fn describe(d: &DurationFit) -> String {
    let best = d.best();
    let others: Vec<String> = d.families[1..]
        .iter()
        .map(|f| format!("{} {:+.1}", f.dist.family.name(), f.aic - best.aic))
        .collect();
    format!(
        "{} by AIC ({}); median {:.2} s ± {:.2}, mean {:.2} s ± {:.2} (standard errors); \
         Kolmogorov-Smirnov distance {:.4}; {} observed, {} censored",
        best.dist.family.name(),
        if others.is_empty() {
            "the only family fitted".to_string()
        } else {
            format!("AIC over it: {}", others.join(", "))
        },
        best.dist.median(),
        best.median_se,
        best.dist.mean(),
        best.mean_se,
        best.ks,
        d.exact,
        d.censored
    )
}

fn fitted_json(f: &Fitted) -> Value {
    json!({
        "family": f.dist.family.name(),
        "toml": f.dist.toml(),
        "median_s": f.dist.median(),
        "median_se": f.median_se,
        "mean_s": f.dist.mean(),
        "mean_se": f.mean_se,
        "aic": f.aic,
        "ks": f.ks,
    })
}

fn duration_json(d: &Option<DurationFit>) -> Value {
    match d {
        None => Value::Null,
        Some(d) => json!({
            "best": fitted_json(d.best()),
            "families": d.families.iter().map(fitted_json).collect::<Vec<_>>(),
            "naive_uncensored": d.naive.as_ref().map(fitted_json),
            "observed": d.exact,
            "censored": d.censored,
        }),
    }
}

impl FitReport {
    /// The estimated scenario as a commented TOML document that `chatsim run` reads.
    /// `stem` names the empirical files beside the scenario (`<stem>-<group>-response.csv`).
    pub fn scenario_toml(&self, source: &str, stem: &str) -> String {
        let o = &self.observed;
        let p = &self.profile;
        let mut t = String::new();
        let _ = writeln!(
            t,
            "# Fitted by `chatsim fit` from {source} ({} rows, {} requests, {} days from {}).",
            o.rows,
            o.requests,
            self.days,
            self.start.strftime("%Y-%m-%d %H:%M UTC")
        );
        let _ = writeln!(
            t,
            "# Each estimate is commented with its standard error (±) and a goodness-of-fit \
             figure.\n# Requests are the visitors who asked for an agent: streams have \
             live_chat = 1 and per_hour counts requests."
        );
        if o.format == Format::Callbacks {
            let _ = writeln!(
                t,
                "# From website callbacks: response times are the visitor's wait to connect, \
                 misses, declines,\n# inactivity and attributes are not in the log and keep \
                 their defaults."
            );
        }
        let _ = writeln!(t, "\n[simulation]");
        let _ = writeln!(
            t,
            "start = {}\nhorizon = \"{}d\"",
            quoted(&self.start.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
            self.days.max(1)
        );
        let teams: Vec<&String> = self.groups.iter().filter_map(|g| g.team.as_ref()).collect();
        let _ = writeln!(t, "\n[package]");
        let _ = writeln!(
            t,
            "tier = \"{}\"",
            if teams.is_empty() { "select" } else { "prime" }
        );
        if teams.is_empty() {
            let _ = writeln!(t, "trial_engagements = \"none\"");
        }
        let _ = writeln!(
            t,
            "accept_timeout = \"{}s\"   # the most common length of offers that timed out",
            self.window_s
        );
        let _ = writeln!(t, "inactivity_timeout = \"{}s\"", self.inactivity_s);
        let _ = writeln!(t, "\n[arrivals]");
        let _ = writeln!(
            t,
            "time_zone = {}\nper_hour = {:.4}   # ± {:.4}; hourly and weekday below average 1; \
             Pearson chi-square per degree of freedom {:.2} over the 168 hours of the week \
             (smoothing {} h either side)",
            quoted(&p.time_zone),
            p.per_hour,
            p.per_hour_se,
            p.chi2_per_df,
            p.smooth_hours
        );
        let _ = writeln!(t, "hourly = {}", list(&p.hourly, 4));
        let _ = writeln!(t, "weekday = {}", list(&p.weekday, 4));
        let _ = writeln!(t, "\n[visitors]");
        if !o.attribute_names.is_empty() {
            let attrs: Vec<String> = o
                .attribute_names
                .iter()
                .zip(&o.attributes)
                .filter(|(_, v)| !v.is_empty())
                .map(|(name, values)| {
                    let n: u64 = values.values().sum();
                    let shares: Vec<String> = values
                        .iter()
                        .map(|(v, k)| format!("{} = {:.4}", quoted(v), *k as f64 / n as f64))
                        .collect();
                    format!("{} = {{ {} }}", quoted(name), shares.join(", "))
                })
                .collect();
            if !attrs.is_empty() {
                let _ = writeln!(t, "attributes = {{ {} }}", attrs.join(", "));
            }
        }
        if o.format == Format::Events {
            let _ = writeln!(
                t,
                "silent_end = {:.4}   # ± {:.4}: chats ended by inactivity",
                self.silent_end.0, self.silent_end.1
            );
        }
        match &self.patience {
            Some(d) => {
                let _ = writeln!(
                    t,
                    "# patience: {}\npatience = {}",
                    describe(d),
                    d.best().dist.toml()
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "# no abandonment in the log: visitors wait (no patience)"
                );
            }
        }
        let total: u64 = o.streams.values().sum();
        for (name, n) in &o.streams {
            let _ = writeln!(t, "\n[[streams]]\nname = {}", quoted(name));
            let (s, se) = share(*n, total);
            let _ = writeln!(t, "share = {s:.4}   # ± {se:.4}\nlive_chat = 1");
            let team = o.stream_teams.get(name).and_then(|teams| {
                let sum: u64 = teams.values().sum();
                teams
                    .iter()
                    .max_by_key(|(_, k)| **k)
                    .filter(|(_, k)| **k as f64 >= 0.95 * sum as f64)
                    .map(|(t, _)| t.clone())
            });
            match team {
                Some(team) => {
                    let _ = writeln!(
                        t,
                        "routing = {{ mode = \"team\", team = {} }}",
                        quoted(&team)
                    );
                }
                None => {
                    let _ = writeln!(
                        t,
                        "routing = {{ mode = \"round_robin\" }}   # its requests reached \
                         several teams: write its rules by hand"
                    );
                }
            }
        }
        for g in &self.groups {
            let _ = writeln!(t, "\n[[agents]]\nname = {}", quoted(&g.name));
            let _ = writeln!(t, "count = {}", g.count);
            if let Some(team) = &g.team {
                let _ = writeln!(t, "team = {}", quoted(team));
            }
            if let Some(lines) = self.schedules.get(&g.name) {
                let none = if lines.is_empty() {
                    " (none: always online)"
                } else {
                    ""
                };
                let _ = writeln!(t, "# schedule from {}{none}", self.schedules_from);
                for l in lines {
                    let _ = writeln!(t, "{l}");
                }
            } else if !g.schedule.is_empty() {
                let lines: Vec<String> = g.schedule.iter().map(|s| quoted(s)).collect();
                let _ = writeln!(
                    t,
                    "# read from activity: the hours its agents had offers in at least half \
                     of the weeks\nschedule = [{}]\ntime_zone = {}",
                    lines.join(", "),
                    quoted(&p.time_zone)
                );
            }
            let response = g.response.as_ref().or(self.connect.as_ref());
            if let Some(d) = response {
                let _ = writeln!(
                    t,
                    "# response: {}\nresponse = {}",
                    describe(d),
                    self.dist_toml(d, stem, &g.name, "response")
                );
            }
            if o.format == Format::Events {
                let _ = writeln!(
                    t,
                    "miss = {:.4}   # ± {:.4} of {} offers\ndecline = {:.4}   # ± {:.4}",
                    g.miss.0, g.miss.1, g.offers, g.decline.0, g.decline.1
                );
            }
            if let Some(d) = &g.chat {
                let _ = writeln!(
                    t,
                    "# chat_length (active, without the inactivity timeout): {}\nchat_length = {}",
                    describe(d),
                    self.dist_toml(d, stem, &g.name, "chat_length")
                );
            }
        }
        t
    }

    /// Whether `d` is written as an empirical distribution.
    fn uses_empirical(&self, d: &DurationFit) -> bool {
        self.empirical || d.best().ks > super::POOR_FIT_KS
    }

    /// The distribution table of `d`: the best family's, or an empirical file's.
    fn dist_toml(&self, d: &DurationFit, stem: &str, group: &str, what: &str) -> String {
        if self.uses_empirical(d) {
            format!(
                "{{ dist = \"empirical\", file = {}, column = \"seconds\" }}   # Kaplan-Meier quantiles",
                quoted(&Self::file_name(stem, group, what))
            )
        } else {
            d.best().dist.toml()
        }
    }

    fn file_name(stem: &str, group: &str, what: &str) -> String {
        format!("{}-{}-{what}.csv", file_part(stem), file_part(group))
    }

    /// The empirical files the scenario names (none unless some distribution is empirical).
    pub fn sample_files(&self, stem: &str) -> Vec<SampleFile> {
        let mut out = Vec::new();
        for g in &self.groups {
            let response = g.response.as_ref().or(self.connect.as_ref());
            for (what, d, tail) in [
                ("response", response, self.window_s),
                ("chat_length", g.chat.as_ref(), 0.0),
            ] {
                if let Some(d) = d.filter(|d| self.uses_empirical(d)) {
                    out.push(SampleFile {
                        name: Self::file_name(stem, &g.name, what),
                        seconds: d.quantiles(1000, tail),
                    });
                }
            }
        }
        out
    }

    /// Every estimate, for scripts.
    pub fn json(&self) -> Value {
        let o = &self.observed;
        let p = &self.profile;
        json!({
            "format": o.format,
            "rows": o.rows,
            "requests": o.requests,
            "engaged": o.engaged,
            "abandoned": o.abandoned,
            "fallback": o.fallback,
            "start": self.start.to_string(),
            "days": self.days,
            "accept_window_s": self.window_s,
            "arrivals": p,
            "streams": o.streams,
            "attributes": o.attribute_names.iter().zip(&o.attributes).map(|(n, v)| (n.clone(), json!(v))).collect::<serde_json::Map<String, Value>>(),
            "silent_end": { "share": self.silent_end.0, "se": self.silent_end.1 },
            "patience": duration_json(&self.patience),
            "connect": duration_json(&self.connect),
            "groups": self.groups.iter().map(|g| json!({
                "name": g.name,
                "agents": g.count,
                "team": g.team,
                "offers": g.offers,
                "miss": { "share": g.miss.0, "se": g.miss.1 },
                "decline": { "share": g.decline.0, "se": g.decline.1 },
                "inactivity": { "share": g.inactivity.0, "se": g.inactivity.1 },
                "response": duration_json(&g.response),
                "chat_length": duration_json(&g.chat),
                "schedule": g.schedule,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Fitted against empirical distribution functions, per group (and patience), and fitted
/// against observed arrivals per hour of the week.
pub fn plots(r: &FitReport) -> Vec<Curves> {
    let mut out = Vec::new();
    let cdf = |name: &'static str,
               what: &str,
               fits: &[(String, &DurationFit)],
               marker: Option<(String, f64)>| {
        let palette = [BLUE, VERMILION, ORANGE];
        let mut curves = Vec::new();
        for (k, (label, d)) in fits.iter().enumerate() {
            let colour = palette[k % palette.len()];
            let km = d.empirical.clone();
            let best = d.best().dist;
            curves.push(Curve {
                label: format!("{label}: observed (Kaplan-Meier)"),
                points: km.iter().map(|&(x, f)| (x, 100.0 * f)).collect(),
                colour,
                dots: true,
            });
            let (lo, hi) = (
                km.first().map_or(0.1, |p| p.0).max(1e-2),
                km.last().map_or(100.0, |p| p.0),
            );
            let points = (0..=200)
                .map(|i| {
                    let x = lo * (hi / lo).powf(i as f64 / 200.0);
                    (x, 100.0 * best.cdf(x))
                })
                .collect();
            curves.push(Curve {
                label: format!("{label}: fitted {}", best.family.name()),
                points,
                colour,
                dots: false,
            });
        }
        Curves {
            name,
            title: format!("{what}: fitted against observed"),
            note: Some("observed with censoring taken into account (Kaplan-Meier)".into()),
            x_desc: "seconds (log scale)".into(),
            y_desc: "share at or below (%)".into(),
            curves,
            band: None,
            marker,
            log_x: true,
        }
    };
    let largest: Vec<&GroupFit> = {
        let mut g: Vec<&GroupFit> = r.groups.iter().collect();
        g.sort_by_key(|g| std::cmp::Reverse(g.offers));
        g.into_iter().take(3).collect()
    };
    let responses: Vec<(String, &DurationFit)> = largest
        .iter()
        .filter_map(|g| g.response.as_ref().map(|d| (g.name.clone(), d)))
        .collect();
    if !responses.is_empty() {
        out.push(cdf(
            "fit_response_times",
            "Agents' response times",
            &responses,
            Some((format!("accept window ({} s)", r.window_s), r.window_s)),
        ));
    }
    let chats: Vec<(String, &DurationFit)> = largest
        .iter()
        .filter_map(|g| g.chat.as_ref().map(|d| (g.name.clone(), d)))
        .collect();
    if !chats.is_empty() {
        out.push(cdf("fit_chat_lengths", "Active chat lengths", &chats, None));
    }
    let p = &r.profile;
    let hours = |v: &[f64]| -> Vec<(f64, f64)> {
        v.iter().enumerate().map(|(c, &x)| (c as f64, x)).collect()
    };
    out.push(Curves {
        name: "fit_arrivals",
        title: format!(
            "Requests per hour over the week ({}): fitted against observed",
            p.time_zone
        ),
        note: Some(
            "the band is each hour's observed rate ± 2 standard errors; hours from Monday 00:00"
                .into(),
        ),
        x_desc: "hour of the week".into(),
        y_desc: "requests per hour".into(),
        curves: vec![
            Curve {
                label: "observed".into(),
                points: hours(&p.rate),
                colour: BLUE,
                dots: true,
            },
            Curve {
                label: "fitted: per_hour x weekday x hourly".into(),
                points: hours(&p.fitted),
                colour: VERMILION,
                dots: false,
            },
        ],
        band: Some((
            "observed ± 2 standard errors".into(),
            (0..HOURS)
                .map(|c| {
                    (
                        c as f64,
                        (p.rate[c] - 2.0 * p.rate_se[c]).max(0.0),
                        p.rate[c] + 2.0 * p.rate_se[c],
                    )
                })
                .collect(),
        )),
        marker: None,
        log_x: false,
    });
    out
}

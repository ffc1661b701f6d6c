//! Back-tests: a scenario's simulated daily figures against a period's observed ones.
//!
//! The figures are the product dashboard's, per day (UTC, of the request's arrival) and per
//! team, and site-wide: requested, connected, missed (not connected: fallback or abandoned),
//! average chat length in minutes (inactivity timeout included, as the dashboard counts it) and
//! average agent response in seconds (from the offer to the accept). The same [`Daily`] tally
//! reads the observed log and every simulated replication, so both sides count alike.
//!
//! Each figure's simulated replications give a 95% *prediction* interval for one more
//! period's value (mean ± t(0.975, n-1) s sqrt(1 + 1/n)), not the interval of the mean: the
//! observed period is one draw, and what is asked is whether it is a plausible draw.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::model::{EventKind, EventRow, EventSink};
use crate::report::plots::{BLUE, Curve, Curves, VERMILION};
use crate::scenario::{Scenario, ScenarioError, open_regular};

pub const FIGURES: [&str; 5] = [
    "requested",
    "connected",
    "missed",
    "avg_chat_length_min",
    "avg_agent_response_s",
];

const PLOT_NAMES: [&str; 5] = [
    "backtest_requested",
    "backtest_connected",
    "backtest_missed",
    "backtest_avg_chat_length_min",
    "backtest_avg_agent_response_s",
];

const DAY_MS: i64 = 86_400_000;

/// One day's figures for one team (or the site, team ""), as sums.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub requested: u64,
    pub connected: u64,
    pub chat_sum_s: f64,
    pub chats: u64,
    pub response_sum_s: f64,
    pub responses: u64,
}

impl Cell {
    /// The five figures; an average with nothing to average is `None`.
    pub fn figures(&self) -> [Option<f64>; 5] {
        let avg = |sum: f64, n: u64| (n > 0).then(|| sum / n as f64);
        [
            Some(self.requested as f64),
            Some(self.connected as f64),
            Some(self.requested.saturating_sub(self.connected) as f64),
            avg(self.chat_sum_s / 60.0, self.chats),
            avg(self.response_sum_s, self.responses),
        ]
    }

    fn add(&mut self, o: &Cell) {
        self.requested += o.requested;
        self.connected += o.connected;
        self.chat_sum_s += o.chat_sum_s;
        self.chats += o.chats;
        self.response_sum_s += o.response_sum_s;
        self.responses += o.responses;
    }
}

/// (day from the period's start, team; "" for the whole site).
pub type Key = (usize, String);

struct Req {
    day: usize,
    team: String,
    offered: i64,
    accepted: Option<i64>,
    response_s: f64,
}

/// Per day and team, from a stream of rows in time order.
pub struct Daily {
    start_ms: i64,
    /// Callbacks: a timeout ends the request, and the wait to connect stands for the response.
    callbacks: bool,
    open: HashMap<String, Req>,
    cells: BTreeMap<Key, Cell>,
}

impl Daily {
    pub fn new(start_ms: i64, callbacks: bool) -> Daily {
        Daily {
            start_ms,
            callbacks,
            open: HashMap::new(),
            cells: BTreeMap::new(),
        }
    }

    pub fn row(&mut self, t: i64, request: &str, kind: EventKind, team: &str) {
        if kind == EventKind::Requested {
            let day = ((t - self.start_ms).max(0) / DAY_MS) as usize;
            self.open.insert(
                request.to_string(),
                Req {
                    day,
                    team: team.to_string(),
                    offered: t,
                    accepted: None,
                    response_s: 0.0,
                },
            );
            return;
        }
        let Some(r) = self.open.get_mut(request) else {
            return;
        };
        if !team.is_empty() && r.team != team {
            r.team = team.to_string();
        }
        match kind {
            EventKind::Offered => r.offered = t,
            EventKind::Accepted => {
                r.accepted = Some(t);
                r.response_s = (t - r.offered) as f64 / 1000.0;
            }
            EventKind::Ended => {
                let length = r.accepted.map(|a| (t - a) as f64 / 1000.0);
                self.close(request, true, length);
            }
            EventKind::Fallback | EventKind::Abandoned => self.close(request, false, None),
            EventKind::TimedOut if self.callbacks => self.close(request, false, None),
            _ => {}
        }
    }

    fn close(&mut self, request: &str, connected: bool, length_s: Option<f64>) {
        let Some(r) = self.open.remove(request) else {
            return;
        };
        Self::count(&mut self.cells, r, connected, length_s);
    }

    fn count(cells: &mut BTreeMap<Key, Cell>, r: Req, connected: bool, length_s: Option<f64>) {
        let connected = connected && r.accepted.is_some();
        let mut c = Cell {
            requested: 1,
            ..Cell::default()
        };
        if connected {
            c.connected = 1;
            c.responses = 1;
            c.response_sum_s = r.response_s;
            if let Some(l) = length_s {
                c.chats = 1;
                c.chat_sum_s = l;
            }
        }
        cells.entry((r.day, String::new())).or_default().add(&c);
        if !r.team.is_empty() {
            cells.entry((r.day, r.team)).or_default().add(&c);
        }
    }

    /// Requests still open at the end: connected when accepted (their length unknown).
    pub fn finish(mut self) -> BTreeMap<Key, Cell> {
        // In the order of the requests, never the map's: sums come out the same every time.
        let mut open: Vec<(String, Req)> = self.open.drain().collect();
        open.sort_by(|a, b| (a.1.day, &a.0).cmp(&(b.1.day, &b.0)));
        let open = open.into_iter().map(|(_, r)| r);
        for r in open {
            let connected = r.accepted.is_some();
            Self::count(&mut self.cells, r, connected, None);
        }
        self.cells
    }
}

/// The simulated side: a replication's rows into a [`Daily`].
pub struct DailySink<'a> {
    pub sc: &'a Scenario,
    pub daily: Daily,
    id: String,
}

impl<'a> DailySink<'a> {
    pub fn new(sc: &'a Scenario) -> DailySink<'a> {
        DailySink {
            sc,
            daily: Daily::new(sc.simulation.start.as_millisecond(), false),
            id: String::new(),
        }
    }
}

impl EventSink for DailySink<'_> {
    fn event(&mut self, r: &EventRow) {
        use std::fmt::Write as _;
        self.id.clear();
        let _ = write!(self.id, "{}", r.request);
        let team = r
            .team
            .map_or("", |t| self.sc.teams[t as usize].name.as_str());
        let t = self.daily.start_ms + r.time.millis() as i64;
        self.daily.row(t, &self.id, r.kind, team);
    }
}

/// One figure of one day and team, observed against simulated.
#[derive(Clone, Debug, Serialize)]
pub struct Compared {
    pub date: String,
    pub team: String,
    pub figure: &'static str,
    pub observed: f64,
    pub simulated_mean: f64,
    pub pi95_lo: f64,
    pub pi95_hi: f64,
    pub inside: bool,
    #[serde(skip)]
    pub day: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct FigureVerdict {
    pub figure: &'static str,
    pub cells: usize,
    pub inside: usize,
    pub coverage: f64,
    /// Mean absolute percentage error of the simulated mean, over cells observed above 0.
    pub mape: f64,
    pub passed: bool,
}

/// Compares every observed cell's figures with the replications' spread.
pub fn compare(
    observed: &BTreeMap<Key, Cell>,
    simulated: &[BTreeMap<Key, Cell>],
    start: jiff::Timestamp,
) -> Vec<Compared> {
    let n = simulated.len();
    let t = StudentsT::new(0.0, 1.0, (n.max(2) - 1) as f64)
        .map(|d| d.inverse_cdf(0.975))
        .unwrap_or(1.96);
    let empty = Cell::default();
    let mut out = Vec::new();
    for (key, cell) in observed {
        let obs = cell.figures();
        for (f, name) in FIGURES.iter().enumerate() {
            let Some(o) = obs[f] else { continue };
            let values: Vec<f64> = simulated
                .iter()
                .filter_map(|s| s.get(key).unwrap_or(&empty).figures()[f])
                .collect();
            if values.len() < 2 {
                continue;
            }
            let k = values.len() as f64;
            let mean = values.iter().sum::<f64>() / k;
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0);
            let half = t * var.sqrt() * (1.0 + 1.0 / k).sqrt();
            let (lo, hi) = ((mean - half).max(0.0), mean + half);
            let tol = 1e-9 * o.abs().max(1.0);
            out.push(Compared {
                date: date_of(start, key.0),
                team: key.1.clone(),
                figure: name,
                observed: o,
                simulated_mean: mean,
                pi95_lo: lo,
                pi95_hi: hi,
                inside: o >= lo - tol && o <= hi + tol,
                day: key.0,
            });
        }
    }
    out
}

fn date_of(start: jiff::Timestamp, day: usize) -> String {
    start
        .checked_add(jiff::SignedDuration::from_hours(24 * day as i64))
        .unwrap_or(start)
        .strftime("%Y-%m-%d")
        .to_string()
}

pub fn verdicts(rows: &[Compared], min_coverage: f64) -> Vec<FigureVerdict> {
    FIGURES
        .iter()
        .map(|&figure| {
            let of: Vec<&Compared> = rows.iter().filter(|r| r.figure == figure).collect();
            let inside = of.iter().filter(|r| r.inside).count();
            let errors: Vec<f64> = of
                .iter()
                .filter(|r| r.observed > 0.0)
                .map(|r| (r.simulated_mean - r.observed).abs() / r.observed)
                .collect();
            let coverage = if of.is_empty() {
                1.0
            } else {
                inside as f64 / of.len() as f64
            };
            FigureVerdict {
                figure,
                cells: of.len(),
                inside,
                coverage,
                mape: if errors.is_empty() {
                    0.0
                } else {
                    errors.iter().sum::<f64>() / errors.len() as f64
                },
                passed: coverage >= min_coverage,
            }
        })
        .collect()
}

pub fn csv(rows: &[Compared]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "date",
        "team",
        "figure",
        "observed",
        "simulated_mean",
        "pi95_lo",
        "pi95_hi",
        "inside",
    ])?;
    for r in rows {
        w.write_record([
            r.date.clone(),
            r.team.clone(),
            r.figure.to_string(),
            r.observed.to_string(),
            r.simulated_mean.to_string(),
            r.pi95_lo.to_string(),
            r.pi95_hi.to_string(),
            (r.inside as u8).to_string(),
        ])?;
    }
    Ok(w.into_inner()?)
}

/// JUnit XML: one test case per figure, failing when its coverage is below the threshold.
pub fn junit(verdicts: &[FigureVerdict], min_coverage: f64, scenario: &str) -> String {
    use quick_xml::escape::escape;
    let failures = verdicts.iter().filter(|v| !v.passed).count();
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"backtest {}\" tests=\"{}\" failures=\"{failures}\">\n",
        escape(scenario),
        verdicts.len()
    );
    for v in verdicts {
        x.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"backtest\"",
            v.figure
        ));
        if v.passed {
            x.push_str("/>\n");
        } else {
            x.push_str(&format!(
                ">\n      <failure message=\"coverage {:.1}% below {:.1}% ({} of {} days and teams inside the 95% prediction interval; MAPE {:.1}%)\"/>\n    </testcase>\n",
                100.0 * v.coverage,
                100.0 * min_coverage,
                v.inside,
                v.cells,
                100.0 * v.mape
            ));
        }
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

/// Per figure, the site's observed days against the simulated band.
pub fn plots(rows: &[Compared]) -> Vec<Curves> {
    FIGURES
        .iter()
        .zip(PLOT_NAMES)
        .map(|(&figure, name)| {
            let site: Vec<&Compared> = rows
                .iter()
                .filter(|r| r.figure == figure && r.team.is_empty())
                .collect();
            let inside = site.iter().filter(|r| r.inside).count();
            Curves {
                name,
                title: format!("Back-test: {figure} per day, observed against simulated"),
                note: Some(format!(
                    "{inside} of {} days inside the 95% prediction interval of the replications (site-wide)",
                    site.len()
                )),
                x_desc: "day of the period".into(),
                y_desc: figure.into(),
                curves: vec![
                    Curve {
                        label: "simulated mean".into(),
                        points: site.iter().map(|r| (r.day as f64, r.simulated_mean)).collect(),
                        colour: BLUE,
                        dots: false,
                    },
                    Curve {
                        label: "observed".into(),
                        points: site.iter().map(|r| (r.day as f64, r.observed)).collect(),
                        colour: VERMILION,
                        dots: true,
                    },
                ],
                band: Some((
                    "95% prediction interval".into(),
                    site.iter()
                        .map(|r| (r.day as f64, r.pi95_lo, r.pi95_hi))
                        .collect(),
                )),
                marker: None,
                log_x: false,
            }
        })
        .collect()
}

/// Reads the dashboard's daily export: `date, requested, connected, missed,
/// avg_chat_length_min, avg_agent_response_s` and optionally `team` (rows without it, or with
/// it empty, are the site's). Returns cells whose figures are the dashboard's: counts as
/// given, averages as sums over the connected chats so that [`Cell::figures`] gives them back.
pub fn read_dashboard(
    path: &Path,
    start: jiff::Timestamp,
) -> Result<BTreeMap<Key, Cell>, ScenarioError> {
    let label = path.display().to_string();
    let bad = |line: u64, m: String| super::log::bad(&label, line, m);
    let file = open_regular(path).map_err(|reason| ScenarioError::Read {
        file: label.clone(),
        reason,
    })?;
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(Box::new(file) as Box<dyn Read>);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad(1, e.to_string()))?
        .iter()
        .map(String::from)
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let mut at = Vec::new();
    for name in ["date"].iter().chain(FIGURES.iter()) {
        at.push(column(name).ok_or_else(|| {
            bad(
                1,
                format!(
                    "no {name} column (expected date, {}, and optionally team)",
                    FIGURES.join(", ")
                ),
            )
        })?);
    }
    let team = column("team");
    let start_date = start.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let mut cells = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |i: usize| rec.get(at[i]).unwrap_or("");
        let date: jiff::civil::Date = cell(0).parse().map_err(|_| {
            bad(
                line,
                format!(
                    "date {} is not a date like 2024-03-18",
                    crate::scenario::excerpt(cell(0))
                ),
            )
        })?;
        let day = (date - start_date).get_days();
        if day < 0 {
            return Err(bad(line, "the date is before the log's period".into()));
        }
        let mut v = [0.0; 5];
        for (k, x) in v.iter_mut().enumerate() {
            let text = cell(k + 1);
            *x = if text.is_empty() && k >= 3 {
                0.0
            } else {
                text.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| {
                        bad(
                            line,
                            format!(
                                "{} is {}: expected a number, at least 0",
                                FIGURES[k],
                                crate::scenario::excerpt(text)
                            ),
                        )
                    })?
            };
        }
        let connected = v[1] as u64;
        let team = team.and_then(|t| rec.get(t)).unwrap_or("").to_string();
        cells.insert(
            (day as usize, team),
            Cell {
                requested: v[0] as u64,
                connected,
                chat_sum_s: v[3] * 60.0 * connected as f64,
                chats: if v[3] > 0.0 { connected } else { 0 },
                response_sum_s: v[4] * connected as f64,
                responses: if v[4] > 0.0 { connected } else { 0 },
            },
        );
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_tally_counts_the_dashboard_figures() {
        let mut d = Daily::new(0, false);
        d.row(1000, "1", EventKind::Requested, "");
        d.row(1000, "1", EventKind::Offered, "sales");
        d.row(21_000, "1", EventKind::Accepted, "sales");
        d.row(621_000, "1", EventKind::Ended, "sales");
        d.row(2000, "2", EventKind::Requested, "");
        d.row(2000, "2", EventKind::Fallback, "sales");
        d.row(DAY_MS + 5, "3", EventKind::Requested, "");
        let cells = d.finish();
        let day0 = cells[&(0, String::new())].figures();
        assert_eq!(day0[0..3], [Some(2.0), Some(1.0), Some(1.0)]);
        assert_eq!(day0[3], Some(10.0));
        assert_eq!(day0[4], Some(20.0));
        assert_eq!(cells[&(0, "sales".to_string())].requested, 2);
        assert_eq!(cells[&(1, String::new())].figures()[2], Some(1.0));
    }

    #[test]
    fn a_prediction_interval_is_wider_than_the_spread_of_the_mean() {
        let obs: BTreeMap<Key, Cell> = [(
            (0, String::new()),
            Cell {
                requested: 10,
                ..Cell::default()
            },
        )]
        .into();
        let sims: Vec<BTreeMap<Key, Cell>> = [8, 9, 10, 11, 12]
            .iter()
            .map(|&n| {
                [(
                    (0, String::new()),
                    Cell {
                        requested: n,
                        ..Cell::default()
                    },
                )]
                .into()
            })
            .collect();
        let start: jiff::Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let rows = compare(&obs, &sims, start);
        let r = &rows[0];
        assert!(r.inside);
        // s = 1.58, t(0.975, 4) = 2.776, sqrt(1 + 1/5): half-width 4.81.
        assert!((r.pi95_hi - r.pi95_lo - 2.0 * 4.808).abs() < 0.01, "{r:?}");
        assert_eq!(r.date, "2024-01-01");
    }
}

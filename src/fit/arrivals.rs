//! The arrival rate per hour of the week, in a chosen time zone, and its split into the
//! scenario's keys: `per_hour` times a `weekday` multiplier times an `hourly` one.
//!
//! Requests are counted per hour of the week (Monday 00:00 local first); each hour's exposure is
//! how many hours of it the observed period held (whole local days from the first row's to the
//! last row's; a day on which the clocks change gives its hours as the wall clock shows them).
//! Smoothing (a planner's choice) pools each hour with its neighbours, `smooth` either side, as
//! counts over exposures. The split is the Poisson maximum-likelihood fit of the product form
//! (iterative proportional fitting); each hour's own estimate keeps its standard error
//! sqrt(n) / exposure, against which the fitted product is judged.

use jiff::tz::TimeZone;
use serde::Serialize;

pub const HOURS: usize = 168;

/// The cell of the week (0 = Monday 00:00 local) of `ms` since the epoch.
pub fn cell(ms: i64, tz: &TimeZone) -> usize {
    let z = jiff::Timestamp::from_millisecond(ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(tz.clone());
    let day = z.weekday().to_monday_zero_offset() as usize;
    day * 24 + z.hour() as usize
}

/// Counts requests per cell, caching the cell over quarter hours (every zone's offset is a
/// whole number of them).
pub struct Counter {
    tz: TimeZone,
    pub counts: [u64; HOURS],
    last: Option<(i64, usize)>,
}

const QUARTER_MS: i64 = 15 * 60 * 1000;

impl Counter {
    pub fn new(tz: TimeZone) -> Counter {
        Counter {
            tz,
            counts: [0; HOURS],
            last: None,
        }
    }

    pub fn count(&mut self, ms: i64) {
        let q = ms.div_euclid(QUARTER_MS);
        let c = match self.last {
            Some((lq, c)) if lq == q => c,
            _ => {
                let c = cell(ms, &self.tz);
                self.last = Some((q, c));
                c
            }
        };
        self.counts[c] += 1;
    }
}

/// The observed period: from the local midnight before `first_ms` to the local midnight after
/// `last_ms`, as UTC milliseconds.
pub fn period(first_ms: i64, last_ms: i64, tz: &TimeZone) -> (i64, i64) {
    let zoned = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(tz.clone())
    };
    let start = zoned(first_ms)
        .start_of_day()
        .map_or(first_ms, |d| d.timestamp().as_millisecond());
    let end = zoned(last_ms)
        .tomorrow()
        .and_then(|t| t.start_of_day())
        .map_or(last_ms + 1, |d| d.timestamp().as_millisecond());
    (start, end)
}

/// Hours of each cell in `[start, end)`, walked a quarter hour at a time.
pub fn exposure(start: i64, end: i64, tz: &TimeZone) -> [f64; HOURS] {
    let mut e = [0.0; HOURS];
    let mut t = start;
    while t < end {
        e[cell(t, tz)] += 0.25;
        t += QUARTER_MS;
    }
    e
}

/// The fitted profile.
#[derive(Clone, Debug, Serialize)]
pub struct Profile {
    pub time_zone: String,
    pub smooth_hours: usize,
    /// Requests per hour with the multipliers averaging 1.
    pub per_hour: f64,
    pub per_hour_se: f64,
    pub hourly: Vec<f64>,
    pub weekday: Vec<f64>,
    /// Per cell: the observed requests, the hours observed, the hour's own rate and its
    /// standard error, and the fitted product's rate.
    pub observed: Vec<u64>,
    pub exposure_h: Vec<f64>,
    pub rate: Vec<f64>,
    pub rate_se: Vec<f64>,
    pub fitted: Vec<f64>,
    /// Pearson's chi-square of the fitted rates against the counts, over its degrees of
    /// freedom: about 1 when the product form describes the week.
    pub chi2_per_df: f64,
}

pub fn fit_profile(
    counts: &[u64; HOURS],
    exposure: &[f64; HOURS],
    tz: &str,
    smooth: usize,
) -> Profile {
    let pooled = |v: &dyn Fn(usize) -> f64, c: usize| -> f64 {
        (0..=2 * smooth)
            .map(|k| v((c + HOURS + k - smooth) % HOURS))
            .sum()
    };
    let n: Vec<f64> = (0..HOURS)
        .map(|c| pooled(&|i| counts[i] as f64, c))
        .collect();
    let e: Vec<f64> = (0..HOURS).map(|c| pooled(&|i| exposure[i], c)).collect();
    let mut day = [1.0f64; 7];
    let mut hour = [1.0f64; 24];
    for _ in 0..200 {
        for (d, w) in day.iter_mut().enumerate() {
            let num: f64 = (0..24).map(|h| n[d * 24 + h]).sum();
            let den: f64 = (0..24).map(|h| e[d * 24 + h] * hour[h]).sum();
            *w = if den > 0.0 { num / den } else { 0.0 };
        }
        for (h, m) in hour.iter_mut().enumerate() {
            let num: f64 = (0..7).map(|d| n[d * 24 + h]).sum();
            let den: f64 = (0..7).map(|d| e[d * 24 + h] * day[d]).sum();
            *m = if den > 0.0 { num / den } else { 0.0 };
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (md, mh) = (mean(&day), mean(&hour));
    let scale = |v: &mut [f64], m: f64| {
        if m > 0.0 {
            v.iter_mut().for_each(|x| *x /= m)
        }
    };
    scale(&mut day, md);
    scale(&mut hour, mh);
    let per_hour = md * mh;
    let fitted: Vec<f64> = (0..HOURS)
        .map(|c| per_hour * day[c / 24] * hour[c % 24])
        .collect();
    let rate: Vec<f64> = (0..HOURS)
        .map(|c| if e[c] > 0.0 { n[c] / e[c] } else { 0.0 })
        .collect();
    let rate_se: Vec<f64> = (0..HOURS)
        .map(|c| {
            if e[c] > 0.0 {
                n[c].max(1.0).sqrt() / e[c]
            } else {
                0.0
            }
        })
        .collect();
    let (mut chi2, mut cells) = (0.0, 0);
    for c in 0..HOURS {
        let expected = fitted[c] * exposure[c];
        if expected > 0.0 {
            chi2 += (counts[c] as f64 - expected).powi(2) / expected;
            cells += 1;
        }
    }
    let df = (cells as f64 - 30.0).max(1.0);
    let total_n: f64 = counts.iter().sum::<u64>() as f64;
    let total_e: f64 = exposure.iter().sum();
    Profile {
        time_zone: tz.to_string(),
        smooth_hours: smooth,
        per_hour,
        per_hour_se: if total_e > 0.0 {
            total_n.sqrt() / total_e
        } else {
            0.0
        },
        hourly: hour.to_vec(),
        weekday: day.to_vec(),
        observed: counts.to_vec(),
        exposure_h: exposure.to_vec(),
        rate,
        rate_se,
        fitted,
        chi2_per_df: chi2 / df,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_of_profiles_is_recovered_exactly_from_its_expected_counts() {
        let day = [1.2, 1.0, 1.0, 1.0, 1.0, 0.5, 0.3];
        let hour: Vec<f64> = (0..24).map(|h| 0.5 + (h as f64 / 23.0)).collect();
        let mut counts = [0u64; HOURS];
        let exposure = [4.0; HOURS];
        for (c, n) in counts.iter_mut().enumerate() {
            *n = (100.0 * day[c / 24] * hour[c % 24] * 4.0).round() as u64;
        }
        let p = fit_profile(&counts, &exposure, "UTC", 0);
        for (c, &n) in counts.iter().enumerate() {
            let truth = n as f64 / 4.0;
            assert!((p.fitted[c] - truth).abs() < 0.01 * truth + 0.2, "{c}");
        }
        assert!((p.weekday.iter().sum::<f64>() - 7.0).abs() < 1e-9);
    }

    #[test]
    fn the_period_is_whole_local_days() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let first = "2024-03-30T12:00:00Z".parse::<jiff::Timestamp>().unwrap();
        let last = "2024-03-31T20:00:00Z".parse::<jiff::Timestamp>().unwrap();
        let (s, e) = period(first.as_millisecond(), last.as_millisecond(), &tz);
        // Saturday 00:00 CET to Monday 00:00 CEST: 47 hours, the clocks went forward.
        assert_eq!((e - s) / 3_600_000, 47);
        let hours: f64 = exposure(s, e, &tz).iter().sum();
        assert_eq!(hours, 47.0);
    }
}

//! `[arrivals]` into checked [`Arrivals`]: its own rate keys as one source, or several
//! `[[arrivals.sources]]`, each with its rate, profile, time zone and surges; or a trace.
//!
//! What a source's visitors bring (attribute values, stream shares) names attributes and streams,
//! so it is resolved in a second step, [`resolve_sources`], once those are checked.

use std::collections::HashMap;
use std::path::Path;

use jiff::Timestamp;

use super::error::Problem;
use super::fields::{SUM_TOLERANCE, listing, non_negative, share, time};
use super::raw::{RawArrivals, RawSource, RawSourceAttribute, RawSurge};
use super::*;

/// Surges of one source, its own and `[arrivals] surges` together: the rate at each instant
/// multiplies the surges over it.
pub const MAX_SURGES: usize = 1_000;
/// Sources in `[[arrivals.sources]]`: each arrival picks one by the sources' rates at the time.
pub const MAX_SOURCES: usize = 100;
/// A source's own attribute shares must sum to 1 within this, as `[visitors]`' do.
const ATTRIBUTE_TOLERANCE: f64 = 1e-6;

pub(super) fn arrivals(
    raw: Option<&RawArrivals>,
    start: Timestamp,
    base_dir: &Path,
) -> Result<Arrivals, Problem> {
    let missing = || {
        Problem::new(
            "arrivals",
            "missing: a scenario needs [arrivals] with per_hour = <visitors per hour> \
             (or [[arrivals.sources]], or trace = \"<visitors.csv>\")",
        )
    };
    let raw = raw.ok_or_else(missing)?;
    let trace = raw
        .trace
        .as_ref()
        .map(|file| {
            let label = super::paths::label(file);
            let path = super::paths::resolve(base_dir, file, &label)
                .map_err(|why| Problem::new("arrivals.trace", why))?;
            let mut ignored = Vec::new();
            for (key, given) in [
                ("per_hour", raw.per_hour.is_some()),
                ("hourly", raw.hourly.is_some()),
                ("weekday", raw.weekday.is_some()),
                ("surges", !raw.surges.is_empty()),
                ("time_zone", raw.time_zone.is_some()),
                ("sources", !raw.sources.is_empty()),
            ] {
                if given {
                    ignored.push(key);
                }
            }
            Ok(Trace {
                path,
                label,
                ignored,
                visitors: 0,
                start,
            })
        })
        .transpose()?;
    let sources = if raw.sources.is_empty() {
        let per_hour = match (raw.per_hour, &trace) {
            (Some(v), _) => non_negative(v, "arrivals.per_hour")?,
            (None, Some(_)) => 0.0,
            (None, None) => return Err(missing()),
        };
        let hourly = profile(raw.hourly.as_deref(), "arrivals.hourly", HOURLY)?;
        let weekday = profile(raw.weekday.as_deref(), "arrivals.weekday", WEEKDAY)?;
        vec![Source {
            name: String::new(),
            per_hour,
            hourly,
            weekday,
            surges: surges(&raw.surges, "arrivals.surges")?,
            clock: clock(raw.time_zone.as_deref(), "arrivals.time_zone")?,
            attributes: Vec::new(),
            streams: None,
        }]
    } else {
        sources(raw, &surges(&raw.surges, "arrivals.surges")?)?
    };
    Ok(Arrivals { sources, trace })
}

const HOURLY: &str = "one per hour of the day";
const WEEKDAY: &str = "one per day, Monday first";

/// `[[arrivals.sources]]`, each with `site` (`[arrivals] surges`) after its own surges.
fn sources(raw: &RawArrivals, site: &[Surge]) -> Result<Vec<Source>, Problem> {
    for (key, given) in [
        ("per_hour", raw.per_hour.is_some()),
        ("hourly", raw.hourly.is_some()),
        ("weekday", raw.weekday.is_some()),
        ("time_zone", raw.time_zone.is_some()),
    ] {
        if given {
            return Err(Problem::new(
                format!("arrivals.{key}"),
                format!(
                    "with [[arrivals.sources]] each source gives its own {key}: move it into \
                     the sources (arrivals.surges may stay, they apply to every source)"
                ),
            ));
        }
    }
    if raw.sources.len() > MAX_SOURCES {
        return Err(Problem::new(
            "arrivals.sources",
            format!(
                "expected at most {MAX_SOURCES} sources, got {}",
                raw.sources.len()
            ),
        ));
    }
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    raw.sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let at = format!("arrivals.sources[{i}]");
            super::fields::name(&s.name, &format!("{at}.name"))?;
            if let Some(first) = index_of.insert(&s.name, i) {
                return Err(Problem::new(
                    format!("{at}.name"),
                    format!(
                        "{:?} is already the name of arrivals.sources[{first}]",
                        s.name
                    ),
                ));
            }
            let mut surges = surges(&s.surges, &format!("{at}.surges"))?;
            if surges.len() + site.len() > MAX_SURGES {
                return Err(Problem::new(
                    format!("{at}.surges"),
                    format!(
                        "expected at most {MAX_SURGES} surges with arrivals.surges, got {}",
                        surges.len() + site.len()
                    ),
                ));
            }
            surges.extend_from_slice(site);
            Ok(Source {
                name: s.name.clone(),
                per_hour: non_negative(s.per_hour, &format!("{at}.per_hour"))?,
                hourly: profile(s.hourly.as_deref(), &format!("{at}.hourly"), HOURLY)?,
                weekday: profile(s.weekday.as_deref(), &format!("{at}.weekday"), WEEKDAY)?,
                clock: clock(s.time_zone.as_deref(), &format!("{at}.time_zone"))?,
                surges,
                attributes: Vec::new(),
                streams: None,
            })
        })
        .collect()
}

fn surges(raw: &[RawSurge], at: &str) -> Result<Vec<Surge>, Problem> {
    if raw.len() > MAX_SURGES {
        return Err(Problem::new(
            at,
            format!("expected at most {MAX_SURGES} surges, got {}", raw.len()),
        ));
    }
    raw.iter()
        .enumerate()
        .map(|(i, s)| {
            let at = format!("{at}[{i}]");
            Ok(Surge {
                start: time(Some(&s.start), 0.0, &format!("{at}.start"))?,
                length: time(Some(&s.length), 0.0, &format!("{at}.length"))?,
                factor: non_negative(s.factor, &format!("{at}.factor"))?,
            })
        })
        .collect()
}

/// UTC, a zone that never changes its offset (as that offset), or a zone with daylight saving.
fn clock(time_zone: Option<&str>, at: &str) -> Result<Clock, Problem> {
    let Some(name) = time_zone else {
        return Ok(Clock::Offset(0));
    };
    let tz = super::zone::time_zone(name).map_err(|why| Problem::new(at, why))?;
    Ok(match super::zone::fixed_offset(&tz) {
        Some(offset) => Clock::Offset(offset),
        None => Clock::Zone(tz),
    })
}

/// `N` non-negative multipliers, all 1 when not given.
fn profile<const N: usize>(raw: Option<&[f64]>, at: &str, what: &str) -> Result<[f64; N], Problem> {
    let Some(values) = raw else {
        return Ok([1.0; N]);
    };
    let array: [f64; N] = values.try_into().map_err(|_| {
        Problem::new(
            at,
            format!(
                "expected exactly {N} multipliers ({what}), got {}",
                values.len()
            ),
        )
    })?;
    for (i, &v) in array.iter().enumerate() {
        non_negative(v, &format!("{at}[{i}]"))?;
    }
    Ok(array)
}

/// Fills in what each source's visitors bring: its `attributes` against `[visitors]`' declared
/// attributes and values (which rules match), its `streams` against the scenario's streams.
pub(super) fn resolve_sources(
    arrivals: &mut Arrivals,
    raw: Option<&RawArrivals>,
    visitors: &Visitors,
    streams: &[Stream],
) -> Result<(), Problem> {
    let Some(raw) = raw else { return Ok(()) };
    for (i, (source, s)) in arrivals.sources.iter_mut().zip(&raw.sources).enumerate() {
        let at = format!("arrivals.sources[{i}]");
        source.attributes = attributes(s, &at, &visitors.attributes)?;
        source.streams = s
            .streams
            .as_ref()
            .map(|shares| stream_shares(shares, &format!("{at}.streams"), streams))
            .transpose()?;
    }
    Ok(())
}

fn attributes(
    s: &RawSource,
    at: &str,
    declared: &[Attribute],
) -> Result<Vec<AttributeDraw>, Problem> {
    if s.attributes.0.is_empty() {
        return Ok(Vec::new());
    }
    let mut draws = vec![AttributeDraw::Visitors; declared.len()];
    for (name, given) in &s.attributes.0 {
        let at = format!("{at}.attributes.{}", super::paths::label(name));
        let names: Vec<&str> = declared.iter().map(|a| a.name.as_str()).collect();
        let Some(k) = names.iter().position(|n| n == name) else {
            let known = if names.is_empty() {
                "no attributes are declared in [visitors]".to_string()
            } else {
                format!("attributes: {}", listing(&names))
            };
            return Err(Problem::new(
                at,
                format!(
                    "unknown attribute {}{} ({known}): declare it in [visitors] attributes, \
                     which rules match",
                    super::paths::excerpt(name),
                    did_you_mean(name, &names)
                ),
            ));
        };
        let attribute = &declared[k];
        let value = |v: &str, at: &str| {
            let values: Vec<&str> = attribute.values.iter().map(|(d, _)| d.as_str()).collect();
            values.iter().position(|d| *d == v).ok_or_else(|| {
                Problem::new(
                    at,
                    format!(
                        "unknown value {} of {}{} (values: {})",
                        super::paths::excerpt(v),
                        attribute.name,
                        did_you_mean(v, &values),
                        listing(&values)
                    ),
                )
            })
        };
        draws[k] = match given {
            RawSourceAttribute::Fixed(v) => AttributeDraw::Fixed(value(v, &at)? as u32),
            RawSourceAttribute::Shares(shares) => {
                if shares.0.is_empty() {
                    return Err(Problem::new(
                        at,
                        "expected a value or at least one value with its share",
                    ));
                }
                let mut p = vec![0.0; attribute.values.len()];
                for (v, q) in &shares.0 {
                    let at = format!("{at}.{}", super::paths::label(v));
                    p[value(v, &at)?] = share(*q, &at)?;
                }
                let sum: f64 = p.iter().sum();
                if (sum - 1.0).abs() > ATTRIBUTE_TOLERANCE {
                    return Err(Problem::new(
                        at,
                        format!("the values' shares must sum to 1, they sum to {sum}"),
                    ));
                }
                AttributeDraw::Shares(p)
            }
        };
    }
    Ok(draws)
}

fn stream_shares(
    raw: &super::raw::Ordered<f64>,
    at: &str,
    streams: &[Stream],
) -> Result<Vec<f64>, Problem> {
    let names: Vec<&str> = streams.iter().map(|s| s.name.as_str()).collect();
    let mut shares = vec![0.0; streams.len()];
    for (name, q) in &raw.0 {
        let at = format!("{at}.{}", super::paths::label(name));
        let Some(k) = names.iter().position(|n| n == name) else {
            return Err(Problem::new(
                at,
                format!(
                    "unknown stream {}{} (streams: {})",
                    super::paths::excerpt(name),
                    did_you_mean(name, &names),
                    listing(&names)
                ),
            ));
        };
        shares[k] = share(*q, &at)?;
    }
    let total: f64 = shares.iter().sum();
    if total > 1.0 + SUM_TOLERANCE {
        return Err(Problem::new(
            at,
            format!("the source's stream shares sum to {total}, more than 1"),
        ));
    }
    Ok(shares)
}

/// ` (did you mean "X"?)` for the known name closest to `name`, when one is close.
fn did_you_mean(name: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!(" (did you mean {k:?}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{Override, Scenario, ScenarioError, parse_str};
    use super::*;

    /// Two sources on a site with a region attribute and two streams.
    const SOURCES: &str = r#"
[arrivals]
surges = [{ start = "1d", length = "1h", factor = 2.0 }]

[[arrivals.sources]]
name = "amer"
per_hour = 50
time_zone = "America/New_York"
attributes = { region = "AMER" }

[[arrivals.sources]]
name = "apac"
per_hour = 30
time_zone = "Asia/Tokyo"
surges = [{ start = "2d", length = "3h", factor = 4.0 }]
attributes = { region = "APAC", size = { large = 1.0 } }
streams = { support = 0.25 }

[visitors]
attributes = { region = { AMER = 0.5, APAC = 0.5 }, size = { small = 0.8, large = 0.2 } }

[[streams]]
name = "pricing"
share = 0.6
live_chat = 0.5
routing = { mode = "round_robin" }

[[streams]]
name = "support"
share = 0.4
live_chat = 0.5
routing = { mode = "round_robin" }

[[agents]]
name = "a"
"#;

    fn with(sets: &[&str]) -> Result<Scenario, ScenarioError> {
        let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
        parse_str(SOURCES, "test", Path::new("."), &overrides)
    }

    #[track_caller]
    fn fails(sets: &[&str], parts: &[&str]) {
        let e = match with(sets) {
            Ok(_) => panic!("{sets:?}: expected an error"),
            Err(e) => e.to_string(),
        };
        for part in parts {
            assert!(e.contains(part), "{sets:?}: {e:?} lacks {part:?}");
        }
    }

    #[test]
    fn sources_carry_their_rates_zones_surges_attributes_and_streams() {
        let sc = with(&[]).unwrap();
        let s = &sc.arrivals.sources;
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].name.as_str(), s[0].per_hour), ("amer", 50.0));
        assert!(matches!(&s[0].clock, Clock::Zone(z) if z.iana_name() == Some("America/New_York")));
        assert!(matches!(&s[1].clock, Clock::Zone(z) if z.iana_name() == Some("Asia/Tokyo")));
        let sc = with(&["arrivals.sources.apac.time_zone=Etc/GMT-9"]).unwrap();
        assert_eq!(sc.arrivals.sources[1].clock, Clock::Offset(9 * 3600));
        // A source's own surges, then the site's.
        let factors = |i: usize| s[i].surges.iter().map(|x| x.factor).collect::<Vec<_>>();
        assert_eq!(factors(0), [2.0]);
        assert_eq!(factors(1), [4.0, 2.0]);
        assert_eq!(
            s[0].attributes,
            [AttributeDraw::Fixed(0), AttributeDraw::Visitors]
        );
        assert_eq!(
            s[1].attributes,
            [
                AttributeDraw::Fixed(1),
                AttributeDraw::Shares(vec![0.0, 1.0])
            ]
        );
        assert!(!s[0].is_plain() && s[0].streams.is_none());
        assert_eq!(s[1].streams.as_deref(), Some(&[0.0, 0.25][..]));
        assert_eq!(sc.arrivals.per_hour(), 80.0);
    }

    #[test]
    fn a_source_is_set_by_its_name() {
        let sc = with(&["arrivals.sources.apac.per_hour=7"]).unwrap();
        assert_eq!(sc.arrivals.sources[1].per_hour, 7.0);
        let sc = with(&["arrivals.sources.amer.time_zone=Europe/Berlin"]).unwrap();
        assert!(
            matches!(&sc.arrivals.sources[0].clock, Clock::Zone(z) if z.iana_name() == Some("Europe/Berlin"))
        );
        fails(
            &["arrivals.sources.emea.per_hour=7"],
            &[
                "set arrivals.sources.emea.per_hour=7",
                "\"emea\"",
                "amer, apac",
            ],
        );
    }

    #[test]
    fn every_bad_source_key_is_named() {
        fails(
            &["arrivals.sources.apac.rate=7"],
            &["arrivals.sources[1]", "unknown field `rate`"],
        );
        fails(
            &["arrivals.sources.apac.time_zone=Asia/Tokio"],
            &[
                "arrivals.sources[1].time_zone",
                "unknown time zone",
                "did you mean \"Asia/Tokyo\"?",
            ],
        );
        fails(
            &["arrivals.sources.apac.attributes={ region = \"APCA\" }"],
            &[
                "arrivals.sources[1].attributes.region",
                "unknown value \"APCA\" of region",
                "did you mean \"APAC\"?",
                "values: AMER, APAC",
            ],
        );
        fails(
            &["arrivals.sources.apac.attributes={ regoin = \"APAC\" }"],
            &[
                "arrivals.sources[1].attributes.regoin",
                "unknown attribute \"regoin\"",
                "did you mean \"region\"?",
                "attributes: region, size",
            ],
        );
        fails(
            &["arrivals.sources.apac.attributes={ size = { large = 0.5 } }"],
            &["arrivals.sources[1].attributes.size", "sum to 1"],
        );
        fails(
            &["arrivals.sources.apac.attributes={ size = { huge = 1.0 } }"],
            &[
                "arrivals.sources[1].attributes.size.huge",
                "unknown value \"huge\"",
            ],
        );
        fails(
            &["arrivals.sources.apac.attributes={ size = 3 }"],
            &["arrivals.sources[1].attributes.size", "a value like"],
        );
        fails(
            &["arrivals.sources.apac.streams={ suport = 0.5 }"],
            &[
                "arrivals.sources[1].streams.suport",
                "unknown stream",
                "did you mean \"support\"?",
            ],
        );
        fails(
            &["arrivals.sources.apac.streams={ support = 0.7, pricing = 0.7 }"],
            &["arrivals.sources[1].streams", "sum to 1.4"],
        );
        fails(
            &["arrivals.sources.apac.streams={ support = 1.5 }"],
            &["arrivals.sources[1].streams.support", "share from 0 to 1"],
        );
        fails(
            &["arrivals.sources.apac.per_hour=-1"],
            &["arrivals.sources[1].per_hour", "non-negative"],
        );
        fails(
            &["arrivals.sources.apac.hourly=[1, 2]"],
            &["arrivals.sources[1].hourly", "exactly 24"],
        );
        fails(
            &["arrivals.sources.apac.weekday=[1, 1, 1, 1, 1, 1, -1]"],
            &["arrivals.sources[1].weekday[6]"],
        );
        fails(
            &["arrivals.sources.apac.surges=[{ start = \"1d\", length = \"1h\", factor = -2 }]"],
            &["arrivals.sources[1].surges[0].factor"],
        );
        fails(
            &["arrivals.sources.apac.name=amer"],
            &[
                "arrivals.sources[1].name",
                "already the name of arrivals.sources[0]",
            ],
        );
        fails(
            &["arrivals.sources.1.name="],
            &["arrivals.sources[1].name", "expected a name"],
        );
        // The site's rate keys belong in the sources once there are sources.
        for key in ["per_hour=10", "hourly=[1]", "weekday=[1]", "time_zone=UTC"] {
            let set = format!("arrivals.{key}");
            let name = key.split('=').next().unwrap();
            fails(
                &[&set],
                &[&format!("arrivals.{name}"), "each source gives its own"],
            );
        }
    }

    #[test]
    fn a_trace_replaces_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.csv"), "time_s,stream\n1,pricing\n").unwrap();
        let overrides = ["arrivals.trace=t.csv".parse().unwrap()];
        let sc = parse_str(SOURCES, "test", dir.path(), &overrides).unwrap();
        let ignored = &sc.arrivals.trace.as_ref().unwrap().ignored;
        assert_eq!(ignored, &["surges", "sources"]);
    }
}

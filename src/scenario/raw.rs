//! The scenario file as written: every optional key is an `Option`, unknown keys are errors.
//! Defaults and checks live in `check`, in one place.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use super::duration::DurationValue;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    #[serde(default)]
    pub simulation: RawSimulation,
    #[serde(default)]
    pub package: RawPackage,
    pub arrivals: Option<RawArrivals>,
    #[serde(default)]
    pub visitors: RawVisitors,
    #[serde(default)]
    pub streams: Vec<RawStream>,
    #[serde(default)]
    pub agents: Vec<RawAgent>,
    #[serde(default)]
    pub accounts: Vec<RawAccount>,
    #[serde(default)]
    pub expect: Vec<RawExpect>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub horizon: Option<DurationValue>,
    pub warmup: Option<DurationValue>,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    pub bucket: Option<DurationValue>,
    pub interval: Option<DurationValue>,
    pub window: Option<String>,
    pub start: Option<RawInstant>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum RawTier {
    Select,
    Prime,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum RawRetryScope {
    Team,
    Any,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum RawMonthlyCounting {
    Conversations,
    LiveChats,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum RawAccountFallback {
    MappedOnly,
    RoundRobin,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPackage {
    pub tier: Option<RawTier>,
    /// Checked against the release names in `check`, so that an unknown one names them all.
    pub release: Option<String>,
    pub round_robin_fallback: Option<bool>,
    pub account_fallback: Option<RawAccountFallback>,
    pub calendar: Option<bool>,
    pub trial_engagements: Option<Limit>,
    pub monthly_engagements: Option<Limit>,
    pub monthly_counting: Option<RawMonthlyCounting>,
    pub team_retries: Option<u32>,
    pub retry_scope: Option<RawRetryScope>,
    pub accept_timeout: Option<DurationValue>,
    pub cap: Option<u32>,
    pub inactivity_timeout: Option<DurationValue>,
    pub queue: Option<RawQueue>,
    pub shrinkage: Option<f64>,
    pub break_length: Option<DurationValue>,
    /// Team name to the team that takes its requests when nobody of its own is eligible.
    pub overflow: Option<Ordered<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    pub max_wait: DurationValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub per_hour: Option<f64>,
    pub hourly: Option<Vec<f64>>,
    pub weekday: Option<Vec<f64>>,
    #[serde(default)]
    pub surges: Vec<RawSurge>,
    pub trace: Option<String>,
    pub time_zone: Option<String>,
    /// `[[arrivals.sources]]`: several sources instead of the rate keys above.
    #[serde(default)]
    pub sources: Vec<RawSource>,
}

/// One traffic source: its own rate and profile in its own time zone, and what its visitors
/// bring.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: String,
    pub per_hour: f64,
    pub hourly: Option<Vec<f64>>,
    pub weekday: Option<Vec<f64>>,
    pub time_zone: Option<String>,
    #[serde(default)]
    pub surges: Vec<RawSurge>,
    /// Per attribute, the value every visitor of the source has (`{ region = "APAC" }`) or the
    /// source's own shares (`{ country = { SG = 0.6, AU = 0.4 } }`).
    #[serde(default)]
    pub attributes: Ordered<RawSourceAttribute>,
    /// The source's own stream shares: `{ pricing = 0.7, docs = 0.2 }`.
    pub streams: Option<Ordered<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSurge {
    pub start: DurationValue,
    pub length: DurationValue,
    pub factor: f64,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawVisitors {
    #[serde(default)]
    pub attributes: Ordered<Ordered<f64>>,
    pub silent_end: Option<f64>,
    pub patience: Option<RawDist>,
    pub meeting_booking: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStream {
    pub name: String,
    pub share: f64,
    pub live_chat: f64,
    pub routing: RawRouting,
    #[serde(default)]
    pub rules: Vec<RawRule>,
    pub only_when_available: Option<bool>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawMode {
    RoundRobin,
    Agent,
    Team,
    Rules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRouting {
    pub mode: RawMode,
    pub team: Option<String>,
    pub agent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    #[serde(default)]
    pub when: Ordered<OneOrMany>,
    pub team: Option<String>,
    pub agents: Option<Vec<String>>,
    pub priority: Option<i64>,
    pub overflow: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgent {
    pub name: String,
    pub count: Option<u32>,
    pub team: Option<String>,
    pub cap: Option<u32>,
    pub schedule: Option<Vec<String>>,
    pub utc_offset: Option<String>,
    pub time_zone: Option<String>,
    pub response: Option<RawDist>,
    pub miss: Option<f64>,
    pub decline: Option<f64>,
    pub chat_length: Option<RawDist>,
    pub shrinkage: Option<f64>,
    pub slowdown: Option<RawSlowdown>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlowdown {
    pub response: Option<Vec<f64>>,
    pub pace: Option<Vec<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccount {
    pub owner: String,
    pub share: f64,
}

/// A regression check: `metric`'s 95% interval must lie within `min` and/or `max`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    pub metric: String,
    pub window: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DistKind {
    Constant,
    Exponential,
    Lognormal,
    Gamma,
    Weibull,
    Uniform,
    Empirical,
}

/// Every parameter any distribution takes; `distribution` checks which ones the chosen one uses.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: DistKind,
    pub value: Option<DurationValue>,
    pub mean: Option<DurationValue>,
    pub median: Option<DurationValue>,
    pub sigma: Option<f64>,
    pub cv: Option<f64>,
    pub scale: Option<DurationValue>,
    pub shape: Option<f64>,
    pub min: Option<DurationValue>,
    pub max: Option<DurationValue>,
    pub file: Option<String>,
    pub column: Option<String>,
}

/// A date or date-time: a string, or TOML's own date and date-time values
/// (`start = 2024-03-25`), kept as their text.
pub struct RawInstant(pub String);

impl<'de> Deserialize<'de> for RawInstant {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Text(String),
            Toml(toml::value::Datetime),
        }
        match Either::deserialize(d) {
            Ok(Either::Text(t)) => Ok(RawInstant(t)),
            Ok(Either::Toml(t)) => Ok(RawInstant(t.to_string())),
            Err(_) => Err(de::Error::custom(
                r#"expected a date like "2024-03-25" or a date-time like "2024-03-30T22:00:00Z""#,
            )),
        }
    }
}

/// A count limit, or `"none"` for no limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Count(u64),
    Unlimited,
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Limit;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a non-negative number of engagements or "none""#)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Limit, E> {
                Ok(Limit::Count(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Limit, E> {
                u64::try_from(v)
                    .map(Limit::Count)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Limit, E> {
                match v {
                    "none" => Ok(Limit::Unlimited),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A table read as a list of entries in file order, whatever order the parser keeps keys in.
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<V>, A::Error> {
                let mut entries: Vec<(Spanned<String>, V)> = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                // The key's position in the file is its order; keys added by overrides sit after
                // the file's end.
                entries.sort_by_key(|(k, _)| k.span().start);
                Ok(Ordered(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.into_inner(), v))
                        .collect(),
                ))
            }
        }
        d.deserialize_map(Entries(PhantomData))
    }
}

/// A source's attribute: one value (`"APAC"`) or shares of values (`{ SG = 0.6, AU = 0.4 }`).
pub enum RawSourceAttribute {
    Fixed(String),
    Shares(Ordered<f64>),
}

impl<'de> Deserialize<'de> for RawSourceAttribute {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSourceAttribute;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a value like "APAC" or shares like { SG = 0.6, AU = 0.4 }"#)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSourceAttribute, E> {
                Ok(RawSourceAttribute::Fixed(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSourceAttribute, A::Error> {
                Ordered::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawSourceAttribute::Shares)
            }
        }
        d.deserialize_any(V)
    }
}

/// One value or a list of them: `country = "DE"` or `country = ["DE", "IT"]`.
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element()? {
                    values.push(v);
                }
                Ok(OneOrMany(values))
            }
        }
        d.deserialize_any(V)
    }
}

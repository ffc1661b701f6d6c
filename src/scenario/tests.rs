//! The loader end to end: files in, checked scenarios or located errors out.

use std::path::{Path, PathBuf};

use super::*;
use crate::dist::Dist;
use crate::engine::Time;

/// A small valid scenario that the tests below break one key at a time.
const BASE: &str = r#"
[arrivals]
per_hour = 100

[visitors]
attributes = { country = { US = 0.6, DE = 0.4 } }

[[streams]]
name = "pricing"
share = 0.6
live_chat = 0.3
routing = { mode = "team", team = "sales" }

[[streams]]
name = "support"
share = 0.4
live_chat = 0.2
routing = { mode = "rules" }

[[streams.rules]]
when = { country = ["DE"] }
team = "emea"

[[agents]]
name = "sales"
count = 2
team = "sales"

[[agents]]
name = "emea"
team = "emea"
"#;

fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    parse_str(text, "test", Path::new("."), &[])
}

fn with(sets: &[&str]) -> Result<Scenario, ScenarioError> {
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    parse_str(BASE, "test", Path::new("."), &overrides)
}

fn error(result: Result<Scenario, ScenarioError>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

/// Asserts that `message` has every one of `parts`.
#[track_caller]
fn assert_has(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
}

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

#[test]
fn every_example_scenario_loads() {
    let mut loaded = 0;
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let sc = load(&path).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(sc.name, path.file_stem().unwrap().to_str().unwrap());
            assert!(
                !sc.streams.is_empty() && !sc.agents.is_empty(),
                "{}",
                path.display()
            );
            loaded += 1;
        }
    }
    assert!(loaded >= 5, "only {loaded} scenarios");
}

#[test]
fn the_built_in_default() {
    let sc = load_with(None, &[]).unwrap();
    assert_eq!(sc.name, "default");
    assert_eq!(sc.simulation.horizon, Time::from_secs(7 * 86_400));
    assert_eq!(sc.simulation.replications, 10);
    assert_eq!(sc.package.tier, Tier::Prime);
    assert_eq!(sc.package.trial_engagements, None);
    assert_eq!(sc.package.retries, 1);
    let teams: Vec<&str> = sc.teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(teams, ["sales", "emea"]);
    assert_eq!(sc.teams[1].members, [6, 7, 8, 9]);
    assert_eq!(sc.agents.len(), 10);
    assert_eq!(sc.agents[0].name, "sales-1");
    assert_eq!(sc.agents[9].name, "emea-4");
    assert_eq!(sc.agents[9].group, 1);
    assert_eq!(sc.groups[1].first, 6);
    assert_eq!(sc.groups[1].count, 4);
    // mon-fri 08:00-18:00 at +01:00 is 07:00-17:00 UTC.
    assert_eq!(sc.agents[9].schedule.spans[0], (7 * 3600, 17 * 3600));
    assert_eq!(sc.accounts[0].owner, 0);
    let Routing::Rules(rules) = &sc.streams[1].routing else {
        panic!("support routes by rules")
    };
    let priorities: Vec<i64> = rules.iter().map(|r| r.priority).collect();
    assert_eq!(priorities, [2, 1, 0]);
    // The embedded text and the file are the same scenario.
    let file = load(&scenarios_dir().join("default.toml")).unwrap();
    assert_eq!(file.agents.len(), sc.agents.len());
}

#[test]
fn the_default_bucket_widens_with_the_horizon() {
    let bucket = |h: &str| {
        with(&[&format!("simulation.horizon={h}")])
            .unwrap()
            .simulation
            .bucket
    };
    assert_eq!(bucket("7d"), Time::from_secs(3600));
    assert_eq!(bucket("31d"), Time::from_secs(3600));
    assert_eq!(bucket("60d"), Time::from_secs(2 * 3600));
    assert_eq!(bucket("360d"), Time::from_secs(12 * 3600));
    assert_eq!(bucket("3000d"), Time::from_secs(168 * 3600));
    assert_eq!(bucket("20000d"), Time::from_secs(646 * 3600));
    let explicit = with(&["simulation.horizon=360d", "simulation.bucket=1h"]).unwrap();
    assert_eq!(explicit.simulation.bucket, Time::from_secs(3600));
}

#[test]
fn defaults_fill_what_is_left_out() {
    let sc = parse(BASE).unwrap();
    assert_eq!(sc.name, "test");
    assert_eq!(sc.simulation.horizon, Time::from_secs(7 * 86_400));
    assert_eq!(sc.simulation.warmup, Time::ZERO);
    assert_eq!(sc.simulation.seed, 1);
    assert_eq!(sc.simulation.bucket, Time::from_secs(3600));
    assert_eq!(sc.package.accept_timeout, Time::from_secs(100));
    assert_eq!(sc.package.cap, 10);
    assert_eq!(sc.package.inactivity_timeout, Time::from_secs(600));
    assert_eq!(sc.package.retry_scope, RetryScope::Team);
    assert_eq!(sc.package.monthly_engagements, None);
    assert_eq!(sc.arrivals.sources[0].hourly, [1.0; 24]);
    assert_eq!(sc.arrivals.sources[0].weekday, [1.0; 7]);
    let a = &sc.agents[0];
    assert_eq!((a.cap, a.miss, a.decline), (10, 0.0, 0.0));
    assert_eq!(a.schedule, Schedule::always());
    assert!(matches!(&a.response, Dist::Exponential(_)));
    assert_eq!(sc.agents[2].name, "emea");
    assert!(matches!(sc.streams[0].routing, Routing::Team(0)));
}

#[test]
fn select_defaults_differ() {
    let sc = with(&[
        "package.tier=select",
        "streams.pricing.routing={mode=\"round_robin\"}",
        "streams.support.rules.0.team=sales",
    ]);
    // Rules may not target teams on Select either.
    assert_has(&error(sc), &["streams[1].rules[0].team", "Prime"]);
    let sc = with(&[
        "package.tier=select",
        "streams.pricing.routing={mode=\"round_robin\"}",
        "streams.support.routing={mode=\"agent\", agent=\"emea\"}",
        "streams.support.rules=[]",
    ])
    .unwrap();
    assert_eq!(sc.package.trial_engagements, Some(100));
    assert_eq!(sc.package.retries, 0);
    let sc = with(&[
        "package.tier=select",
        "package.trial_engagements=none",
        "streams.pricing.routing={mode=\"round_robin\"}",
        "streams.support.routing={mode=\"round_robin\"}",
        "streams.support.rules=[]",
    ])
    .unwrap();
    assert_eq!(sc.package.trial_engagements, None);
}

#[test]
fn name_from_the_file_stem_or_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("what-if.toml");
    std::fs::write(&path, BASE).unwrap();
    assert_eq!(load(&path).unwrap().name, "what-if");
    std::fs::write(&path, format!("name = \"named\"\n{BASE}")).unwrap();
    assert_eq!(load(&path).unwrap().name, "named");
    assert_has(
        &error(parse(&format!("name = \"../x\"\n{BASE}"))),
        &["test: name (line 1, column 8): expected a name"],
    );
}

#[test]
fn empirical_files_resolve_against_the_scenario_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/r.csv"), "seconds\n10\n20\n30\n").unwrap();
    let text = format!("{BASE}response = {{ dist = \"empirical\", file = \"data/r.csv\" }}\n");
    let path = dir.path().join("s.toml");
    std::fs::write(&path, &text).unwrap();
    let sc = load(&path).unwrap();
    assert!(matches!(&sc.agents[2].response, Dist::Empirical(s) if s.len() == 3));

    std::fs::write(dir.path().join("data/r.csv"), "seconds\n10\nsoon\n").unwrap();
    let e = error(load(&path));
    assert_has(
        &e,
        &[
            "s.toml: agents[1].response.file (line",
            "data/r.csv line 3",
            "\"soon\"",
        ],
    );
}

#[test]
fn overrides_set_keys_before_checking() {
    let sc = with(&[
        "package.cap=5",
        "arrivals.per_hour=200",
        "simulation.horizon=30d",
        "agents.sales.count=3",
    ])
    .unwrap();
    assert_eq!(sc.package.cap, 5);
    assert_eq!(sc.agents[0].cap, 5);
    assert_eq!(sc.arrivals.sources[0].per_hour, 200.0);
    assert_eq!(sc.simulation.horizon, Time::from_secs(30 * 86_400));
    assert_eq!(sc.agents.len(), 4);
    assert_eq!(sc.teams[0].members, [0, 1, 2]);
    // A group of zero agents leaves its team in place, empty.
    let sc = with(&["agents.emea.count=0"]).unwrap();
    assert_eq!(sc.agents.len(), 2);
    assert!(sc.teams[1].members.is_empty());
    // Tables that do not exist yet are created.
    let sc = with(&[
        "visitors.patience.dist=constant",
        "visitors.patience.value=60",
    ])
    .unwrap();
    assert!(matches!(sc.visitors.patience, Some(Dist::Constant(v)) if v == 60.0));
    // The default scenario takes them too.
    let sc = load_with(None, &["agents.emea.count=2".parse().unwrap()]).unwrap();
    assert_eq!(sc.agents.len(), 8);
}

#[test]
fn override_errors_name_the_override() {
    assert_has(
        &error(with(&["agents.emae.count=2"])),
        &["test: set agents.emae.count=2: ", "\"emae\"", "sales, emea"],
    );
    assert_has(
        &error(with(&["agents.sales.count=many"])),
        &["agents[0].count (set agents.sales.count=many)", "u32"],
    );
    assert_has(
        &error(with(&["package.cap=0"])),
        &["package.cap (set package.cap=0)", "from 1 to 10000"],
    );
    assert_has(
        &error(with(&["arrivals.per_hour.x=1"])),
        &["set arrivals.per_hour.x=1: arrivals.per_hour is an integer, not a table"],
    );
}

#[test]
fn missing_file() {
    let e = load(Path::new("no/such/scenario.toml")).unwrap_err();
    assert!(matches!(e, ScenarioError::Read { .. }));
    assert_has(
        &e.to_string(),
        &["no/such/scenario.toml: cannot read the file"],
    );
}

#[test]
fn invalid_toml_names_line_and_column() {
    let e = error(parse("[simulation]\nhorizon = \"7d\nseed = 1\n"));
    assert_has(&e, &["test: line 2, column"]);
    assert_has(&error(parse("a = \n")), &["test: line 1, column"]);
}

#[test]
fn unknown_keys_are_errors_anywhere() {
    let e = error(parse(&format!("typo = 1\n{BASE}")));
    assert_has(&e, &["test: typo (line 1, column 1): unknown field `typo`"]);
    let e = error(parse(&format!("[simulation]\nhorizn = \"7d\"\n{BASE}")));
    assert_has(
        &e,
        &[
            "simulation.horizn (line 2, column 1)",
            "unknown field `horizn`",
            "`horizon`",
        ],
    );
    let e = error(parse(&format!(
        "{BASE}respnse = {{ dist = \"exponential\", mean = 30 }}\n"
    )));
    assert_has(&e, &["agents[1].respnse (line", "unknown field `respnse`"]);
    let e = error(parse(&format!(
        "{BASE}response = {{ dist = \"exponential\", mean = 30, meen = 2 }}\n"
    )));
    assert_has(&e, &["agents[1].response.meen (line"]);
    let e = error(with(&["streams.pricing.routing.teem=sales"]));
    assert_has(
        &e,
        &[
            "streams[0].routing.teem (set streams.pricing.routing.teem=sales)",
            "unknown field",
        ],
    );
}

#[test]
fn wrong_types_are_errors() {
    let e = error(parse(&format!(
        "[simulation]\nreplications = \"ten\"\n{BASE}"
    )));
    assert_has(
        &e,
        &[
            "simulation.replications (line 2, column 16)",
            "invalid type: string \"ten\"",
        ],
    );
    let e = error(parse(&format!("[package]\ntier = \"gold\"\n{BASE}")));
    assert_has(
        &e,
        &["package.tier (line 2", "unknown variant `gold`", "`select`"],
    );
    assert_has(
        &error(with(&["arrivals.per_hour=lots"])),
        &["arrivals.per_hour", "invalid type"],
    );
    assert_has(
        &error(with(&["visitors.patience={ dist = \"expo\" }"])),
        &["visitors.patience.dist", "unknown variant"],
    );
    assert_has(
        &error(with(&["streams.pricing.routing.mode=teams"])),
        &["streams[0].routing.mode", "unknown variant"],
    );
}

#[test]
fn missing_required_keys() {
    assert_has(
        &error(parse("[[agents]]\nname = \"a\"\n")),
        &["test: arrivals: missing"],
    );
    let e = error(parse(&format!(
        "{BASE}\n[[streams]]\nname = \"x\"\nlive_chat = 0\nrouting = {{ mode = \"round_robin\" }}\n"
    )));
    assert_has(&e, &["streams[2] (line", "missing field `share`"]);
}

#[test]
fn durations_must_parse_and_not_be_negative() {
    let e = error(parse(&format!(
        "{BASE}response = {{ dist = \"lognormal\", median = \"abc\", sigma = 0.7 }}\n"
    )));
    assert_has(
        &e,
        &[
            r#"test: agents[1].response.median (line "#,
            r#"expected a duration like "25s""#,
            r#"got "abc""#,
        ],
    );
    assert_has(
        &error(with(&["simulation.warmup=-5s"])),
        &["simulation.warmup", "negative"],
    );
    assert_has(
        &error(with(&["simulation.warmup=-5"])),
        &["simulation.warmup", "negative"],
    );
    assert_has(
        &error(with(&["package.inactivity_timeout=soon"])),
        &["package.inactivity_timeout", "expected a duration"],
    );
}

#[test]
fn negative_rates_are_errors() {
    assert_has(
        &error(with(&["arrivals.per_hour=-5"])),
        &["arrivals.per_hour", "non-negative", "-5"],
    );
    assert_has(
        &error(with(&["arrivals.per_hour=nan"])),
        &["arrivals.per_hour"],
    );
    assert_has(
        &error(with(&["arrivals.weekday=[1, 1, 1, 1, 1, -1, 1]"])),
        &["arrivals.weekday[5]"],
    );
    assert_has(
        &error(with(&["arrivals.hourly=[1, 2]"])),
        &["arrivals.hourly", "exactly 24", "got 2"],
    );
    assert_has(
        &error(with(&[
            "arrivals.surges=[{ start = \"1d\", length = \"1h\", factor = -2 }]",
        ])),
        &["arrivals.surges[0].factor"],
    );
}

#[test]
fn shares_must_be_within_zero_and_one() {
    for (set, at) in [
        ("streams.pricing.share=1.5", "streams[0].share"),
        ("streams.support.live_chat=-0.1", "streams[1].live_chat"),
        ("agents.sales.miss=2", "agents[0].miss"),
        ("agents.emea.decline=-1", "agents[1].decline"),
        ("visitors.silent_end=1.2", "visitors.silent_end"),
        ("visitors.meeting_booking=7", "visitors.meeting_booking"),
        (
            "visitors.attributes.country.US=1.6",
            "visitors.attributes.country.US",
        ),
    ] {
        assert_has(&error(with(&[set])), &[at, "expected a share from 0 to 1"]);
    }
    let e = error(with(&["visitors.attributes.country.US=0.5"]));
    assert_has(
        &e,
        &[
            "visitors.attributes.country (line",
            "sum to 1, they sum to 0.9",
        ],
    );
}

#[test]
fn shares_that_must_not_sum_over_one() {
    let e = error(with(&["streams.pricing.share=0.7"]));
    assert_has(
        &e,
        &[
            "test: streams (line",
            "the streams' shares sum to 1.1",
            "more than 1",
        ],
    );
    let accounts =
        "accounts=[{ owner = \"sales-1\", share = 0.6 }, { owner = \"emea\", share = 0.5 }]";
    assert_has(
        &error(with(&[accounts])),
        &["accounts", "the accounts' shares sum to 1.1"],
    );
    let sc = with(&[
        "accounts=[{ owner = \"sales-1\", share = 0.6 }, { owner = \"emea\", share = 0.4 }]",
    ])
    .unwrap();
    assert_eq!(sc.accounts[1].owner, 2);
}

#[test]
fn routing_must_name_known_agents_and_teams() {
    let e = error(with(&["streams.support.rules.0.team=emae"]));
    assert_has(
        &e,
        &[
            "streams[1].rules[0].team",
            r#"unknown team "emae" (teams: sales, emea)"#,
        ],
    );
    let e = error(with(&["streams.pricing.routing.team=emae"]));
    assert_has(&e, &["streams[0].routing.team", r#"unknown team "emae""#]);
    let e = error(with(&[
        "streams.pricing.routing={ mode = \"agent\", agent = \"sales\" }",
    ]));
    assert_has(
        &e,
        &[
            "streams[0].routing.agent",
            r#"unknown agent "sales" (agents: sales-1, sales-2, emea)"#,
        ],
    );
    let e = error(with(&[
        "streams.support.rules.0={ agents = [\"emea\", \"bob\"] }",
    ]));
    assert_has(
        &e,
        &["streams[1].rules[0].agents[1]", r#"unknown agent "bob""#],
    );
    let e = error(with(&["accounts=[{ owner = \"sales\", share = 0.1 }]"]));
    assert_has(&e, &["accounts[0].owner", r#"unknown agent "sales""#]);
    let e = error(with(&["streams.pricing.routing={ mode = \"team\" }"]));
    assert_has(&e, &["streams[0].routing", "needs team"]);
    let e = error(with(&[
        "streams.pricing.routing={ mode = \"round_robin\", team = \"sales\" }",
    ]));
    assert_has(&e, &["streams[0].routing.team", "does not apply"]);
}

#[test]
fn teams_are_prime_only() {
    let e = error(with(&["package.tier=select"]));
    assert_has(
        &e,
        &["streams[0].routing.mode", r#"package.tier = "prime""#],
    );
}

#[test]
fn rule_conditions_must_name_declared_attributes_and_values() {
    let e = error(with(&[
        "streams.support.rules.0.when={ contry = [\"DE\"] }",
    ]));
    assert_has(
        &e,
        &[
            "streams[1].rules[0].when.contry",
            r#"unknown attribute "contry" (attributes: country)"#,
        ],
    );
    let e = error(with(&[
        "streams.support.rules.0.when={ country = [\"FR\"] }",
    ]));
    assert_has(
        &e,
        &[
            "streams[1].rules[0].when.country",
            r#"unknown value "FR" of country (values: US, DE)"#,
        ],
    );
    let e = error(with(&["streams.support.rules.0.when={ country = [] }"]));
    assert_has(&e, &["when.country", "at least one value"]);
    let sc = with(&["streams.support.rules.0.when={ country = \"DE\" }"]).unwrap();
    let Routing::Rules(rules) = &sc.streams[1].routing else {
        panic!()
    };
    assert_eq!(rules[0].conditions[0].values, [1]);
}

#[test]
fn rules_belong_to_rules_streams() {
    let e = error(with(&["streams.support.rules=[]"]));
    assert_has(
        &e,
        &["streams[1].routing", "needs at least one [[streams.rules]]"],
    );
    let e = error(with(&["streams.support.routing.mode=round_robin"]));
    assert_has(
        &e,
        &[
            "streams[1].rules",
            r#"rules apply only to routing mode = "rules""#,
        ],
    );
    let e = error(with(&[
        "streams.support.rules.0={ team = \"emea\", agents = [\"emea\"] }",
    ]));
    assert_has(&e, &["streams[1].rules[0]", "not both"]);
    let e = error(with(&[
        "streams.support.rules.0={ when = { country = \"DE\" } }",
    ]));
    assert_has(&e, &["streams[1].rules[0]", "needs team"]);
}

#[test]
fn rules_sort_by_priority_then_file_order() {
    let text = format!(
        "{BASE}\n[[streams]]\nname = \"r\"\nshare = 0\nlive_chat = 1\nrouting = {{ mode = \"rules\" }}\n\
         [[streams.rules]]\nagents = [\"emea\"]\n\
         [[streams.rules]]\nagents = [\"sales-1\"]\npriority = 3\n\
         [[streams.rules]]\nagents = [\"sales-2\"]\n\
         [[streams.rules]]\nagents = [\"sales-2\", \"sales-1\"]\npriority = 3\n"
    );
    let sc = parse(&text).unwrap();
    let Routing::Rules(rules) = &sc.streams[2].routing else {
        panic!()
    };
    let targets: Vec<Vec<AgentId>> = rules
        .iter()
        .map(|r| match &r.target {
            Target::Agents(a) => a.clone(),
            Target::Team(_) => panic!(),
        })
        .collect();
    assert_eq!(targets, [vec![0], vec![1, 0], vec![2], vec![1]]);
}

#[test]
fn attributes_keep_file_order() {
    let sc = with(&["visitors.attributes={ zone = { north = 0.5, east = 0.25, atlantic = 0.25 }, country = { US = 0.6, DE = 0.4 } }"])
        .unwrap();
    let names: Vec<&str> = sc
        .visitors
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["zone", "country"]);
    let values: Vec<&str> = sc.visitors.attributes[0]
        .values
        .iter()
        .map(|(v, _)| v.as_str())
        .collect();
    assert_eq!(values, ["north", "east", "atlantic"]);
    let sc =
        parse(&BASE.replace("{ US = 0.6, DE = 0.4 }", "{ US = 0.6, DE = 0.3, AT = 0.1 }")).unwrap();
    let values: Vec<&str> = sc.visitors.attributes[0]
        .values
        .iter()
        .map(|(v, _)| v.as_str())
        .collect();
    assert_eq!(values, ["US", "DE", "AT"]);
}

#[test]
fn names_must_be_unique() {
    let e = error(parse(&format!("{BASE}\n[[agents]]\nname = \"sales-2\"\n")));
    assert_has(
        &e,
        &[
            "agents[2].name (line",
            r#"agent "sales-2" is defined twice"#,
        ],
    );
    let e = error(parse(&format!(
        "{BASE}\n[[agents]]\nname = \"emea\"\ncount = 0\n"
    )));
    assert_has(
        &e,
        &[
            "agents[2].name",
            r#""emea" is already the name of agents[1]"#,
        ],
    );
    let e = error(with(&["streams.support.name=pricing"]));
    assert_has(
        &e,
        &[
            "streams[1].name",
            r#""pricing" is already the name of streams[0]"#,
        ],
    );
}

#[test]
fn zero_agents_are_allowed() {
    let sc = parse("[arrivals]\nper_hour = 10\n\n[[streams]]\nname = \"s\"\nshare = 1\nlive_chat = 0.5\nrouting = { mode = \"round_robin\" }\n")
        .unwrap();
    assert!(sc.agents.is_empty() && sc.teams.is_empty());
}

#[test]
fn simulation_times_must_make_sense() {
    assert_has(
        &error(with(&["simulation.horizon=0"])),
        &["simulation.horizon", "longer than 0"],
    );
    assert_has(
        &error(with(&["simulation.horizon=36600d", "simulation.bucket=1w"])),
        &["simulation.horizon", "at most 100 years"],
    );
    assert_has(
        &error(with(&["simulation.horizon=1d", "simulation.warmup=1d"])),
        &["simulation.warmup", "shorter than the horizon"],
    );
    assert_has(
        &error(with(&["simulation.bucket=0s"])),
        &["simulation.bucket", "longer than 0"],
    );
    assert_has(
        &error(with(&["simulation.bucket=1s", "simulation.horizon=1d"])),
        &["simulation.bucket", "86400 buckets", "wider bucket"],
    );
    assert_has(
        &error(with(&["package.accept_timeout=0"])),
        &["package.accept_timeout", "longer than 0"],
    );
    assert_has(
        &error(with(&["simulation.replications=1"])),
        &["simulation.replications", "at least 2"],
    );
    assert_has(
        &error(with(&["agents.sales.cap=10001"])),
        &["agents[0].cap", "from 1 to 10000"],
    );
    assert_has(
        &error(with(&["agents.sales.count=100000"])),
        &["agents[0].count", "at most"],
    );
}

#[test]
fn schedules_and_offsets_must_parse() {
    let e = error(with(&[
        "agents.emea.schedule=[\"mon-fri 08:00-17:00\", \"weekdays 9-5\"]",
    ]));
    assert_has(
        &e,
        &[
            "agents[1].schedule[1]",
            r#"expected "<days> HH:MM-HH:MM""#,
            r#""weekdays 9-5""#,
        ],
    );
    let e = error(with(&["agents.emea.utc_offset=CET"]));
    assert_has(
        &e,
        &["agents[1].utc_offset", r#"like "+01:00""#, r#""CET""#],
    );
    let sc = with(&[
        "agents.emea.schedule=[\"daily 22:00-06:00\"]",
        "agents.emea.utc_offset=-01:00",
    ])
    .unwrap();
    assert_eq!(sc.agents[2].schedule.spans[0], (0, 7 * 3600));
}

#[test]
fn the_start_is_a_date_or_an_instant() {
    assert_eq!(with(&[]).unwrap().simulation.start, DEFAULT_START);
    let at = |sc: Scenario| sc.simulation.start.to_string();
    // A TOML date (as --set gives it too), a string, a TOML date-time with an offset.
    assert_eq!(
        at(with(&["simulation.start=2024-03-25"]).unwrap()),
        "2024-03-25T00:00:00Z"
    );
    assert_eq!(
        at(with(&["simulation.start=\"2024-03-25\""]).unwrap()),
        "2024-03-25T00:00:00Z"
    );
    assert_eq!(
        at(with(&["simulation.start=2024-03-30T23:00:00+01:00"]).unwrap()),
        "2024-03-30T22:00:00Z"
    );
    let text = format!("[simulation]\nstart = 2024-03-30T22:00:00Z\n{BASE}");
    assert_eq!(at(parse(&text).unwrap()), "2024-03-30T22:00:00Z");
    for (bad, words) in [
        (
            "\"2024-02-30\"",
            &["simulation.start", "expected a date"][..],
        ),
        (
            "2024-03-30T22:00:00",
            &["simulation.start", "needs Z or a UTC offset"],
        ),
        ("12:00:00", &["simulation.start", "expected a date"]),
        ("5", &["simulation.start", "expected a date"]),
        ("\"1800-01-01\"", &["simulation.start", "a year from 1900"]),
    ] {
        assert_has(&error(with(&[&format!("simulation.start={bad}")])), words);
    }
}

#[test]
fn time_zones_of_agents_and_arrivals() {
    let sc = with(&[
        "agents.emea.schedule=[\"mon-fri 09:00-17:00\"]",
        "agents.emea.time_zone=Europe/Berlin",
        "agents.sales.schedule=[\"mon 09:00-17:00\"]",
        "agents.sales.time_zone=Etc/GMT-2",
        "arrivals.time_zone=America/New_York",
    ])
    .unwrap();
    // In a zone with daylight saving the spans stay in local time.
    let emea = &sc.agents[2].schedule;
    assert_eq!(emea.spans[0], (9 * 3600, 17 * 3600));
    assert_eq!(
        emea.zone.as_ref().and_then(|z| z.iana_name()),
        Some("Europe/Berlin")
    );
    // A zone that never changes is its fixed offset (Etc/GMT-2 is two hours east).
    let sales = &sc.agents[0].schedule;
    assert_eq!(
        (sales.spans[0], &sales.zone),
        ((7 * 3600, 15 * 3600), &None)
    );
    assert!(
        matches!(&sc.arrivals.sources[0].clock, Clock::Zone(z) if z.iana_name() == Some("America/New_York"))
    );
    assert_eq!(
        with(&["arrivals.time_zone=UTC"]).unwrap().arrivals.sources[0].clock,
        Clock::Offset(0)
    );
    // Always online does not depend on the zone.
    let sc = with(&["agents.emea.time_zone=Europe/Berlin"]).unwrap();
    assert_eq!(sc.agents[2].schedule, Schedule::always());

    assert_has(
        &error(with(&[
            "agents.emea.time_zone=Europe/Berlin",
            "agents.emea.utc_offset=+01:00",
        ])),
        &["agents[1].time_zone", "not both"],
    );
    assert_has(
        &error(with(&["agents.emea.time_zone=Europe/Berln"])),
        &[
            "agents[1].time_zone",
            "unknown time zone \"Europe/Berln\"",
            "did you mean \"Europe/Berlin\"?",
        ],
    );
    assert_has(
        &error(with(&["arrivals.time_zone=America/NewYork"])),
        &["arrivals.time_zone", "did you mean \"America/New_York\"?"],
    );
    assert_has(
        &error(with(&["arrivals.time_zone=CEST+2"])),
        &["arrivals.time_zone", "unknown time zone", "IANA"],
    );
}

#[test]
fn distributions_reject_parameters_they_do_not_take() {
    let e = error(with(&[
        "agents.sales.response={ dist = \"exponential\", mean = \"30s\", sigma = 1 }",
    ]));
    assert_has(
        &e,
        &[
            "agents[0].response.sigma",
            r#"does not take "sigma" (it takes mean)"#,
        ],
    );
    let e = error(with(&[
        "agents.sales.chat_length={ dist = \"gamma\", mean = \"5m\" }",
    ]));
    assert_has(&e, &["agents[0].chat_length", "needs mean and cv"]);
}

#[test]
fn override_syntax() {
    assert!("package.cap".parse::<Override>().is_err());
    let e = "cap".parse::<Override>().unwrap_err().to_string();
    assert_has(&e, &["PATH=VALUE", "\"cap\""]);
}

/// Lines dropped or characters changed anywhere give an error or a scenario, never a panic.
#[test]
fn mangled_input_never_panics() {
    let lines: Vec<&str> = DEFAULT_SCENARIO.lines().collect();
    for skip in 0..lines.len() {
        let text: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        let _ = parse(&text.join("\n"));
    }
    let bytes = DEFAULT_SCENARIO.as_bytes();
    for pos in (0..bytes.len()).step_by(7) {
        for replacement in [b'"', b'[', b'=', b'0', b'-', b'\n', b'x', b'.'] {
            let mut mangled = bytes.to_vec();
            mangled[pos] = replacement;
            if let Ok(text) = std::str::from_utf8(&mangled) {
                let _ = parse(text);
            }
        }
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn on_any_text(text in "\\PC{0,200}") {
            let _ = parse(&text);
        }

        #[test]
        fn on_any_override(path in "[a-z_.0-9]{1,30}", value in "\\PC{0,20}") {
            let _ = with(&[]);
            let ov = Override { path, value };
            let _ = parse_str(DEFAULT_SCENARIO, "default", Path::new("."), &[ov]);
        }
    }
}

#[test]
fn relative_paths_resolve_from_the_working_directory() {
    // Tests run in the crate's folder, so this is the path a user would type there.
    let sc = load(Path::new("scenarios/empirical.toml")).unwrap();
    assert!(matches!(&sc.agents[0].response, Dist::Empirical(s) if s.len() == 240));
}

#[test]
fn agent_counts_are_bounded_in_all() {
    let groups: String = (0..11)
        .map(|i| format!("\n[[agents]]\nname = \"g{i}\"\ncount = 10000\n"))
        .collect();
    let e = error(parse(&format!("{BASE}{groups}")));
    assert_has(&e, &["agents[11].count", "more than 100000 agents"]);
}

#[test]
fn releases_set_defaults_that_the_keys_still_override() {
    let sc = with(&[]).unwrap();
    let p = &sc.package;
    assert_eq!(p.release, Release::Overview);
    assert_eq!((p.cap, p.retries, p.retry_scope), (10, 1, RetryScope::Team));
    assert!(!p.round_robin_fallback);
    let p = with(&["package.release=\"2024-01\""]).unwrap().package;
    assert_eq!((p.cap, p.round_robin_fallback), (5, false));
    let p = with(&["package.release=\"2025-04\""]).unwrap().package;
    assert_eq!(
        (p.cap, p.retry_scope, p.round_robin_fallback),
        (5, RetryScope::Team, true)
    );
    let p = with(&["package.release=\"2025-06\""]).unwrap().package;
    assert_eq!((p.cap, p.retries, p.retry_scope), (5, 1, RetryScope::Any));
    assert_eq!(p.account_fallback, AccountFallback::MappedOnly);
    let p = with(&[
        "package.release=\"2025-06\"",
        "package.cap=8",
        "package.team_retries=0",
        "package.retry_scope=\"team\"",
        "package.round_robin_fallback=false",
    ])
    .unwrap()
    .package;
    assert_eq!((p.cap, p.retries, p.retry_scope), (8, 0, RetryScope::Team));
    assert!(!p.round_robin_fallback);
}

#[test]
fn an_unknown_release_names_the_key_and_every_release() {
    assert_has(
        &error(with(&["package.release=\"2025-05\""])),
        &[
            "package.release",
            "\"overview\"",
            "\"2024-01\"",
            "\"2025-04\"",
            "\"2025-06\"",
            "2025-05",
        ],
    );
    assert_has(
        &error(with(&["package.calendar=true"])),
        &["package.calendar", "2025-06"],
    );
    assert_has(
        &error(with(&["package.account_fallback=\"round_robin\""])),
        &["package.account_fallback", "round_robin_fallback"],
    );
    let p = with(&[
        "package.release=\"2025-06\"",
        "package.account_fallback=\"round_robin\"",
        "package.calendar=true",
    ])
    .unwrap()
    .package;
    assert!(p.calendar && p.account_fallback == AccountFallback::RoundRobin);
}

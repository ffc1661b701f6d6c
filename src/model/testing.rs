//! Small scenarios built in code, for unit tests of the model's parts.

use crate::dist::Dist;
use crate::engine::Time;
use crate::scenario::*;

/// `agents` always-online agents of cap 2 in one team, one stream routed by `routing`, and one
/// attribute with two values.
pub fn scenario_with(agents: u32, routing: Routing) -> Scenario {
    Scenario {
        provenance: Provenance::default(),
        name: "test".into(),
        simulation: Simulation {
            horizon: Time::from_secs(3600),
            warmup: Time::ZERO,
            replications: 2,
            seed: 1,
            bucket: Time::from_secs(3600),
            interval: Time::from_secs(3600),
            window: None,
            start: DEFAULT_START,
        },
        package: Package {
            tier: Tier::Prime,
            release: Release::Overview,
            round_robin_fallback: false,
            account_fallback: AccountFallback::MappedOnly,
            calendar: false,
            trial_engagements: None,
            monthly_engagements: None,
            monthly_counting: MonthlyCounting::Conversations,
            retries: 1,
            retry_scope: RetryScope::Team,
            accept_timeout: Time::from_secs(100),
            cap: 2,
            inactivity_timeout: Time::from_secs(600),
            queue: None,
            break_length: Time::from_secs(900),
            shrinkage: 0.0,
        },
        arrivals: Arrivals {
            sources: vec![Source {
                name: String::new(),
                per_hour: 60.0,
                hourly: [1.0; 24],
                weekday: [1.0; 7],
                surges: vec![],
                clock: Clock::Offset(0),
                attributes: vec![],
                streams: None,
            }],
            trace: None,
        },
        visitors: Visitors {
            attributes: vec![Attribute {
                name: "country".into(),
                values: vec![("US".into(), 0.5), ("DE".into(), 0.5)],
            }],
            silent_end: 0.0,
            patience: None,
            meeting_booking: 0.0,
        },
        streams: vec![Stream {
            name: "main".into(),
            share: 1.0,
            live_chat: 1.0,
            routing,
            only_when_available: false,
        }],
        agents: (0..agents)
            .map(|i| Agent {
                name: format!("a-{}", i + 1),
                group: 0,
                team: Some(0),
                cap: 2,
                schedule: Schedule::always(),
                response: Dist::exponential(20.0).unwrap(),
                miss: 0.0,
                decline: 0.0,
                chat_length: Dist::exponential(300.0).unwrap(),
                shrinkage: 0.0,
                slowdown: None,
            })
            .collect(),
        groups: vec![AgentGroup {
            name: "a".into(),
            first: 0,
            count: agents,
        }],
        teams: vec![Team {
            name: "t".into(),
            members: (0..agents).collect(),
            overflow: None,
        }],
        accounts: vec![],
        expect: vec![],
        windows: vec![],
    }
}

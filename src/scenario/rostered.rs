//! A scenario's text with some teams' `[[agents]]` groups replaced by groups on given shifts:
//! what `roster` writes, so that the roster runs like any scenario.

/// One group of a rostered team: `count` agents on the `schedule` entry.
pub struct ShiftGroup {
    pub name: String,
    pub count: u32,
    pub schedule: String,
    pub shrinkage: f64,
}

/// The clock a team's `[[agents]]` groups keep their schedules in, as written: `time_zone`, else
/// `utc_offset`, else UTC (`None` for both).
pub fn team_clock(text: &str, team: &str) -> Result<(Option<String>, Option<String>), String> {
    let doc: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
    let group = groups(&doc)
        .into_iter()
        .find(|g| g.get("team").and_then(|t| t.as_str()) == Some(team))
        .ok_or_else(|| format!("no [[agents]] group of team {team:?}"))?;
    let key = |k: &str| group.get(k).and_then(|v| v.as_str()).map(String::from);
    Ok((key("time_zone"), key("utc_offset")))
}

fn groups(doc: &toml::Table) -> Vec<&toml::Table> {
    doc.get("agents")
        .and_then(|a| a.as_array())
        .map(|a| a.iter().filter_map(|g| g.as_table()).collect())
        .unwrap_or_default()
}

/// `text` named `name`, each team of `teams` staffed by its shift groups instead of its own:
/// each group a copy of the team's first, with its name, count, schedule and shrinkage. The
/// other keys and groups stay as they were; comments do not survive.
pub fn rostered(
    text: &str,
    name: &str,
    teams: &[(String, Vec<ShiftGroup>)],
) -> Result<String, String> {
    let mut doc: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
    let old: Vec<toml::Value> = doc
        .get("agents")
        .and_then(|a| a.as_array())
        .cloned()
        .unwrap_or_default();
    let team_of = |g: &toml::Value| {
        g.get("team")
            .and_then(|t| t.as_str())
            .map(String::from)
            .unwrap_or_default()
    };
    let mut agents = Vec::new();
    for (i, g) in old.iter().enumerate() {
        let team = team_of(g);
        let Some((_, shifts)) = teams.iter().find(|(t, _)| *t == team) else {
            agents.push(g.clone());
            continue;
        };
        // The team's first group stands for all of them, in its place.
        if old.iter().position(|o| team_of(o) == team) != Some(i) {
            continue;
        }
        for s in shifts {
            let mut copy = g.as_table().cloned().unwrap_or_default();
            copy.insert("name".into(), s.name.clone().into());
            copy.insert("count".into(), i64::from(s.count).into());
            copy.insert("schedule".into(), vec![s.schedule.clone()].into());
            copy.insert("shrinkage".into(), s.shrinkage.into());
            agents.push(copy.into());
        }
    }
    doc.insert("agents".into(), agents.into());
    doc.insert("name".into(), name.into());
    toml::to_string(&doc).map_err(|e| format!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
        [arrivals]
        per_hour = 10
        [[agents]]
        name = "emea"
        count = 4
        team = "emea"
        schedule = ["mon-fri 08:00-18:00"]
        time_zone = "Europe/Berlin"
        response = { dist = "constant", value = 5 }
        [[agents]]
        name = "emea-senior"
        count = 1
        team = "emea"
        [[agents]]
        name = "na"
        count = 2
        team = "na"
    "#;

    #[test]
    fn a_team_is_replaced_by_its_shifts_and_the_rest_stays() {
        let shifts = vec![
            ShiftGroup {
                name: "emea-mon-fri-07".into(),
                count: 3,
                schedule: "mon-fri 07:00-15:00".into(),
                shrinkage: 0.3,
            },
            ShiftGroup {
                name: "emea-tue-sat-12".into(),
                count: 1,
                schedule: "tue-sat 12:00-20:00".into(),
                shrinkage: 0.3,
            },
        ];
        let out = rostered(TEXT, "emea-roster", &[("emea".into(), shifts)]).unwrap();
        let doc: toml::Table = out.parse().unwrap();
        assert_eq!(doc["name"].as_str(), Some("emea-roster"));
        let names: Vec<&str> = groups(&doc)
            .iter()
            .map(|g| g["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["emea-mon-fri-07", "emea-tue-sat-12", "na"]);
        let g = groups(&doc)[1];
        assert_eq!(g["count"].as_integer(), Some(1));
        assert_eq!(g["time_zone"].as_str(), Some("Europe/Berlin"));
        assert_eq!(g["response"]["value"].as_integer(), Some(5));
        assert_eq!(
            team_clock(TEXT, "emea").unwrap(),
            (Some("Europe/Berlin".into()), None)
        );
        assert_eq!(team_clock(TEXT, "na").unwrap(), (None, None));
        assert!(team_clock(TEXT, "apac").is_err());
    }
}

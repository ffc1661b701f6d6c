//! JUnit XML, which CI systems display as test results: one test suite per scenario, one test
//! case per expectation, and one per rate compared with a baseline. Failed and (unless allowed)
//! inconclusive expectations are failures; allowed inconclusive ones are skipped, since nothing
//! was verified. No timings, so the file is the same for the same run.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{Change, ScenarioResult, Verdict};

/// One test case: its name, its class (`<scenario>.expect` or `<scenario>.baseline`) and, unless
/// it passed, the child element that says why not.
struct Case {
    name: String,
    class: String,
    outcome: Option<Outcome>,
}

struct Outcome {
    /// `failure` or `skipped`.
    element: &'static str,
    /// The failure's type: `fail`, `inconclusive` or `regression`.
    kind: &'static str,
    message: String,
}

pub fn junit_xml(results: &[ScenarioResult], allow_inconclusive: bool) -> std::io::Result<Vec<u8>> {
    let suites: Vec<Vec<Case>> = results
        .iter()
        .map(|r| cases(r, allow_inconclusive))
        .collect();
    let all: Vec<&Case> = suites.iter().flatten().collect();
    let (tests, failures, skipped) = counts(all.iter().copied());
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("testsuites")
        .with_attributes([
            ("name", "chatsim check"),
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", "0"),
            ("skipped", skipped.as_str()),
        ])
        .write_inner_content(|w| {
            for (cases, r) in suites.iter().zip(results) {
                suite(w, cases, r)?;
            }
            Ok(())
        })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

/// Tests, failures and skipped among `cases`, as attribute values.
fn counts<'a>(cases: impl Iterator<Item = &'a Case>) -> (String, String, String) {
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for c in cases {
        tests += 1;
        match c.outcome.as_ref().map(|o| o.element) {
            Some("failure") => failures += 1,
            Some(_) => skipped += 1,
            None => {}
        }
    }
    (tests.to_string(), failures.to_string(), skipped.to_string())
}

fn suite(w: &mut Writer<Vec<u8>>, cases: &[Case], r: &ScenarioResult) -> std::io::Result<()> {
    let (tests, failures, skipped) = counts(cases.iter());
    let seed = r.seed.to_string();
    let reps = r.replications.to_string();
    w.create_element("testsuite")
        .with_attributes([
            ("name", r.scenario.as_str()),
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", "0"),
            ("skipped", skipped.as_str()),
            ("file", r.path.as_str()),
        ])
        .write_inner_content(|w| {
            w.create_element("properties").write_inner_content(|w| {
                for (k, v) in [("seed", seed.as_str()), ("replications", reps.as_str())] {
                    w.create_element("property")
                        .with_attributes([("name", k), ("value", v)])
                        .write_empty()?;
                }
                Ok(())
            })?;
            for case in cases {
                let el = w.create_element("testcase").with_attributes([
                    ("name", case.name.as_str()),
                    ("classname", case.class.as_str()),
                ]);
                let Some(o) = &case.outcome else {
                    el.write_empty()?;
                    continue;
                };
                el.write_inner_content(|w| {
                    let child = w
                        .create_element(o.element)
                        .with_attribute(("message", o.message.as_str()));
                    if o.element == "failure" {
                        child
                            .with_attribute(("type", o.kind))
                            .write_text_content(BytesText::new(&o.message))?;
                    } else {
                        child.write_empty()?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

fn cases(r: &ScenarioResult, allow_inconclusive: bool) -> Vec<Case> {
    let outcome = |element, kind, message| {
        Some(Outcome {
            element,
            kind,
            message,
        })
    };
    let mut cases = Vec::new();
    for j in &r.judgements {
        cases.push(Case {
            name: format!("{} ({})", j.expectation.metric, j.bound()),
            class: format!("{}.expect", r.scenario),
            outcome: match j.verdict {
                Verdict::Pass => None,
                Verdict::Fail => outcome("failure", "fail", j.message()),
                Verdict::Inconclusive if allow_inconclusive => {
                    outcome("skipped", "inconclusive", j.message())
                }
                Verdict::Inconclusive => outcome("failure", "inconclusive", j.message()),
            },
        });
    }
    if let Some(c) = &r.comparison {
        for m in &c.metrics {
            let regressed = m.change == Change::Regressed;
            cases.push(Case {
                name: format!("{} vs baseline", m.metric),
                class: format!("{}.baseline", r.scenario),
                outcome: if regressed {
                    let text = format!(
                        "{}: significantly worse than the baseline {}, by more than the \
                         tolerance {}",
                        super::terminal::change_text(m),
                        c.baseline.path.display(),
                        c.tolerance
                    );
                    outcome("failure", "regression", text)
                } else {
                    None
                },
            });
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use quick_xml::Reader;

    use super::*;
    use crate::gate::judge;
    use crate::scenario::Expectation;
    use crate::stats::Summary;

    fn result() -> ScenarioResult {
        let s = Summary::of([0.10, 0.12, 0.11]).unwrap();
        let e = |metric: &str, max: f64| Expectation {
            metric: metric.parse().unwrap(),
            min: None,
            max: Some(max),
        };
        ScenarioResult {
            path: "scenarios/a&b.toml".into(),
            scenario: "a&b".into(),
            seed: 1,
            replications: 3,
            judgements: vec![
                judge(&e("fallback_rate", 0.5), Some(&s)),
                judge(&e("fallback_rate", 0.05), Some(&s)),
                judge(&e("teams.<x>.fallback_rate", 0.11), Some(&s)),
            ],
            comparison: None,
        }
    }

    /// (element name, attribute `name`) of every start or empty element.
    fn elements(xml: &str) -> Vec<(String, Option<String>)> {
        let mut reader = Reader::from_str(xml);
        let mut found = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.name().into_inner().to_string();
                    let attr = e.try_get_attribute("name").unwrap().map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned()
                    });
                    found.push((name, attr));
                }
                _ => {}
            }
        }
        found
    }

    #[test]
    fn one_test_case_per_expectation_escaped_and_well_formed() {
        let xml = String::from_utf8(junit_xml(&[result()], false).unwrap()).unwrap();
        assert!(xml.contains("failures=\"2\""), "{xml}");
        let els = elements(&xml);
        let cases: Vec<_> = els.iter().filter(|(n, _)| n == "testcase").collect();
        assert_eq!(cases.len(), 3);
        assert_eq!(
            cases[2].1.as_deref(),
            Some("teams.<x>.fallback_rate (max 0.11)")
        );
        assert!(
            els.iter()
                .any(|(n, a)| n == "testsuite" && a.as_deref() == Some("a&b"))
        );
        assert_eq!(els.iter().filter(|(n, _)| n == "failure").count(), 2);
    }

    #[test]
    fn allowed_inconclusive_expectations_are_skipped() {
        let xml = String::from_utf8(junit_xml(&[result()], true).unwrap()).unwrap();
        let els = elements(&xml);
        assert_eq!(els.iter().filter(|(n, _)| n == "failure").count(), 1);
        assert_eq!(els.iter().filter(|(n, _)| n == "skipped").count(), 1);
    }
}

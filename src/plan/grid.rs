//! `--set PATH=SPEC` values that name several settings: `2..12` (integers, inclusive), `2..12:2`
//! (with a step) or `5,10` (a list). The grid is the product of every such axis.

use crate::figure::Figure;
use crate::report::{SweepPage, SweepRow};
use crate::scenario::Override;
use crate::usage::{UsageError, usage_error};

/// One swept key and the values it takes, as TOML value text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    pub path: String,
    pub values: Vec<String>,
}

/// At most this many points in one grid: far beyond any useful plot, low enough that a typo in
/// a range cannot start a week-long run.
pub const MAX_POINTS: usize = 10_000;

impl Axis {
    /// The axis a `--set` names, or `None` when it sets a single value. Values that are TOML
    /// arrays, tables or quoted strings are single values even when they hold commas.
    pub fn from_override(ov: &Override) -> Result<Option<Axis>, UsageError> {
        let v = ov.value.trim();
        if v.starts_with(['[', '{', '"', '\'']) {
            return Ok(None);
        }
        let bad = |m: String| usage_error("--set", &ov.path, m);
        if let Some((from, rest)) = v.split_once("..") {
            let (to, step) = rest.split_once(':').unwrap_or((rest, "1"));
            let int = |s: &str, what: &str| {
                s.trim().parse::<i64>().map_err(|_| {
                    bad(format!(
                        "expected a range of integers like 2..12 or 2..12:2, got {what} {s:?}"
                    ))
                })
            };
            let (from, to, step) = (int(from, "start")?, int(to, "end")?, int(step, "step")?);
            if step <= 0 {
                return Err(bad(format!("the step must be at least 1, got {step}")));
            }
            if to < from {
                return Err(bad(format!(
                    "the range {from}..{to} is empty: its end must not be below its start"
                )));
            }
            if (to - from) / step >= MAX_POINTS as i64 {
                return Err(bad(format!("the range has more than {MAX_POINTS} values")));
            }
            let values = (from..=to)
                .step_by(step as usize)
                .map(|x| x.to_string())
                .collect();
            return Ok(Some(Axis {
                path: ov.path.clone(),
                values,
            }));
        }
        if v.contains(',') {
            let values: Vec<String> = v.split(',').map(|s| s.trim().to_string()).collect();
            if values.iter().any(|s| s.is_empty()) {
                return Err(bad(format!(
                    "expected a list of values like 5,10, got {v:?} (an empty item)"
                )));
            }
            return Ok(Some(Axis {
                path: ov.path.clone(),
                values,
            }));
        }
        Ok(None)
    }
}

/// The swept axes and the single-valued settings that apply at every point.
#[derive(Clone, Debug)]
pub struct Grid {
    pub axes: Vec<Axis>,
    pub fixed: Vec<Override>,
}

impl Grid {
    pub fn new(sets: &[Override]) -> Result<Grid, UsageError> {
        let mut axes: Vec<Axis> = Vec::new();
        let mut fixed = Vec::new();
        for ov in sets {
            match Axis::from_override(ov)? {
                Some(axis) => {
                    if axes.iter().any(|a| a.path == axis.path) {
                        return Err(usage_error(
                            "--set",
                            &axis.path,
                            "swept twice; give all its values in one --set",
                        ));
                    }
                    axes.push(axis);
                }
                None => fixed.push(ov.clone()),
            }
        }
        let points = axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.values.len()));
        if points.is_none_or(|n| n > MAX_POINTS) {
            return Err(usage_error(
                "--set",
                "grid",
                format!("the grid has more than {MAX_POINTS} points"),
            ));
        }
        Ok(Grid { axes, fixed })
    }

    /// Every point as its values along the axes, the last axis varying fastest.
    pub fn points(&self) -> Vec<Vec<String>> {
        self.axes.iter().fold(vec![Vec::new()], |acc, axis| {
            acc.iter()
                .flat_map(|p| {
                    axis.values.iter().map(move |v| {
                        let mut q = p.clone();
                        q.push(v.clone());
                        q
                    })
                })
                .collect()
        })
    }

    /// What `sweep`'s report.html shows of this grid's `rows`, with the plot the command drew.
    pub fn page<'a>(
        &self,
        scenario: &'a str,
        figures: &'a [Figure],
        rows: &'a [SweepRow],
        plot_svg: &'a str,
        plot_file: &'a str,
    ) -> SweepPage<'a> {
        SweepPage {
            scenario,
            axes: (self.axes.iter())
                .map(|a| (a.path.clone(), a.values.clone()))
                .collect(),
            fixed: self.fixed.iter().map(|o| o.to_string()).collect(),
            figures,
            rows,
            plot_svg,
            plot_file,
        }
    }

    /// The overrides of one point: the fixed ones, then the point's values (which win).
    pub fn overrides(&self, point: &[String]) -> Vec<Override> {
        let mut all = self.fixed.clone();
        all.extend(self.axes.iter().zip(point).map(|(a, v)| Override {
            path: a.path.clone(),
            value: v.clone(),
        }));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> Override {
        s.parse().unwrap()
    }

    fn axis(s: &str) -> Option<Axis> {
        Axis::from_override(&set(s)).unwrap()
    }

    #[test]
    fn ranges_lists_and_single_values() {
        assert_eq!(axis("a.b=2..5").unwrap().values, ["2", "3", "4", "5"]);
        assert_eq!(axis("a.b=2..12:5").unwrap().values, ["2", "7", "12"]);
        assert_eq!(axis("a.b=5, 10").unwrap().values, ["5", "10"]);
        assert_eq!(axis("a.b=3"), None);
        assert_eq!(axis("a.b=[1, 2]"), None);
        assert_eq!(axis(r#"a.b={ dist = "constant", value = 3 }"#), None);
    }

    #[test]
    fn bad_ranges_are_usage_errors() {
        for (spec, words) in [
            ("a.b=5..2", "empty"),
            ("a.b=1..x", "end \"x\""),
            ("a.b=1..4:0", "step"),
            ("a.b=1,,2", "empty item"),
        ] {
            let e = Axis::from_override(&set(spec)).unwrap_err().to_string();
            assert!(e.contains("--set: a.b:") && e.contains(words), "{e}");
        }
    }

    #[test]
    fn the_grid_is_the_product_last_axis_fastest() {
        let g = Grid::new(&[set("x=1..2"), set("seed=3"), set("y=a,b")]).unwrap();
        assert_eq!(
            g.points(),
            [["1", "a"], ["1", "b"], ["2", "a"], ["2", "b"]].map(|p| p.map(String::from))
        );
        let ov = g.overrides(&g.points()[1]);
        assert_eq!(
            ov.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
            ["seed=3", "x=1", "y=b"]
        );
        assert!(Grid::new(&[set("x=1..2"), set("x=3,4")]).is_err());
        assert!(Grid::new(&[set("x=1..1000"), set("y=1..1000")]).is_err());
    }
}

//! Distribution tables (`{ dist = "lognormal", median = "25s", sigma = 0.7 }`) into [`Dist`]s.

use std::path::Path;

use crate::dist::Dist;

use super::duration::DurationValue;
use super::error::Problem;
use super::raw::{DistKind, RawDist};

/// The parameters each distribution takes, in the order the error messages list them.
fn params(kind: DistKind) -> &'static [&'static str] {
    match kind {
        DistKind::Constant => &["value"],
        DistKind::Exponential => &["mean"],
        DistKind::Lognormal => &["median", "sigma", "mean", "cv"],
        DistKind::Gamma => &["mean", "cv"],
        DistKind::Weibull => &["scale", "shape"],
        DistKind::Uniform => &["min", "max"],
        DistKind::Empirical => &["file", "column"],
    }
}

fn kind_name(kind: DistKind) -> &'static str {
    match kind {
        DistKind::Constant => "constant",
        DistKind::Exponential => "exponential",
        DistKind::Lognormal => "lognormal",
        DistKind::Gamma => "gamma",
        DistKind::Weibull => "weibull",
        DistKind::Uniform => "uniform",
        DistKind::Empirical => "empirical",
    }
}

/// The distribution written at key path `at`; an empirical one reads its file from `base_dir`.
pub fn build(raw: &RawDist, at: &str, base_dir: &Path) -> Result<Dist, Problem> {
    let kind = raw.dist;
    let name = kind_name(kind);
    let given = [
        ("value", raw.value.is_some()),
        ("mean", raw.mean.is_some()),
        ("median", raw.median.is_some()),
        ("sigma", raw.sigma.is_some()),
        ("cv", raw.cv.is_some()),
        ("scale", raw.scale.is_some()),
        ("shape", raw.shape.is_some()),
        ("min", raw.min.is_some()),
        ("max", raw.max.is_some()),
        ("file", raw.file.is_some()),
        ("column", raw.column.is_some()),
    ];
    let takes = params(kind);
    if let Some((param, _)) = given.iter().find(|(p, set)| *set && !takes.contains(p)) {
        return Err(Problem::new(
            format!("{at}.{param}"),
            format!(
                "dist = {name:?} does not take {param:?} (it takes {})",
                takes.join(", ")
            ),
        ));
    }

    let secs = |v: &Option<DurationValue>, param: &str| -> Result<f64, Problem> {
        let v = v.as_ref().ok_or_else(|| missing(at, name, takes))?;
        v.seconds()
            .map_err(|why| Problem::new(format!("{at}.{param}"), why))
    };
    let num = |v: Option<f64>| v.ok_or_else(|| missing(at, name, takes));

    let dist = match kind {
        DistKind::Constant => Dist::constant(secs(&raw.value, "value")?),
        DistKind::Exponential => Dist::exponential(secs(&raw.mean, "mean")?),
        DistKind::Lognormal => match (&raw.median, &raw.mean) {
            (Some(_), None) if raw.cv.is_none() => {
                Dist::lognormal_median(secs(&raw.median, "median")?, num(raw.sigma)?)
            }
            (None, Some(_)) if raw.sigma.is_none() => {
                Dist::lognormal_mean_cv(secs(&raw.mean, "mean")?, num(raw.cv)?)
            }
            _ => {
                return Err(Problem::new(
                    at,
                    r#"dist = "lognormal" takes median and sigma, or mean and cv"#,
                ));
            }
        },
        DistKind::Gamma => Dist::gamma_mean_cv(secs(&raw.mean, "mean")?, num(raw.cv)?),
        DistKind::Weibull => Dist::weibull(secs(&raw.scale, "scale")?, num(raw.shape)?),
        DistKind::Uniform => Dist::uniform(secs(&raw.min, "min")?, secs(&raw.max, "max")?),
        DistKind::Empirical => {
            let file = raw
                .file
                .as_deref()
                .ok_or_else(|| missing(at, name, &["file"]))?;
            let shown = super::paths::label(file);
            let samples = super::paths::resolve(base_dir, file, &shown)
                .and_then(|path| super::samples::read(&path, &shown, raw.column.as_deref()))
                .map_err(|why| Problem::new(format!("{at}.file"), why))?;
            Dist::empirical(samples)
        }
    };
    dist.map_err(|why| Problem::new(at, why))
}

fn missing(at: &str, name: &str, takes: &[&str]) -> Problem {
    Problem::new(at, format!("dist = {name:?} needs {}", takes.join(" and ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawDist {
        toml::from_str(text).unwrap()
    }

    fn build_str(text: &str) -> Result<Dist, Problem> {
        build(&raw(text), "d", Path::new("."))
    }

    #[test]
    fn builds_each_kind() {
        assert!(matches!(build_str(r#"dist = "constant"
value = "5s""#), Ok(Dist::Constant(v)) if v == 5.0));
        assert!(matches!(
            build_str(
                r#"dist = "exponential"
mean = "3m""#
            ),
            Ok(Dist::Exponential(_))
        ));
        assert!(matches!(
            build_str(
                r#"dist = "lognormal"
median = 25
sigma = 0.7"#
            ),
            Ok(Dist::LogNormal(_))
        ));
        assert!(matches!(
            build_str(
                r#"dist = "lognormal"
mean = "1m"
cv = 0.5"#
            ),
            Ok(Dist::LogNormal(_))
        ));
        assert!(matches!(
            build_str(
                r#"dist = "gamma"
mean = "1m"
cv = 0.5"#
            ),
            Ok(Dist::Gamma(_))
        ));
        assert!(matches!(
            build_str(
                r#"dist = "weibull"
scale = "1m"
shape = 1.5"#
            ),
            Ok(Dist::Weibull(_))
        ));
        assert!(matches!(build_str(r#"dist = "uniform"
min = "10s"
max = "1m""#), Ok(Dist::Uniform { lo, hi }) if lo == 10.0 && hi == 60.0));
    }

    #[test]
    fn rejects_a_parameter_of_another_distribution() {
        let p = build_str("dist = \"exponential\"\nmean = 30\nsigma = 1").unwrap_err();
        assert_eq!(p.at, "d.sigma");
        assert!(
            p.message
                .contains("does not take \"sigma\" (it takes mean)"),
            "{}",
            p.message
        );
    }

    #[test]
    fn rejects_missing_and_mixed_parameters() {
        assert_eq!(
            build_str("dist = \"weibull\"\nscale = 3")
                .unwrap_err()
                .message,
            r#"dist = "weibull" needs scale and shape"#
        );
        let p = build_str("dist = \"lognormal\"\nmedian = 3\ncv = 1").unwrap_err();
        assert!(p.message.contains("median and sigma, or mean and cv"));
        assert!(build_str("dist = \"lognormal\"\nmedian = 3").is_err());
    }

    #[test]
    fn names_the_bad_duration() {
        let p = build_str("dist = \"lognormal\"\nmedian = \"abc\"\nsigma = 1").unwrap_err();
        assert_eq!(p.at, "d.median");
        assert!(p.message.contains(r#"got "abc""#));
        let p = build_str("dist = \"exponential\"\nmean = 0").unwrap_err();
        assert_eq!(p.at, "d");
        assert!(p.message.contains("positive"));
    }

    #[test]
    fn empirical_reads_relative_to_the_base_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("r.csv"), "seconds\n10\n20\n").unwrap();
        let d = build(
            &raw("dist = \"empirical\"\nfile = \"r.csv\""),
            "d",
            dir.path(),
        )
        .unwrap();
        assert!(matches!(d, Dist::Empirical(s) if *s == [10.0, 20.0]));
        let p = build(
            &raw("dist = \"empirical\"\nfile = \"nope.csv\""),
            "d",
            dir.path(),
        )
        .unwrap_err();
        assert_eq!(p.at, "d.file");
        assert!(p.message.contains("nope.csv"));
    }
}

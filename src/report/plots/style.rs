//! What every plot shares: sizes, fonts, colours and the time axis.

use plotters::prelude::*;
use plotters::style::TextStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use crate::figure::Reason;

/// Pixels; the SVG scales, the PNG is sized for a README or a slide.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 675;

pub fn caption() -> TextStyle<'static> {
    (FAMILY, 28).into_font().color(&BLACK)
}

pub fn labels() -> TextStyle<'static> {
    (FAMILY, 17).into_font().color(&BLACK)
}

pub fn axis_title() -> TextStyle<'static> {
    (FAMILY, 19).into_font().color(&BLACK)
}

pub fn note() -> TextStyle<'static> {
    (FAMILY, 18).into_font().color(&RGBColor(60, 60, 60))
}

/// A colour-blind-safe palette (Okabe and Ito).
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const VERMILION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const GREY: RGBColor = RGBColor(120, 120, 120);

pub fn reason_colour(r: Reason) -> RGBColor {
    match r {
        Reason::NoRule => GREY,
        Reason::Unavailable => BLUE,
        Reason::AtCap => VERMILION,
        Reason::Timeout => ORANGE,
        Reason::TrialLimit => PURPLE,
    }
}

/// What the reason means, with the name the tables use.
pub fn reason_label(r: Reason) -> String {
    let meaning = match r {
        Reason::NoRule => "no rule matched",
        Reason::Unavailable => "no agent online",
        Reason::AtCap => "agents at cap",
        Reason::Timeout => "accept window ran out",
        Reason::TrialLimit => "trial limit used up",
    };
    format!("{meaning} ({})", r.name())
}

/// Time on the x axis in hours or, over longer horizons, days, labelled on the calendar: a
/// planner reads "Tue 2 Jan", not "day 1".
#[derive(Clone, Copy)]
pub struct TimeAxis {
    pub hours_per_unit: f64,
    pub title: &'static str,
    /// What time 0 is on the calendar.
    pub start: jiff::Timestamp,
}

impl TimeAxis {
    pub fn for_horizon(horizon_h: f64, start: jiff::Timestamp) -> TimeAxis {
        let (hours_per_unit, title) = if horizon_h > 72.0 {
            (24.0, "day (UTC)")
        } else {
            (1.0, "time (UTC)")
        };
        TimeAxis {
            hours_per_unit,
            title,
            start,
        }
    }

    pub fn at(&self, hours: f64) -> f64 {
        hours / self.hours_per_unit
    }

    /// A tick's label: the weekday and date at midnight, else the clock time (with the weekday
    /// on a day axis).
    pub fn label(&self, x: &f64) -> String {
        let millis = (x * self.hours_per_unit * 3_600_000.0).round() as i64;
        let Ok(t) = self
            .start
            .checked_add(jiff::SignedDuration::from_millis(millis))
        else {
            return tick(x);
        };
        let t = t.to_zoned_datetime(jiff::tz::TimeZone::UTC);
        let midnight = t.hour() == 0 && t.minute() == 0;
        let format = match (midnight, self.hours_per_unit > 1.0) {
            (true, _) => "%a %-d %b",
            (false, true) => "%a %H:%M",
            (false, false) => "%H:%M",
        };
        t.strftime(format).to_string()
    }
}

/// A range's top with some headroom, never zero.
pub fn top(max: f64, at_least: f64) -> f64 {
    (max * 1.12).max(at_least)
}

/// Draws the title and, under it, a line of explanation; returns the area below both.
pub fn heading<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    note: Option<&str>,
) -> Result<DrawingArea<DB, plotters::coord::Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let body = root.margin(8, 0, 0, 0).titled(title, caption())?;
    let Some(note) = note else {
        return Ok(body);
    };
    let (line, rest) = body.split_vertically(30);
    let width = line.dim_in_pixel().0 as i32;
    line.draw_text(
        note,
        &self::note().pos(Pos::new(HPos::Center, VPos::Top)),
        (width / 2, 2),
    )?;
    Ok(rest)
}

/// Tick labels without needless decimals: "5", "2.5".
pub fn tick(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{:.0}", x)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ticks_read_on_the_calendar() {
        let start: jiff::Timestamp = "2024-03-29T00:00:00Z".parse().unwrap();
        let days = TimeAxis::for_horizon(7.0 * 24.0, start);
        assert_eq!(days.label(&0.0), "Fri 29 Mar");
        assert_eq!(days.label(&3.0), "Mon 1 Apr");
        assert_eq!(days.label(&1.5), "Sat 12:00");
        let hours = TimeAxis::for_horizon(24.0, start);
        assert_eq!(hours.label(&13.0), "13:00");
        assert_eq!(hours.label(&24.0), "Sat 30 Mar");
    }
}

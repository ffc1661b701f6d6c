//! The one font every plot uses, compiled into the binary: plotters' own font lookup needs the
//! system's font libraries, which a fresh machine does not have.

use std::sync::Once;

use plotters::style::{FontStyle, register_font};

/// The family name plots ask for.
pub const FAMILY: &str = "sans-serif";

pub(super) static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Registers the font, once per process.
pub fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a known-good TrueType file compiled in; failing here is a build defect.
        if register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_err() {
            panic!("the embedded font is not a valid TrueType file");
        }
    });
}

//! The PNG backend: plotters' bitmap backend with the embedded font's glyphs placed where their
//! outlines say. plotters' own rasteriser puts every glyph's bounding box at the pen position,
//! dropping each glyph's side bearing and rounding the pen down, so letters drift apart inside
//! words ("em ea-1", "an swered") while the SVG of the same plot is right. Everything but text
//! goes to the bitmap backend unchanged.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};

use super::font;

pub struct Raster<'a> {
    inner: BitMapBackend<'a>,
}

impl<'a> Raster<'a> {
    pub fn with_buffer(rgb: &'a mut [u8], size: (u32, u32)) -> Self {
        Raster {
            inner: BitMapBackend::with_buffer(rgb, size),
        }
    }
}

fn face() -> &'static FontRef<'static> {
    static FACE: OnceLock<FontRef<'static>> = OnceLock::new();
    FACE.get_or_init(|| {
        // The bytes are a known-good TrueType file compiled in; failing here is a build defect.
        FontRef::try_from_slice(font::DEJAVU_SANS).expect("the embedded font is valid")
    })
}

/// Each glyph of `text` at `size` pixels as (x, y, coverage) of its pixels, on plotters' layout:
/// the pen starts at x = 0 and the baseline lies half the size below y = 0.
fn glyph_pixels(text: &str, size: f32, mut put: impl FnMut(i32, i32, f32)) {
    let font = face().as_scaled(size);
    let mut pen = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += font.kern(p, id);
        }
        prev = Some(id);
        let glyph = id.with_scale_and_position(font.scale(), point(pen, size / 2.0));
        if let Some(outline) = font.outline_glyph(glyph) {
            let at = outline.px_bounds().min;
            outline.draw(|x, y, coverage| {
                put(at.x as i32 + x as i32, at.y as i32 + y as i32, coverage)
            });
        }
        pen += font.h_advance(id);
    }
}

impl DrawingBackend for Raster<'_> {
    type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (w, h): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, (w, h), src)
    }

    /// As plotters' own text drawing (the same layout box, anchors and rotations), with the
    /// glyphs placed by [`glyph_pixels`].
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans: FontTransform = style.transform();
        let (w, h) = self.get_size();
        let mut result = Ok(());
        glyph_pixels(text, style.size() as f32, |x, y, coverage| {
            let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if result.is_ok() && x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                result = self.inner.draw_pixel((x, y), color.mix(coverage as f64));
            }
        });
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs of columns with ink of `text` drawn at `size` on a white canvas, as (first, last).
    fn ink_runs(text: &str, size: u32) -> Vec<(i32, i32)> {
        font::register();
        let (w, h) = (900, 90);
        let mut rgb = vec![255u8; (w * h * 3) as usize];
        {
            let root = Raster::with_buffer(&mut rgb, (w, h)).into_drawing_area();
            let style = (font::FAMILY, size).into_font().color(&BLACK);
            root.draw_text(text, &style, (10, 10)).unwrap();
            root.present().unwrap();
        }
        let dark = |x: u32| (0..h).any(|y| rgb[((y * w + x) * 3) as usize] < 160);
        let mut runs: Vec<(i32, i32)> = Vec::new();
        for x in (0..w).filter(|&x| dark(x)).map(|x| x as i32) {
            match runs.last_mut() {
                Some(r) if r.1 == x - 1 => r.1 = x,
                _ => runs.push((x, x)),
            }
        }
        runs
    }

    /// Where each glyph's ink starts and ends by its outline, from the pen's start.
    fn outlines(text: &str, size: f32) -> Vec<(f32, f32)> {
        let font = face().as_scaled(size);
        let (mut pen, mut prev, mut out) = (0.0, None, Vec::new());
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = prev {
                pen += font.kern(p, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(font.scale(), point(pen, 0.0));
            if let Some(o) = font.outline_glyph(glyph) {
                out.push((o.px_bounds().min.x, o.px_bounds().max.x));
            }
            pen += font.h_advance(id);
        }
        out
    }

    #[test]
    fn glyphs_stand_where_their_advances_and_bearings_put_them() {
        // Letters that stay apart at this size, with side bearings that differ.
        for (word, size) in [("emea", 40), ("rwvl", 36), ("answ", 44)] {
            let runs = ink_runs(word, size);
            let expected = outlines(word, size as f32);
            assert_eq!(runs.len(), expected.len(), "{word:?}: {runs:?}");
            let origin = runs[0].0 as f32 - expected[0].0;
            for (run, (lo, _)) in runs.iter().zip(&expected) {
                let at = run.0 as f32 - origin;
                assert!(
                    (at - lo).abs() <= 1.0,
                    "{word:?} at {size} px: a glyph starts at {at}, its outline at {lo}"
                );
            }
            // The word is as wide as its outlines (and so as its SVG, laid out by the same advances).
            let width = (runs.last().unwrap().1 - runs[0].0 + 1) as f32;
            let outline_width = expected.last().unwrap().1 - expected[0].0;
            assert!(
                (width - outline_width).abs() <= 2.0,
                "{word:?}: {width} vs {outline_width}"
            );
        }
    }
}

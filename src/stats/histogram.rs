//! A fixed-bin histogram: constant memory however many values it sees.

#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    width: f64,
    /// `1 / width`: recording multiplies, as it runs on every offer and a division showed.
    per_width: f64,
    /// One count per bin, then one for everything at or past the last bin's end.
    counts: Vec<u64>,
}

impl Histogram {
    /// `bins` bins of `width` from 0, plus an overflow bin.
    pub fn new(width: f64, bins: usize) -> Histogram {
        Histogram {
            width,
            per_width: 1.0 / width,
            counts: vec![0; bins + 1],
        }
    }

    /// Values past the last bin, infinite or NaN go in the overflow bin.
    pub fn record(&mut self, x: f64) {
        let last = self.counts.len() - 1;
        let i = if x >= 0.0 {
            // Through i64, one instruction on x86-64 where usize takes a dozen (it runs on
            // every offer); the saturating cast sends infinity past the last bin.
            ((x * self.per_width) as i64 as u64).min(last as u64) as usize
        } else {
            last
        };
        self.counts[i] += 1;
    }

    pub fn width(&self) -> f64 {
        self.width
    }

    /// The bins' counts, the overflow bin last.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Adds `other`'s counts to these, bin by bin: the histogram of both samples pooled.
    ///
    /// # Panics
    /// When the two have different bins.
    pub fn add(&mut self, other: &Histogram) {
        assert!(
            self.width == other.width && self.counts.len() == other.counts.len(),
            "pooling histograms with different bins"
        );
        for (c, o) in self.counts.iter_mut().zip(&other.counts) {
            *c += o;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_land_in_their_bin_or_the_overflow() {
        let mut h = Histogram::new(5.0, 3);
        for x in [0.0, 4.9, 5.0, 14.9, 15.0, 1e9, f64::NAN] {
            h.record(x);
        }
        assert_eq!(h.counts(), [2, 1, 1, 3]);
        assert_eq!(h.total(), 7);
    }

    #[test]
    fn pooling_adds_bin_by_bin() {
        let (mut a, mut b) = (Histogram::new(5.0, 2), Histogram::new(5.0, 2));
        a.record(1.0);
        b.record(1.0);
        b.record(12.0);
        a.add(&b);
        assert_eq!(a.counts(), [2, 0, 1]);
    }
}

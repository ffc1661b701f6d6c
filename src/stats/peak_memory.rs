//! The process's peak resident memory, for `--stats` and the benchmarks.

/// Peak resident set size in bytes, from the kernel's own accounting (`VmHWM`); `None` where
/// the platform does not offer it.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn reads_a_plausible_figure_on_linux() {
        let bytes = super::peak_memory_bytes().expect("VmHWM on Linux");
        assert!(bytes > 100_000, "{bytes}");
    }
}

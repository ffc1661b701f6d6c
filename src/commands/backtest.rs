//! `chatsim backtest SCENARIO --actual LOG`.

use crate::cli::BacktestArgs;

pub fn backtest(_args: &BacktestArgs) -> anyhow::Result<()> {
    anyhow::bail!("backtest is not available yet")
}

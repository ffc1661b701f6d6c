#!/usr/bin/env bash
# Reproduces the README's performance figures with the shipped (dist) binary: throughput and peak
# memory of the benchmark scenarios on 1 and 2 threads, then how cost grows with the horizon and
# with the number of agents. Each line is one `chatsim run --stats`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --quiet
bin=target/dist/chatsim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

stats() { # label, then chatsim run arguments
  local label=$1
  shift
  "$bin" run --quiet --no-plots --stats --out "$out/run" "$@" | awk -v l="$label" '
    /wall time/ { wall = $3 } /events per second/ { e = $4 } /visitors per second/ { v = $4 }
    /peak memory/ { m = $3 }
    END { printf "%-44s %9.2f s %14.0f %14.0f %8.1f MiB\n", l, wall, v, e, m }'
}

printf "%-44s %11s %14s %14s %12s\n" run wall visitors/s events/s "peak memory"
for t in 1 2; do
  stats "default, 10 x 7 days, $t thread(s)" --threads "$t"
  stats "bench-200, 2 x 30 days, $t thread(s)" scenarios/bench-200.toml --threads "$t"
  stats "bench-enterprise, 2 x 365 days, $t thread(s)" scenarios/bench-enterprise.toml --threads "$t"
done
for h in 3d 30d 300d; do
  stats "bench-200 over $h, 2 threads" scenarios/bench-200.toml --horizon "$h" --threads 2
done
for agents in 20 200 2000; do
  stats "bench-200 with $agents agents, 30 days, 2 threads" scenarios/bench-200.toml \
    --set "agents.sales.count=$agents" --set "arrivals.per_hour=$((45 * agents))" --threads 2
done
for h in 30d 360d; do
  stats "bench-200 over $h (memory), 2 threads" scenarios/bench-200.toml --horizon "$h" --threads 2
done

# Calibration: `fit` over event logs of 0.2 and 1.1 million requests (bench-200 over 1 and 5
# days): wall time and peak memory, which must not grow with the log.
for h in 1d 5d; do
  "$bin" run --quiet --no-plots --out "$out/run" scenarios/bench-200.toml --horizon "$h" \
    --events "$out/events-$h.csv.gz" >/dev/null
  /usr/bin/time -f "fit of bench-200 over $h: %e s, %M KiB peak" \
    "$bin" fit "$out/events-$h.csv.gz" --out "$out/fitted-$h.toml" --report "$out/fit-$h" >/dev/null
done

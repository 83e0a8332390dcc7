#!/usr/bin/env bash
# Catch-up time: how long a new miner takes to download and connect a chain of N blocks from
# one peer on loopback (issue 6, docs/PERFORMANCE.md; goal: 10 000 blocks in under 10 s).
#
# 1. A bootstrap with the easiest target (--difficulty-bits 1) and a miner "Source" mining
#    empty blocks (--min-txs 0) until its chain is N blocks long; it is then restarted with
#    --no-mine. With --dir, a chain built by an earlier run is reused.
# 2. A fresh miner "Late" (--no-mine) starts; the clock runs from its start until its tip is
#    Source's tip (polled with `miner --status` every 100 ms), and its log gives the split
#    between the headers phase (GetHeaders, 2 000 headers a reply) and the blocks phase
#    (batches of 128 blocks).
#
# Usage: bench/catch_up.sh [--blocks 10000] [--bin build/bin] [--dir DIR] [--keep]
#   --dir on a tmpfs (e.g. /dev/shm/coinnet-catchup) removes the disk's fsync cost from the
#   figure; the default is a temporary directory on the disk.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
blocks=10000 bin="$root/build/bin" dir="" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --blocks) blocks="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --dir) dir="$2"; keep=1; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[ -x "$bin/miner" ] || { echo "no miner executable in $bin (build first, or --bin)" >&2; exit 1; }
if [ -z "$dir" ]; then dir="$(mktemp -d /tmp/coinnet-catchup.XXXXXX)"; fi
mkdir -p "$dir"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$keep" = 0 ]; then rm -rf "$dir"; else echo "data and logs kept in $dir"; fi
}
trap cleanup EXIT

base=$((20000 + (RANDOM % 4000) * 10))
bport=$base sport=$((base + 1)) lport=$((base + 2))
height_of() {  # the "height" of `miner --status --json`, or 0
  "$bin/miner" --status "127.0.0.1:$1" --json 2>/dev/null |
    sed -n 's/.*"height":\([0-9]*\).*/\1/p' | grep . || echo 0
}
tip_of() {
  "$bin/miner" --status "127.0.0.1:$1" --json 2>/dev/null | sed -n 's/.*"tip":"\([0-9a-f]*\)".*/\1/p'
}
wait_listening() {
  for _ in $(seq 100); do grep -q "listening on" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "did not start: $1" >&2; cat "$1" >&2; exit 1
}
start_source() {
  "$bin/miner" Source "$sport" --bind 127.0.0.1 --bootstrap "127.0.0.1:$bport" \
    --data-dir "$dir/miner-Source" "$@" >"$dir/source.out" 2>&1 &
  pids+=($!)
  wait_listening "$dir/source.out"
}

"$bin/bootstrap" --port "$bport" --bind 127.0.0.1 --data-dir "$dir/bootstrap" \
  --difficulty-bits 1 --heartbeat-interval 1 >"$dir/bootstrap.out" 2>&1 &
pids+=($!)
wait_listening "$dir/bootstrap.out"

start_source --no-mine
if [ "$(height_of "$sport")" -lt "$blocks" ]; then
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
  echo "building a chain of $blocks blocks..."
  start_source --min-txs 0 --threads 1
  while [ "$(height_of "$sport")" -lt "$blocks" ]; do sleep 0.1; done
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
  start_source --no-mine
fi
target=$(height_of "$sport")
target_tip=$(tip_of "$sport")
echo "Source holds $target blocks; starting a new miner"

# A fresh name each run: the bootstrap binds a name to the node key that first registered it.
late="Late$base"
rm -rf "$dir"/miner-Late* "$dir/late.log"
t0=$(date +%s%N)
"$bin/miner" "$late" "$lport" --bind 127.0.0.1 --bootstrap "127.0.0.1:$bport" \
  --data-dir "$dir/miner-$late" --no-mine --log-file "$dir/late.log" >"$dir/late.out" 2>&1 &
pids+=($!)
until [ "$(tip_of "$lport")" = "$target_tip" ]; do
  sleep 0.1
  if [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 600 ]; then echo "no catch-up in 600 s" >&2; exit 1; fi
done
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
echo "caught up $target blocks in $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s (from process start)"
# Phases from the log (ms stamps): connected -> first block -> synced.
awk '
  function ms(t,   b) { split(t, b, ":"); return (b[1] * 60 + b[2]) * 60000 + b[3] * 1000 }
  /peer Source connected/ && !c { c = ms($2) }
  / from miner Source/ { if (!b) b = ms($2); s = ms($2) }
  END {
    if (c && b) printf "  headers phase (connect -> first block): %d ms\n", b - c
    if (b && s) printf "  blocks phase (first -> last block):     %d ms (%.0f blocks/s)\n", s - b, '"$target"' * 1000 / (s - b + 1)
  }' "$dir/late.log"
grep -o 'syncing [0-9]*/[0-9]* blocks' "$dir/late.log" | head -3 | sed 's/^/  console: /'

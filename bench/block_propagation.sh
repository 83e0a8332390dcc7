#!/usr/bin/env bash
# Block propagation on loopback: how long a block mined by one miner takes to be accepted by
# every other miner (issue 6, docs/PERFORMANCE.md).
#
# Starts a bootstrap and N miners (default 8, a full mesh: --peers-max 8) on 127.0.0.1, each
# with --log-file, lets them mine for a while, then matches every "MINED block H mined · HASH"
# line with the "block HASH… at height H from miner X" line of each other miner. Both lines
# come from the same clock (one machine) with millisecond stamps. The interval therefore
# covers: the miner storing and connecting its own block, Announce, Request, BlockData, and
# the receiver validating, storing (one SQLite commit, fsync'd) and connecting it.
#
# Usage: bench/block_propagation.sh [--miners 8] [--seconds 60] [--bits 26] [--mode all|one]
#                                   [--bin build/bin] [--dir DIR] [--keep]
#   --mode all  every miner mines (1 thread each): the CPU is also busy hashing
#   --mode one  only the first miner mines, the others validate and relay (--no-mine)
#   --bits      difficulty; choose it for roughly one block per second across the network
#   --dir       where data and logs go (default: a fresh temporary directory)
# Prints the number of blocks, then p50/p90/p99/max of (a) the time until the LAST other
# miner has the block and (b) every single receiver's delay.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
miners=8 seconds=60 bits=26 mode=all bin="$root/build/bin" dir="" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --miners) miners="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --bits) bits="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[ -x "$bin/miner" ] || { echo "no miner executable in $bin (build first, or --bin)" >&2; exit 1; }
if [ -z "$dir" ]; then dir="$(mktemp -d /tmp/coinnet-propagation.XXXXXX)"; fi
mkdir -p "$dir"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$keep" = 0 ]; then rm -rf "$dir"; else echo "data and logs kept in $dir"; fi
}
trap cleanup EXIT

free_port() { python3 - 2>/dev/null <<'EOF' || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])
EOF
}

bport=$(free_port)
"$bin/bootstrap" --port "$bport" --bind 127.0.0.1 --data-dir "$dir/bootstrap" \
  --difficulty-bits "$bits" --heartbeat-interval 1 >"$dir/bootstrap.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q "listening on" "$dir/bootstrap.out" 2>/dev/null && break; sleep 0.1; done

for i in $(seq 1 "$miners"); do
  port=$(free_port)
  args=(--min-txs 0 --threads 1)
  if [ "$mode" = one ] && [ "$i" -gt 1 ]; then args=(--no-mine); fi
  "$bin/miner" "P$i" "$port" --bind 127.0.0.1 --bootstrap "127.0.0.1:$bport" \
    --data-dir "$dir/miner-P$i" --peers-max 8 --log-file "$dir/P$i.log" "${args[@]}" \
    >"$dir/P$i.out" 2>&1 &
  pids+=($!)
done
echo "bootstrap 127.0.0.1:$bport, $miners miners ($mode mining, difficulty $bits bits), ${seconds}s in $dir"
# Let the mesh form (the miner list refreshes every second) before counting.
sleep 5
start_mark=$(date '+%Y-%m-%d %H:%M:%S')
sleep "$seconds"
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()

# One record per event: "mined|got NODE HASH16 MS". Timestamps are ms within the month
# (enough for a bench run; mawk has no mktime).
for i in $(seq 1 "$miners"); do
  awk -v node="P$i" -v start="$start_mark" '
    function ms(d, t,   a, b) {
      split(d, a, "-"); split(t, b, ":")
      return ((a[3] * 24 + b[1]) * 60 + b[2]) * 60000 + b[3] * 1000
    }
    ($1 " " substr($2, 1, 8)) < start { next }
    / MINED +block [0-9]+ mined / {
      for (f = 1; f <= NF; f++) if (length($f) == 64) { print "mined", node, substr($f, 1, 16), ms($1, $2); break }
    }
    / block +block [0-9a-f]+… at height [0-9]+ from miner / {
      for (f = 1; f <= NF; f++) if ($f == "block" && $(f + 1) ~ /…$/) {
        h = $(f + 1); sub(/…$/, "", h); print "got", node, h, ms($1, $2); break
      }
    }' "$dir/P$i.log"
done >"$dir/events.txt"

awk -v miners="$miners" '
  $1 == "mined" { mined_at[$3] = $4; miner[$3] = $2 }
  $1 == "got" { got[$3, $2] = $4; nodes[$2] = 1 }
  END {
    for (h in mined_at) {
      worst = 0; reached = 0
      for (n in nodes) {
        if (n == miner[h]) continue
        if ((h, n) in got) {
          d = got[h, n] - mined_at[h]; reached++
          print "hop", d
          if (d > worst) worst = d
        }
      }
      if (reached == miners - 1) print "all", worst; else print "partial", reached
    }
  }' "$dir/events.txt" >"$dir/delays.txt"

report() {  # label, then values on stdin
  sort -n | awk -v label="$1" '
    { v[NR] = $1 }
    function pct(p,   i) { i = int(p * NR + 0.999999); if (i < 1) i = 1; return v[i] }
    END {
      if (NR == 0) { printf "%-34s no data\n", label; exit }
      printf "%-34s n=%-5d p50 %4d ms  p90 %4d ms  p99 %4d ms  max %4d ms\n", label, NR, pct(0.5), pct(0.9), pct(0.99), v[NR]
    }'
}
mined=$(grep -c '^mined' "$dir/events.txt" || true)
partial=$(grep -c '^partial' "$dir/delays.txt" || true)
echo "blocks mined: $mined (not seen by every other miner, e.g. mined at the very end: $partial)"
grep '^all' "$dir/delays.txt" | cut -d' ' -f2 | report "to reach all $((miners - 1)) other miners"
grep '^hop' "$dir/delays.txt" | cut -d' ' -f2 | report "to reach one other miner"

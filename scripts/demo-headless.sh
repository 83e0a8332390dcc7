# shellcheck shell=bash disable=SC2154  # the variables are scripts/demo's
# Sourced by scripts/demo: the network in the background for $duration seconds, then a summary.
# Uses the variables and helpers scripts/demo sets up (run_dir, logs, bin, names, ...).

# Starts a process with its output in $logs/NAME.log and records its PID.
start() {
  local log="$1"; shift
  "$@" >"$logs/$log.log" 2>&1 &
  echo $! >>"$pid_file"
  last_pid=$!
}

json_field() { jq -r "$2 // empty" <<<"$1" 2>/dev/null || true; }
miner_status() { "$bin/miner" --status "127.0.0.1:$((base + $1))" --json 2>/dev/null || echo '{}'; }

# Samples "ELAPSED_SECONDS HEIGHT" every 5 s while the wallets send: payments are later placed
# in time by the height of their block.
sample_heights() {
  local start=$SECONDS h
  : >"$logs/heights"
  while [ $((SECONDS - start)) -lt "$duration" ]; do
    h=$(json_field "$(miner_status 1)" .height)
    [ -n "$h" ] && echo "$((SECONDS - start)) $h" >>"$logs/heights"
    sleep "$(( duration - (SECONDS - start) < 5 ? duration - (SECONDS - start) : 5 ))"
  done
}

mempools_empty() {
  for i in $(seq "$miners"); do
    [ "$(json_field "$(miner_status "$i")" .mempool)" = 0 ] || return 1
  done
}
one_tip() {
  local first="" t
  for i in $(seq "$miners"); do
    t=$(json_field "$(miner_status "$i")" .tip)
    [ -n "$t" ] || return 1
    [ -z "$first" ] && first=$t
    [ "$t" = "$first" ] || return 1
  done
}

# Lets the miners mine what waits. Miners that found blocks at the same height keep their own
# tip until a next block breaks the tie (as in Bitcoin): nudge with one small payment.
settle() {
  for _ in $(seq 6); do
    for _ in $(seq 120); do mempools_empty && break; sleep 1; done
    sleep 1
    one_tip && return 0
    # shellcheck disable=SC2046
    $(wallet_cmd Adam) send "${names[$((wallets > 1 ? 1 : 0))]}" 0.001 >/dev/null 2>&1 || true
    sleep 2
  done
}

# Heights of the payments a wallet made that are in a block.
confirmed_heights() {
  # shellcheck disable=SC2046
  $(wallet_cmd "$1") history --json 2>/dev/null |
    jq -r '.[] | select(.direction == "sent" and .confirmations > 0) | .height' 2>/dev/null || true
}

# "payments confirmed per $timeline s": each payment placed at the first sample that saw its
# block (5 s resolution); payments mined while the network settled count after the run.
print_timeline() {
  local heights_file="$1"
  awk -v step="$timeline" -v duration="$duration" '
    FNR == NR { t[++n] = $1; h[n] = $2; next }
    {
      when = duration
      for (i = 1; i <= n; i++) if (h[i] >= $1) { when = t[i]; break }
      b = int(when / step); if (when >= duration) b = -1
      count[b]++
    }
    END {
      last = int((duration - 1) / step)
      for (b = 0; b <= last; b++) {
        from = b * step; to = (b + 1) * step; if (to > duration) to = duration
        # blocks mined in the bucket, from the samples
        lo = -1; hi = -1
        for (i = 1; i <= n; i++) {
          if (t[i] >= from && lo < 0) lo = (i > 1 ? h[i - 1] : 0)
          if (t[i] < to) hi = h[i]
        }
        blocks = (lo >= 0 && hi >= lo) ? hi - lo : 0
        printf "  %5d-%-5d s  %5d payments  %4d blocks\n", from, to, count[b] + 0, blocks
      }
      printf "  after the run %5d payments (mined while the network settled)\n", count[-1] + 0
    }' "$logs/heights" "$heights_file"
}

demo_headless() {
  trap 'stop_all' EXIT
  start bootstrap "${boot_cmd[@]}"
  await_port "$base"
  for i in $(seq "$miners"); do
    # shellcheck disable=SC2046
    start "miner$i" $(miner_cmd "$i")
  done
  for i in $(seq "$miners"); do await_port $((base + i)); await_reward_key "$i"; done
  # Adam is the person: registered (and granted his 100 coins) but never typing a payment.
  # shellcheck disable=SC2046
  $(wallet_cmd Adam) balance >/dev/null
  local senders=() wallet_pids=()
  for i in $(seq 2 "$wallets"); do senders+=("${names[$((i - 1))]}"); done
  for i in $(seq "$miners"); do senders+=("Miner$i"); done
  for name in "${senders[@]}"; do
    local extra=()
    [[ "$name" == Miner* ]] && extra=(--import-key "$(reward_key "${name#Miner}")")
    # shellcheck disable=SC2046
    start "wallet-$name" $(wallet_cmd "$name") "${extra[@]}" "${auto_flags[@]}"
    wallet_pids+=("$last_pid")
  done
  echo "coinnet demo running headless for ${duration}s on port $base (logs in $logs/)"
  sample_heights

  # Stop sending, let the miners mine what waits, then report.
  kill -TERM "${wallet_pids[@]}" 2>/dev/null || true
  wait "${wallet_pids[@]}" 2>/dev/null || true
  settle
  summary
}

summary() {
  echo
  echo "== miners"
  local tips=() miner_units=0 height=0 s h t b
  for i in $(seq "$miners"); do
    s=$(miner_status "$i")
    h=$(json_field "$s" .height); t=$(json_field "$s" .tip); b=$(json_field "$s" .balance)
    printf "  Miner%-3s height %-6s tip %s  balance %s units\n" "$i" "${h:-?}" "${t:-?}" "${b:-?}"
    tips+=("$t"); miner_units=$((miner_units + ${b:-0})); height=${h:-0}
  done
  local same=yes
  for t in "${tips[@]}"; do [ "$t" = "${tips[0]}" ] || same=no; done
  echo "  all miners on one tip: $same"

  echo "== wallets"
  # The miners' own wallets hold the miners' reward keys: their coins are the miners' balances
  # above, so only the people's wallets add to the supply here.
  local wallet_units=0 c name
  for i in $(seq "$wallets"); do
    name=${names[$((i - 1))]}
    # shellcheck disable=SC2046
    s=$($(wallet_cmd "$name") balance --json 2>/dev/null || echo '{}')
    c=$(json_field "$s" .confirmed)
    printf "  %-7s confirmed %s units\n" "$name" "${c:-?}"
    wallet_units=$((wallet_units + ${c:-0}))
  done

  local all_heights="$logs/payment-heights"
  : >"$all_heights"
  for i in $(seq 2 "$wallets"); do confirmed_heights "${names[$((i - 1))]}" >>"$all_heights"; done
  for i in $(seq "$miners"); do confirmed_heights "Miner$i" >>"$all_heights"; done
  local confirmed
  confirmed=$(wc -l <"$all_heights")
  echo "== payments confirmed per ${timeline} s (auto wallets and miners' wallets)"
  print_timeline "$all_heights"

  local bs remaining reward total expected
  bs=$("$bin/bootstrap" --status "$boot" --json 2>/dev/null || echo '{}')
  remaining=$(json_field "$bs" .faucet.remaining)
  reward=1000000000
  echo "== supply"
  echo "  payments confirmed: $confirmed (plus $((wallets + miners)) faucet grants)"
  total=$((wallet_units + miner_units + ${remaining:-0}))
  expected=$((1000 * 100 * 100000000 + height * reward))
  echo "  wallets + miners + faucet = $total units; genesis + rewards of $height blocks = $expected units"
  if [ "$same" = yes ] && [ "$total" = "$expected" ]; then
    echo "  supply check: OK"
  else
    echo "  supply check: FAILED"
    exit 2
  fi
}

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

# "NAME HEIGHT AMOUNT" for each payment wallet NAME made that is in a block.
confirmed_payments() {
  # shellcheck disable=SC2046
  $(wallet_cmd "$1") history --json 2>/dev/null |
    jq -r --arg who "$1" '.[] | select(.direction == "sent" and .confirmations > 0)
      | "\($who) \(.height) \(.amount)"' 2>/dev/null || true
}

# Reads the height samples, then payments ("NAME HEIGHT AMOUNT"); places each payment at the
# first sample that saw its block (5 s resolution), in bucket int(time / step), or -1 when it
# was mined while the network settled after the run. Shared by the two reports below.
place_payments='
  FNR == NR { t[++n] = $1; h[n] = $2; next }
  {
    when = duration
    for (i = 1; i <= n; i++) if (h[i] >= $2) { when = t[i]; break }
    bucket = (when >= duration) ? -1 : int(when / step)
  }'

# Payments confirmed and blocks mined per $timeline seconds.
print_timeline() {
  awk -v step="$timeline" -v duration="$duration" "$place_payments"'
    { count[bucket]++ }
    END {
      last = int((duration - 1) / step)
      for (b = 0; b <= last; b++) {
        from = b * step; to = (b + 1) * step; if (to > duration) to = duration
        lo = -1; hi = -1   # heights at the bucket edges, from the samples
        for (i = 1; i <= n; i++) {
          if (t[i] >= from && lo < 0) lo = (i > 1 ? h[i - 1] : 0)
          if (t[i] < to) hi = h[i]
        }
        blocks = (lo >= 0 && hi >= lo) ? hi - lo : 0
        printf "  %5d-%-5d s  %5d payments  %4d blocks\n", from, to, count[b] + 0, blocks
      }
      printf "  after the run %5d payments (mined while the network settled)\n", count[-1] + 0
    }' "$logs/heights" "$1"
}

# Per sender: payments confirmed, coins paid, and payments in the run's last $timeline s.
print_senders() {
  awk -v step="$timeline" -v duration="$duration" "$place_payments"'
    { if (!($1 in count)) order[++senders] = $1
      count[$1]++; paid[$1] += $3; if (bucket == int((duration - 1) / step)) late[$1]++ }
    END {
      for (k = 1; k <= senders; k++) {
        w = order[k]
        printf "  %-7s sent %5d payments, %10.3f coins; %4d in the last %d s\n",
               w, count[w], paid[w] / 1e8, late[w] + 0, step
      }
    }' "$logs/heights" "$1"
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
  start explorer "${explorer_cmd[@]}"
  await_port "$http_port"
  echo "explorer: http://127.0.0.1:$http_port/"
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

  local payments="$logs/payments" sender
  : >"$payments"
  for i in $(seq 2 "$wallets"); do confirmed_payments "${names[$((i - 1))]}" >>"$payments"; done
  for i in $(seq "$miners"); do confirmed_payments "Miner$i" >>"$payments"; done
  local confirmed
  confirmed=$(wc -l <"$payments")
  echo "== payments confirmed per sender (each wallet was granted 100 coins)"
  print_senders "$payments"
  echo "== payments confirmed per ${timeline} s"
  print_timeline "$payments"

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

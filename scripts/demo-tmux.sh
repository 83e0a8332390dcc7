# shellcheck shell=bash disable=SC2154  # the variables are scripts/demo's
# Sourced by scripts/demo: the network in tmux windows that work in an 80x24 terminal.
#   net      the miners (colored: each writes its own --log-file, its stdout stays a terminal)
#            and Adam's interactive wallet, where you land;
#   wallets  the other people's auto wallets;
#   rewards  each miner's own wallet spending its rewards, and the bootstrap.
# The explorer runs in the background (its page is what people look at).
# Started inside tmux, the windows open in your session (no nested session); otherwise in a
# session of their own (coinnet, or coinnet-PORT), which this attaches to.

hints='^b n:window o:pane z:zoom d:detach'

# A pane command line: every word quoted for the shell tmux runs it with.
quoted() { printf '%q ' "$@"; }

# Adam's pane runs his wallet in a loop: Ctrl-C (or exit) never closes the pane for good,
# Enter starts the wallet again. The INT trap keeps the loop's shell alive while Ctrl-C goes to
# the wallet, which runs in the foreground with the default signal dispositions.
reopen_loop='trap "echo" INT
while true; do
  "$@"
  printf "\n\033[1;33m%s\033[0m\n" "Adam'"'"'s wallet has exited. Press Enter to open it again (scripts/demo --stop ends the demo)."
  read -r _ || true
done'

# Opens a window running $2 (a command line) with its first pane titled $3, records it and
# prints its id. The first window of a demo outside tmux opens its session; with $4 = after, a
# window goes right after window $5.
open_window() {
  local name="$1$suffix" cmd="$2" title="$3" id place=(-t "$target")
  [ "${4:-}" = after ] && place=(-a -t "$5")
  if [ -z "$target" ]; then
    id=$(tmx new-session -d -P -F '#{window_id}' -s "$session" -n "$name" -x 80 -y 24 "$cmd")
  else
    id=$(tmx new-window -d -P -F '#{window_id}' "${place[@]}" -n "$name" "$cmd")
  fi
  echo "$(tmx display -p -t "$id" '#{socket_path}') $id" >>"$windows_file"
  tmx set-option -w -t "$id" remain-on-exit on >/dev/null
  tmx set-option -w -t "$id" pane-border-status top >/dev/null
  tmx set-option -w -t "$id" pane-border-format \
    " #{pane_title} #{?pane_active,#[reverse] $hints #[default],}" >/dev/null
  tmx select-pane -t "$id.0" -T "$title"
  echo "$id"
}

# Splits pane $1, the new pane below it taking $2 percent of it, running $4, titled $3;
# prints the new pane's id.
split_below() {
  local id
  id=$(tmx split-window -d -v -l "$2%" -P -F '#{pane_id}' -t "$1" "$4")
  tmx select-pane -t "$id" -T "$3"
  echo "$id"
}

# Adds a pane running $3 after the last one of window $1, titled $2, and lays the window out:
# stacked full-width panes up to four, tiled beyond.
add_pane() {
  local last id count
  last=$(tmx list-panes -t "$1" -F '#{pane_id}' | tail -1)
  tmx select-layout -t "$1" tiled >/dev/null # room for one more
  id=$(tmx split-window -d -P -F '#{pane_id}' -t "$last" "$3")
  tmx select-pane -t "$id" -T "$2"
  count=$(tmx display -p -t "$1" '#{window_panes}')
  if [ "$count" -le 4 ]; then tmx select-layout -t "$1" even-vertical >/dev/null; fi
}

miner_pane() { echo "exec $(quoted $(miner_cmd "$1") --log-file "$logs/miner$1.log")"; }
auto_pane() {
  echo "exec $(quoted $(wallet_cmd "$1") "${@:2}" "${auto_flags[@]}" --log-file "$logs/wallet-$1.log")"
}
# A pane command that starts once something listens on port $1.
after_port() { echo "until (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; do sleep 0.1; done; $2"; }

# The net window: Miner1..N stacked over Adam's pane (a third of the height).
open_net_window() {
  local above
  net=$(open_window net "$(after_port "$base" "$(miner_pane 1)")" Miner1)
  [ -z "$target" ] && target="$(tmx display -p -t "$net" '#{session_id}'):"
  adam=$(split_below "$net.0" 35 "Adam (interactive)" "$(after_port $((base + miners)) \
    "exec bash -c $(quoted "$reopen_loop") adam $(quoted $(wallet_cmd Adam) --log-file "$logs/wallet-Adam.log")")")
  above="$net.0"
  for i in $(seq 2 "$miners"); do
    # Miner i takes (N-i+1)/(N-i+2) of the pane above, so the miners share evenly.
    above=$(split_below "$above" $(((miners - i + 1) * 100 / (miners - i + 2))) "Miner$i" "$(miner_pane "$i")")
  done
}

demo_tmux() {
  # target: where new windows go; empty until the demo's own session exists.
  local nested=0 target="" net adam rew wal="" name suffix=""
  # A second demo's windows say which port they belong to.
  [ "$base" != 9000 ] && suffix="-$base"
  if [ -n "${TMUX:-}" ] && [ -z "${COINNET_TMUX_SOCKET:-}" ]; then
    nested=1 target="$(tmux display -p '#{session_id}'):"
  fi
  if [ "$nested" = 0 ] && tmx has-session -t "=$session" 2>/dev/null; then
    tmx kill-session -t "=$session"
  fi
  open_net_window
  rew=$(open_window rewards "exec $(quoted "${boot_cmd[@]}" --log-file "$logs/bootstrap.log")" bootstrap)
  for i in $(seq "$miners"); do await_port $((base + i)); await_reward_key "$i"; done
  # The explorer has nothing to show in a terminal (its page is the picture): it runs in the
  # background, in a session of its own so closing this terminal does not hang it up, and
  # logs to its file; --stop ends it by the PID recorded here.
  setsid "${explorer_cmd[@]}" --log-file "$logs/explorer.log" >/dev/null 2>&1 &
  echo $! >>"$pid_file"
  for i in $(seq "$miners"); do
    add_pane "$rew" "Miner$i's wallet" "$(auto_pane "Miner$i" --import-key "$(reward_key "$i")")"
  done
  for i in $(seq 2 "$wallets"); do
    name=${names[$((i - 1))]}
    if [ -z "$wal" ]; then
      wal=$(open_window wallets "$(auto_pane "$name")" "$name" after "$net")
    else
      add_pane "$wal" "$name" "$(auto_pane "$name")"
    fi
  done
  # Every pane's process group (tmux makes each pane's first process a group leader).
  for w in "$net" "$rew" ${wal:+"$wal"}; do
    tmx list-panes -t "$w" -F '-#{pane_pid}' >>"$pid_file"
  done
  tmx select-pane -t "$adam"
  tmx select-window -t "$net"
  echo "explorer: http://127.0.0.1:$http_port/"
  echo "coinnet demo on port $base: windows net$suffix, wallets$suffix, rewards$suffix; scripts/demo --stop --base-port $base ends it"
  [ "$nested" = 1 ] && return 0
  tmx set-option -t "$target" status-left-length 16 >/dev/null
  tmx set-option -t "$target" status-right " $hints " >/dev/null
  tmx set-option -t "$target" status-right-length 40 >/dev/null
  # With a private server (COINNET_TMUX_SOCKET) it may be attached from inside another tmux.
  TMUX='' exec tmux ${COINNET_TMUX_SOCKET:+-L "$COINNET_TMUX_SOCKET"} attach -t "$target"
}

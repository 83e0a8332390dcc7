"""Orchestration for the lab lessons (SPEC §10), after Bitcoin Core's functional test framework:
real bootstrap, miner and wallet processes from build/bin (or $COINNET_BIN) on free 127.0.0.1
ports with temporary data dirs, conditions awaited by polling their --json views with
deadlines, and every process stopped by its PID at the end, on error and on Ctrl-C too."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COIN = 100_000_000  # units per coin


class LabError(Exception):
    """A lesson could not go on (a process failed, a condition never came)."""


def bin_dir():
    return os.environ.get("COINNET_BIN") or os.path.join(ROOT, "build", "bin")


def _ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
        return low if low >= 12000 else 32768
    except (OSError, ValueError, IndexError):
        return 32768


_PORT_HIGH = _ephemeral_low() - 16
_PORT_LOW = _PORT_HIGH - 10000
_next_port = [(os.getpid() % 625) * 16]


def free_port():
    """A free port below the kernel's ephemeral range: one the kernel hands out (bind to 0) can
    be taken by any outgoing connection between the pick and the listen, or while a miner is
    down to be restarted on it. Picks are 16 apart and start at a PID-dependent place."""
    for _ in range(625):
        port = _PORT_LOW + _next_port[0] % (_PORT_HIGH - _PORT_LOW)
        _next_port[0] += 16
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise LabError("no free port below the ephemeral range")


def wait_until(condition, timeout, what, interval=0.2):
    """Polls `condition` until it returns something true; LabError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise LabError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Process:
    def __init__(self, name, args, log_path):
        self.name = name
        self.args = args
        self.log_path = log_path
        self.log = open(log_path, "wb")
        # Its own process group, so a Ctrl-C in the terminal reaches only us; we stop it.
        self.popen = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid = self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def stop(self, grace=5.0):
        if self.alive():
            try:
                os.kill(self.pid, signal.SIGTERM)
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.popen.wait()
            except ProcessLookupError:
                pass
        self.log.close()

    def tail(self, lines=5):
        try:
            with open(self.log_path, "rb") as f:
                return b"".join(f.readlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""


class Miner:
    def __init__(self, net, name, port, process, flags):
        self.net, self.name, self.port, self.process, self.flags = net, name, port, process, flags

    @property
    def endpoint(self):
        return f"127.0.0.1:{self.port}"

    def query(self, *args, timeout=20):
        return self.net.run_json([self.net.exe("miner"), *args, "--json"], timeout)

    def status(self):
        return self.query("--status", self.endpoint)

    def try_status(self):
        try:
            return self.status()
        except LabError:
            return None

    def chain(self, heights=1000):
        return self.query("--chain", self.endpoint, str(heights))

    def block(self, what):
        return self.query("--block", self.endpoint, str(what))

    def release(self):
        return self.query("--release", self.endpoint)

    def reward_address(self):
        """From its console's "listening on ..., reward address X" line."""
        for line in open(self.process.log_path, errors="replace"):
            if "reward address" in line:
                return line.rsplit("reward address", 1)[1].strip().split()[0]
        return None

    def stop(self):
        self.process.stop()


class Network:
    """One private network: a bootstrap, miners and wallets, in a temporary directory."""

    def __init__(self, lesson, keep=False):
        self.lesson = lesson
        self.dir = tempfile.mkdtemp(prefix=f"coinnet-lab-{lesson}-")
        self.keep = keep
        self.processes = []
        self.miners = {}
        self.bootstraps = []
        for tool in ("bootstrap", "miner", "wallet"):
            if not os.access(self.exe(tool), os.X_OK):
                raise LabError(f"{self.exe(tool)} not found: build first (cmake --build build) "
                               "or set COINNET_BIN")

    def exe(self, tool):
        return os.path.join(bin_dir(), tool)

    # --- processes
    def spawn(self, name, args):
        p = Process(name, args, os.path.join(self.dir, name + ".log"))
        self.processes.append(p)
        return p

    def start_bootstrap(self, flags=(), name="bootstrap", data_from=None):
        """Starts a bootstrap; `data_from` (another bootstrap's data dir) serves the same network."""
        port = free_port()
        data = os.path.join(self.dir, name)
        if data_from:
            shutil.copytree(data_from, data)
        args = [self.exe("bootstrap"), "--port", str(port), "--bind", "127.0.0.1",
                "--data-dir", data, "--heartbeat-interval", "1", *flags]
        p = self.spawn(name, args)
        p.port, p.data_dir = port, data
        wait_until(lambda: self._bootstrap_up(p), 20, f"{name} to listen")
        self.bootstraps.append(p)
        return p

    def _bootstrap_up(self, p):
        if not p.alive():
            raise LabError(f"{p.name} exited: {p.tail()}")
        try:
            return self.run_json([self.exe("bootstrap"), "--status", f"127.0.0.1:{p.port}",
                                  "--json"], 5)
        except LabError:
            return None

    def start_miner(self, name, flags=(), bootstrap=None):
        bootstrap = bootstrap or self.bootstraps[0]
        port = free_port()
        args = [self.exe("miner"), name, str(port), "--bind", "127.0.0.1", "--bootstrap",
                f"127.0.0.1:{bootstrap.port}", "--data-dir", os.path.join(self.dir, "miner-" + name),
                *flags]
        m = Miner(self, name, port, self.spawn("miner-" + name, args), list(flags))
        m.bootstrap = bootstrap
        self.miners[name] = m
        wait_until(lambda: self._miner_up(m), 30, f"miner {name} to start")
        return m

    def restart_miner(self, miner, flags=None, bootstrap=None, new_port=False):
        """Stops a miner and starts it again on the same data (other flags or bootstrap, or a
        new port: peers that learnt its address dial the old one in vain)."""
        miner.stop()
        self.processes.remove(miner.process)
        flags = miner.flags if flags is None else flags
        bootstrap = bootstrap or miner.bootstrap
        if new_port:
            miner.port = free_port()
        args = [self.exe("miner"), miner.name, str(miner.port), "--bind", "127.0.0.1",
                "--bootstrap", f"127.0.0.1:{bootstrap.port}", "--data-dir",
                os.path.join(self.dir, "miner-" + miner.name), *flags]
        self.restarts = getattr(self, "restarts", 0) + 1
        miner.process = self.spawn(f"miner-{miner.name}-{self.restarts}", args)
        miner.flags, miner.bootstrap = list(flags), bootstrap
        wait_until(lambda: self._miner_up(miner), 30, f"miner {miner.name} to restart")
        return miner

    def _miner_up(self, m):
        if not m.process.alive():
            raise LabError(f"miner {m.name} exited: {m.process.tail()}")
        return m.try_status()

    def stop(self):
        for p in reversed(self.processes):
            p.stop()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- commands
    def run(self, args, timeout):
        try:
            r = subprocess.run(args, capture_output=True, timeout=timeout, text=True,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise LabError(f"{os.path.basename(args[0])} {' '.join(args[1:3])} took over {timeout} s")
        return r

    def run_text(self, args, timeout=20):
        r = self.run(args, timeout)
        if r.returncode != 0:
            raise LabError(f"{' '.join(os.path.basename(a) for a in args[:3])}: "
                           f"{(r.stderr or r.stdout).strip()}")
        return r.stdout

    def run_json(self, args, timeout=20):
        r = self.run(args, timeout)
        try:
            out = json.loads(r.stdout.strip().splitlines()[-1]) if r.stdout.strip() else None
        except json.JSONDecodeError:
            out = None
        if r.returncode != 0 or out is None or (isinstance(out, dict) and "error" in out):
            why = out["error"]["message"] if isinstance(out, dict) and "error" in out else \
                (r.stderr or r.stdout).strip()
            raise LabError(f"{os.path.basename(args[0])} {args[1]}: {why}")
        return out

    def wallet(self, name, *command, miner=None, bootstrap=None, check=True, data_dir=None):
        """A one-shot wallet command with --json; returns (exit code, parsed JSON)."""
        bootstrap = bootstrap or self.bootstraps[0]
        args = [self.exe("wallet"), name, *command, "--json", "--bootstrap",
                f"127.0.0.1:{bootstrap.port}",
                "--data-dir", data_dir or os.path.join(self.dir, "wallet-" + name)]
        if miner:
            args += ["--miner", miner.endpoint]
        r = self.run(args, 60)
        try:
            out = json.loads(r.stdout.strip().splitlines()[-1]) if r.stdout.strip() else {}
        except json.JSONDecodeError:
            out = {"raw": r.stdout}
        if check and r.returncode != 0:
            raise LabError(f"wallet {name} {' '.join(command)}: {out or r.stderr.strip()}")
        return r.returncode, out

    def wallet_dir(self, name):
        return os.path.join(self.dir, "wallet-" + name)


class Lesson:
    """What a lesson reports: story lines as it goes, measured and predicted figures, charts."""

    def __init__(self, name, args):
        self.name = name
        self.args = args
        self.story = []
        self.measured = {}
        self.predicted = {}
        self.charts = []
        self.ok = False
        self.out_dir = args.out
        os.makedirs(self.out_dir, exist_ok=True)
        self.started = time.monotonic()

    def say(self, text):
        self.story.append(text)
        stream = sys.stderr if self.args.json else sys.stdout
        print(f"[{time.monotonic() - self.started:6.1f} s] {text}", file=stream, flush=True)

    def chart_path(self, stem):
        path = os.path.join(self.out_dir, f"{stem}.png")
        self.charts.append(os.path.abspath(path))
        return path

    def summary(self):
        return {"lesson": self.name, "ok": self.ok, "story": self.story,
                "measured": self.measured, "predicted": self.predicted, "charts": self.charts}


def pyplot():
    """matplotlib without a display (Debian's python3-matplotlib); None when it is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        return plt
    except ImportError:
        return None


def save_chart(lesson, name, draw, panels=1, figsize=(6, 4)):
    """Writes the chart NAME.png into --out: `draw` gets the figure's row of `panels` axes and
    plots and labels them; no display, the layout, the file and closing are the same for every
    lesson. Without matplotlib the lesson says so and goes on."""
    plt = pyplot()
    if not plt:
        lesson.say("(python3-matplotlib is missing: no chart)")
        return
    fig, axes = plt.subplots(1, panels, figsize=figsize, squeeze=False)
    draw(list(axes[0]))
    fig.tight_layout()
    fig.savefig(lesson.chart_path(name))
    plt.close(fig)


def install_signal_handlers():
    """SIGTERM ends a lesson like Ctrl-C: through the finally blocks that stop every process."""
    def interrupted(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, interrupted)


def miner_flags(rate, extra=()):
    """A miner that mines continuously at exactly `rate` hashes/s, on one thread."""
    return ["--min-txs", "0", "--threads", "1", "--hashrate-limit", str(int(rate)), *extra]


def copy_wallet(net, name, copy_name):
    """A second data dir holding the same key: the same coins, spent by a second wallet."""
    dst = net.wallet_dir(copy_name)
    shutil.copytree(net.wallet_dir(name), dst)
    return dst


def history_entry(net, name, txid, miner, data_dir=None):
    _, history = net.wallet(name, "history", miner=miner, data_dir=data_dir)
    for entry in history:
        if entry.get("txid") == txid:
            return entry
    return None


def tips_agree(miners):
    tips = set()
    for m in miners:
        s = m.try_status()
        if not s:
            return False
        tips.add(s["tip"])
    return len(tips) == 1


def block_tree(miners, heights=1000):
    """Every block any of `miners` knows (their --chain views merged), by hash."""
    blocks = {}
    for m in miners:
        for b in m.chain(heights)["blocks"]:
            seen = blocks.get(b["hash"])
            if seen is None or b.get("active"):
                blocks[b["hash"]] = b
    return blocks

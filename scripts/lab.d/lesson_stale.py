"""stale blocks as propagation delay d grows against the block interval T

Three miners with equal hash rates, every one relaying D ms late (--relay-delay-ms). While a
new block travels, the others keep mining on the old tip; a block they find meanwhile competes
with it and one of the two ends up stale (off the active chain). Stale blocks per block of the
active chain are about 1 − e^(−d/T): the chance that someone else finds a block within d. (With n miners of
equal rate only the other n − 1 can: 1 − e^(−(n−1)d/(nT)), shown beside it.)"""

import math
import time

from labkit import Network, block_tree, miner_flags, save_chart, wait_until

BITS = 16
MINERS = 3


def measure(lesson, delay_ms, interval, blocks):
    total_rate = 2 ** BITS / interval
    net = Network(f"stale-{delay_ms}", keep=lesson.args.keep)
    try:
        net.start_bootstrap(["--difficulty-bits", str(BITS)])
        miners = [net.start_miner(f"M{i + 1}", miner_flags(total_rate / MINERS,
                                                           ["--relay-delay-ms", str(delay_ms)]))
                  for i in range(MINERS)]
        wait_until(lambda: min(m.status()["height"] for m in miners) >= blocks + 3,
                   blocks * interval * 6 + 30, f"height {blocks + 3}", interval=0.5)
        time.sleep(delay_ms / 1000 + 0.5)  # the last relays land
        tree = block_tree(miners)
        settled = [b for b in tree.values() if 1 <= b["height"] <= blocks]
        stale = [b for b in settled if not b["active"]]
        active = len(settled) - len(stale)
        rate = len(stale) / active if active else 0
        lesson.say(f"d = {delay_ms} ms: {len(stale)} stale blocks beside {active} on the active "
                   f"chain ({rate:.1%}); predicted {1 - math.exp(-delay_ms / 1000 / interval):.1%}"
                   f" ({MINERS} miners: "
                   f"{1 - math.exp(-(MINERS - 1) * delay_ms / 1000 / (MINERS * interval)):.1%}).")
        return {"delay_ms": delay_ms, "blocks": active, "stale": len(stale), "rate": rate}
    finally:
        net.stop()


def chart(lesson, interval, points):
    def draw(axes):
        ax = axes[0]
        ds = [p["delay_ms"] for p in points]
        ax.plot(ds, [p["rate"] for p in points], "o-", label="measured")
        xs = [max(ds) * i / 50 for i in range(51)]
        ax.plot(xs, [1 - math.exp(-x / 1000 / interval) for x in xs], "--",
                label="1 − e^(−d/T)")
        ax.plot(xs, [1 - math.exp(-(MINERS - 1) * x / 1000 / (MINERS * interval)) for x in xs],
                ":", label=f"1 − e^(−(n−1)d/(nT)), n = {MINERS}")
        ax.set_xlabel("relay delay d (ms)")
        ax.set_ylabel("stale blocks per active-chain block")
        ax.set_title(f"stale blocks, T = {interval:g} s")
        ax.legend()
    save_chart(lesson, "stale-rate", draw)


def run(lesson):
    quick = lesson.args.quick
    interval = 0.2 if quick else 1.0
    delays = [0, 100, 200] if quick else [0, 250, 500, 1000]
    blocks = 40 if quick else 50
    lesson.say(f"{MINERS} miners of equal hash rate, one block every ~{interval:g} s (T); each "
               f"run counts stale blocks among the first {blocks}, for relay delays d = "
               f"{', '.join(map(str, delays))} ms.")
    points = [measure(lesson, d, interval, blocks) for d in delays]
    chart(lesson, interval, points)
    lesson.measured = {"interval_s": interval,
                       "stale_rate": {str(p["delay_ms"]): round(p["rate"], 4) for p in points},
                       "stale_blocks": {str(p["delay_ms"]): p["stale"] for p in points},
                       "active_blocks": {str(p["delay_ms"]): p["blocks"] for p in points}}
    lesson.predicted = {
        "stale_rate": {str(d): round(1 - math.exp(-d / 1000 / interval), 4) for d in delays},
        "stale_rate_n_miners": {str(d): round(1 - math.exp(-(MINERS - 1) * d / 1000 /
                                                           (MINERS * interval)), 4)
                                for d in delays}}
    rates = [p["rate"] for p in points]
    lesson.ok = rates[-1] > rates[0]
    lesson.say(f"Shown: stale blocks grow with the ratio d/T ({rates[0]:.0%} at d = 0, "
               f"{rates[-1]:.0%} at d = {delays[-1]} ms): why Bitcoin's 10-minute interval is "
               "long next to the seconds a block takes to cross the network.")

"""revenue share of a selfish miner (α = 0.25, 1/3, 0.4) against Eyal and Sirer's formula

Miner Selfish (--strategy selfish) keeps the blocks it finds to itself and publishes them only
to overtake or to race the honest miners' blocks (Eyal and Sirer 2014, Algorithm 1); three
honest miners share the rest of the hash rate. Its share of the active chain's blocks is
compared with R = [α(1−α)²(4α+γ(1−2α)) − α³] / [1 − α(1+(2−α)α)], where γ, the fraction of
honest hash rate that mines on the selfish block during a race, is measured in the same run:
of the races the honest miners settled, the share they settled on the selfish block."""

import concurrent.futures
import math
import random
import statistics
import time

from labkit import Network, block_tree, miner_flags, save_chart, wait_until

BITS = 16
HONEST = 3
ALPHAS = (0.25, 1 / 3, 0.4)


def eyal_sirer(alpha, gamma):
    a, g = alpha, gamma
    return (a * (1 - a) ** 2 * (4 * a + g * (1 - 2 * a)) - a ** 3) / (1 - a * (1 + (2 - a) * a))


def simulated_sd(alpha, gamma, blocks, runs=1000, seed=1):
    """Standard deviation of the selfish share over `blocks` chain blocks in Eyal and Sirer's
    own model (their Markov chain, played `runs` times): the spread a run of this length has
    even when everything goes as the theory says, runs of private blocks included."""
    rng = random.Random(seed)
    shares = []
    for _ in range(runs):
        selfish = honest = lead = 0
        race = False
        while selfish + honest < blocks:
            if rng.random() < alpha:  # the selfish miner finds a block
                if race:
                    selfish, race = selfish + 2, False
                else:
                    lead += 1
            elif race:  # an honest block during a race
                if rng.random() < gamma:
                    selfish, honest = selfish + 1, honest + 1
                else:
                    honest += 2
                race = False
            elif lead == 0:
                honest += 1
            elif lead == 1:
                lead, race = 0, True
            elif lead == 2:
                selfish, lead = selfish + 2, 0
            else:
                selfish, lead = selfish + 1, lead - 1
        shares.append(selfish / (selfish + honest))
    return statistics.pstdev(shares)


def gamma_of(tree):
    """Races: a selfish and an honest block on one parent; settled by an honest child."""
    children = {}
    for b in tree.values():
        children.setdefault(b["parent"], []).append(b)
    on_selfish = on_honest = 0
    for siblings in children.values():
        selfish = [b for b in siblings if b["miner"] == "Selfish"]
        honest = [b for b in siblings if b["miner"] != "Selfish"]
        if not selfish or not honest:
            continue
        s_kids = children.get(selfish[0]["hash"], [])
        if any(k["miner"] == "Selfish" for k in s_kids):
            continue  # the selfish miner won the race itself (or it was not a race)
        if s_kids:
            on_selfish += 1
        elif any(children.get(h["hash"]) for h in honest):
            on_honest += 1
    return on_selfish, on_honest


def measure(lesson, alpha, interval, blocks):
    total_rate = 2 ** BITS / interval
    net = Network(f"selfish-{alpha:.2f}", keep=lesson.args.keep)
    try:
        net.start_bootstrap(["--difficulty-bits", str(BITS)])
        honest = [net.start_miner(f"Honest{i + 1}", miner_flags((1 - alpha) * total_rate / HONEST))
                  for i in range(HONEST)]
        net.start_miner("Selfish", miner_flags(alpha * total_rate, ["--strategy", "selfish"]))
        wait_until(lambda: min(m.status()["height"] for m in honest) >= blocks + 5,
                   blocks * interval * 8 + 30, f"height {blocks + 5}", interval=0.5)
        time.sleep(0.5)
        tree = block_tree(honest)
        active = sorted((b for b in tree.values() if b["active"] and 1 <= b["height"] <= blocks),
                        key=lambda b: b["height"])
        mine = [1 if b["miner"] == "Selfish" else 0 for b in active]
        share = sum(mine) / len(mine)
        hits, misses = gamma_of(tree)
        races = hits + misses
        gamma = hits / races if races else 0.0
        predicted = eyal_sirer(alpha, gamma)
        # The error: 3 standard deviations of the share that a run of this many blocks has in
        # Eyal and Sirer's model itself (simulated), with the error on γ carried through R.
        spread = simulated_sd(alpha, gamma, len(mine))
        se_gamma = math.sqrt(max(gamma * (1 - gamma), 0.25 / max(races, 1)) / max(races, 1))
        d_gamma = (eyal_sirer(alpha, min(1, gamma + se_gamma)) -
                   eyal_sirer(alpha, max(0, gamma - se_gamma))) / 2
        error = 3 * math.sqrt(spread ** 2 + d_gamma ** 2)
        stale = sum(1 for b in tree.values() if 1 <= b["height"] <= blocks and not b["active"])
        lesson.say(f"α = {alpha:.3f}: the selfish miner has {sum(mine)} of {len(mine)} blocks "
                   f"= {share:.3f} (its fair share would be {alpha:.3f}); γ = {gamma:.2f} "
                   f"({hits} of {races} races); Eyal–Sirer predicts {predicted:.3f} ± "
                   f"{error:.3f}; {stale} blocks went stale.")
        return {"alpha": alpha, "share": share, "gamma": gamma, "races": races,
                "predicted": predicted, "error": error, "blocks": len(mine), "stale": stale}
    finally:
        net.stop()


def chart(lesson, points):
    def draw(axes):
        ax = axes[0]
        xs = [i / 100 for i in range(0, 50)]
        gamma = statistics.mean(p["gamma"] for p in points)
        ax.plot(xs, [max(0, eyal_sirer(x, gamma)) for x in xs], "--",
                label=f"Eyal–Sirer, γ = {gamma:.2f}")
        ax.plot(xs, xs, ":", color="grey", label="honest share (R = α)")
        ax.errorbar([p["alpha"] for p in points], [p["share"] for p in points],
                    yerr=[p["error"] for p in points], fmt="o", capsize=4, label="measured")
        ax.set_xlabel("selfish miner's hash rate α")
        ax.set_ylabel("its share of the chain's blocks")
        ax.set_title("selfish mining")
        ax.legend()
    save_chart(lesson, "selfish-mining", draw)


def run(lesson):
    quick = lesson.args.quick
    interval = 0.2 if quick else 0.4
    blocks = 200 if quick else 400
    lesson.say(f"For each α: a selfish miner with α of the hash rate and {HONEST} honest miners "
               f"with the rest, one block every ~{interval:g} s, {blocks} blocks; the three "
               "networks run side by side (each is held to its hash rate, not to the CPU).")
    with concurrent.futures.ThreadPoolExecutor(len(ALPHAS)) as pool:
        points = list(pool.map(lambda a: measure(lesson, a, interval, blocks), ALPHAS))
    chart(lesson, points)
    key = lambda a: f"{a:.3f}"  # noqa: E731
    lesson.measured = {
        "share": {key(p["alpha"]): round(p["share"], 4) for p in points},
        "gamma": {key(p["alpha"]): round(p["gamma"], 3) for p in points},
        "races": {key(p["alpha"]): p["races"] for p in points},
        "blocks": {key(p["alpha"]): p["blocks"] for p in points},
        "error": {key(p["alpha"]): round(p["error"], 4) for p in points}}
    lesson.predicted = {"share": {key(p["alpha"]): round(p["predicted"], 4) for p in points}}
    within = [abs(p["share"] - p["predicted"]) <= p["error"] for p in points]
    lesson.ok = all(within)
    gains = [p for p in points if p["share"] > p["alpha"]]
    lesson.say("Shown: withholding blocks pays above a threshold of hash rate (1/3 when γ = 0, "
               "less as γ grows): " + (", ".join(f"α = {p['alpha']:.2f} earned {p['share']:.2f}"
                                                for p in gains) or "no α here beat its fair share")
               + "; measured shares " + ("lie" if lesson.ok else "do NOT all lie")
               + " within the error of Eyal and Sirer's formula.")

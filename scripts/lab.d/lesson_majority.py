"""a majority miner mines in private and reverses a confirmed payment; a minority one fails

Twice, on a fresh network: Mallory pays a merchant through the honest miner and, at the same
moment, pays the same coins back to herself through Attacker, who mines privately (--private:
it announces nothing and ignores the public chain). The merchant waits for K confirmations.
With 60 % of the hash rate the attacker's private chain overtakes the public one; released
(`miner --release`), it has more work, every miner switches to it, and the merchant's
confirmations drop back to zero: the payment is gone, its coins spent elsewhere. With 40 % the
private chain falls behind; released, it is ignored and the payment stands.

The attempt is bounded: the attacker mines in private while the whole network finds W blocks,
then publishes. (Unbounded, a 40 % attacker catches up from 2 blocks behind with Nakamoto's
probability 0.74 — 2 confirmations are no protection against it — but the longer it runs the
further behind it falls: after W = 150 blocks it is ahead with probability 0.006.)"""

import math
import time

from labkit import COIN, Network, copy_wallet, history_entry, miner_flags, save_chart, wait_until

BITS = 16
K = 2  # confirmations the merchant waits for


def nakamoto(q, z):
    """Satoshi's probability that an attacker with share q ever catches up from z behind."""
    p = 1 - q
    if q >= p:
        return 1.0
    lam = z * q / p
    total = 1.0
    for k in range(z + 1):
        poisson = math.exp(-lam) * lam ** k / math.factorial(k)
        total -= poisson * (1 - (q / p) ** (z - k))
    return total


def binomial_tail(n, q, at_least):
    return sum(math.comb(n, i) * q ** i * (1 - q) ** (n - i) for i in range(at_least, n + 1))


def attack(lesson, share, interval, give_up_blocks):
    total_rate = 2 ** BITS / interval
    net = Network(f"51-{int(share * 100)}", keep=lesson.args.keep)
    series = []  # (seconds, public height, private height, merchant confirmations)
    try:
        net.start_bootstrap(["--difficulty-bits", str(BITS), "--coinbase-maturity", "1"])
        honest = net.start_miner("Honest", miner_flags((1 - share) * total_rate))
        attacker = net.start_miner("Attacker", miner_flags(share * total_rate))
        for name in ("Mallory", "Merchant", "Stash"):
            net.wallet(name, "address", miner=honest)
        _, merchant = net.wallet("Merchant", "address", miner=honest)
        _, stash = net.wallet("Stash", "address", miner=honest)
        wait_until(lambda: net.wallet("Mallory", "balance", miner=honest)[1].get("confirmed", 0)
                   >= 100 * COIN, 120, "Mallory's faucet grant to be mined")
        lesson.say(f"[{share:.0%}] Attacker has {share:.0%} of the hash rate. It restarts with "
                   "--private: from now on it mines on its own chain and tells nobody.")
        net.restart_miner(attacker, attacker.flags + ["--private"])
        alt = copy_wallet(net, "Mallory", "Mallory-copy")
        _, back = net.wallet("Mallory", "send", stash["address"], "99", "0.5", miner=attacker,
                             data_dir=alt)
        _, pay = net.wallet("Mallory", "send", merchant["address"], "60", "0.5", miner=honest)
        lesson.say(f"[{share:.0%}] Mallory pays the merchant 60 coins through Honest "
                   f"({pay['txid'][:12]}…) and the same coins to her Stash through Attacker "
                   f"({back['txid'][:12]}…), which keeps that one for its private blocks.")
        start = time.monotonic()

        def observe():
            entry = history_entry(net, "Merchant", pay["txid"], honest)
            conf = entry["confirmations"] if entry else 0
            pub, priv = honest.status()["height"], attacker.status()["height"]
            series.append((time.monotonic() - start, pub, priv, conf))
            return pub, priv, conf

        wait_until(lambda: observe()[2] >= K, 60 * interval, f"{K} confirmations")
        pub0 = series[-1][1]
        lesson.say(f"[{share:.0%}] The payment has {K} confirmations on the public chain "
                   f"(height {pub0}); the merchant ships. The attacker's private chain is at "
                   f"height {series[-1][2]}.")
        _, base_pub, base_priv, _ = series[0]
        while True:
            pub, priv, conf = observe()
            if (pub - base_pub) + (priv - base_priv) >= give_up_blocks:
                lesson.say(f"[{share:.0%}] The network found {give_up_blocks} blocks: "
                           f"{priv - base_priv} private, {pub - base_pub} public (heights "
                           f"{priv} vs {pub}). The attacker releases its chain.")
                break
            time.sleep(0.3)
        conf_before = series[-1][3]
        attacker.release()
        wait_until(lambda: honest.status()["tip"] == attacker.status()["tip"], 60,
                   "the miners to agree after the release")
        time.sleep(1)
        for _ in range(5):
            observe()
            time.sleep(0.2)
        entry = history_entry(net, "Merchant", pay["txid"], honest)
        stash_entry = history_entry(net, "Stash", back["txid"], honest)
        reversed_ = (entry is None or entry["confirmations"] == 0) and bool(
            stash_entry and stash_entry["confirmations"] > 0)
        conf_after = entry["confirmations"] if entry else 0
        if reversed_:
            lesson.say(f"[{share:.0%}] Every miner switched to the attacker's chain. The "
                       f"merchant's payment went from {conf_before} confirmations to "
                       f"{conf_after}: reversed; the coins went to Mallory's Stash instead.")
        else:
            lesson.say(f"[{share:.0%}] The attacker's chain had less work and was ignored; "
                       f"the payment stands with {conf_after} confirmations.")
        return {"share": share, "reversed": reversed_, "confirmations_before": conf_before,
                "confirmations_after": conf_after, "series": series}
    finally:
        net.stop()


def chart(lesson, runs):
    def draw(axes):
        for ax, run in zip(axes, runs):
            t = [s[0] for s in run["series"]]
            ax.plot(t, [s[1] for s in run["series"]], label="public chain (honest)")
            ax.plot(t, [s[2] for s in run["series"]], label="private chain (attacker)")
            ax2 = ax.twinx()
            ax2.step(t, [s[3] for s in run["series"]], color="grey", linestyle=":",
                     label="merchant's confirmations")
            ax2.set_ylabel("confirmations")
            ax.set_title(f"attacker {run['share']:.0%}: " +
                         ("payment reversed" if run["reversed"] else "attack failed"))
            ax.set_xlabel("seconds")
            ax.set_ylabel("height")
            ax.legend(loc="upper left", fontsize=8)
    save_chart(lesson, "51-percent", draw, panels=len(runs), figsize=(10, 4))


def run(lesson):
    quick = lesson.args.quick
    interval = 0.1 if quick else 0.5
    give_up = 150
    lesson.say(f"Fixed difficulty, one block every ~{interval:g} s over the whole network; the "
               f"merchant waits for {K} confirmations.")
    majority = attack(lesson, 0.6, interval, give_up)
    minority = attack(lesson, 0.4, interval, give_up)
    runs = [majority, minority]
    chart(lesson, runs)
    lesson.measured = {
        "majority_reversed": majority["reversed"], "minority_reversed": minority["reversed"],
        "majority_confirmations": [majority["confirmations_before"],
                                   majority["confirmations_after"]],
        "minority_confirmations": [minority["confirmations_before"],
                                   minority["confirmations_after"]]}
    lesson.predicted = {
        "majority_reversed": True, "minority_reversed": False,
        "p_60_ahead_after_window": round(binomial_tail(give_up, 0.6, give_up // 2 + 1), 3),
        "p_40_ahead_after_window": round(binomial_tail(give_up, 0.4, give_up // 2 + 1), 3),
        "p_40_ever_catches_up": round(nakamoto(0.4, K), 3), "window_blocks": give_up}
    lesson.ok = majority["reversed"] and not minority["reversed"]
    lesson.say(f"Theory: over {give_up} blocks the 60 % attacker ends ahead with P ≈ "
               f"{binomial_tail(give_up, 0.6, give_up // 2 + 1):.3f}, the 40 % one with P ≈ "
               f"{binomial_tail(give_up, 0.4, give_up // 2 + 1):.3f} (unbounded, a 40 % "
               f"attacker catches up from {K} behind with Nakamoto's P = "
               f"{nakamoto(0.4, K):.2f}: {K} confirmations do not stop it, time does).")
    lesson.say("Shown: confirmations protect a payment only against attackers with less than "
               "half the hash rate; a majority miner can rewrite any number of them.")

"""a payment accepted unconfirmed, then reversed by a conflicting one

Mallory holds one 100-coin output and spends it twice at the same moment: to the merchant
through miner Honest, and back to herself through miner Mallet, which has 3/4 of the hash
rate. Each miner takes the payment it heard first and refuses the other as a conflict (the
relay delay keeps them from hearing each other for a few seconds). The merchant, trusting an
unconfirmed payment, hands over the goods. The next blocks decide: whichever payment is mined
into the chain that grows longest stands, the other vanishes from every mempool."""

import select
import subprocess

from labkit import COIN, LabError, Network, copy_wallet, history_entry, miner_flags, tips_agree, wait_until

BITS = 16  # 65 536 hashes a block


def send_both(net, honest, mallet, alt_dir, merchant_address, own_address):
    """The two payments at the same moment, so neither miner has heard of the other yet.

    Both wallets are started first and fed their command on stdin once they are open: the
    start of a process (network, key, registration) can take longer than the relay delay on a
    busy machine, and only the sends themselves must race."""
    base = [net.exe("wallet"), "Mallory", "--json", "--bootstrap",
            f"127.0.0.1:{net.bootstraps[0].port}"]
    runs = [(base + ["--data-dir", net.wallet_dir("Mallory"), "--miner", honest.endpoint],
             f"send {merchant_address} 60 0.5\n"),
            (base + ["--data-dir", alt_dir, "--miner", mallet.endpoint],
             f"send {own_address} 99 0.5\n")]
    procs = [subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for argv, _ in runs]
    # Each answers a `balance` first: then it is open and linked to its miner, and only the
    # two sends are left to race.
    for p in procs:
        p.stdin.write("balance\n")
        p.stdin.flush()
    balances = []
    for p in procs:
        ready, _, _ = select.select([p.stdout], [], [], 60)
        balances.append(p.stdout.readline().strip() if ready else "")
        if not balances[-1]:
            for q in procs:
                q.kill()
            raise LabError("a copy of Mallory's wallet did not answer `balance`: "
                           + (p.stderr.read() if p.poll() is not None else "no answer in 60 s"))
    for p, (_, line) in zip(procs, runs):
        p.stdin.write(line)
        p.stdin.flush()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=60)
        out.append((p.returncode, stdout.strip(), stderr.strip()))
    return out, balances


def run(lesson):
    quick = lesson.args.quick
    interval = 2.0 if quick else 4.0  # seconds per block, the whole network
    total_rate = 2 ** BITS / interval
    delay_ms = 3000
    net = Network("double-spend", keep=lesson.args.keep)
    try:
        net.start_bootstrap(["--difficulty-bits", str(BITS), "--coinbase-maturity", "1"])
        lesson.say(f"A network of two miners, one block every ~{interval:.0f} s: Honest with 1/4 "
                   "of the hash rate and Mallet, Mallory's accomplice, with 3/4. Both relay "
                   f"{delay_ms / 1000:.0f} s late, like a slow network.")
        honest = net.start_miner("Honest", miner_flags(total_rate / 4, ["--relay-delay-ms",
                                                                        str(delay_ms)]))
        mallet = net.start_miner("Mallet", miner_flags(3 * total_rate / 4, ["--relay-delay-ms",
                                                                            str(delay_ms)]))
        for name in ("Mallory", "Merchant", "Stash"):
            net.wallet(name, "address", miner=honest)
        _, merchant = net.wallet("Merchant", "address", miner=honest)
        _, stash = net.wallet("Stash", "address", miner=honest)
        wait_until(lambda: net.wallet("Mallory", "balance", miner=honest)[1].get("confirmed", 0)
                   >= 100 * COIN, 120, "Mallory's faucet grant to be mined")
        wait_until(lambda: tips_agree([honest, mallet]), 60, "both miners to agree")
        lesson.say("Mallory has 100 coins in one output. She copies her wallet (same key) and "
                   "sends the same coins twice at once: 60 to the merchant via Honest, 99 to "
                   "her own Stash address via Mallet.")
        alt = copy_wallet(net, "Mallory", "Mallory-copy")
        results, balances = send_both(net, honest, mallet, alt, merchant["address"], stash["address"])
        for (code, out, err), what in zip(results, ("to the merchant", "back to herself")):
            lesson.say(f"  payment {what}: " + (out if code == 0 else f"refused ({err or out})"))
        import json as _json
        pay = _json.loads(results[0][1]) if results[0][0] == 0 else {}
        back = _json.loads(results[1][1]) if results[1][0] == 0 else {}
        if not pay.get("txid") or not back.get("txid"):
            lesson.say("One miner had already heard of the other payment and refused the "
                       "second: the relay was faster than Mallory. Nothing to show this time.")
            lesson.say(f"  (before sending, the copy via Honest saw {balances[0]}, the copy via "
                       f"Mallet {balances[1]})")
            lesson.measured = {"both_accepted": False}
            return
        seen = history_entry(net, "Merchant", pay["txid"], honest)
        lesson.say(f"The merchant's wallet shows the payment with "
                   f"{seen['confirmations'] if seen else '?'} confirmations and ships the goods.")

        def settled():
            if not tips_agree([honest, mallet]):
                return None
            p = history_entry(net, "Merchant", pay["txid"], honest)
            b = history_entry(net, "Stash", back["txid"], honest)
            pc = p["confirmations"] if p else 0
            bc = b["confirmations"] if b else 0
            # Settled: one has 3 confirmations on both miners, the other is gone.
            if max(pc, bc) >= 3 and min(pc, bc) == 0 and not (p and b):
                return {"merchant": pc, "stash": bc}
            return None
        lesson.say("Now the miners race: each mines the payment it accepted.")
        outcome = wait_until(settled, 40 * interval, "one payment to settle", interval=0.5)
        merchant_paid = outcome["merchant"] > 0
        _, mbal = net.wallet("Merchant", "balance", miner=honest)
        _, sbal = net.wallet("Stash", "balance", miner=honest)
        winner = "the merchant's payment" if merchant_paid else "Mallory's payment to herself"
        lesson.say(f"Settled: {winner} is in the chain with {max(outcome.values())} "
                   f"confirmations; the other was refused as a conflict by every miner.")
        lesson.say(f"Merchant balance {mbal['confirmed'] / COIN:g} coins, Stash "
                   f"{sbal['confirmed'] / COIN:g} coins.")
        lesson.measured = {"both_accepted": True, "merchant_paid": merchant_paid,
                           "stash_paid": not merchant_paid,
                           "settled_payments": 1 if (outcome["merchant"] > 0) != (
                               outcome["stash"] > 0) else 2,
                           "merchant_balance": mbal["confirmed"],
                           "stash_balance": sbal["confirmed"]}
        lesson.predicted = {"settled_payments": 1, "p_merchant_paid": 0.25}
        lesson.ok = lesson.measured["settled_payments"] == 1
        lesson.say("Shown: an unconfirmed payment is only a promise; exactly one of two "
                   "conflicting payments survives, and the one backed by more hash rate usually "
                   "wins (here P = 1/4 for the merchant), so merchants wait for confirmations.")
    finally:
        net.stop()

#!/usr/bin/python3
"""Process test of one lab lesson (issue 17): runs `scripts/lab LESSON --quick --json` on real
processes and checks the outcome the lesson exists to show. Usage: lab_check.py LESSON OUT_DIR"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def check_double_spend(r):
    m = r["measured"]
    assert m["both_accepted"], "both conflicting payments should first be accepted"
    assert m["settled_payments"] == 1, "exactly one of the two payments must settle"
    assert m["merchant_paid"] != m["stash_paid"]


def check_majority(r):
    m = r["measured"]
    assert m["majority_reversed"], "the 60 % attacker must reverse the payment"
    before, after = m["majority_confirmations"]
    assert before >= 2 and after == 0, f"confirmations should drop from >= 2 to 0: {before, after}"
    assert not m["minority_reversed"], "the 40 % attacker must fail"
    assert m["minority_confirmations"][1] >= 2


def check_selfish(r):
    m, p = r["measured"], r["predicted"]
    assert set(m["share"]) == {"0.250", "0.333", "0.400"}
    for alpha, share in m["share"].items():
        assert m["blocks"][alpha] >= 200, f"α = {alpha}: only {m['blocks'][alpha]} blocks"
        gap = abs(share - p["share"][alpha])
        assert gap <= m["error"][alpha], \
            f"α = {alpha}: measured {share} vs predicted {p['share'][alpha]} ± {m['error'][alpha]}"


def check_stale(r):
    rates = [r["measured"]["stale_rate"][d] for d in sorted(r["measured"]["stale_rate"], key=int)]
    assert rates[-1] > rates[0], f"stale rate must rise with d: {rates}"
    assert rates[-1] > 0.05, f"the largest delay should cause stale blocks: {rates}"


def check_partition(r):
    m, p = r["measured"], r["predicted"]
    assert m["supply"] == p["supply"], f"supply {m['supply']} != {p['supply']}"
    assert m["carol_payments_settled"] == 1, "exactly one of Carol's conflicting payments stands"
    assert m["confirmations"]["alice"] > 0 and m["confirmations"]["bob"] > 0, \
        "both sides' ordinary payments must end up mined"


CHECKS = {"double-spend": check_double_spend, "51-percent": check_majority,
          "selfish-mining": check_selfish, "stale-rate": check_stale,
          "partition": check_partition}


def main():
    lesson, out = sys.argv[1], sys.argv[2]
    run = subprocess.run([os.path.join(ROOT, "scripts", "lab"), lesson, "--quick", "--json",
                          "--out", out], capture_output=True, text=True, timeout=600)
    sys.stderr.write(run.stderr)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["lesson"] == lesson
    assert isinstance(result["story"], list) and result["story"], "the story is empty"
    CHECKS[lesson](result)
    assert result["ok"], "the lesson says it did not show what it should"
    assert run.returncode == 0, f"scripts/lab exited {run.returncode}"
    for chart in result["charts"]:
        assert os.path.getsize(chart) > 0, f"chart {chart} is empty"
    print(f"{lesson}: ok")


if __name__ == "__main__":
    main()

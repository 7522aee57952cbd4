#!/usr/bin/env python3
"""Per-kind figures for gen_variations.py leads.

  score_variations.py TRUTH.csv DECISIONS.csv

DECISIONS.csv: lead_id,verdict,account_id[,score] (crmguard match, or bench_to_replay.py --decisions). For each kind:
leads, right account flagged or blocked (hit), blocked, missed, the wrong account flagged or blocked, and for new
companies false flags and false blocks. The last line totals the positives and negatives.
"""
import collections, csv, sys

if len(sys.argv) != 3:
    sys.exit(__doc__)
truth = {r["lead_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
decisions = {r["lead_id"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
counts = collections.defaultdict(collections.Counter)
for lead_id, t in truth.items():
    d = decisions.get(lead_id, {})
    verdict, account = d.get("verdict", "allow"), d.get("account_id", "")
    c = counts[t["variant"]]
    c["n"] += 1
    if t["account_id"]:
        c["pos"] += 1
        if verdict in ("flag", "block") and account == t["account_id"]:
            c["hit"] += 1
            c["block"] += verdict == "block"
        elif verdict == "block":
            c["wrong_block"] += 1
        elif verdict == "flag":
            c["wrong_flag"] += 1
        else:
            c["miss"] += 1
    else:
        c["false_flag"] += verdict == "flag"
        c["false_block"] += verdict == "block"
total = collections.Counter()
print(f"{'kind':18s} {'n':>4s} {'hit':>5s} {'block':>5s} {'miss':>4s} {'wrong':>5s} {'f.flag':>6s} {'f.block':>7s}")
for kind, c in sorted(counts.items()):
    total.update(c)
    hit = f"{c['hit'] / c['n']:.2f}" if c["pos"] else "-"
    print(f"{kind:18s} {c['n']:4d} {hit:>5s} {c['block']:5d} {c['miss']:4d} {c['wrong_flag'] + c['wrong_block']:5d} {c['false_flag']:6d} {c['false_block']:7d}")
negatives = total["n"] - total["pos"]
print(f"positives {total['pos']}: recall {total['hit'] / max(1, total['pos']):.4f}, block recall {total['block'] / max(1, total['pos']):.4f}, "
      f"wrong account blocked {total['wrong_block']}; negatives {negatives}: false flags {total['false_flag']}, false blocks {total['false_block']}")

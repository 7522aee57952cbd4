#!/usr/bin/env python3
"""Runs the published crmguard on every reviewer set and counts right answers, false blocks and misses.

usage: python3 bench/reviewer-sets/score.py PUBLISHED_DIR [SET ...]

A SET is a folder here, or the path of any folder laid out the same way (new reviewers' sets).

Each set holds only its own accounts (and contacts); they are put among the `dev` set's 5,000 accounts from
../shared/data/lead-account-bench/dev, as the reviewers ran them. A lead of an account is right when flagged or blocked
on that account; a lead of a new company (empty account_id) is wrong only when blocked (a flag is a fair answer for a
new site, for an "unsure" case and for a look-alike).
"""
import csv, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
dev = os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data", "lead-account-bench", "dev"))


def concat(paths, out):
    """Writes the rows of several CSV files as one, with every column any of them has (parent_id in some)."""
    columns = []
    for p in paths:
        with open(p, encoding="utf-8") as g:
            columns += [c for c in csv.DictReader(g).fieldnames if c not in columns]
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns, restval="")
        writer.writeheader()
        for p in paths:
            with open(p, encoding="utf-8") as g:
                writer.writerows(csv.DictReader(g))


def score(cli, name, work):
    d = name if os.path.isdir(name) else os.path.join(here, name)
    accounts, contacts = os.path.join(work, "accounts.csv"), os.path.join(work, "contacts.csv")
    concat([os.path.join(dev, "accounts.csv"), os.path.join(d, "accounts.csv")], accounts)
    extra = [os.path.join(d, "contacts.csv")] if os.path.exists(os.path.join(d, "contacts.csv")) else []
    concat([os.path.join(dev, "contacts.csv")] + extra, contacts)
    out = os.path.join(work, "decisions.csv")
    subprocess.run(["dotnet", os.path.join(cli, "crmguard.dll"), "match", "--accounts", accounts, "--contacts", contacts,
                    "--leads", os.path.join(d, "leads.csv"), "--out", out], check=True, capture_output=True)
    decisions = {r["lead_id"]: r for r in csv.DictReader(open(out, encoding="utf-8"))}
    right = false_blocks = missed = wrong = 0
    for t in csv.DictReader(open(os.path.join(d, "truth.csv"), encoding="utf-8")):
        x = decisions[t["lead_id"]]
        if t["account_id"]:
            if x["verdict"] != "allow" and x["account_id"] == t["account_id"]:
                right += 1
            elif x["verdict"] != "allow":
                wrong += 1
            else:
                missed += 1
        elif x["verdict"] == "block":
            false_blocks += 1
        else:
            right += 1
    return right, false_blocks, missed, wrong


def main():
    cli = sys.argv[1]
    names = sys.argv[2:] or sorted(n for n in os.listdir(here) if os.path.isdir(os.path.join(here, n)))
    totals = [0, 0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            r = score(cli, name, work)
            n = sum(r)
            print(f"{os.path.basename(os.path.normpath(name)):24s} {n:4d} leads: {r[0]:4d} right, {r[1]:3d} false blocks, {r[2]:3d} missed, {r[3]:2d} on another account")
            totals = [a + b for a, b in zip(totals, (n,) + r)]
    print(f"{'all':24s} {totals[0]:4d} leads: {totals[1]:4d} right, {totals[2]:3d} false blocks, {totals[3]:3d} missed, {totals[4]:2d} on another account")


if __name__ == "__main__":
    main()

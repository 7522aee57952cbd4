#!/usr/bin/env python3
"""Turn a lead-to-account bench folder (gen_lead_bench.py) into an org snapshot (format 1) for `crmguard audit`.

  bench_to_audit.py BENCH_DIR OUT.json [--activities N] [--seed S]

Every account is a customer owned by its rep; every lead is an open lead owned by the rep the bench names, so the
audit sees the org as it would sit in a CRM: leads of existing customers, some owned by the account's rep (no
collision) and most by another. --activities adds N open activities (outbound calls and meetings on random contacts by
random reps, inbound emails, calls and chats from random contacts) created on one day, so the activity rules have
work too. Deterministic for a given seed.
"""
import csv, json, os, random, sys

args = sys.argv[1:]
activities = 0
seed = 4242
if "--activities" in args:
    i = args.index("--activities"); activities = int(args[i + 1]); del args[i:i + 2]
if "--seed" in args:
    i = args.index("--seed"); seed = int(args[i + 1]); del args[i:i + 2]
src, out = args
rnd = random.Random(seed)
rd = lambda n: list(csv.DictReader(open(os.path.join(src, n), encoding="utf-8")))
accounts, contacts, leads = rd("accounts.csv"), rd("contacts.csv"), rd("leads.csv")
owners = sorted({r["owner"] for r in accounts + contacts + leads if r["owner"]})
snap = {
    "users": [{"id": u, "name": f"Rep {u}"} for u in owners],
    "accounts": [{"id": a["id"], "name": a["name"], "website": a["website"], "phone": a["phone"], "email": a["email"],
                  "street": a["street"], "city": a["city"], "postalCode": a["postal_code"], "country": a["country"],
                  "ownerId": a["owner"] or owners[0], "status": "customer"} for a in accounts],
    "accountTeam": [],
    "contacts": [{"id": c["id"], "accountId": c["account_id"], "firstName": c["first_name"], "lastName": c["last_name"],
                  "email": c["email"], "phone": c["phone"], "ownerId": c["owner"] or owners[0]} for c in contacts],
    "leads": [{"id": l["id"], "firstName": l["first_name"], "lastName": l["last_name"], "company": l["company"],
               "email": l["email"], "phone": l["phone"], "website": l["website"], "street": l["street"],
               "city": l["city"], "postalCode": l["postal_code"], "country": l["country"],
               "ownerId": l["owner"] or owners[0], "status": "open"} for l in leads],
    "activities": [],
}
for n in range(activities):
    c = rnd.choice(contacts)
    inbound = rnd.random() < 0.3
    kind = rnd.choice(["email", "phonecall", "chat"] if inbound else ["phonecall", "appointment", "task"])
    hour, minute = rnd.randrange(24), rnd.randrange(60)
    snap["activities"].append({
        "id": f"T{n:07d}", "type": kind, "direction": "inbound" if inbound else "outbound", "ownerId": rnd.choice(owners),
        "regardingId": c["id"], "partyIds": [c["id"]], "status": "open",
        "scheduledStart": f"2026-12-0{2 + rnd.randrange(5)}T{hour:02d}:{minute:02d}:00Z",
        "createdOn": f"2026-12-01T{hour:02d}:{minute:02d}:00Z", "subject": f"private subject {n}"})
json.dump(snap, open(out, "w", encoding="utf-8"), ensure_ascii=False)
print(f"{len(accounts)} accounts, {len(contacts)} contacts, {len(leads)} leads, {activities} activities -> {out}")

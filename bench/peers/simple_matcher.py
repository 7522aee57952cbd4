#!/usr/bin/env python3
"""A plain hand-written lead-to-account matcher, the yardstick of issue 7's CPU goal: one exact name key (folded,
legal forms dropped), the registrable-looking company domain of the email or website, and the phone's last ten
digits; the first account found by name, then domain, then phone is the answer. Single-threaded, standard library
only. Not part of the product: it is only measured beside crmguard match on the same files.

  simple_matcher.py ACCOUNTS.csv CONTACTS.csv LEADS.csv OUT.csv
"""
import csv, re, sys, unicodedata

LEGAL = {"inc", "incorporated", "corp", "corporation", "llc", "ltd", "limited", "plc", "gmbh", "ag", "sa", "sas",
         "sarl", "co", "company", "lp", "llp", "pty", "kk", "ltda", "pvt", "kg", "ek"}
FREE = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "gmx.de", "web.de",
        "yahoo.co.uk", "protonmail.com", "mail.com", "live.com"}


def name_key(name):
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    words = [w for w in re.split(r"[^a-z0-9]+", text.replace(".", "")) if w]
    while words and words[-1] in LEGAL:
        words.pop()
    if words and words[0] == "the":
        words = words[1:]
    return "".join(words)


def domain(value):
    value = (value or "").lower().strip()
    if "@" in value:
        value = value.split("@", 1)[1]
    value = re.sub(r"^[a-z]+://", "", value).split("/")[0]
    if value.startswith("www."):
        value = value[4:]
    return "" if not value or value in FREE else value


def phone(value):
    digits = re.sub(r"\D", "", value or "")
    return digits[-10:] if len(digits) >= 7 else ""


def main(accounts_csv, contacts_csv, leads_csv, out_csv):
    by_name, by_domain, by_phone = {}, {}, {}
    with open(accounts_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_name.setdefault(name_key(row["name"]), row["id"])
            for d in (domain(row["website"]), domain(row["email"])):
                if d:
                    by_domain.setdefault(d, row["id"])
            p = phone(row["phone"])
            if p:
                by_phone.setdefault(p, row["id"])
    with open(contacts_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            d = domain(row["email"])
            if d:
                by_domain.setdefault(d, row["account_id"])
            p = phone(row["phone"])
            if p:
                by_phone.setdefault(p, row["account_id"])
    with open(leads_csv, encoding="utf-8") as f, open(out_csv, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["lead_id", "verdict", "account_id"])
        for row in csv.DictReader(f):
            account = by_name.get(name_key(row["company"])) or by_domain.get(domain(row["email"]) or domain(row["website"])) or by_phone.get(phone(row["phone"]))
            writer.writerow([row["id"], "block" if account else "allow", account or ""])


if __name__ == "__main__":
    main(*sys.argv[1:5])

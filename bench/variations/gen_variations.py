#!/usr/bin/env python3
"""Leads written with kinds of variation the development sets do not show, against a bench folder's accounts.

  gen_variations.py BENCH_DIR OUT_DIR [--seed S] [--per-kind N]

BENCH_DIR is a lead-to-account bench folder (accounts.csv, contacts.csv; ../shared/tools/gen_lead_bench.py makes
more). OUT_DIR gets the same accounts and contacts, and new leads.csv and truth.csv (lead_id,account_id,variant; an
empty account_id is a new company). Score with score_variations.py (per kind) or score_lead_bench.py (headline).

Positive kinds (a lead of an existing account, the name written otherwise and little else given):
  city_suffix      "<name> <city>" in that city          reorder        two words swapped
  nospace          the words run together                extra_word     a generic word added ("Group", "Worldwide")
  abbrev           Corporation -> Corp, ...              acronym        the initials and a legal form
  accents          accents added to some letters        caps_punct     capitals and punctuation
  typo2            two typos                             street_only    a typo'd name and the street
  subdomain_web    a page on a subdomain of its site    subdomain_email an address at a subdomain
  phone_ext        its phone with an extension          website_only   no name, its website
  domain_other_tld an email at its name under another suffix
  country_name     its national phone number and its country as a name ("Germany")
  two_phones       a field with its phone and another number
  display_email    "Name <address>" at its domain        zip_plus4      street and ZIP+4 (US accounts)
  web_name         the name typed as its web address ("acme.com")
Made after the others, from a second random stream (so that the kinds above stay as they were):
  cut_short        the name cut short mid-word            contact_no_country a contact's number typed with no country
  idd_00           its number after "00" and the code     person_appended   "<name>, <a person>" and other separators
  hyphen_join      two words hyphenated or run together   attn_dept         "<name> Attn: Accounts Payable" and the like
  quoted           the name in quotes or brackets
Negative kinds (new companies; a flag is a false flag, a block a false block):
  neg_share_first  its first word and another word      neg_share_last another word and its last word
  neg_new          two words of the world's vocabulary   neg_other_city "<name> <another city>" in that city
  neg_placeholder  "Individual", "N/A", "Self-employed" with a personal email
Deterministic for a given seed. Written for this project's own measurements; the product is also measured on data
nobody here wrote.
"""
import csv, os, random, shutil, sys

args = sys.argv[1:]
seed, per_kind = 11, 120
if "--seed" in args:
    i = args.index("--seed"); seed = int(args[i + 1]); del args[i:i + 2]
if "--per-kind" in args:
    i = args.index("--per-kind"); per_kind = int(args[i + 1]); del args[i:i + 2]
if len(args) != 2:
    sys.exit(__doc__)
src, out = args
rng = random.Random(seed)
accounts = list(csv.DictReader(open(os.path.join(src, "accounts.csv"), encoding="utf-8")))
os.makedirs(out, exist_ok=True)
for name in ("accounts.csv", "contacts.csv"):
    if os.path.exists(os.path.join(src, name)):
        shutil.copyfile(os.path.join(src, name), os.path.join(out, name))

LEGAL = {"inc", "inc.", "llc", "l.l.c.", "ltd", "ltd.", "limited", "co.", "co", "corp", "corp.", "corporation", "gmbh",
         "ag", "kg", "s.a.", "sa", "sas", "sarl", "s.a.r.l.", "bv", "b.v.", "nv", "plc", "lp", "llp", "pty", "pty.",
         "kabushiki", "kaisha", "k.k.", "s.p.a.", "spa", "srl", "s.r.l.", "oy", "ab", "as", "a/s", "&", "incorporated",
         "private", "pvt", "e.k.", "company"}
ABBREV = {"corporation": "Corp", "international": "Intl", "company": "Co", "services": "Svcs", "manufacturing": "Mfg",
          "technologies": "Tech", "technology": "Tech", "brothers": "Bros", "associates": "Assoc",
          "management": "Mgmt", "systems": "Sys", "laboratories": "Labs", "engineering": "Eng", "national": "Natl"}
COUNTRY_NAMES = {"US": ["United States", "USA", "U.S.A."], "GB": ["United Kingdom", "England", "UK"],
                 "DE": ["Germany", "Deutschland"], "FR": ["France"], "AU": ["Australia"], "BR": ["Brazil", "Brasil"],
                 "JP": ["Japan"], "IN": ["India"], "ES": ["Spain", "España"], "IT": ["Italy", "Italia"],
                 "NL": ["Netherlands", "Holland"], "CA": ["Canada"]}
NATIONAL = {"GB": "0", "DE": "0", "FR": "0", "AU": "0", "JP": "0", "IN": "0", "ES": "", "IT": "0", "NL": "0", "BR": "0"}
CODES = {"US": "1", "CA": "1", "GB": "44", "DE": "49", "FR": "33", "AU": "61", "JP": "81", "IN": "91", "ES": "34",
         "IT": "39", "NL": "31", "BR": "55"}
ACCENTED = str.maketrans("aeiounc", "áéíóúñç")


def core(name):
    words = name.replace(",", " ").split()
    while words and words[-1].lower() in LEGAL:
        words.pop()
    return words


def domain(account):
    site = (account["website"] or "").split("://")[-1].split("/")[0].lower()
    site = site[4:] if site.startswith("www.") else site
    if not site and "@" in account["email"]:
        site = account["email"].split("@")[1].lower()
    return site


def typo(text):
    if len(text) < 5:
        return text
    i = rng.randint(1, len(text) - 2)
    op = rng.randint(0, 2)
    if op == 0:
        return text[:i] + text[i + 1:]
    if op == 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1:]


def digits_of(phone):
    return "".join(ch for ch in phone if ch.isdigit())


def e164_digits(account):
    """The account's number as country code and national digits, when its phone is in international form."""
    code = CODES.get(account["country"])
    d = digits_of(account["phone"])
    if not code or not account["phone"].strip().startswith(("+", "00")):
        return None
    d = d[2:] if d.startswith("00") else d
    return d[len(code):] if d.startswith(code) else None


def variant(account, kind):
    words = core(account["name"])
    name = " ".join(words)
    site = domain(account)
    lead = dict(company=name, email="", phone="", website="", street="", postal_code="", country=account["country"],
                city=account["city"] if rng.random() < .6 else "")
    if kind == "reorder":
        if len(words) < 2:
            return None
        swapped = words[:]
        swapped[0], swapped[1] = swapped[1], swapped[0]
        lead["company"] = " ".join(swapped)
    elif kind == "nospace":
        if len(words) < 2:
            return None
        lead["company"] = "".join(words)
    elif kind == "extra_word":
        lead["company"] = name + " " + rng.choice(["Group", "Holdings", "Services", "Solutions", "International", "Worldwide"])
    elif kind == "abbrev":
        hits = [i for i, w in enumerate(words) if w.lower() in ABBREV]
        if not hits:
            return None
        lead["company"] = " ".join(ABBREV.get(w.lower(), w) for w in words)
    elif kind == "acronym":
        kept = [w for w in words if w.lower() not in ("&", "and", "of", "the")]
        if len(kept) < 3:
            return None
        lead["company"] = "".join(w[0] for w in kept).upper() + " " + rng.choice(["Inc", "LLC", "Ltd"])
        lead["city"] = account["city"]
    elif kind == "subdomain_web":
        if not site:
            return None
        lead["website"] = "https://" + rng.choice(["shop.", "uk.", "careers.", "portal."]) + site + "/contact"
        lead["company"] = typo(name)
    elif kind == "subdomain_email":
        if not site:
            return None
        lead["email"] = "j.smith@" + rng.choice(["mail.", "eu.", "corp."]) + site
        lead["company"] = typo(name)
    elif kind == "phone_ext":
        if not account["phone"]:
            return None
        lead["phone"] = account["phone"] + rng.choice([" ext. 214", " x214", " #214"])
        lead["company"] = typo(name)
    elif kind == "accents":
        lead["company"] = "".join(ch.translate(ACCENTED) if rng.random() < .3 else ch for ch in name)
        if lead["company"] == name:
            return None
    elif kind == "caps_punct":
        lead["company"] = rng.choice([account["name"].upper().replace(" ", "-", 1), account["name"].replace(" ", ".", 1).lower(), name.upper() + "!"])
    elif kind == "city_suffix":
        if not account["city"]:
            return None
        lead["company"] = name + " " + account["city"]
        lead["city"] = account["city"]
    elif kind == "typo2":
        if len(name) < 12:
            return None
        lead["company"] = typo(typo(name))
    elif kind == "website_only":
        if not site:
            return None
        lead["company"] = ""
        lead["website"] = "http://www." + site
    elif kind == "domain_other_tld":
        if not site or "." not in site:
            return None
        lead["email"] = "info@" + site.split(".")[0] + rng.choice([".org", ".biz", ".info"])
    elif kind == "street_only":
        if not account["street"]:
            return None
        lead["company"] = typo(name)
        lead["street"] = account["street"].replace("Street", "St").replace("Avenue", "Ave")
        lead["city"] = account["city"]
        lead["postal_code"] = account["postal_code"]
    elif kind == "country_name":
        national = e164_digits(account)
        if national is None or account["country"] not in COUNTRY_NAMES:
            return None
        lead["company"] = typo(name)
        lead["phone"] = NATIONAL.get(account["country"], "") + national if account["country"] not in ("US", "CA") else national
        lead["country"] = rng.choice(COUNTRY_NAMES[account["country"]])
    elif kind == "two_phones":
        if not account["phone"]:
            return None
        lead["company"] = typo(name)
        lead["phone"] = account["phone"] + rng.choice([" / ", "; ", ", mobile "]) + "+1 555 010 " + str(rng.randint(1000, 9999))
    elif kind == "display_email":
        if not site:
            return None
        lead["company"] = typo(name)
        lead["email"] = f"Jo Smith <jo.smith@{site}>"
    elif kind == "zip_plus4":
        if account["country"] != "US" or not account["street"] or len(digits_of(account["postal_code"])) != 5:
            return None
        lead["company"] = typo(name)
        lead["street"] = account["street"]
        lead["city"] = account["city"]
        lead["postal_code"] = account["postal_code"] + "-" + str(rng.randint(1000, 9999))
    elif kind == "web_name":
        if not site:
            return None
        lead["company"] = rng.choice([site, site.capitalize(), "www." + site])
    return lead


POSITIVE = ["reorder", "nospace", "extra_word", "abbrev", "acronym", "subdomain_web", "subdomain_email", "phone_ext",
            "accents", "caps_punct", "city_suffix", "typo2", "website_only", "domain_other_tld", "street_only",
            "country_name", "two_phones", "display_email", "zip_plus4", "web_name"]
leads, truth = [], []


def add(lead, account_id, kind, first, last):
    lead_id = f"V{len(leads):05d}"
    lead.update(id=lead_id, first_name=first, last_name=last, owner="u999")
    leads.append(lead)
    truth.append(dict(lead_id=lead_id, account_id=account_id, variant=kind))


def written(kinds, draw, write):
    """Up to per_kind leads of each kind, from accounts drawn at random: (kind, account, lead)."""
    for kind in kinds:
        count = tries = 0
        while count < per_kind and tries < 50 * per_kind:
            tries += 1
            account = draw(accounts)
            lead = write(account, kind)
            if lead is not None:
                count += 1
                yield kind, account, lead


for kind, account, lead in written(POSITIVE, rng.choice, variant):
    add(lead, account["id"], kind, "Jo", "Smith")

def plain(name):
    """A name without case, punctuation and connectors: "Sullivan & Young" is "sullivanyoung"."""
    return "".join(w for w in "".join(ch if ch.isalnum() else " " for ch in name.lower()).split() if w not in ("and", "the"))


names = {plain(" ".join(core(a["name"]))) for a in accounts}
vocabulary = sorted({w for a in accounts for w in core(a["name"]) if len(w) > 3})
cities = {}
for a in accounts:
    if a["city"]:
        cities.setdefault(a["country"], set()).add(a["city"])
for kind in ["neg_share_first", "neg_share_last", "neg_new", "neg_other_city", "neg_placeholder"]:
    made = tries = 0
    while made < per_kind and tries < 50 * per_kind:
        tries += 1
        account = rng.choice(accounts)
        words = core(account["name"])
        if not words:
            continue
        lead = dict(email="", phone="", website="", street="", postal_code="", country=account["country"],
                    city=account["city"] if rng.random() < .5 else "")
        if kind == "neg_share_first":
            lead["company"] = words[0] + " " + rng.choice(vocabulary)
        elif kind == "neg_share_last":
            lead["company"] = rng.choice(vocabulary) + " " + words[-1]
        elif kind == "neg_new":
            lead["company"] = rng.choice(vocabulary) + " " + rng.choice(vocabulary)
        elif kind == "neg_other_city":
            others = sorted(c for c in cities.get(account["country"], ()) if c != account["city"])
            if not others or not account["city"]:
                continue
            city = rng.choice(others)
            lead["company"] = " ".join(words) + " " + city
            lead["city"] = city if rng.random() < .5 else ""
        else:
            lead["company"] = rng.choice(["Individual", "N/A", "Self-employed", "[not provided]", "Private", "none"])
            lead["email"] = f"al.jones{rng.randint(1, 999)}@gmail.com"
        if plain(lead["company"]) in names:
            continue
        made += 1
        add(lead, "", kind, "Al", "Jones")

# Kinds added later, from their own random stream: the kinds above are made exactly as before.
more = random.Random(seed + 1)
contacts = {}
if os.path.exists(os.path.join(src, "contacts.csv")):
    for contact in csv.DictReader(open(os.path.join(src, "contacts.csv"), encoding="utf-8")):
        contacts.setdefault(contact["account_id"], []).append(contact)


def later_variant(account, kind):
    words = core(account["name"])
    name = " ".join(words)
    lead = dict(company=name, email="", phone="", website="", street="", postal_code="", country=account["country"],
                city=account["city"], first_name="Jo", last_name="Smith")
    if kind == "cut_short":
        if len(words) < 2 or len(name) < len(words[0]) + 5:
            return None
        lead["company"] = name[:more.randint(len(words[0]) + 3, len(name) - 2)].rstrip()
    elif kind == "contact_no_country":
        code = CODES.get(account["country"])
        withphone = [c for c in contacts.get(account["id"], []) if c["phone"].strip().startswith("+")]
        if not code or not withphone or account["country"] in ("US", "CA"):
            return None
        contact = more.choice(withphone)
        d = digits_of(contact["phone"])
        if not d.startswith(code):
            return None
        lead.update(company="", city="", country="", first_name=contact["first_name"], last_name=contact["last_name"],
                    phone=NATIONAL.get(account["country"], "") + d[len(code):],
                    email=(contact["first_name"] + "." + contact["last_name"]).lower() + str(more.randint(1, 99)) + "@gmail.com")
    elif kind == "idd_00":
        code, d = CODES.get(account["country"]), digits_of(account["phone"])
        if not code or len(d) < 10:
            return None
        national = d[len(code):] if d.startswith(code) and account["phone"].strip().startswith(("+", "00")) else d[-10:] if account["country"] in ("US", "CA") else None
        if national is None:
            return None
        lead["company"] = typo(name)
        lead["phone"] = "00" + code + " " + national
        lead["city"] = ""
    elif kind == "person_appended":
        lead["company"] = name + more.choice([", ", " - ", " / ", " (", " attn "]) + more.choice(["David", "Carla", "Ines", "Hugo"]) + " " + more.choice(["Meyer", "Lopez", "Novak", "Tanaka"])
    elif kind == "hyphen_join":
        if len(words) < 2 or "&" in words[:2]:
            return None
        lead["company"] = more.choice([words[0] + "-" + words[1], words[0] + words[1], words[0] + words[1].lower()]) + (" " + " ".join(words[2:]) if len(words) > 2 else "")
    elif kind == "attn_dept":
        lead["company"] = name + more.choice([" Attn: Accounts Payable", " - Purchasing Dept", " / Procurement", " (Head Office)", " HQ", " c/o Finance"])
    elif kind == "quoted":
        lead["company"] = more.choice(['"%s"', "'%s'", "%s.", "(%s)", "*%s*", "%s -"]) % account["name"]
    return lead


LATER = ["cut_short", "contact_no_country", "idd_00", "person_appended", "hyphen_join", "attn_dept", "quoted"]
for kind, account, lead in written(LATER, more.choice, later_variant):
    add(lead, account["id"], kind, lead.pop("first_name"), lead.pop("last_name"))

columns = "id,first_name,last_name,company,email,phone,website,street,city,postal_code,country,owner".split(",")
with open(os.path.join(out, "leads.csv"), "w", newline="", encoding="utf-8") as f:
    writer = csv.DictWriter(f, columns)
    writer.writeheader()
    writer.writerows({c: lead.get(c, "") for c in columns} for lead in leads)
with open(os.path.join(out, "truth.csv"), "w", newline="", encoding="utf-8") as f:
    writer = csv.DictWriter(f, ["lead_id", "account_id", "variant"])
    writer.writeheader()
    writer.writerows(truth)
print(f"{len(leads)} leads in {out}")

#!/usr/bin/env python3
"""Regenerates the compact embedded reference data from /work/shared/data/reference (see THIRD-PARTY-NOTICES.txt).

Usage: python3 build-resources.py [reference-folder]. Output: *.txt.gz next to this script (deterministic gzip, mtime 0).
Only the columns the matcher needs are kept; comments are stripped.
"""
import csv, gzip, json, os, re, sys

ref = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data/reference'
out = os.path.dirname(os.path.abspath(__file__))

def write(name, lines):
    data = ('\n'.join(lines) + '\n').encode('utf-8')
    with open(os.path.join(out, name), 'wb') as f:
        with gzip.GzipFile(fileobj=f, mode='wb', mtime=0, filename='') as g:
            g.write(data)

# Legal forms: cleanco terms + rigour org_types aliases (the C# side folds them the same way as names).
terms = set()
with open(os.path.join(ref, 'legal_forms/cleanco_terms.csv'), encoding='utf-8') as f:
    for row in csv.DictReader(f):
        terms.add(row['term'].strip().lower())
in_aliases = False
for line in open(os.path.join(ref, 'legal_forms/rigour_org_types.yml'), encoding='utf-8'):
    s = line.strip()
    if s.startswith('aliases:'):
        in_aliases = True
        continue
    if in_aliases and s.startswith('- '):
        alias = s[2:].strip().strip('"').strip("'").lower()
        if 0 < len(alias.split()) <= 5 and ':' not in alias:
            terms.add(alias)
        continue
    if not s.startswith('#'):
        in_aliases = False
write('legal_forms.txt.gz', sorted(t for t in terms if t))

# Public Suffix List: rules only; a marker separates the PRIVATE section.
rules = []
for line in open(os.path.join(ref, 'public_suffix_list/public_suffix_list.dat'), encoding='utf-8'):
    s = line.strip()
    if s.startswith('// ===BEGIN PRIVATE DOMAINS==='):
        rules.append('#PRIVATE')
    if not s or s.startswith('//'):
        continue
    rules.append(s.split()[0])
write('public_suffix_list.txt.gz', rules)

# Free / disposable mail providers: union of both lists.
domains = set(json.load(open(os.path.join(ref, 'free_email_domains/kikobeats_free_email_domains.json'), encoding='utf-8')))
for line in open(os.path.join(ref, 'free_email_domains/goware_emailproviders_domains.txt'), encoding='utf-8'):
    if line.strip():
        domains.add(line.strip().lower())
# Internet providers' subscriber domains the lists lack: hand-maintained in eng/tools/mail-providers (see its README.md).
here = os.path.dirname(os.path.abspath(__file__))
for line in open(os.path.join(here, '../../../eng/tools/mail-providers/isp_mail_domains.txt'), encoding='utf-8'):
    if line.strip() and not line.startswith('#'):
        domains.add(line.strip().lower())
write('free_email_domains.txt.gz', sorted(d.lower() for d in domains))

# Country names: hand-maintained in eng/tools/countries (see its README.md); comments stripped.
countries = [l.rstrip('\n') for l in open(os.path.join(here, '../../../eng/tools/countries/countries.tsv'), encoding='utf-8') if l.strip() and not l.startswith('#')]
write('countries.txt.gz', countries)

# City names: hand-maintained in eng/tools/cities (see its README.md); comments stripped.
cities = [l.rstrip('\n') for l in open(os.path.join(here, '../../../eng/tools/cities/cities.tsv'), encoding='utf-8') if l.strip() and not l.startswith('#')]
write('cities.txt.gz', cities)
districts = [l.rstrip('\n') for l in open(os.path.join(here, '../../../eng/tools/cities/districts.tsv'), encoding='utf-8') if l.strip() and not l.startswith('#')]
write('districts.txt.gz', districts)

# Nicknames: name,nickname pairs.
pairs = []
with open(os.path.join(ref, 'nicknames/carltonnorthern_names.csv'), encoding='utf-8') as f:
    for row in csv.DictReader(f):
        if row['relationship'] == 'has_nickname':
            pairs.append(row['name1'].strip().lower() + ',' + row['name2'].strip().lower())
write('nicknames.csv.gz', sorted(set(pairs)))

# Given names of many countries that the nickname table lacks: hand-maintained in eng/tools/given-names (see its README.md).
given = sorted({l.strip() for l in open(os.path.join(here, '../../../eng/tools/given-names/given_names.txt'), encoding='utf-8') if l.strip() and not l.startswith('#')})
write('given_names.txt.gz', given)

# Organisation-word synonyms (rigour symbols.yml, org_symbols and the industry words of org_domains): single-word
# aliases, one line 'alias<TAB>group'; the C# side folds both and reads every alias of a group as one word. Groups that
# name particular organisations, political terms or phrases are left out, and so are aliases of two letters or fewer
# (too ambiguous in a company name) but 'co'.
SKIP = {'named', 'socalled', 'liquidation', 'repoff', 'allrussian', 'nominee', 'special', 'spv', 'repu', 'gov', 'party',
        'ministry', 'city', 'municipal', 'fed', 'private', 'public', 'committee', 'kombinat', 'authority', 'union',
        'skb', 'instrmak', 'intel', 'jail', 'prison', 'military', 'army', 'brigade', 'naval', 'nuclear', 'uranium',
        'islamic', 'revolutionary', 'police', 'cartel', 'tpb', 'npp', 'snco', 'nbco', 'alqaeda', 'hezbollah', 'irgc',
        'pla', 'ccp', 'cia', 'invfund', 'stockexch', 'crypto', 'tactical', 'defence', 'budget', 'offshore', 'base',
        'tv', 'reinsurance', 'named'}
# Short aliases that are words or names of their own in company names.
AMBIGUOUS = {'dom', 'hus', 'uni', 'car', 'mali', 'vin', 'tıp', 'ong', 'cso', 'coy', 'comp', 'firm', 'werk', 'ev', 'okul'}
section, group, synonyms, seen = None, None, [], set()
for line in open(os.path.join(ref, 'legal_forms/rigour_symbols.yml'), encoding='utf-8'):
    if re.match(r'^\w', line):
        section = line.strip().rstrip(':')
        continue
    m = re.match(r'^  (\S[^:]*):\s*$', line)
    if m:
        group = m.group(1)
        continue
    m = re.match(r'^    - (.*?)\s*(#.*)?$', line)
    if not m or section not in ('org_symbols', 'org_domains') or group in SKIP:
        continue
    alias = m.group(1).strip().strip('"').strip("'").lower()
    if ' ' in alias or '/' in alias or (len(alias) <= 2 and alias != 'co') or alias in AMBIGUOUS or alias in seen:
        continue
    seen.add(alias)
    synonyms.append(f'{alias}\t{group}')
# Trade words of many languages and the abbreviations clerks type, hand-maintained in eng/tools/trade-words (see its
# README.md): after rigour's, which win.
for table in ('trade_words.tsv', 'abbreviations.tsv', 'east_asian_trade_words.tsv'):
    for line in open(os.path.join(here, '../../../eng/tools/trade-words', table), encoding='utf-8'):
        if line.startswith('#') or '\t' not in line:
            continue
        group, aliases = line.rstrip('\n').split('\t', 1)
        for alias in aliases.split('|'):
            alias = alias.strip().lower()
            if alias and alias not in seen:
                seen.add(alias)
                synonyms.append(f'{alias}\t{group}')
write('org_synonyms.txt.gz', synonyms)

# Notices: provenance and licences of every source used above.
parts = ['THIRD-PARTY NOTICES for the reference data embedded in CrmGuardrails (src/CrmGuardrails/Resources).',
         'The *.gz files are derived (filtered, comments and unused columns removed) by build-resources.py from the sources below.', '']
for folder, files in [('legal_forms', ['PROVENANCE.txt', 'LICENSE.cleanco.txt', 'LICENSE.rigour.txt']),
                      ('public_suffix_list', ['PROVENANCE.txt', 'LICENSE.MPL-2.0.txt']),
                      ('free_email_domains', ['PROVENANCE.txt', 'LICENSE.kikobeats.md', 'LICENSE.goware.txt']),
                      ('nicknames', ['PROVENANCE.txt', 'LICENSE.carltonnorthern.Apache-2.0.txt'])]:
    for name in files:
        parts.append('=' * 100)
        parts.append(f'{folder}/{name}')
        parts.append('=' * 100)
        parts.append(open(os.path.join(ref, folder, name), encoding='utf-8').read().rstrip())
        parts.append('')
parts.append('=' * 100)
parts.append('countries.txt.gz (from eng/tools/countries/countries.tsv)')
parts.append('=' * 100)
parts.append(open(os.path.join(here, '../../../eng/tools/countries/README.md'), encoding='utf-8').read().rstrip())
parts.append('')
parts.append('=' * 100)
parts.append('cities.txt.gz and districts.txt.gz (from eng/tools/cities/cities.tsv and districts.tsv)')
parts.append('=' * 100)
parts.append(open(os.path.join(here, '../../../eng/tools/cities/README.md'), encoding='utf-8').read().rstrip())
parts.append('')
parts.append('=' * 100)
parts.append('given_names.txt.gz (from eng/tools/given-names/given_names.txt)')
parts.append('=' * 100)
parts.append(open(os.path.join(here, '../../../eng/tools/given-names/README.md'), encoding='utf-8').read().rstrip())
parts.append('')
parts.append('=' * 100)
parts.append('transliteration.bin.gz (generated by eng/tools/TransliterationTable from the AnyAscii package 0.3.3)')
parts.append('=' * 100)
parts.append('''AnyAscii: Unicode to ASCII transliteration. https://github.com/anyascii/anyascii
ISC License

Copyright (c) 2020, Hunter WB <hunterwb.com>

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.''')
parts.append('')
parts.append('Note: the GLEIF ISO 20275 list in legal_forms was NOT embedded (its terms of use were not available).')
open(os.path.join(out, 'THIRD-PARTY-NOTICES.txt'), 'w', encoding='utf-8').write('\n'.join(parts) + '\n')

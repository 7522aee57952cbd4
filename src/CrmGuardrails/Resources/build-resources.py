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
write('free_email_domains.txt.gz', sorted(d.lower() for d in domains))

# Nicknames: name,nickname pairs.
pairs = []
with open(os.path.join(ref, 'nicknames/carltonnorthern_names.csv'), encoding='utf-8') as f:
    for row in csv.DictReader(f):
        if row['relationship'] == 'has_nickname':
            pairs.append(row['name1'].strip().lower() + ',' + row['name2'].strip().lower())
write('nicknames.csv.gz', sorted(set(pairs)))

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
parts.append('Note: the GLEIF ISO 20275 list in legal_forms was NOT embedded (its terms of use were not available).')
open(os.path.join(out, 'THIRD-PARTY-NOTICES.txt'), 'w', encoding='utf-8').write('\n'.join(parts) + '\n')

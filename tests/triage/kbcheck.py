#!/usr/bin/env python3
# kbcheck: checks the symptom checker's knowledge base (data/triage) and evaluation cases (tests/triage/cases).
"""Usage: kbcheck.py [--kb DIR] [--cases DIR] [--sizes]

Checks what the loader and the evaluator take for granted, with a message per
problem and exit status 1 when there is any: exact headers, ids unique across
every NAME*.csv file, enums (kind, answer, urgency, specialty, sex), numbers
in range, every id an evidence, prior, red-flag or case row names exists, at
least one prior row per condition, no two rows for one condition-finding pair,
self-care text only where the urgency allows it, a source on every row, and
the case format of docs/triage.md. --sizes also requires the issue's sizes
(>= 200 conditions, >= 400 findings, >= 150 cases)."""
import csv
import glob
import json
import os
import re
import sys

HEADERS = {
    'findings': 'id,kind,name_en,name_es,synonyms_en,synonyms_es,question_en,question_es,answer,base,source',
    'conditions': 'id,name_en,name_es,explain_en,explain_es,urgency,specialty,selfcare_en,selfcare_es,'
                  'cautions_en,cautions_es,source',
    'priors': 'condition,sex,age_min,age_max,prior',
    'evidence': 'condition,finding,p,source',
    'redflags': 'id,all_of,any_of,min_age,max_age,sex,advice_en,advice_es,crisis,source',
}
KINDS = {'symptom', 'sign', 'risk', 'history', 'exposure'}
ANSWERS = {'yesno', 'duration', 'severity', 'number'}
# A typed answer and where "present" starts (docs/triage.md "Answer types").
TYPED_ANSWER = re.compile(r'^(duration>=[0-4]|severity>=[0-2]|number>=[0-9]+(\.[0-9])? \S{1,8})$')
URGENCIES = {'emergency', 'today', 'days', 'selfcare'}
SPECIALTIES = {'family', 'paediatrics', 'cardiology', 'dermatology', 'gynaecology', 'psychiatry'}
SEXES = {'any', 'female', 'male'}
ID = re.compile(r'^[a-z][a-z0-9_]*$')
CASE_NAME = re.compile(r'^(\d{3})-[a-z0-9-]+\.json$')

problems = []


def bad(where, msg):
    problems.append(f'{where}: {msg}')


def number(where, text, lo, hi):
    try:
        v = float(text)
    except ValueError:
        bad(where, f'{text!r} is not a number')
        return None
    if not lo <= v <= hi:
        bad(where, f'{text} is outside [{lo}, {hi}]')
    return v


def table(kb, name):
    """Every row of every NAME*.csv in kb, as (where, row)."""
    out = []
    for path in sorted(glob.glob(os.path.join(kb, name + '*.csv'))):
        with open(path, encoding='utf-8', newline='') as f:
            reader = csv.reader(f)
            header = next(reader, [])
            if ','.join(header) != HEADERS[name]:
                bad(path, f'header is {",".join(header)!r}, want {HEADERS[name]!r}')
                continue
            for n, cells in enumerate(reader, start=2):
                where = f'{os.path.basename(path)}:{n}'
                if len(cells) != len(header):
                    bad(where, f'{len(cells)} columns, want {len(header)}')
                    continue
                out.append((where, dict(zip(header, cells))))
    return out


def unique_ids(rows, what):
    seen = {}
    for where, r in rows:
        if not ID.match(r['id']):
            bad(where, f'{what} id {r["id"]!r} is not snake_case')
        if r['id'] in seen:
            bad(where, f'{what} id {r["id"]} also at {seen[r["id"]]}')
        seen[r['id']] = where
    return seen


def check_findings(rows):
    for where, r in rows:
        if r['kind'] not in KINDS:
            bad(where, f'kind {r["kind"]!r}')
        if r['answer'] not in ANSWERS and not TYPED_ANSWER.match(r['answer']):
            bad(where, f'answer {r["answer"]!r}')
        number(where, r['base'], 0, 1)
        for col in ('name_en', 'name_es', 'question_en', 'question_es', 'source'):
            if not r[col].strip():
                bad(where, f'{col} is empty')


def check_conditions(rows):
    for where, r in rows:
        if r['urgency'] not in URGENCIES:
            bad(where, f'urgency {r["urgency"]!r}')
        if r['specialty'] not in SPECIALTIES:
            bad(where, f'specialty {r["specialty"]!r}')
        for col in ('name_en', 'name_es', 'explain_en', 'explain_es', 'source'):
            if not r[col].strip():
                bad(where, f'{col} is empty')
        advice = [r[c] for c in ('selfcare_en', 'selfcare_es', 'cautions_en', 'cautions_es')]
        if r['urgency'] in ('emergency', 'today') and any(a.strip() for a in advice):
            bad(where, f'self-care text on a {r["urgency"]} condition')
        if r['urgency'] == 'selfcare' and not all(a.strip() for a in advice):
            bad(where, 'a self-care condition needs self-care and cautions in both languages')


def check_priors(rows, conditions):
    has = set()
    for where, r in rows:
        if r['condition'] not in conditions:
            bad(where, f'unknown condition {r["condition"]}')
        if r['sex'] not in SEXES:
            bad(where, f'sex {r["sex"]!r}')
        lo = number(where, r['age_min'], 0, 200)
        hi = number(where, r['age_max'], 0, 200)
        if lo is not None and hi is not None and (lo >= hi or lo != int(lo) or hi != int(hi)):
            bad(where, f'age band [{r["age_min"]}, {r["age_max"]}) is not whole years with min < max')
        number(where, r['prior'], 1e-9, 100000)
        has.add(r['condition'])
    for c, where in conditions.items():
        if c not in has:
            bad(where, f'condition {c} has no prior row')


def check_evidence(rows, conditions, findings):
    pairs, count = {}, {}
    for where, r in rows:
        if r['condition'] not in conditions:
            bad(where, f'unknown condition {r["condition"]}')
        if r['finding'] not in findings:
            bad(where, f'unknown finding {r["finding"]}')
        number(where, r['p'], 0.01, 0.99)
        if not r['source'].strip():
            bad(where, 'source is empty')
        key = (r['condition'], r['finding'])
        if key in pairs:
            bad(where, f'{key[0]}/{key[1]} also at {pairs[key]}')
        pairs[key] = where
        count[r['condition']] = count.get(r['condition'], 0) + 1
    for c, where in conditions.items():
        if not 3 <= count.get(c, 0) <= 20:
            bad(where, f'condition {c} has {count.get(c, 0)} evidence rows (want 5-15)')


def check_redflags(rows, findings):
    for where, r in rows:
        for col in ('all_of', 'any_of'):
            for f in filter(None, r[col].split('|')):
                if f not in findings:
                    bad(where, f'{col} names unknown finding {f}')
        if r['sex'] not in SEXES:
            bad(where, f'sex {r["sex"]!r}')
        if r['crisis'] not in ('yes', 'no'):
            bad(where, f'crisis {r["crisis"]!r}')


def check_cases(cases, conditions, findings):
    seen = {}
    paths = sorted(glob.glob(os.path.join(cases, '*.json')))
    for path in paths:
        name = os.path.basename(path)
        m = CASE_NAME.match(name)
        if not m or not 1 <= int(m[1]) <= 999:
            bad(name, 'file name is not NNN-slug.json with NNN in 001-999 (900s: the engine cases)')
            continue
        if m[1] in seen:
            bad(name, f'number {m[1]} also used by {seen[m[1]]}')
        seen[m[1]] = name
        try:
            with open(path, encoding='utf-8') as f:
                c = json.load(f)
        except (OSError, ValueError) as e:
            bad(name, f'not JSON: {e}')
            continue
        want = {'id', 'source', 'age', 'sex', 'pregnant', 'complaint', 'present', 'absent',
                'expected', 'alternatives', 'triage'}
        if set(c) != want:
            bad(name, f'keys {sorted(set(c) ^ want)} missing or extra')
            continue
        if c['id'] != name[:-5]:
            bad(name, f'id {c["id"]!r} differs from the file name')
        if not str(c['source']).strip():
            bad(name, 'no source')
        if not isinstance(c['age'], int) or not 0 <= c['age'] < 200:
            bad(name, f'age {c["age"]!r}')
        if c['sex'] not in SEXES:
            bad(name, f'sex {c["sex"]!r}')
        if c['pregnant'] and c['sex'] == 'male':
            bad(name, 'pregnant male')
        if c['triage'] not in URGENCIES:
            bad(name, f'triage {c["triage"]!r}')
        for cid in [c['expected']] + list(c['alternatives']):
            if cid not in conditions:
                bad(name, f'unknown condition {cid}')
        for col in ('present', 'absent'):
            for item in c[col]:
                # snake_case items are meant as ids; anything else is free text for the matcher
                if ID.match(item) and '_' in item and item not in findings:
                    bad(name, f'{col} names unknown finding {item}')
    return len(paths)


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    kb = os.path.join(root, 'data', 'triage')
    cases = os.path.join(root, 'tests', 'triage', 'cases')
    sizes = False
    args = iter(argv)
    for a in args:
        if a == '--kb':
            kb = next(args)
        elif a == '--cases':
            cases = next(args)
        elif a == '--sizes':
            sizes = True
        else:
            print(__doc__, file=sys.stderr)
            return 2
    frows, crows = table(kb, 'findings'), table(kb, 'conditions')
    findings, conditions = unique_ids(frows, 'finding'), unique_ids(crows, 'condition')
    check_findings(frows)
    check_conditions(crows)
    check_priors(table(kb, 'priors'), conditions)
    check_evidence(table(kb, 'evidence'), conditions, findings)
    check_redflags(table(kb, 'redflags'), findings)
    ncases = check_cases(cases, conditions, findings) if os.path.isdir(cases) else 0
    if sizes:
        for what, n, need in (('conditions', len(conditions), 200), ('findings', len(findings), 400),
                              ('cases', ncases, 150)):
            if n < need:
                bad(kb if what != 'cases' else cases, f'{n} {what}, the issue asks for >= {need}')
    for p in problems:
        print(p)
    print(f'kbcheck: {len(findings)} findings, {len(conditions)} conditions, {ncases} cases; '
          f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

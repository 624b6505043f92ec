#!/bin/sh
# Every audit action the code writes has words in both languages
# (Lang.audit.<area>.<action>, templates/lang/{es,en}/): the admin audit page
# and the patient's security page show actions in words (issue 15), so a new
# action without them would show as "Other event" plus its code.
# Actions: the "area.verb" literals in the calls that write audit rows
# (fcgi/**/*.c), the record kinds' reads and changes (fcgi/pages/record/
# kinds.c: record.<slug>, record.<item>, record.<item>_added/_corrected),
# care_batch_read's record.<what>, and the literals of audit.append in
# sql/queries. usage: audit-words.sh (exit 1 and one line per missing word).

set -u

srcdir=${MEDSYS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec python3 - "$srcdir" <<'PY'
import glob, re, sys

root = sys.argv[1]
CALLS = re.compile(r'\b(?:audit_log|audit_log_system|audit_read_add|audit_read|audit_read_params|'
                   r'account_audit_user|appt_load_appt|audited_query|rxc_finish_change)\s*\(')
ACTION = re.compile(r'"([a-z_]+\.[a-z_]+)"')


def call_text(s, i):
    """The arguments of the call whose '(' ends at i."""
    depth, j = 1, i
    while j < len(s) and depth:
        depth += {'(': 1, ')': -1}.get(s[j], 0)
        j += 1
    return s[i:j]


actions = set()
for f in glob.glob(root + '/fcgi/**/*.c', recursive=True):
    s = open(f, encoding='utf-8').read()
    for m in CALLS.finditer(s):
        actions.update(ACTION.findall(call_text(s, m.end())))
    for what in re.findall(r'care_batch_read\s*\([^;]*?"([a-z_]+)"', s):
        actions.add('record.' + what)
kinds = open(root + '/fcgi/pages/record/kinds.c', encoding='utf-8').read()
for slug, item in re.findall(r'^\s*\{ "([a-z_]+)", "([a-z_]+)",', kinds, re.M):
    actions.update({'record.' + slug, 'record.' + item,
                    'record.%s_added' % item, 'record.%s_corrected' % item})
for f in glob.glob(root + '/sql/queries/*.sql'):
    s = open(f, encoding='utf-8').read()
    for m in re.finditer(r'audit\.append(?:_many)?\s*\(', s):
        actions.update(re.findall(r"'([a-z_]+\.[a-z_]+)'", call_text(s, m.end())))


def hdf_keys(path, seen):
    """The dotted keys an HDF file defines, with its #includes."""
    keys, stack, heredoc = set(), [], None
    for line in open(path, encoding='utf-8'):
        t = line.strip()
        if heredoc:
            heredoc = None if t == heredoc else heredoc
            continue
        if t.startswith('#include'):
            inc = root + '/templates/' + t.split('"')[1]
            if inc not in seen:
                seen.add(inc)
                keys |= hdf_keys(inc, seen)
            continue
        if not t or t.startswith('#'):
            continue
        if t == '}':
            stack.pop()
        elif t.endswith('{'):
            stack.append(t[:-1].strip())
        elif '<<' in t:
            name, heredoc = (x.strip() for x in t.split('<<', 1))
            keys.add('.'.join(stack + [name]))
        elif '=' in t:
            keys.add('.'.join(stack + [t.split('=', 1)[0].strip()]))
    return keys


missing = 0
for lang in ('es', 'en'):
    keys = hdf_keys('%s/templates/lang/%s.hdf' % (root, lang), set())
    for a in sorted(actions):
        if 'audit.' + a not in keys:
            print('audit-words: %s has no words in templates/lang/%s (audit.%s)' % (a, lang, a))
            missing += 1
if missing:
    sys.exit(1)
print('audit-words: %d audit actions, each with words in es and en' % len(actions))
PY

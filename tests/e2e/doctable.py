#!/usr/bin/env python3
"""doctable.py TABLE.json README.md DOCDIR — checks the hand-written command
references against the command table (de-gen table): prints one line per
disagreement, nothing when they agree.

- README.md's command table (the rows whose first cell is `de ...`): each
  row names a command of the table (list: its listings), every option it
  shows is one of that command's or de's own, every placeholder one of its
  arguments' or of an option it shows; every command with a reference page
  in the table, and each listing, has a row;
  every row's reference exists.
- DOCDIR/de-COMMAND.md: its first code block is the table's synopsis, the
  same words (lines wrapped anywhere); DOCDIR/de.md's begins with de's own.
"""
import json
import os
import re
import subprocess
import sys


def words(text):
    return text.split()


def readme_rows(path):
    rows = []
    for line in open(path, encoding='utf-8'):
        if not line.startswith('| `de '):
            continue
        cells = [c.strip() for c in re.split(r'(?<!\\)\|', line.strip())[1:-1]]
        cmd = cells[0].strip('`').replace('\\|', '|')
        link = re.search(r'\]\(([^)#]+)', cells[-1])
        rows.append((cmd, link.group(1) if link else None))
    return rows


def option_names(opts):
    names = {}
    for o in opts:
        for k in ('short', 'long', 'alias'):
            if o[k]:
                names[o[k]] = o
    return names


def check_readme(table, readme, top):
    bad = []
    glob = option_names(table['de']['options'])
    cmds = {c['name']: c for c in table['commands'] if not c['hidden']}
    seen = set()
    for text, link in readme_rows(readme):
        w = words(text)[1:]
        # de's own options first (--root HOST)
        while w and w[0].startswith('-'):
            o = glob.get(w[0])
            if not o:
                bad.append(f'README: `{text}`: {w[0]} is not an option of de')
            w = w[1 + (o is not None and o['type'] != 'flag'):]
        if not w or w[0] not in cmds:
            bad.append(f'README: `{text}`: names no command of the table')
            continue
        c = cmds[w[0]]
        w = w[1:]
        opts = option_names(c['options'])
        places = set()
        for a in c['args']:
            places.update(re.findall(r'[A-Z][A-Z0-9_]*', a['name']))
        if c.get('subcommands'):
            subs = {s['name']: s for s in c['subcommands'] if not s['hidden']}
            named = [x for x in re.split(r'[\s|]+', ' '.join(w)) if x in subs]
            if not named:
                bad.append(f'README: `{text}`: names no listing of de {c["name"]}')
            for s in named:
                seen.add(f'{c["name"]} {s}')
                opts.update(option_names(subs[s]['options']))
            w = [x for x in w if x not in subs and x != '|']
        else:
            seen.add(c['name'])
        for x in w:
            for tok in re.split(r'[\[\]|{},]+', x):
                tok = tok.strip('.')
                if not tok:
                    continue
                if tok.startswith('-'):
                    if tok not in opts:
                        bad.append(f'README: `{text}`: {tok} is not an option of de {c["name"]}')
                    elif opts[tok]['argname']:
                        places.update(re.findall(r'[A-Z][A-Z0-9_]*', opts[tok]['argname']))
                elif re.fullmatch(r'[A-Z][A-Z0-9_]*', tok):
                    if tok not in places:
                        bad.append(f'README: `{text}`: {tok} is not an argument of de {c["name"]}')
                elif c['args'] and not any(tok in a['values'] for a in c['args']):
                    bad.append(f'README: `{text}`: "{tok}" is not a word de {c["name"]} takes')
        if link and not os.path.exists(os.path.join(top, link)):
            bad.append(f'README: `{text}`: {link} does not exist')
    for c in cmds.values():
        if not c['doc']:   # help, and debugging commands (fsls): no reference page
            continue
        if c.get('subcommands'):
            for s in c['subcommands']:
                if not s['hidden'] and f'{c["name"]} {s["name"]}' not in seen:
                    bad.append(f'README: no row for de {c["name"]} {s["name"]}')
        elif c['name'] not in seen:
            bad.append(f'README: no row for de {c["name"]}')
    return bad


def md_synopsis(path):
    m = re.search(r'```\n(.*?)```', open(path, encoding='utf-8').read(), re.S)
    return words(m.group(1)) if m else []


def check_docs(table, docdir, degen):
    bad = []
    # de.md: de's own synopsis first (docker-explorer's line after it)
    want = words(subprocess.run([degen, 'synopsis', 'de'], capture_output=True, text=True,
                                check=True).stdout)
    got = md_synopsis(os.path.join(docdir, 'de.md'))[:len(want)]
    if got != want:
        bad.append(f'de.md: synopsis is "{" ".join(got)}", the table\'s "{" ".join(want)}"')
    for c in table['commands']:
        if c['hidden'] or not c['doc']:
            continue
        path = os.path.join(docdir, c['doc'])
        if not os.path.exists(path):
            bad.append(f'{c["doc"]}: missing (the table names it)')
            continue
        want = words(subprocess.run([degen, 'synopsis', c['name']], capture_output=True,
                                    text=True, check=True).stdout)
        got = md_synopsis(path)
        if got != want:
            bad.append(f'{c["doc"]}: synopsis is "{" ".join(got)}", the table\'s "{" ".join(want)}"')
    return bad


def main():
    table = json.load(open(sys.argv[1], encoding='utf-8'))
    readme, docdir, degen = sys.argv[2], sys.argv[3], sys.argv[4]
    bad = check_readme(table, readme, os.path.dirname(os.path.abspath(readme)))
    bad += check_docs(table, docdir, degen)
    for b in bad:
        print(b)


if __name__ == '__main__':
    main()

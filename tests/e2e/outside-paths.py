#!/usr/bin/env python3
"""outside-paths.py TRACE ROOT...: from `strace -f -y -e trace=%file,openat2` output,
every path de looked at (absolute arguments, and relative ones through the
directory fd strace -y names) that is in none of ROOT... and not one of the
program's own (loader, libraries, locale, /proc/self, /dev)."""
import os, re, sys
OWN = re.compile(r'^(/etc/ld\.so\.(cache|preload)|/lib|/usr/lib|/usr/share/locale|/usr/lib/locale|'
                 r'/usr/share/zoneinfo|/etc/localtime|/etc/ssl/openssl\.cnf|/proc/self(/|$)|'
                 r'/proc/[0-9]+/|/dev/(null|u?random|tty|pts/)|/sys/devices/system/cpu)')
roots = [r.rstrip('/') for r in sys.argv[2:]]
def inside(p):
    return any(p == r or p.startswith(r + '/') for r in roots)
out = set()
call = re.compile(r'^(?:\d+\s+)?(\w+)\((.*)$')
for line in open(sys.argv[1], errors='replace'):
    m = call.match(line)
    if not m:
        continue
    args = m.group(2)
    # first a dirfd annotated by -y: N</path>, then the path string
    dm = re.match(r'(-?\d+|AT_FDCWD)(?:<([^>]*)>)?, "((?:[^"\\]|\\.)*)"', args)
    pm = re.match(r'"((?:[^"\\]|\\.)*)"', args)
    res = re.search(r'\) += -?\d+<([^>]*)>\s*$', line)
    if m.group(1) == 'execve':
        continue   # de itself
    if res:
        full = res.group(1)
    elif dm and dm.group(3) == '':
        continue   # AT_EMPTY_PATH: an fd already opened (and checked), or stdout
    elif dm:
        base, path = dm.group(2), dm.group(3)
        if base and 'RESOLVE_IN_ROOT' in args:
            full = base.rstrip('/') + '/' + path.lstrip('/')
        elif path.startswith('/'):
            full = path
        elif base:
            full = base.rstrip('/') + '/' + path if path else base
        else:   # relative to the working directory (strace runs in ours)
            full = os.path.join(os.getcwd(), path)
    elif pm:
        full = os.path.join(os.getcwd(), pm.group(1))
    else:
        continue
    if inside(full) or OWN.match(full):
        continue
    out.add(full)
for p in sorted(out):
    print(p)

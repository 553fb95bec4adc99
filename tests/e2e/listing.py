#!/usr/bin/env python3
"""listing.py ROOT [--hash] [--xattrs] — one line per entry below ROOT,
sorted bytewise by path, in the format of `de ls -R -l`:

    MODE UID GID SIZE MTIME PATH[ -> TARGET][ sha256:HEX][ xattrs:NAME=HEX,...]

MODE as ls(1); SIZE is MAJOR,MINOR for devices; MTIME is UTC with nine
fractional digits and Z; PATH and TARGET are escaped as de escapes names
(valid UTF-8 as is, \\\\, \\n, \\t, other control bytes and invalid bytes as
\\xNN). Symlinks are never followed, other filesystems are not entered, and
overlay's own xattrs are left out. Used by the tests to list a kernel mount
(the oracle) and what de exported, the same way."""
import os, stat, sys, hashlib, time

def esc(b):
    out, i = [], 0
    while i < len(b):
        c = b[i]
        if c == 0x5c: out.append("\\\\"); i += 1; continue
        if c == 0x0a: out.append("\\n"); i += 1; continue
        if c == 0x09: out.append("\\t"); i += 1; continue
        if c < 0x20 or c == 0x7f: out.append("\\x%02x" % c); i += 1; continue
        if c < 0x80: out.append(chr(c)); i += 1; continue
        n = 2 if c & 0xe0 == 0xc0 else 3 if c & 0xf0 == 0xe0 else 4 if c & 0xf8 == 0xf0 else 0
        try:
            s = b[i:i + n].decode("utf-8") if n and i + n <= len(b) else None
        except UnicodeDecodeError:
            s = None
        if s is None or len(s) != 1:
            out.append("\\x%02x" % c); i += 1
        else:
            out.append(s); i += n
    return "".join(out)

def mode_string(m):
    t = "d" if stat.S_ISDIR(m) else "l" if stat.S_ISLNK(m) else "c" if stat.S_ISCHR(m) else \
        "b" if stat.S_ISBLK(m) else "p" if stat.S_ISFIFO(m) else "s" if stat.S_ISSOCK(m) else "-"
    r = list(t + "".join(ch if m & (0o400 >> i) else "-" for i, ch in enumerate("rwxrwxrwx")))
    if m & stat.S_ISUID: r[3] = "s" if m & stat.S_IXUSR else "S"
    if m & stat.S_ISGID: r[6] = "s" if m & stat.S_IXGRP else "S"
    if m & stat.S_ISVTX: r[9] = "t" if m & stat.S_IXOTH else "T"
    return "".join(r)

def mtime(st):
    ns = st.st_mtime_ns
    sec, frac = divmod(ns, 10**9)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)) + ".%09dZ" % frac

def content_hash(path):
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        fd = os.open(path, os.O_RDONLY)
    h = hashlib.sha256()
    with os.fdopen(fd, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()

def xattrs(path):
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return ""
    pairs = []
    for n in sorted(names):
        if n.startswith("trusted.overlay.") or n.startswith("user.overlay."):
            continue
        pairs.append("%s=%s" % (n, os.getxattr(path, n, follow_symlinks=False).hex()))
    return ",".join(pairs)

def main():
    root = os.fsencode(sys.argv[1])
    want_hash, want_x = "--hash" in sys.argv[2:], "--xattrs" in sys.argv[2:]
    dev = os.lstat(root).st_dev
    lines = []
    stack = [b""]
    while stack:
        rel = stack.pop()
        for name in os.listdir(root + rel if rel else root):
            r = rel + b"/" + name
            p = root + r
            st = os.lstat(p)
            size = "%d,%d" % (os.major(st.st_rdev), os.minor(st.st_rdev)) \
                if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else str(st.st_size)
            line = "%s %d %d %s %s %s" % (mode_string(st.st_mode), st.st_uid, st.st_gid, size,
                                          mtime(st), esc(r))
            if stat.S_ISLNK(st.st_mode):
                line += " -> " + esc(os.readlink(p))
            if want_hash and stat.S_ISREG(st.st_mode):
                line += " sha256:" + content_hash(p)
            if want_x:
                line += " xattrs:" + xattrs(p)
            lines.append((r, line))
            if stat.S_ISDIR(st.st_mode) and st.st_dev == dev:
                stack.append(r)
    for _, line in sorted(lines):
        sys.stdout.write(line + "\n")

main()

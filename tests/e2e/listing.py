#!/usr/bin/env python3
"""listing.py ROOT [--nlink] [--hash] [--xattrs] — one line per entry below
ROOT (ROOT itself excluded), sorted bytewise by path, in the format of
`de ls -R -l` (with --nlink; without, the format the fixtures recorded,
which has no link count):

    MODE [NLINK ]UID GID SIZE MTIME PATH[ -> TARGET][ sha256:HEX][ xattrs:NAME=HEX,...]

MODE as ls(1) (type, rwx, s/S, t/T); SIZE is st_size, or MAJOR,MINOR for
devices; MTIME is UTC with nine fractional digits and Z; PATH (from / =
ROOT) and TARGET are escaped byte by byte as de escapes names: valid UTF-8
(RFC 3629) as is, \\ as \\\\, newline as \\n, tab as \\t, other bytes below
0x20, 0x7f and bytes of no valid UTF-8 sequence as \\xNN. --hash adds the
SHA-256 of regular files' content, --xattrs all xattrs but overlay's own
(trusted.overlay.*, user.overlay.*), sorted, values in hex.

Symlinks are never followed, and directories on another filesystem than
ROOT are listed but not entered. Used by the tests to list a kernel mount
(the oracle) and what de exported, the same way. An entry that cannot be
stat'ed (the kernel lists, then fails to find, a whiteout in a directory
only one layer has) is printed as a "?" line, and the exit status is 1."""
import errno
import hashlib
import os
import stat
import sys
import time


def valid_utf8_len(b, i):
    """Length of the valid UTF-8 multibyte sequence at b[i], or 0."""
    c = b[i]
    n = 2 if 0xc2 <= c <= 0xdf else 3 if 0xe0 <= c <= 0xef else 4 if 0xf0 <= c <= 0xf4 else 0
    if not n or i + n > len(b):
        return 0
    try:   # Python's strict decoder rejects overlongs, surrogates and > U+10FFFF
        b[i:i + n].decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return n


def esc(b):
    out, i = [], 0
    while i < len(b):
        c = b[i]
        if c == 0x5c:
            out.append("\\\\")
        elif c == 0x0a:
            out.append("\\n")
        elif c == 0x09:
            out.append("\\t")
        elif c < 0x20 or c == 0x7f:
            out.append("\\x%02x" % c)
        elif c < 0x80:
            out.append(chr(c))
        else:
            n = valid_utf8_len(b, i)
            if n:
                out.append(b[i:i + n].decode("utf-8"))
                i += n
                continue
            out.append("\\x%02x" % c)
        i += 1
    return "".join(out)


def mode_string(m):
    t = "d" if stat.S_ISDIR(m) else "l" if stat.S_ISLNK(m) else "c" if stat.S_ISCHR(m) else \
        "b" if stat.S_ISBLK(m) else "p" if stat.S_ISFIFO(m) else "s" if stat.S_ISSOCK(m) else "-"
    r = [t] + [ch if m & (0o400 >> i) else "-" for i, ch in enumerate("rwxrwxrwx")]
    if m & stat.S_ISUID:
        r[3] = "s" if m & stat.S_IXUSR else "S"
    if m & stat.S_ISGID:
        r[6] = "s" if m & stat.S_IXGRP else "S"
    if m & stat.S_ISVTX:
        r[9] = "t" if m & stat.S_IXOTH else "T"
    return "".join(r)


def mtime(ns):
    sec, frac = divmod(ns, 10**9)   # floor: 1 ns before the epoch is 1969-12-31T23:59:59.999999999Z
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)) + ".%09dZ" % frac


def content_hash(path):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOATIME)
    except PermissionError as e:   # O_NOATIME needs the owner or CAP_FOWNER
        if e.errno != errno.EPERM:
            raise
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
    for n in sorted(names, key=os.fsencode):
        if n.startswith("trusted.overlay.") or n.startswith("user.overlay."):
            continue
        try:
            v = os.getxattr(path, n, follow_symlinks=False)
        except OSError:
            continue
        pairs.append("%s=%s" % (n, v.hex()))
    return ",".join(pairs)


def main():
    args = sys.argv[1:]
    want_hash, want_x, want_n = "--hash" in args, "--xattrs" in args, "--nlink" in args
    roots = [a for a in args if a not in ("--hash", "--xattrs", "--nlink")]
    if len(roots) != 1:
        sys.exit("usage: listing.py ROOT [--nlink] [--hash] [--xattrs]")
    root = os.fsencode(roots[0]).rstrip(b"/") or b"/"
    dev = os.lstat(root).st_dev
    lines, status, stack = [], 0, [b""]
    while stack:
        rel = stack.pop()
        for name in os.listdir(root + rel if rel else root):
            r = rel + b"/" + name
            p = root + r if root != b"/" else r
            try:
                st = os.lstat(p)
            except OSError as e:
                lines.append((r, "? %s? ? ? ? %s (%s)" % ("? " if want_n else "", esc(r),
                                                          errno.errorcode.get(e.errno, e.errno))))
                print("listing.py: %s: %s" % (esc(p), e.strerror), file=sys.stderr)
                status = 1
                continue
            m = st.st_mode
            size = "%d,%d" % (os.major(st.st_rdev), os.minor(st.st_rdev)) \
                if stat.S_ISCHR(m) or stat.S_ISBLK(m) else str(st.st_size)
            line = "%s %s%d %d %s %s %s" % (mode_string(m), "%d " % st.st_nlink if want_n else "",
                                            st.st_uid, st.st_gid, size, mtime(st.st_mtime_ns), esc(r))
            if stat.S_ISLNK(m):
                line += " -> " + esc(os.readlink(p))
            if want_hash and stat.S_ISREG(m):
                line += " sha256:" + content_hash(p)
            if want_x:
                line += " xattrs:" + xattrs(p)
            lines.append((r, line))
            if stat.S_ISDIR(m) and st.st_dev == dev:
                stack.append(r)
    lines.sort()
    sys.stdout.write("".join(line + "\n" for _, line in lines))
    return status


sys.exit(main())

#!/usr/bin/env python3
"""fslisting.py ROOT [--hash] [--xattrs] — the kernel's view of a mounted
file system, one line per entry below ROOT (ROOT excluded), in the format of
`de fsls -R` (src/builtin/fsls.c), for comparing the image readers with
the kernel's loop mount of the same image:

    INO MODE NLINK UID GID SIZE|MAJ,MIN BLOCKS ATIME MTIME CTIME BTIME PATH
    [-> TARGET] [sha256:HEX] [xattrs:NAME=HEX,...]

Everything comes from statx(2) (AT_SYMLINK_NOFOLLOW; BTIME is "-" when the
kernel gives none), readlink(2), listxattr(2)/getxattr(2) — every xattr,
trusted.overlay.* included (run as root to see trusted.*) — and the
content read through the mount. Times are UTC with nine fractional digits;
names escaped as de escapes them (tests/e2e/listing.py). Lines are printed
unsorted: the test sorts both sides. Directories on another file system
are listed but not entered."""
import ctypes
import errno
import hashlib
import os
import stat
import sys
import time

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
AT_SYMLINK_NOFOLLOW = 0x100
STATX_ALL = 0xfff
STATX_BTIME = 0x800


class Ts(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_int64), ("nsec", ctypes.c_uint32), ("res", ctypes.c_int32)]


class Statx(ctypes.Structure):
    _fields_ = [("mask", ctypes.c_uint32), ("blksize", ctypes.c_uint32),
                ("attributes", ctypes.c_uint64), ("nlink", ctypes.c_uint32),
                ("uid", ctypes.c_uint32), ("gid", ctypes.c_uint32), ("mode", ctypes.c_uint16),
                ("spare0", ctypes.c_uint16), ("ino", ctypes.c_uint64), ("size", ctypes.c_uint64),
                ("blocks", ctypes.c_uint64), ("attributes_mask", ctypes.c_uint64),
                ("atime", Ts), ("btime", Ts), ("ctime", Ts), ("mtime", Ts),
                ("rdev_major", ctypes.c_uint32), ("rdev_minor", ctypes.c_uint32),
                ("dev_major", ctypes.c_uint32), ("dev_minor", ctypes.c_uint32),
                ("spare", ctypes.c_uint64 * 14)]


def statx(path):
    st = Statx()
    if libc.statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_ALL, ctypes.byref(st)) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e), path)
    return st


def valid_utf8_len(b, i):
    c = b[i]
    n = 2 if 0xc2 <= c <= 0xdf else 3 if 0xe0 <= c <= 0xef else 4 if 0xf0 <= c <= 0xf4 else 0
    if not n or i + n > len(b):
        return 0
    try:
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


def ts(t):
    return time.strftime(" %Y-%m-%dT%H:%M:%S", time.gmtime(t.sec)) + ".%09dZ" % t.nsec


def content_hash(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def xattrs(path):
    names = os.listxattr(path, follow_symlinks=False)
    pairs = ["%s=%s" % (n, os.getxattr(path, n, follow_symlinks=False).hex()) for n in names]
    return ",".join(sorted(pairs, key=os.fsencode))


def main():
    args = sys.argv[1:]
    want_hash, want_x = "--hash" in args, "--xattrs" in args
    roots = [a for a in args if not a.startswith("--")]
    if len(roots) != 1:
        sys.exit("usage: fslisting.py ROOT [--hash] [--xattrs]")
    root = os.fsencode(roots[0]).rstrip(b"/") or b"/"
    dev = os.lstat(root).st_dev
    stack, out = [b""], sys.stdout
    while stack:
        rel = stack.pop()
        for name in os.listdir(root + rel if rel else root):
            r = rel + b"/" + name
            p = root + r
            st = statx(p)
            m = st.mode
            size = "%d,%d" % (st.rdev_major, st.rdev_minor) if stat.S_ISCHR(m) or stat.S_ISBLK(m) \
                else str(st.size)
            line = "%d %s %d %d %d %s %d" % (st.ino, mode_string(m), st.nlink, st.uid, st.gid, size,
                                            st.blocks)
            line += ts(st.atime) + ts(st.mtime) + ts(st.ctime)
            line += ts(st.btime) if st.mask & STATX_BTIME else " -"
            line += " " + esc(r)
            if stat.S_ISLNK(m):
                line += " -> " + esc(os.readlink(p))
            if want_hash and stat.S_ISREG(m):
                line += " sha256:" + content_hash(p)
            if want_x:
                line += " xattrs:" + xattrs(p)
            out.write(line + "\n")
            if stat.S_ISDIR(m) and os.lstat(p).st_dev == dev:
                stack.append(r)
    return 0


sys.exit(main())

#!/usr/bin/env python3
"""evidence-snapshot.py ROOT — prints one line per inode under ROOT: path,
type and mode, owner, size, mtime, ctime, atime, xattrs, and a regular
file's SHA-256.  The snapshot itself must not change what it records, so it
reads like de: every file and directory is opened with O_NOATIME (we are
root or the owner, so the kernel honours it), and a symlink's target is not
read (readlink(2) always updates a symlink's atime; its size and ctime are
recorded instead).  The atime column is last so that callers can compare
with or without it."""
import hashlib, os, stat, sys

NOATIME = getattr(os, "O_NOATIME", 0)


def xattrs(path):
    try:
        names = sorted(os.listxattr(path, follow_symlinks=False))
    except OSError:
        return ""
    out = []
    for n in names:
        try:
            out.append("%s=%s" % (n, os.getxattr(path, n, follow_symlinks=False).hex()))
        except OSError as e:
            out.append("%s=!%d" % (n, e.errno))
    return ",".join(out)


def sha256(path):
    fd = os.open(path, os.O_RDONLY | NOATIME | os.O_NOFOLLOW)
    h = hashlib.sha256()
    try:
        while True:
            b = os.read(fd, 1 << 20)
            if not b:
                break
            h.update(b)
    finally:
        os.close(fd)
    return h.hexdigest()


def walk(root, rel, out):
    path = os.path.join(root, rel) if rel else root
    st = os.lstat(path)
    digest = ""
    if stat.S_ISREG(st.st_mode):
        digest = sha256(path)
    out.append("%s\t%o\t%d:%d\t%d\t%d\t%d\t%s\t%s\t%d" % (
        rel or ".", st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime_ns,
        st.st_ctime_ns, xattrs(path), digest, st.st_atime_ns))
    if stat.S_ISDIR(st.st_mode):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | NOATIME)
        try:
            names = sorted(e.name for e in os.scandir(fd))
        finally:
            os.close(fd)
        for n in names:
            walk(root, os.path.join(rel, n) if rel else n, out)


sys.setrecursionlimit(100000)
lines = []
walk(sys.argv[1], "", lines)
sys.stdout.write("\n".join(lines) + "\n")

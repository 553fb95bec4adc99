#!/usr/bin/env python3
"""xfsdb-listing.py IMAGE SRC — for an XFS image that the kernel here cannot
mount (v4: CONFIG_XFS_SUPPORT_V4 off), made by `mkfs.xfs -p PROTO` from the
tree SRC (proto-from-tree mode of this script, below): a listing made by
other readers than de, one line per entry, sorted by path:

    INO MODE NLINK UID GID SIZE|MAJ,MIN PATH[ -> TARGET][ sha256:HEX]

(the fields of `de fsls -R --hash` without blocks and times: mkfs.xfs -p
sets no times; names must be plain: no escaping is done here)

Names and inode numbers come from xfs_db's `ls` of every directory, the
inode fields from xfs_db's `print` of each inode core (both xfsprogs, the
format's own tools), the content's hash and the symlink targets from SRC
(the bytes mkfs.xfs was given), devices' numbers from SRC's lstat.

xfsdb-listing.py --proto SRC PROTO writes the prototype file for SRC
(mkfs.xfs(8), "-p"): every directory, file, symlink, device and fifo
with its mode, owner and, for devices, numbers."""
import hashlib
import os
import re
import stat
import subprocess
import sys


def proto(src, out):
    lines = ["boot", "0 0"]

    def mode(st):
        m = st.st_mode
        t = "d" if stat.S_ISDIR(m) else "l" if stat.S_ISLNK(m) else "c" if stat.S_ISCHR(m) else \
            "b" if stat.S_ISBLK(m) else "p" if stat.S_ISFIFO(m) else "-"
        return "%s%s%s%03o %d %d" % (t, "u" if m & stat.S_ISUID else "-",
                                     "g" if m & stat.S_ISGID else "-", m & 0o777, st.st_uid, st.st_gid)

    def walk(d, depth):
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            st = os.lstat(p)
            ind = " " * depth
            if stat.S_ISDIR(st.st_mode):
                lines.append("%s%s %s" % (ind, name, mode(st)))
                walk(p, depth + 1)
                lines.append("%s$" % ind)
            elif stat.S_ISLNK(st.st_mode):
                lines.append("%s%s %s %s" % (ind, name, mode(st), os.readlink(p)))
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                lines.append("%s%s %s %d %d" % (ind, name, mode(st), os.major(st.st_rdev),
                                                os.minor(st.st_rdev)))
            elif stat.S_ISFIFO(st.st_mode):
                lines.append("%s%s %s" % (ind, name, mode(st)))
            else:
                lines.append("%s%s %s %s" % (ind, name, mode(st), p))

    lines.append(mode(os.lstat(src)))
    walk(src, 1)
    lines.append("$")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


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


def xfs_db(img, cmds):
    args = ["xfs_db", "-r"]
    for c in cmds:
        args += ["-c", c]
    args.append(img)
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def main():
    if sys.argv[1] == "--proto":
        proto(sys.argv[2], sys.argv[3])
        return 0
    img, src = sys.argv[1], sys.argv[2]
    entries = []          # (path, ino)
    dirs = ["/"]
    while dirs:
        d = dirs.pop()
        out = xfs_db(img, ["path " + d, "ls"])
        for line in out.splitlines():
            m = re.match(r"\s*\d+\s+(\d+)\s+(\S+)\s+0x[0-9a-f]+\s+\d+\s+(.*) \(good\)$", line)
            if not m or m.group(3) in (".", ".."):
                continue
            ino, name = int(m.group(1)), m.group(3)
            path = (d.rstrip("/") + "/" + name)
            entries.append((path, ino))
            if stat.S_ISDIR(os.lstat(src + path).st_mode):
                dirs.append(path)
    inos = sorted({i for _, i in entries})
    cmds = []
    for i in inos:
        cmds += ["inode %d" % i, "print core.mode core.uid core.gid core.size core.nlinkv2"]
    core, cur = {}, None
    fields = {}
    out = xfs_db(img, cmds).splitlines()
    k = 0
    for line in out:
        m = re.match(r"core\.(\w+) = (\S+)", line)
        if not m:
            continue
        fields[m.group(1)] = m.group(2)
        if len(fields) == 5:
            core[inos[k]] = fields
            fields, k = {}, k + 1
    rows = []
    for path, ino in entries:
        c = core[ino]
        mode = int(c["mode"], 8)
        st = os.lstat(src + path)
        size = "%d,%d" % (os.major(st.st_rdev), os.minor(st.st_rdev)) \
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else c["size"]
        line = "%d %s %s %s %s %s %s" % (ino, mode_string(mode), c["nlinkv2"], c["uid"], c["gid"],
                                         size, path)
        if stat.S_ISLNK(mode):
            line += " -> " + os.readlink(src + path)
        if stat.S_ISREG(mode):
            with open(src + path, "rb") as f:
                line += " sha256:" + hashlib.sha256(f.read()).hexdigest()
        rows.append((path, line))
    for _, line in sorted(rows):
        print(line)
    return 0


sys.exit(main())

#!/usr/bin/env python3
"""make-hashset.py OUT FILES MIB — a Docker overlay2 data root for the
hashing benchmarks: one container over one image layer, the image holding
FILES files of MIB MiB each, the container's own layer rewriting every one
of them (so `diff --hash` hashes both sides of each change, and `timeline
--hash` every file of both layers). Prints the container's ID."""
import os, sys

out, nfiles, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
root = os.path.join(out, "var/lib/docker")
ids = ["%064x" % (0xfa000 + i) for i in range(2)]          # 0 = top
shorts = ["H%025d" % i for i in range(2)]
os.makedirs(os.path.join(root, "overlay2/l"), exist_ok=True)
block = os.urandom(1 << 20)
for i, lid in enumerate(ids):
    d = os.path.join(root, "overlay2", lid)
    os.makedirs(os.path.join(d, "diff/data"), exist_ok=True)
    os.makedirs(os.path.join(d, "work"), exist_ok=True)
    open(os.path.join(d, "link"), "w").write(shorts[i])
    os.symlink("../%s/diff" % lid, os.path.join(root, "overlay2/l", shorts[i]))
    if i == 0:
        open(os.path.join(d, "lower"), "w").write("l/" + shorts[1])
    for f in range(nfiles):
        with open(os.path.join(d, "diff/data/f%05d" % f), "wb") as fh:
            fh.write(b"%d %d " % (i, f))   # every file's content its own
            for _ in range(mib):
                fh.write(block)
cid = "%064x" % 0xfa5e
os.makedirs(os.path.join(root, "containers", cid), exist_ok=True)
with open(os.path.join(root, "containers", cid, "config.v2.json"), "w") as fh:
    fh.write('{"ID":"%s","Name":"/hashes","Driver":"overlay2","Image":"sha256:%s",'
             '"Config":{"Image":"bench"},"State":{"Running":false,"StartedAt":'
             '"2020-01-01T00:00:00Z"},"MountPoints":{}}' % (cid, "0" * 64))
m = os.path.join(root, "image/overlay2/layerdb/mounts", cid)
os.makedirs(m, exist_ok=True)
open(os.path.join(m, "mount-id"), "w").write(ids[0])
print(cid)

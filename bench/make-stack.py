#!/usr/bin/env python3
"""make-stack.py OUT LAYERS FILES_PER_LAYER — a Docker overlay2 data root
for benchmarks: one container over LAYERS layers, each with FILES_PER_LAYER
files in directories of 100, every tenth layer deleting a few hundred files
of the layers below (0/0 whiteouts, so root is needed) and making one
directory opaque. Prints the kernel's lowerdir for the container."""
import os, stat, sys

out, nlayers, nfiles = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
root = os.path.join(out, "var/lib/docker")
ids = ["%064x" % (0xbe000 + i) for i in range(nlayers)]          # 0 = top
shorts = ["B%025d" % i for i in range(nlayers)]
os.makedirs(os.path.join(root, "overlay2/l"), exist_ok=True)
for i, lid in enumerate(ids):
    d = os.path.join(root, "overlay2", lid)
    os.makedirs(os.path.join(d, "diff"), exist_ok=True)
    os.makedirs(os.path.join(d, "work"), exist_ok=True)
    open(os.path.join(d, "link"), "w").write(shorts[i])
    link = os.path.join(root, "overlay2/l", shorts[i])
    if not os.path.lexists(link):
        os.symlink("../%s/diff" % lid, link)
    if i + 1 < nlayers:
        open(os.path.join(d, "lower"), "w").write(":".join("l/" + s for s in shorts[i + 1:]))
    diff = os.path.join(d, "diff")
    payload = ("layer %d\n" % i).encode() * 8
    for f in range(nfiles):
        sub = os.path.join(diff, "d%03d" % (f // 100))
        if f % 100 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "l%02d-f%05d" % (i, f)), "wb") as fh:
            fh.write(payload)
    if i % 10 == 0 and i + 1 < nlayers:
        # whiteouts for files of the layer below, and one opaque directory
        for f in range(100, nfiles, 50):   # d000 is made opaque below: no whiteouts there
            sub = os.path.join(diff, "d%03d" % (f // 100))
            os.makedirs(sub, exist_ok=True)
            os.mknod(os.path.join(sub, "l%02d-f%05d" % (i + 1, f)), stat.S_IFCHR, os.makedev(0, 0))
        opq = os.path.join(diff, "d000")
        os.makedirs(opq, exist_ok=True)
        os.setxattr(opq, "trusted.overlay.opaque", b"y")
cid = "%064x" % 0xc0c0
os.makedirs(os.path.join(root, "containers", cid), exist_ok=True)
with open(os.path.join(root, "containers", cid, "config.v2.json"), "w") as fh:
    fh.write('{"ID":"%s","Name":"/bench","Driver":"overlay2","Image":"sha256:%s",'
             '"Config":{"Image":"bench"},"State":{"Running":false,"StartedAt":'
             '"2020-01-01T00:00:00Z"},"MountPoints":{}}' % (cid, "0" * 64))
m = os.path.join(root, "image/overlay2/layerdb/mounts", cid)
os.makedirs(m, exist_ok=True)
open(os.path.join(m, "mount-id"), "w").write(ids[0])
print(":".join([os.path.join(root, "overlay2", ids[0], "diff")] +
               [os.path.join(root, "overlay2/l", s) for s in shorts[1:]]))

#!/usr/bin/env python3
"""make-host.py OUT CONTAINERS FILES [LAYERS] — a Docker overlay2 host for the
timeline benchmark: one image of FILES files in LAYERS layers (3), and CONTAINERS containers
made from it, each with its -init layer and a few files of its own. Prints
one line per container: its ID and the kernel lowerdir of its view."""
import os, sys

out, ncont, nfiles = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
nlayers = int(sys.argv[4]) if len(sys.argv) > 4 else 3
root = os.path.join(out, "var/lib/docker")
o2 = os.path.join(root, "overlay2")
os.makedirs(os.path.join(o2, "l"), exist_ok=True)

def layer(lid, short, lower_shorts):
    d = os.path.join(o2, lid)
    os.makedirs(os.path.join(d, "diff"), exist_ok=True)
    os.makedirs(os.path.join(d, "work"), exist_ok=True)
    open(os.path.join(d, "link"), "w").write(short)
    os.symlink("../%s/diff" % lid, os.path.join(o2, "l", short))
    if lower_shorts:
        open(os.path.join(d, "lower"), "w").write(":".join("l/" + s for s in lower_shorts))
    return os.path.join(d, "diff")

image = []   # top first
for i in range(nlayers):
    lid, short = "%064x" % (0xa000 + i), "I%025d" % i
    image.insert(0, (lid, short))
for i in range(nlayers):   # base first
    lid, short = image[nlayers - 1 - i]
    below = [s for _, s in image[nlayers - i:]]
    diff = layer(lid, short, below)
    for f in range(i, nfiles, nlayers):
        sub = os.path.join(diff, "usr/share/d%03d" % (f // 300))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "f%05d" % f), "w") as fh:
            fh.write("image file %d\n" % f)
image_shorts = [s for _, s in image]
for c in range(ncont):
    cid = "%064x" % (0xc000 + c)
    mid = "%064x" % (0xd000 + c)
    init = layer(mid + "-init", "N%025d" % c, image_shorts)
    os.makedirs(os.path.join(init, "etc"), exist_ok=True)
    open(os.path.join(init, "etc/hostname"), "w").write("")
    up = layer(mid, "U%025d" % c, ["N%025d" % c] + image_shorts)
    os.makedirs(os.path.join(up, "tmp"), exist_ok=True)
    open(os.path.join(up, "tmp/own-%d" % c), "w").write("container %d\n" % c)
    cd = os.path.join(root, "containers", cid)
    os.makedirs(cd, exist_ok=True)
    open(os.path.join(cd, "config.v2.json"), "w").write(
        '{"ID":"%s","Name":"/c%03d","Driver":"overlay2","Image":"sha256:%s","Config":{"Image":"bench"},'
        '"State":{"Running":false,"StartedAt":"2020-01-01T00:00:00Z"},"MountPoints":{}}' % (cid, c, "0" * 64))
    m = os.path.join(root, "image/overlay2/layerdb/mounts", cid)
    os.makedirs(m, exist_ok=True)
    open(os.path.join(m, "mount-id"), "w").write(mid)
    print(cid, ":".join([up, init] + [os.path.join(o2, lid, "diff") for lid, _ in image]))

#!/usr/bin/env python3
"""make-log.py DATA_ROOT MIB — a container whose json-file log is MIB MiB,
in the exact form Docker writes it (Go's encoding/json: escaped quotes,
backslashes, tabs, newlines, \\u003c for <), both streams mixed."""
import json, os, sys

root, mib = sys.argv[1], int(sys.argv[2])
cid = "%064x" % 0x10b
d = os.path.join(root, "containers", cid)
os.makedirs(d, exist_ok=True)
lines = []
for i in range(10000):
    msg = '10.0.0.%d - - [28/Nov/2026] "GET /a?b=%d HTTP/1.1" 200 <%s>\t\\ %s\n' % (
        i % 250, i, "ok", "x" * (i % 80))
    lines.append(json.dumps({"log": msg, "stream": "stdout" if i % 7 else "stderr",
                             "time": "2026-11-28T17:06:%02d.%09dZ" % (i % 60, i)},
                            separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e"))
chunk = ("\n".join(lines) + "\n").encode()
with open(os.path.join(d, cid + "-json.log"), "wb") as f:
    total = 0
    while total < mib << 20:
        f.write(chunk)
        total += len(chunk)
with open(os.path.join(d, "config.v2.json"), "w") as f:
    f.write('{"ID":"%s","Name":"/logbench","Driver":"overlay2","Image":"sha256:%s",'
            '"Config":{"Image":"x"},"State":{"Running":false,"StartedAt":'
            '"2020-01-01T00:00:00Z"}}' % (cid, "0" * 64))
with open(os.path.join(d, "hostconfig.json"), "w") as f:
    f.write('{"LogConfig":{"Type":"json-file","Config":{}}}')
m = os.path.join(root, "image/overlay2/layerdb/mounts", cid)
os.makedirs(m, exist_ok=True)
open(os.path.join(m, "mount-id"), "w").write("0" * 64)
print(os.path.join(d, cid + "-json.log"))

#!/usr/bin/env python3
"""crilog.py [--stream S] [--span] FILE... — the messages of CRI log files
(as the CRI runtime wrote them: one record a line, "TIME STREAM P|F
MESSAGE"; a P record's message goes on in the stream's next record), read
oldest file first (plain or gzip), printed as `de logs -t` prints them:
the time of each message's first record with nine fractional digits, a
space, the message. --span prints only the first and the last record's
time. Used by t_k8s.sh to read the engine's own files independently of de."""
import gzip
import sys


def ns9(t):
    """2026-12-01T15:21:33.8785642Z -> 2026-12-01T15:21:33.878564200Z"""
    base, _, frac = t.rstrip("Z").partition(".")
    return "%s.%sZ" % (base, (frac + "000000000")[:9])


def records(paths):
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        for line in data.split(b"\n"):
            if not line:
                continue
            t, s, tag, msg = line.split(b" ", 3)
            yield t.decode(), s.decode(), tag.decode(), msg


def main(argv):
    stream, span = None, False
    while argv and argv[0].startswith("--"):
        if argv[0] == "--stream":
            stream = argv[1]
            argv = argv[2:]
        elif argv[0] == "--span":
            span = True
            argv = argv[1:]
    out = sys.stdout.buffer
    recs = list(records(argv))
    if span:
        out.write(("%s %s\n" % (ns9(recs[0][0]), ns9(recs[-1][0]))).encode())
        return
    pending = {}
    for t, s, tag, msg in recs:
        first, parts = pending.get(s, (t, b""))
        parts += msg
        if tag == "P":
            pending[s] = (first, parts)
            continue
        pending.pop(s, None)
        if stream is None or s == stream:
            out.write(ns9(first).encode() + b" " + parts + b"\n")


main(sys.argv[1:])

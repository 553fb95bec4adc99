#!/usr/bin/env python3
"""img2fuzz.py IMAGE OUT [--prefix HEXBYTE] [--max BYTES] — a disk image
made by the real tools, as a fuzz input of the disk-image targets
(tests/fuzz/fuzz_img.h): le32 size in 512-byte sectors, then each sector
that is not all zero as le32 number + 512 bytes, in order, until --max
(default 1000000, under libFuzzer's -max_len). --prefix writes one byte
before it (fuzz_volumes: 00 for a disk)."""
import struct
import sys


def main():
    args = sys.argv[1:]
    prefix, cap = b"", 1000000
    if "--prefix" in args:
        i = args.index("--prefix")
        prefix = bytes([int(args[i + 1], 16)])
        del args[i:i + 2]
    if "--max" in args:
        i = args.index("--max")
        cap = int(args[i + 1])
        del args[i:i + 2]
    src, dst = args
    with open(src, "rb") as f:
        data = f.read()
    out = bytearray(prefix + struct.pack("<I", len(data) // 512))
    zero = bytes(512)
    for no in range(len(data) // 512):
        sec = data[no * 512:(no + 1) * 512]
        if sec == zero:
            continue
        if len(out) + 516 > cap:
            print("img2fuzz: %s: cut at %d bytes" % (src, cap), file=sys.stderr)
            break
        out += struct.pack("<I", no) + sec
    with open(dst, "wb") as f:
        f.write(out)


main()

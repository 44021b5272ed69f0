#!/usr/bin/env python3
"""One minified line of keyword-dense text, for timing how a scan scales with a line's length.

Writes DIR/bundle.min.js: SIZE bytes with no newline, drawn by xorshift64 (13, 7, 17) from an
alphabet of letters, digits, spaces, `=`, `:`, `"`, `,` and the keyword `token` spelled in it, so
assignments, quotes and short random runs follow each other and many rules' keywords and
values hit the one line (the same text as tests/integration/bad_input.rs's long-line test,
`common::xorshift_text`, for the same seed). Every hit shares the line: what is worked out per
hit over the line's text makes the scan quadratic in it (docs/engine.md, "Stop 23").

    python3 bench/gen_long_line.py --size-mb 20 --out /tmp/longline-20
"""
import argparse
import os

ALPHABET = b'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 =:"token,'
MASK = (1 << 64) - 1


def text(n, seed):
    x = seed
    out = bytearray(n)
    k = len(ALPHABET)
    for i in range(n):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        out[i] = ALPHABET[x % k]
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=float, required=True, help="length of the line, in MB (10^6 bytes)")
    ap.add_argument("--seed", type=lambda s: int(s, 0), default=0x10E611FE)
    ap.add_argument("--out", required=True, help="directory to write bundle.min.js into")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "bundle.min.js"), "wb") as f:
        f.write(text(int(a.size_mb * 1_000_000), a.seed))


if __name__ == "__main__":
    main()

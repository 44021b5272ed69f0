#!/usr/bin/env python3
"""Generate the benchmark's pathological input: a tree of source-like files in which every line
holds several of the rule catalog's keywords and values that nearly match a rule.

A scanner built on a keyword prefilter (leakguard, gitleaks, betterleaks) is fast on ordinary text
because most lines mention no keyword and cost one automaton pass; here every line sends several
rules' regexes to work, and each value is a near miss that a regex has to read to the end to
reject: one character short, one past a word boundary, a hex run of the right length in the wrong
place, a low-entropy or placeholder value, a quote left open, a private-key header with no body.
Some lines put a long hex or base64 run within a few hundred bytes of a vendor's name, which is
what rules of the form `vendor[\\s\\S]{0,400}?value` are slowest on.

The keywords come from the rule catalog (rules/*.toml), so the input grows with the catalog.
Deterministic: the same --seed, --mb and catalog give the same bytes.

Usage: gen_pathological.py --out DIR [--mb 64] [--seed 1] [--rules DIR]
"""

import argparse
import glob
import os
import random
import string
import tomllib

HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
MB = 1 << 20


def catalog_keywords(rules_dir):
    kws = set()
    for f in sorted(glob.glob(os.path.join(rules_dir, "*.toml"))):
        with open(f, "rb") as fh:
            d = tomllib.load(fh)
        for rule in d.get("rules", []):
            for k in rule.get("keywords", []) or []:
                # Keywords that are words or name parts; skip ones made of punctuation only.
                if any(c.isalnum() for c in k) and "\n" not in k:
                    kws.add(k)
    return sorted(kws)


class Gen:
    def __init__(self, seed, keywords):
        self.r = random.Random(seed)
        self.kws = keywords or ["token", "secret", "auth", "password", "api_key"]
        self.names = ["token", "auth_token", "secret", "secret_key", "api_key", "password", "access_key",
                      "client_secret", "account_sid", "private_key", "credential", "session_secret"]

    def s(self, alphabet, n):
        return "".join(self.r.choices(alphabet, k=n))

    def kw(self):
        return self.r.choice(self.kws)

    def generic_miss(self):
        """A value after a secret-sounding name that generic rules read and reject."""
        r = self.r
        k = r.randrange(6)
        if k == 0:
            return "a" * r.randint(16, 40)            # entropy too low
        if k == 1:
            return "your-" + r.choice(self.names).replace("_", "-") + "-here"  # placeholder
        if k == 2:
            return "${" + r.choice(self.names).upper() + "}"  # a reference, not a value
        if k == 3:
            return self.s(ALNUM, r.randint(5, 11))    # too short for a generic value
        if k == 4:
            return self.kw()[:8] + "-" + self.s(string.ascii_lowercase, 3)  # a keyword inside, short
        return "<" + r.choice(self.names) + ">"

    def format_miss(self):
        """A value of nearly a vendor's format, after a neutral name."""
        r = self.r
        k = r.randrange(7)
        if k == 0:
            return self.s(HEX, 31)                    # one short of a 32-hex token
        if k == 1:
            return self.s(HEX, 32) + "g" + self.s(HEX, 3)  # the right length, no word boundary
        if k == 2:
            return self.s(B64, 39)                    # one short of a 40-char key
        if k == 3:
            return "AC" + self.s(HEX, 32) + "_" + self.s(HEX, 30)  # a SID-shaped run, then a short one
        if k == 4:
            return self.s(HEX, 64) + "z"              # a long hex run ending mid-word
        if k == 5:
            return "eyJ" + self.s(ALNUM, 20) + "." + self.s(ALNUM, 6)  # a JWT with no signature
        return self.kw() + "_" + self.s(ALNUM, 35)    # a prefix-like keyword, a value one short

    def line(self):
        r = self.r
        parts = []
        for _ in range(r.randint(2, 4)):
            q = r.choice(['"', "'", ""])
            sep = r.choice([" = ", ": ", " => ", "=", " := "])
            if r.random() < 0.5:
                name, value = f"{self.kw()}_{r.choice(self.names)}", self.generic_miss()
            else:
                name, value = f"{self.kw()}_{r.choice(['id', 'ref', 'digest', 'etag', 'hash'])}", self.format_miss()
            parts.append(f"{name}{sep}{q}{value}{q}")
        indent = " " * r.choice([0, 4, 8])
        return indent + r.choice(["", "let ", "self.", "export "]) + "; ".join(parts) + "\n"

    def file_text(self, size):
        r = self.r
        out, n = [], 0
        while n < size:
            if r.random() < 0.01:
                # A private-key header with no body or footer: multi-line rules look far ahead of it.
                ln = "-----BEGIN PRIVATE KEY----- " + self.kw() + "\n"
            else:
                ln = self.line()
            out.append(ln)
            n += len(ln)
        return "".join(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--mb", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rules", default=os.path.join(here, "..", "rules"))
    a = ap.parse_args()
    g = Gen(a.seed, catalog_keywords(a.rules))
    os.makedirs(a.out, exist_ok=True)
    total, i = a.mb * MB, 0
    exts = ["py", "js", "go", "rs", "yaml", "env", "json", "java"]
    while total > 0:
        size = min(total, g.r.randint(64 << 10, 2 * MB))
        sub = os.path.join(a.out, f"d{i % 16:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"f{i:04d}.{exts[i % len(exts)]}"), "w") as f:
            text = g.file_text(size)
            f.write(text)
        total -= len(text)
        i += 1


if __name__ == "__main__":
    main()

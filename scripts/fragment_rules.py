#!/usr/bin/env python3
"""Rewrite the built-in rules' regexes to reference the catalog's shared fragments.

rules/fragments/grammar.toml names pieces of the assignment grammar (operators, a string type's
constructor, the lead-in from a name to its value...); build.rs expands a reference `(?&name)` in a
rule's regex back to the fragment's text (src/fragments.rs). This script does the reverse, so a rule
written out in full (a new rule, a rule edited on another branch) uses the fragments:

  * each `regex = '''...'''` line of rules/*.toml is expanded, then every occurrence of a fragment's
    full text is replaced by its reference, longest fragment first (so `vendor_lead` takes the text
    that holds `assign_wide`, which holds `string_ctor`);
  * a rewrite is kept only if expanding it gives back the regex byte for byte (the same expansion
    rules as build.rs: no reference after a `\\` or inside a character class), so the rules' meaning
    never changes;
  * it is idempotent: a second run changes nothing.

It prints the number of rules using each fragment (directly, and with the fragments that nest it),
and the near misses: text in a rule's regex that is like a fragment but not it (a variant: an
operator list with one more operator, a lead-in with another quote class), to be looked at, made
the fragment if the difference is an oversight, or left as the rule's own.

Usage: scripts/fragment_rules.py [--check] [--rules DIR] [--near 0.8] [--built OUT_DIR]
  --check   change nothing; exit 1 if some regex would be rewritten (a rule written out in full)
  --near R  similarity (0..1, difflib's ratio) from which a variant is listed (default 0.8)
  --built D after a build: compare the rule files the build embedded (D/default_rules.*, D being
            target/<profile>/build/leakguard-*/out) with this script's expansion of rules/, byte
            for byte (build.rs and this script expand alike); with --expanded-from DIR, with the
            files in DIR instead (rules/ as it was before a rewrite: the rewrite changed nothing)
"""
import argparse
import difflib
import glob
import os
import re
import sys
import tomllib
import zlib

REF = re.compile(r"\(\?&([A-Za-z0-9_]+)\)")
LINE = re.compile(r"^(regex\s*=\s*''')(.*)(''')\s*$")


def expand_with(regex, lookup):
    """Mirror of src/fragments.rs's expand_with: references outside classes and escapes."""
    out = []
    i, n, depth = 0, len(regex), 0
    while i < n:
        c = regex[i]
        if c == "\\":
            out.append(regex[i : i + 2])
            i += 2
            continue
        if c == "[":
            depth += 1
            out.append(c)
            i += 1
            if i < n and regex[i] == "^":
                out.append("^")
                i += 1
            if i < n and regex[i] == "]":
                out.append("]")
                i += 1
            continue
        if c == "]" and depth > 0:
            depth -= 1
            out.append(c)
            i += 1
            continue
        if c == "(" and depth == 0 and regex.startswith("(?&", i):
            m = REF.match(regex, i)
            if not m:
                raise ValueError(f"malformed fragment reference at {i}: {regex[i:i+30]}")
            text = lookup(m.group(1))
            if text is None:
                raise ValueError(f"unknown fragment (?&{m.group(1)})")
            out.append(text)
            i = m.end()
            continue
        out.append(c)
        i += 1
    return "".join(out)


def load_fragments(path):
    with open(path, "rb") as f:
        defs = tomllib.load(f)["fragments"]
    full = {}

    def resolve(name, stack):
        if name in full:
            return full[name]
        if name in stack:
            raise ValueError("fragments refer to each other: " + " -> ".join(stack + [name]))
        if name not in defs:
            raise ValueError(f"unknown fragment (?&{name})")
        full[name] = expand_with(defs[name], lambda r: resolve(r, stack + [name]))
        return full[name]

    for name in defs:
        resolve(name, [])
    return defs, full


def refs(regex):
    names = []
    expand_with(regex, lambda n: names.append(n) or "")
    return names


def contract(regex, order, full):
    """`regex` (written out in full) with each fragment's text replaced by its reference."""
    out = regex
    for name in order:
        text = full[name]
        if text not in out:
            continue
        candidate = out.replace(text, f"(?&{name})")
        # Kept only where it expands back to the same bytes (not after `\\`, not in a class).
        if expand_with(candidate, full.get) == expand_with(out, full.get):
            out = candidate
    return out


def near_misses(written, full, threshold):
    """(fragment, variant text, ratio) for text in `written` like a fragment but not it: the
    best-aligned window around the longest run they share, one per place (the most alike
    fragment there)."""
    found = []
    for name, text in full.items():
        if len(text) < 30:
            continue  # short ones match half the catalog by accident
        sm = difflib.SequenceMatcher(None, text, written, autojunk=False)
        a, b, size = sm.find_longest_match(0, len(text), 0, len(written))
        if size < 12:
            continue
        # Roughly aligned (a variant may have gained or lost a few characters before the run
        # they share), then the best window near there.
        wide = written[max(0, b - a - 16) : b - a + len(text) + 16]
        if difflib.SequenceMatcher(None, text, wide, autojunk=False).ratio() < threshold - 0.3:
            continue  # not close even roughly: spare the search
        best = (0.0, 0, 0)
        for start in range(max(0, b - a - 16), max(0, b - a) + 17, 2):
            for k in range(max(1, len(text) - 16), len(text) + 17, 2):
                window = written[start : start + k]
                ratio = difflib.SequenceMatcher(None, text, window, autojunk=False).ratio()
                best = max(best, (ratio, start, k))
        # One character either side of the best: the step of 2 may have passed the exact fit.
        _, s0, k0 = best
        for start in range(max(0, s0 - 1), s0 + 2):
            for k in range(max(1, k0 - 1), k0 + 2):
                window = written[start : start + k]
                ratio = difflib.SequenceMatcher(None, text, window, autojunk=False).ratio()
                best = max(best, (ratio, start, k))
        ratio, start, k = best
        if ratio >= threshold:
            found.append((ratio, start, k, name))
    kept = []
    for ratio, start, k, name in sorted(found, reverse=True):
        if all(start + k <= s or s + n <= start for _, s, n, _ in kept):
            kept.append((ratio, start, k, name))
    return [(name, written[start : start + k], ratio) for ratio, start, k, name in kept]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", default=os.path.join(os.path.dirname(__file__), "..", "rules"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--near", type=float, default=0.8)
    ap.add_argument("--built")
    ap.add_argument("--expanded-from")
    args = ap.parse_args()
    defs, full = load_fragments(os.path.join(args.rules, "fragments", "grammar.toml"))
    if args.built:
        sys.exit(compare_built(args, full))
    # Longest first: a fragment that holds another takes its text before the inner one can.
    order = sorted(full, key=lambda k: (-len(full[k]), k))
    direct = {k: 0 for k in full}
    nested = {k: 0 for k in full}
    changed_rules, changed_files, skipped = 0, [], []
    near = []
    for path in sorted(glob.glob(os.path.join(args.rules, "*.toml"))):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        rule_id = None
        new_lines = []
        for line in lines:
            m_id = re.match(r"""^id\s*=\s*["'](.*)["']\s*$""", line)
            if m_id:
                rule_id = m_id.group(1)
            m = LINE.match(line)
            if line.startswith("regex") and not m:
                if any(t in line for t in full.values()):
                    skipped.append((path, rule_id))
            if not m:
                new_lines.append(line)
                continue
            written = m.group(2)
            full_text = expand_with(written, full.get)
            new = contract(full_text, order, full)
            assert expand_with(new, full.get) == full_text, (path, rule_id)
            if new != written:
                changed_rules += 1
                line = m.group(1) + new + m.group(3)
            new_lines.append(line)
            used = refs(new)
            for r in set(used):
                direct[r] += 1
            for r in set(used) | {x for u in used for x in refs_deep(u, defs)}:
                nested[r] += 1
            for name, variant, ratio in near_misses(REF.sub("", new), full, args.near):
                near.append((os.path.basename(path), rule_id, name, ratio, variant))
        text = "\n".join(new_lines)
        if text != "\n".join(lines):
            changed_files.append(path)
            if not args.check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    print(f"{'fragment':<20} {'direct':>6} {'in all':>6}  (rules referencing it; 'in all' counts nesting)")
    for k in sorted(full, key=lambda k: (-nested[k], k)):
        print(f"{k:<20} {direct[k]:>6} {nested[k]:>6}")
    verb = "would rewrite" if args.check else "rewrote"
    print(f"{verb} {changed_rules} regexes in {len(changed_files)} files")
    for path, rid in skipped:
        print(f"not a single-line '''…''' regex, left as written: {path} {rid}")
    if near:
        print(f"near misses (text like a fragment but not it, ratio >= {args.near}):")
        for f, rid, name, ratio, variant in sorted(near):
            print(f"  {f} {rid}: like {name} ({ratio:.2f}): {variant}")
    if args.check and changed_rules:
        sys.exit(1)


def compare_built(args, full):
    """0 if every embedded rule file is what it should be, else 1 (listing the files that differ)."""
    differ, n = [], 0
    # build.rs writes the files one after another, deflated as one stream after their length
    # (default_rules.deflate), and each file's name and length (default_rules.rs).
    with open(os.path.join(args.built, "default_rules.deflate"), "rb") as f:
        text = zlib.decompress(f.read()[4:], -15)
    embedded, at = {}, 0
    with open(os.path.join(args.built, "default_rules.rs"), encoding="utf-8") as f:
        for m in re.finditer(r'\("([^"]+)", (\d+)\)', f.read()):
            embedded[m.group(1)] = text[at:at + int(m.group(2))].decode("utf-8")
            at += int(m.group(2))
    for path in sorted(glob.glob(os.path.join(args.rules, "*.toml"))):
        name = os.path.basename(path)
        built = embedded[name]
        if args.expanded_from:
            with open(os.path.join(args.expanded_from, name), encoding="utf-8") as f:
                want = f.read()
        else:
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            for i, line in enumerate(lines):
                m = LINE.match(line)
                if m:
                    lines[i] = m.group(1) + expand_with(m.group(2), full.get) + m.group(3)
            want = "\n".join(lines)
        n += 1
        if built != want:
            differ.append(name)
    print(f"{n} embedded rule files compared, {len(differ)} differ: {' '.join(differ)}")
    return 1 if differ or n == 0 else 0


def refs_deep(name, defs):
    out = set()
    for r in refs(defs[name]):
        out.add(r)
        out |= refs_deep(r, defs)
    return out


if __name__ == "__main__":
    main()

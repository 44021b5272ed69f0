#!/usr/bin/env python3
"""Write a `git fast-import` stream of a synthetic repository history.

Used by run.sh when neither $BENCH_HISTORY_REPO nor a tokio mirror is
available (or when BENCH_HISTORY_SYNTH=1). Deterministic for a given --seed:

  * --commits commits (default 3000) on `main`, with feature branches forked
    every few dozen commits, a handful of commits each, merged back with
    merge commits (a few are left unmerged as live branches), and tags;
  * ~250 source files edited over time (lines replaced, appended, removed),
    files added and deleted;
  * FAKE secrets of real formats added in one commit and removed a few
    commits later (so they live only in history), listed in --manifest.

Usage: gen_history.py [--commits 3000] [--seed 7] [--manifest FILE] | git fast-import
"""

import argparse
import json
import random
import string
import sys

ALNUM = string.ascii_letters + string.digits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--manifest", default=None)
    args = ap.parse_args()
    r = random.Random(args.seed)
    out = sys.stdout.buffer

    syll = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    words = sorted({"".join(r.choices(syll, k=r.randint(1, 3))) for _ in range(3000)})

    def line():
        k = r.randrange(6)
        a, b = r.choice(words), r.choice(words)
        if k == 0:
            return f"def {a}_{b}(x, y=None):"
        if k == 1:
            return f"    {a} = {b}(x, {r.randint(0, 999)})"
        if k == 2:
            return f"    # {' '.join(r.choices(words, k=r.randint(4, 12)))}"
        if k == 3:
            return f"    return {a}.{b}({r.choice(words)!r})"
        if k == 4:
            return f"    if {a} > {r.randint(0, 99)}: logger.info('{b} %s', {a})"
        return f"{a.upper()}_{b.upper()} = {r.randint(0, 1 << 20)}"

    def new_file():
        return ["import logging", "logger = logging.getLogger(__name__)", ""] + [line() for _ in range(r.randint(40, 200))]

    secret_kinds = [
        ("github-pat", lambda: "ghp_" + "".join(r.choices(ALNUM, k=36)), 'GITHUB_TOKEN = "{}"'),
        ("aws-access-key-id", lambda: "AKIA" + "".join(r.choices(string.ascii_uppercase + "234567", k=16)), 'AWS_ACCESS_KEY_ID = "{}"'),
        ("slack-bot-token", lambda: f"xoxb-{r.randint(10**10, 10**12)}-{r.randint(10**11, 10**13)}-" + "".join(r.choices(ALNUM, k=24)), 'SLACK_TOKEN = "{}"'),
        ("stripe-live-secret-key", lambda: "sk_live_" + "".join(r.choices(ALNUM, k=24)), 'STRIPE_KEY = "{}"'),
        ("postgres-url", lambda: "postgres://app:" + "".join(r.choices(ALNUM, k=18)) + "@db.internal:5432/app", 'DATABASE_URL = "{}"'),
    ]

    dirs = ["src", "src/" + words[1], "src/" + words[2], "lib", "tests", "tools"]
    state = {}  # main's files: path -> list of lines
    for i in range(250):
        state[f"{r.choice(dirs)}/{r.choice(words)}_{i}.py"] = new_file()

    mark = 0
    ts = 1_500_000_000
    planted = []
    pending_removals = []  # (commit index when to remove, path, line text)

    def next_mark():
        nonlocal mark
        mark += 1
        return mark

    def emit_commit(ref, parent, merge_parent, changes, msg):
        nonlocal ts
        ts += r.randint(60, 36000)
        m = next_mark()
        who = r.choice(["Ada Lovelace <ada@example.invalid>", "Alan Turing <alan@example.invalid>",
                        "Grace Hopper <grace@example.invalid>", "Ken Thompson <ken@example.invalid>"])
        buf = [f"commit {ref}\nmark :{m}\nauthor {who} {ts} +0000\ncommitter {who} {ts} +0000\n".encode()]
        mb = msg.encode()
        buf.append(b"data %d\n%s\n" % (len(mb), mb))
        if parent:
            buf.append(b"from :%d\n" % parent)
        if merge_parent:
            buf.append(b"merge :%d\n" % merge_parent)
        for path, lines in changes:
            if lines is None:
                buf.append(f"D {path}\n".encode())
            else:
                data = ("\n".join(lines) + "\n").encode()
                buf.append(f"M 100644 inline {path}\n".encode())
                buf.append(b"data %d\n%s\n" % (len(data), data))
        out.write(b"".join(buf))
        return m

    def edit(files, n_files, idx, allow_plant):
        """Mutate a few files of `files`; return the change list."""
        changes = []
        for _ in range(n_files):
            k = r.random()
            if k < 0.03:
                path = f"{r.choice(dirs)}/{r.choice(words)}_{idx}.py"
                files[path] = new_file()
            elif k < 0.05 and len(files) > 100:
                path = r.choice(sorted(files))
                del files[path]
                changes.append((path, None))
                continue
            else:
                path = r.choice(sorted(files))
                lines = list(files[path])
                for _ in range(r.randint(1, 6)):
                    op = r.random()
                    pos = r.randrange(len(lines) + 1)
                    if op < 0.5:
                        lines.insert(pos, line())
                    elif op < 0.8 and len(lines) > 10:
                        lines[min(pos, len(lines) - 1)] = line()
                    elif len(lines) > 10:
                        del lines[min(pos, len(lines) - 1)]
                files[path] = lines
            changes.append((path, files[path]))
        if allow_plant and r.random() < 0.02:
            kind, make, tmpl = r.choice(secret_kinds)
            val = make()
            path = r.choice(sorted(files))
            text = tmpl.format(val)
            lines = list(files[path])
            lines.insert(r.randrange(3, len(lines)), text)
            files[path] = lines
            changes.append((path, lines))
            planted.append({"kind": kind, "secret": val, "path": path, "commit_index": idx})
            pending_removals.append((idx + r.randint(1, 40), path, text))
        return changes

    main_head = None
    branches = []  # open feature branches: dict(name, head, files, changed)
    i = 0
    n_merged = 0
    while i < args.commits:
        # fork a feature branch now and then
        if main_head and r.random() < 0.04 and len(branches) < 6:
            name = f"feature/{r.choice(words)}-{i}"
            branches.append({"name": name, "head": main_head, "files": {p: list(l) for p, l in state.items()}, "changed": set()})
        # work on a feature branch, or on main
        if branches and r.random() < 0.3:
            b = r.choice(branches)
            ch = edit(b["files"], r.randint(1, 3), i, allow_plant=False)
            b["changed"].update(p for p, _ in ch)
            b["head"] = emit_commit(f"refs/heads/{b['name']}", b["head"], None, ch, f"{b['name']}: {r.choice(words)} {r.choice(words)}")
            i += 1
            # merge back after a while (keep some branches unmerged forever)
            if r.random() < 0.15 and n_merged % 7 != 6:
                ch = []
                for p in sorted(b["changed"]):
                    v = b["files"].get(p)
                    if v is None:
                        if p in state:
                            del state[p]
                            ch.append((p, None))
                    else:
                        state[p] = list(v)
                        ch.append((p, v))
                main_head = emit_commit("refs/heads/main", main_head, b["head"], ch, f"Merge branch '{b['name']}'")
                branches.remove(b)
                i += 1
            if r.random() < 0.15:
                n_merged += 1
            continue
        ch = edit(state, r.randint(1, 5), i, allow_plant=True)
        # remove secrets whose time has come
        for due in [x for x in pending_removals if x[0] <= i]:
            pending_removals.remove(due)
            _, path, text = due
            if path in state and text in state[path]:
                state[path] = [l for l in state[path] if l != text]
                ch.append((path, state[path]))
        if main_head is None:
            ch = [(p, l) for p, l in sorted(state.items())]
        main_head = emit_commit("refs/heads/main", main_head, None, ch, f"{r.choice(words)}: {' '.join(r.choices(words, k=r.randint(2, 8)))}")
        i += 1
        if i % 250 == 0:
            out.write(f"reset refs/tags/v0.{i // 250}.0\nfrom :{main_head}\n\n".encode())
    out.write(b"done\n")
    out.flush()
    if args.manifest:
        with open(args.manifest, "w") as f:
            json.dump({"generator": "bench/gen_history.py", "seed": args.seed, "commits": args.commits,
                       "planted_count": len(planted), "planted": planted}, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Measurement, parsing and reporting half of bench/run.sh (run.sh sets everything up).

  bench.py measure   read $BENCH_DATA/commands.tsv (written by run.sh), time every command,
                     write $BENCH_DATA/results.json
  bench.py report    print the markdown table from results.json, write $BENCH_DATA/results.md
  bench.py fastest-peer ROW
                     the fastest peer of ROW in results.json (for bench/run.sh quick)
($BENCH_RESULTS names the results files instead of "results": quick runs write quick-results.*)
  bench.py quality --labels FILE --root DIR
                     run each tree command once over DIR and score it against the labels

For each command: one probe run under GNU time (peak RSS, exit code, the tool's report, which is
parsed to count findings), bounded by BENCH_TIMEOUT and ulimits; then hyperfine --warmup 1
--runs BENCH_RUNS -i (fewer runs, or the probe alone, when a tool is too slow for BENCH_BUDGET).
The rows of one repository alone (real:NAME), whose figure is MB/s of CPU, then take their CPU
time as the median of many runs, each timed exactly (`cpu_samples`).
"""

import json
import os
import platform
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

DATA = os.environ.get("BENCH_DATA", "/work/bench-data")
ENV = os.environ.get
MB = 1 << 20
RESULTS = ENV("BENCH_RESULTS", "results")

# Exit codes that mean "ran to the end" (0 clean, 1 findings; kingfisher: 200/205 findings;
# detect-secrets-hook and git-secrets: 1 findings; trufflehog3: 2 findings).
OK_CODES = {"kingfisher": {0, 200, 205}, "trufflehog3": {0, 1, 2}}
DEFAULT_OK = {0, 1}


# ------------------------------------------------------------------------------------ parsing
def _rel(path, roots):
    path = str(path)
    for r in roots:
        if r and path.startswith(r.rstrip("/") + "/"):
            path = path[len(r.rstrip("/")) + 1:]
            break
    while path.startswith("./"):
        path = path[2:]
    return path


def _int(x):
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


def parse_findings(tool, row, text):
    """-> list of {path, line, secret, rule, commit}. Raises ValueError if unparseable."""
    F = []

    def add(path, line, secret=None, rule=None, commit=None):
        F.append({"path": path, "line": _int(line), "secret": secret, "rule": rule, "commit": commit})

    if tool == "leakguard":
        d = json.loads(text)
        for f in d["findings"]:
            add(f.get("path"), f.get("line"), f.get("secret"), f.get("rule_id"), f.get("commit"))
    elif tool == "gitleaks":
        d = json.loads(text) if text.strip() else []
        for f in d:
            add(f.get("File"), f.get("StartLine"), f.get("Secret"), f.get("RuleID"), f.get("Commit") or None)
    elif tool == "betterleaks":
        d = json.loads(text)
        for f in d.get("findings") or []:
            loc = f.get("location") or {}
            attrs = f.get("attributes") or {}
            add(loc.get("path"), loc.get("start_line"), (f.get("match") or {}).get("value"), f.get("rule_id"),
                attrs.get("git.sha") or None)
    elif tool == "kingfisher":
        d = json.loads(text)
        for f in d.get("findings") or []:
            fi = f.get("finding") or {}
            commit = (((fi.get("git_metadata") or {}).get("commit")) or {}).get("id")
            add(fi.get("path"), fi.get("line"), fi.get("snippet"), (f.get("rule") or {}).get("id"), commit)
    elif tool == "detect-secrets":
        if row == "staged" or not text.lstrip().startswith("{"):
            # detect-secrets-hook: text blocks with "Location:    path:line"
            for m in re.finditer(r"^Location:\s+(.+):(\d+)\s*$", text, re.M):
                add(m.group(1), m.group(2))
        else:
            d = json.loads(text)
            for path, items in (d.get("results") or {}).items():
                for f in items:
                    add(path, f.get("line_number"), None, f.get("type"))
    elif tool == "trufflehog3":
        d = json.loads(text) if text.strip() else []
        for f in d:
            add(f.get("path"), f.get("line"), f.get("secret"), (f.get("rule") or {}).get("id"), f.get("commit"))
    elif tool in ("ripsecrets", "ripgrep"):
        for ln in text.splitlines():
            m = re.match(r"^(.+?):(\d+):(.*)$", ln)
            if m:
                add(m.group(1), m.group(2), m.group(3))
    elif tool == "git-secrets":
        for ln in text.splitlines():
            m = re.match(r"^([0-9a-f]{40}):(.+?):(\d+):(.*)$", ln) if row == "history" else None
            if m:
                add(m.group(2), m.group(3), m.group(4), None, m.group(1))
                continue
            m = re.match(r"^(.+?):(\d+):(.*)$", ln)
            if m and not ln.startswith(("fatal:", "warning:", "error:")):
                add(m.group(1), m.group(2), m.group(3))
    else:
        raise ValueError(f"no parser for {tool}")
    return F


def load_planted(path):
    if not path or not os.path.isfile(path):
        return None
    with open(path) as f:
        d = json.load(f)
    if isinstance(d, dict):
        for k in ("planted", "labels", "secrets", "findings"):
            if isinstance(d.get(k), list):
                return d[k]
        for v in d.values():
            if isinstance(v, list):
                return v
        return []
    return d


def score(findings, planted, by="location"):
    """-> (planted found, planted total, distinct finding locations, of which not planted)."""
    locs = {(f["path"], f["line"]) for f in findings}
    if planted is None:
        return None, None, len(locs), None
    if by == "secret":
        secrets = [f["secret"] for f in findings if f.get("secret")]
        if not secrets:
            return None, len(planted), len(locs), None
        found = sum(1 for p in planted if any(p["secret"] in s or s in p["secret"] for s in secrets if len(s) >= 8))
        return found, len(planted), len(locs), None
    want = {(p["path"], int(p["line"])) for p in planted}
    found = len(want & locs)
    return found, len(want), len(locs), len(locs - want)


# ------------------------------------------------------------------------------------ running
def limits():
    mem = int(ENV("BENCH_MEM_LIMIT_MB", "8192")) * MB
    fsz = int(ENV("BENCH_MAX_OUTPUT_MB", "2048")) * MB

    def pre():
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsz, fsz))
    return pre


def probe(cmd, timeout):
    """One run under GNU time and timeout: -> (rc, wall_s, maxrss_kb, stderr_tail, cpu_s)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tpath = tf.name
    full = ["/usr/bin/time", "-f", "%e %M %U %S", "-o", tpath, "timeout", "-k", "10", str(timeout), "bash", "-c", cmd]
    t0 = time.time()
    p = subprocess.run(full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       preexec_fn=limits())
    wall = time.time() - t0
    rss = cpu = None
    try:
        lines = [l for l in open(tpath).read().splitlines() if l.strip()]
        m = re.match(r"^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$", lines[-1]) if lines else None
        if m:
            wall, rss = float(m.group(1)), int(m.group(2))
            cpu = float(m.group(3)) + float(m.group(4))
    finally:
        os.unlink(tpath)
    err = p.stderr.decode(errors="replace").strip().splitlines()
    return p.returncode, wall, rss, " | ".join(err[-3:])[:300], cpu


def cpu_samples(cmd, probe_cpu, runs, timeout):
    """CPU seconds (user + system) of each of several runs of `cmd`, as `bash -c` runs it (what
    hyperfine times): for the rows whose figure is MB/s of CPU (real:NAME). Each run's time is
    the growth of this process's RUSAGE_CHILDREN across it: the kernel's exact figure (its sum
    is kept in nanoseconds), not GNU time's or hyperfine's 10 ms steps, which were ±12% of one
    0.08 s run. Small inputs get more runs, so that their median is as steady as a large one's:
    enough for BENCH_CPU_SECONDS of CPU, at least BENCH_RUNS, at most BENCH_CPU_RUNS_MAX."""
    want = float(ENV("BENCH_CPU_SECONDS", "5"))
    most = int(ENV("BENCH_CPU_RUNS_MAX", "41"))
    n = max(runs, min(most, int(want / max(probe_cpu or 0, 1e-3)) + 1))
    def once(c):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        # `bash -c`, as hyperfine -S bash runs it (no `timeout` process: its CPU would count).
        subprocess.run(["bash", "-c", c], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, preexec_fn=limits(), timeout=timeout)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    # The shell's own start-up (~1.3 ms of CPU here, 1.5% of a 0.09 s scan) is not the tool's:
    # hyperfine subtracts it too. Its median over 21 runs of `bash -c true` comes off each run.
    shell = statistics.median(once("true") for _ in range(21))
    return [max(once(cmd) - shell, 0.0) for _ in range(n)]


def hyperfine(name, cmd, runs, warmup, jpath):
    args = ["hyperfine", "--warmup", str(warmup), "--runs", str(runs), "-i", "-S", "bash",
            "--style", "none", "--export-json", jpath, "--command-name", name, "--", cmd]
    p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       preexec_fn=limits())
    if p.returncode != 0 or not os.path.isfile(jpath):
        raise RuntimeError("hyperfine failed: " + p.stderr.decode(errors="replace")[-300:])
    with open(jpath) as f:
        r = json.load(f)["results"][0]
    return r


def read_commands():
    rows = []
    with open(os.path.join(DATA, "commands.tsv")) as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if not ln:
                continue
            row, tool, kind, out, command = ln.split("\t", 4)
            rows.append({"row": row, "tool": tool, "kind": kind, "output": None if out == "-" else out,
                         "command": command})
    return rows


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=120).stdout.strip()
    except Exception:
        return ""


def loadavg():
    try:
        return float(open("/proc/loadavg").read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def machine():
    cpu = ""
    try:
        for ln in open("/proc/cpuinfo"):
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for ln in open("/proc/meminfo"):
            if ln.startswith("MemTotal"):
                mem = f"{int(ln.split()[1]) / MB:.1f} GiB"
    except OSError:
        pass
    osname = ""
    try:
        for ln in open("/etc/os-release"):
            if ln.startswith("PRETTY_NAME="):
                osname = ln.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {"nproc": sh("nproc"), "cpu": cpu, "memory": mem, "kernel": platform.release(), "os": osname,
            "loadavg_at_start": " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else ""}


def versions():
    v = {}
    lg = ENV("BENCH_LEAKGUARD")
    if lg and os.access(lg, os.X_OK):
        v["leakguard"] = sh(f"{shlex.quote(lg)} --version").replace("leakguard ", "")
        v["leakguard_commit"] = sh(f"git -C {shlex.quote(os.path.dirname(os.path.abspath(__file__)))} rev-parse --short HEAD")
    try:
        for ln in open(os.path.join(DATA, "peers.tsv")):
            t, status, b, ver, note = (ln.rstrip("\n").split("\t") + [""] * 5)[:5]
            v[t] = ver if status == "ok" else f"missing ({note})"
    except OSError:
        pass
    v["hyperfine"] = sh("hyperfine --version").replace("hyperfine ", "")
    v["git"] = sh("git --version").replace("git version ", "")
    v["python"] = platform.python_version()
    return v


def repo_name(path):
    """A git directory's name for the report: `cargo.git` -> cargo; `…/rust-lang+cargo/repo`, `…/x/.git` -> the parent's."""
    path = (path or "").rstrip("/")
    name = os.path.basename(path)
    if name in ("repo", ".git"):
        name = os.path.basename(os.path.dirname(path))
    return name[:-4] if name.endswith(".git") else name


def corpora():
    c = {}
    planted = ENV("BENCH_PLANTED")
    if planted and os.path.isfile(planted):
        d = json.load(open(planted))
        c["tree"] = {"path": ENV("BENCH_TREE"), "bytes": d["bytes"], "files": d["files"],
                     "planted": d["planted_count"], "seed": d["seed"], "planted_file": planted}
    for key, h, name in (("history", ENV("BENCH_HIST"), ENV("BENCH_HIST_NAME")),
                         ("refs", ENV("BENCH_REFS"), repo_name(ENV("BENCH_REFS")))):
        if not (h and os.path.isdir(h)):
            continue
        sizes = sh(f"git -C {shlex.quote(h)} cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)'")
        tot = blobs = nblobs = 0
        for ln in sizes.splitlines():
            t, s = ln.split()
            tot += int(s)
            if t == "blob":
                blobs += int(s)
                nblobs += 1
        c[key] = {"path": h, "name": name, "bytes": tot, "blob_bytes": blobs, "blobs": nblobs,
                  "commits": int(sh(f"git -C {shlex.quote(h)} rev-list --all --count") or 0),
                  "refs": len(sh(f"git -C {shlex.quote(h)} for-each-ref").splitlines()),
                  "pack_bytes": int(sh(f"du -sb {shlex.quote(h)}/objects | cut -f1") or 0),
                  "planted_file": (ENV("BENCH_HIST_PLANTED") or None) if key == "history" else None}
    def tree_bytes(d):
        n = files = 0
        for dp, dns, fns in os.walk(d):
            for fn in fns:
                p = os.path.join(dp, fn)
                if os.path.isfile(p) and not os.path.islink(p):
                    n += os.path.getsize(p)
                    files += 1
        return n, files
    for row, d in (("real", ENV("BENCH_REAL")), ("patho", ENV("BENCH_PATHO"))):
        if d and os.path.isdir(d):
            n, files = tree_bytes(d)
            c[row] = {"path": d, "bytes": n, "files": files,
                      "parts": sorted(os.listdir(d)) if row == "real" else None}
            if row == "real":
                for part in sorted(os.listdir(d)):
                    n, files = tree_bytes(os.path.join(d, part))
                    c[f"real:{part}"] = {"path": os.path.join(d, part), "bytes": n, "files": files}
    extra = ENV("BENCH_REAL_EXTRA_DIR")
    if extra and os.path.isdir(extra):
        for part in sorted(os.listdir(extra)):
            n, files = tree_bytes(os.path.join(extra, part))
            c[f"real:{part}"] = {"path": os.path.join(extra, part), "bytes": n, "files": files}
    s = ENV("BENCH_STAGED")
    if s and os.path.isdir(s):
        pf = os.path.join(s, ".git", "bench-planted.json")
        c["staged"] = {"path": s, "files": sh(f"git -C {shlex.quote(s)} diff --cached --name-only"),
                       "diff_bytes": len(sh(f"git -C {shlex.quote(s)} diff --cached")),
                       "planted_file": pf if os.path.isfile(pf) else None}
    return c


def measure():
    runs = int(ENV("BENCH_RUNS", "5"))
    timeout = int(ENV("BENCH_TIMEOUT", "600"))
    budget = float(ENV("BENCH_BUDGET", "900"))
    cmds = read_commands()
    res = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": machine(),
           "versions": versions(), "corpora": corpora(),
           "config": {k: ENV(k) for k in ("BENCH_TREE_MB", "BENCH_RUNS", "BENCH_SEED", "BENCH_TIMEOUT", "BENCH_BUDGET",
                                          "BENCH_MEM_LIMIT_MB", "BENCH_MAX_OUTPUT_MB", "BENCH_TOOLS", "BENCH_ROWS")},
           "rows": []}
    corp = res["corpora"]
    roots = {"tree": [ENV("BENCH_TREE")], "history": [ENV("BENCH_HIST")], "refs": [ENV("BENCH_REFS")], "staged": [ENV("BENCH_STAGED")],
             "real": [ENV("BENCH_REAL")], "patho": [ENV("BENCH_PATHO")]}
    planted = {"tree": load_planted((corp.get("tree") or {}).get("planted_file")),
               "history": load_planted((corp.get("history") or {}).get("planted_file")),
               "staged": load_planted((corp.get("staged") or {}).get("planted_file"))}
    hdir = os.path.join(DATA, "hyperfine")
    os.makedirs(hdir, exist_ok=True)
    for c in cmds:
        r = dict(c)
        label = f"{c['row']:8s} {c['tool']}"
        res["rows"].append(r)
        if c["command"].startswith("NA:"):
            r.update(status="n/a", note=c["command"][3:])
            print(f"[bench] {label}: n/a ({r['note']})", file=sys.stderr)
            continue
        if c["command"].startswith("MISSING:"):
            r.update(status="missing", note=c["command"][8:])
            print(f"[bench] {label}: missing ({r['note']})", file=sys.stderr)
            continue
        if c["output"] and os.path.exists(c["output"]):
            os.unlink(c["output"])
        print(f"[bench] {label}: probe run ...", file=sys.stderr, flush=True)
        r["loadavg"] = loadavg()
        rc, wall, rss, err, cpu = probe(c["command"], timeout)
        r.update(exit_code=rc, probe_s=wall, rss_mb=(rss / 1024 if rss else None), cpu_s=cpu)
        ok = OK_CODES.get(c["tool"], DEFAULT_OK) if c["kind"] == "tool" else {0}
        if rc == 124 or (rc == 137 and wall >= timeout):
            r.update(status="timeout", note=f"timed out after {timeout} s (BENCH_TIMEOUT)")
        elif rc not in ok:
            why = {153: "output over BENCH_MAX_OUTPUT_MB (SIGXFSZ)"}.get(rc, f"exit {rc}")
            if rc in (134, 137, 139) or "memory" in err.lower() or "MemoryError" in err:
                why += f", possibly the BENCH_MEM_LIMIT_MB={ENV('BENCH_MEM_LIMIT_MB', '8192')} address-space limit"
            r.update(status="failed", note=f"{why}: {err}" if err else why)
        else:
            r["status"] = "ok"
        if c["output"] and r["status"] == "ok":
            try:
                with open(c["output"], encoding="utf-8", errors="replace") as f:
                    text = f.read()
                fs = parse_findings(c["tool"], c["row"], text)
                for f in fs:
                    f["path"] = _rel(f["path"], roots.get(c["row"], []))
                r["findings"] = len(fs)
                by = "secret" if c["row"] in ("history", "refs") else "location"
                found, total, locs, other = score(fs, planted.get(c["row"]), by)
                r.update(planted_found=found, planted_total=total, locations=locs, not_planted=other)
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
                r.update(status="failed", note=f"exit {rc} but no parseable report ({type(e).__name__}: {str(e)[:120]}); {err}")
        if r["status"] != "ok":
            print(f"[bench] {label}: {r['status']}: {r.get('note', '')}", file=sys.stderr)
            continue
        # sampling: hyperfine, within the budget
        n, warm = runs, 1
        if wall * (runs + 1) > budget:
            n, warm = int(budget // max(wall, 1e-3)), 0
        if n >= 2:
            jpath = os.path.join(hdir, f"{c['row']}-{re.sub(r'[^A-Za-z0-9]+', '_', c['tool'])}.json")
            try:
                h = hyperfine(c["tool"], c["command"], n, warm, jpath)
                codes = set(h.get("exit_codes") or [])
                if h.get("user") is not None and h.get("system") is not None:
                    r["cpu_s"] = h["user"] + h["system"]
                r.update(median_s=h["median"], mean_s=h["mean"], stddev_s=h.get("stddev"), min_s=h["min"],
                         max_s=h["max"], runs=len(h.get("times") or []), warmup=warm, hyperfine_json=jpath,
                         exit_codes=sorted(codes))
                if codes - ok:
                    r["note"] = f"some timed runs exited {sorted(codes - ok)}"
            except RuntimeError as e:
                r.update(median_s=wall, runs=1, note=f"{e}; time is the probe run")
        else:
            r.update(median_s=wall, mean_s=wall, runs=1, warmup=0,
                     note=f"slow: a single run (probe) within BENCH_BUDGET={budget:.0f} s")
        if c["row"].startswith("real:"):
            # MB/s of CPU is this row's figure: the median of many exact per-run CPU times.
            cpus = cpu_samples(c["command"], r.get("cpu_s"), runs, timeout)
            r.update(cpu_s=statistics.median(cpus), cpu_runs=len(cpus), cpu_min_s=min(cpus), cpu_max_s=max(cpus),
                     cpu_how="median of per-run user+system (RUSAGE_CHILDREN)")
        print(f"[bench] {label}: median {r['median_s']:.3f} s over {r['runs']} runs, "
              f"RSS {r['rss_mb'] or 0:.0f} MB, {r.get('findings', '-')} findings", file=sys.stderr, flush=True)
    res["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with open(os.path.join(DATA, RESULTS + ".json"), "w") as f:
        json.dump(res, f, indent=1)


# ------------------------------------------------------------------------------------ report
ROW_TITLES = {
    "tree": "Working-tree scan of the generated tree (no git)",
    "history": "Full-history audit (every ref)",
    "refs": "Full-history audit of a repository with many refs (peak RSS is the figure)",
    "staged": "Staged scan (pre-commit: index vs HEAD, one staged one-line change)",
    "real": "Working trees of real code (keyword-dense SDKs), scanned together (no git)",
    "patho": "Pathological input: several catalog keywords and near-miss values on every line",
}
FLOOR_PREFIX = "floor:"


def fsec(x):
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 10 else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def fmt(x, nd=2, dash="—"):
    if x is None:
        return dash
    if isinstance(x, float):
        if x >= 100:
            return f"{x:.0f}"
        return f"{x:.{nd}f}" if x >= 1 else f"{x:.{nd + 1}f}"
    return str(x)


def load_range(res):
    ls = [r["loadavg"] for r in res["rows"] if r.get("loadavg") is not None]
    if not ls:
        return ""
    return (f", 1-minute load average before each tool's runs {min(ls):.1f}–{max(ls):.1f} "
            f"(the machine is shared: other work inflates times, most for multi-threaded tools)")


def fastest_peer(row):
    try:
        with open(os.path.join(DATA, "results.json")) as f:
            res = json.load(f)
    except OSError:
        return
    peers = [r for r in res["rows"] if r["row"] == row and r["kind"] == "tool" and r["tool"] != "leakguard"
             and r.get("status") == "ok" and r.get("median_s")]
    if peers:
        print(min(peers, key=lambda r: r["median_s"])["tool"])


def report():
    with open(os.path.join(DATA, RESULTS + ".json")) as f:
        res = json.load(f)
    corp = res.get("corpora", {})
    m = res["machine"]
    out = []
    out.append("# leakguard benchmark\n")
    out.append(f"Run {res.get('started')} → {res.get('finished')}. Machine: {m.get('nproc')} cores, {m.get('cpu')}, "
               f"{m.get('memory')} RAM, kernel {m.get('kernel')}, {m.get('os')}; load average at start "
               f"{m.get('loadavg_at_start')}" + load_range(res) + ".\n")
    cfg = res.get("config", {})
    out.append(f"hyperfine --warmup 1 --runs {cfg.get('BENCH_RUNS')} (fewer for slow tools, see `runs`); "
               f"timeout {cfg.get('BENCH_TIMEOUT')} s per run; warm page cache.\n")
    v = res.get("versions", {})
    out.append("Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + "\n")
    if "tree" in corp:
        t = corp["tree"]
        out.append(f"- **tree**: {t['bytes'] / MB:.0f} MiB in {t['files']} files (seed {t['seed']}), "
                   f"{t['planted']} planted fake secrets; `planted` = planted (path, line) reported, "
                   f"`other` = reported locations that are not planted (all decoys or noise).")
    if "history" in corp:
        h = corp["history"]
        out.append(f"- **history**: {h.get('name')}: {h['commits']} commits, {h['refs']} refs, {h['blobs']} blobs, "
                   f"{h['bytes'] / MB:.0f} MiB of objects inflated ({h['pack_bytes'] / MB:.0f} MiB packed); MB/s is "
                   f"inflated object bytes / median." + (" `planted` = planted secret values reported." if h.get("planted_file") else ""))
    if "refs" in corp:
        h = corp["refs"]
        out.append(f"- **refs**: {h.get('name')}: {h['commits']} commits, {h['refs']} refs (pull-request refs "
                   f"among them), {h['blobs']} blobs, {h['bytes'] / MB:.0f} MiB of objects inflated; the mirror "
                   f"is read in place.")
    if "staged" in corp:
        s = corp["staged"]
        out.append(f"- **staged**: one line holding a fake GitHub token appended to `{s['files']}` and staged.")
    out.append("")
    if "real" in corp:
        out.append(f"- **real**: {corp['real']['bytes'] / MB:.0f} MiB in {corp['real']['files']} files: "
                   + ", ".join(corp["real"].get("parts") or []) + " (working trees without .git).")
    if "patho" in corp:
        out.append(f"- **patho**: {corp['patho']['bytes'] / MB:.0f} MiB in {corp['patho']['files']} files "
                   "from bench/gen_pathological.py.")
    out.append("")
    out.append("`lg ÷ tool` = leakguard median / this tool's median (< 1: leakguard is faster); "
               "`÷ floor` = this tool's median / the row's floor; `CPU MB/s` = bytes / (user + system "
               "seconds), the speed per core whatever the machine's load; `peak RSS` = the largest "
               "resident memory of the probe run.\n")

    for row in ("tree", "real", "patho", "history", "refs", "staged"):
        rs = [r for r in res["rows"] if r["row"] == row]
        if not rs:
            continue
        lg = next((r for r in rs if r["tool"] == "leakguard" and r.get("median_s")), None)
        floor = next((r for r in rs if r["kind"] == "floor" and r.get("median_s")), None)
        nbytes = (corp.get(row) or {}).get("bytes")
        out.append(f"## {row}: {ROW_TITLES[row]}\n")
        out.append("| tool | median s | ± σ | runs | MB/s | CPU s | CPU MB/s | peak RSS MB | findings | planted | other | lg ÷ tool | ÷ floor | status |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for r in rs:
            med = r.get("median_s")
            if r.get("status") != "ok" or med is None:
                out.append(f"| {r['tool']} | — | — | — | — | — | — | {fmt(r.get('rss_mb'), 0)} | — | — | — | — | — | "
                           f"**{r.get('status')}**: {r.get('note', '')} |")
                continue
            mbs = f"{nbytes / MB / med:.1f}" if nbytes and med > 0 else "—"
            planted = (f"{r['planted_found']}/{r['planted_total']}" if r.get("planted_total") is not None
                       and r.get("planted_found") is not None else "—")
            ratio_lg = fmt(lg["median_s"] / med) if lg and med > 0 else "—"
            ratio_floor = fmt(med / floor["median_s"], 1) if floor and floor["median_s"] > 0 else "—"
            status = "ok" + (f" ({r['note']})" if r.get("note") else "")
            if r["kind"] != "tool":
                status = r["kind"] + ("" if r["kind"] == "floor" else " (not a scanner)")
            cpu = r.get("cpu_s")
            cpumbs = f"{nbytes / MB / cpu:.1f}" if nbytes and cpu else "—"
            out.append(f"| {r['tool']} | {fsec(med)} | {fsec(r.get('stddev_s'))} | {r.get('runs')} | {mbs} | "
                       f"{fsec(cpu)} | {cpumbs} | {fmt(r.get('rss_mb'), 0)} | {fmt(r.get('findings'))} | {planted} | {fmt(r.get('not_planted'))} | "
                       f"{ratio_lg} | {ratio_floor} | {status} |")
        out.append("")
    alone = [r for r in res["rows"] if r["row"].startswith("real:")]
    if alone:
        out.append("## real, each repository alone (leakguard)\n")
        out.append("`CPU s` = the median of `CPU runs` runs' user + system time, each read exactly from "
                   "the kernel (older results: hyperfine's mean); `CPU MB/s` = MiB / that; `range` = the "
                   "MB/s of the slowest and the fastest run.\n")
        out.append("| repository | MiB | median s | CPU s | CPU runs | CPU MB/s | range | peak RSS MB | findings | status |")
        out.append("|---|---:|---:|---:|---:|---:|---|---:|---:|---|")
        for r in alone:
            nb = (corp.get(r["row"]) or {}).get("bytes")
            cpu, med = r.get("cpu_s"), r.get("median_s")
            lo, hi = r.get("cpu_max_s"), r.get("cpu_min_s")
            rng = f"{fmt(nb / MB / lo, 0)}–{fmt(nb / MB / hi, 0)}" if nb and lo and hi else "—"
            out.append(f"| {r['row'][5:]} | {fmt(nb / MB if nb else None, 1)} | {fsec(med)} | {fsec(cpu)} | "
                       f"{r.get('cpu_runs', '—')} | {fmt(nb / MB / cpu, 0) if nb and cpu else '—'} | {rng} | "
                       f"{fmt(r.get('rss_mb'), 0)} | {fmt(r.get('findings'))} | {r.get('status')} |")
        out.append("")
    out.append("Commands: see `commands.tsv` in the data directory and the comments at the top of bench/run.sh.\n")
    text = "\n".join(out)
    with open(os.path.join(DATA, RESULTS + ".md"), "w") as f:
        f.write(text + "\n")
    print(text)


# ------------------------------------------------------------------------------------ quality
def quality(labels_path, root):
    labels = load_planted(labels_path) or []
    want = {(_rel(l.get("path") or l["file"], [root]), int(l["line"])) for l in labels}
    timeout = int(ENV("BENCH_TIMEOUT", "600"))
    rows = []
    for c in read_commands():
        r = {"tool": c["tool"], "kind": c["kind"]}
        rows.append(r)
        if c["kind"] == "floor":
            rows.pop()
            continue
        if c["command"].startswith(("NA:", "MISSING:")):
            r.update(status="missing" if c["command"].startswith("MISSING:") else "n/a",
                     note=c["command"].split(":", 1)[1])
            continue
        if c["output"] and os.path.exists(c["output"]):
            os.unlink(c["output"])
        rc, wall, rss, err, _ = probe(c["command"], timeout)
        ok = OK_CODES.get(c["tool"], DEFAULT_OK)
        if rc not in ok:
            r.update(status="failed", note=f"exit {rc}: {err}")
            continue
        try:
            fs = parse_findings(c["tool"], "tree", open(c["output"], encoding="utf-8", errors="replace").read())
        except (OSError, ValueError, KeyError, TypeError) as e:
            r.update(status="failed", note=f"no parseable report: {e}")
            continue
        locs = {(_rel(f["path"], [root]), f["line"]) for f in fs}
        tp = len(locs & want)
        r.update(status="ok", seconds=wall, findings=len(fs), locations=len(locs), tp=tp, fp=len(locs - want),
                 fn=len(want - locs), recall=(tp / len(want) if want else None),
                 precision=(tp / len(locs) if locs else None))
    out = [f"# leakguard quality: {len(want)} labeled secrets in {root}\n",
           "A reported finding is a true positive if it is at a labeled (path, line); every other reported "
           "location is a false positive. Each tool with the same flags as in the tree row.\n",
           "| tool | recall | precision | TP | FP | FN | findings | seconds | status |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if r.get("status") != "ok":
            out.append(f"| {r['tool']} | — | — | — | — | — | — | — | **{r['status']}**: {r.get('note', '')} |")
            continue
        out.append(f"| {r['tool']} | {fmt(r['recall'])} | {fmt(r['precision'])} | {r['tp']} | {r['fp']} | {r['fn']} | "
                   f"{r['findings']} | {fmt(r['seconds'])} | ok{' (reference)' if r['kind'] == 'ref' else ''} |")
    text = "\n".join(out)
    with open(os.path.join(DATA, "quality.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(DATA, "quality.json"), "w") as f:
        json.dump({"labels": labels_path, "root": root, "rows": rows}, f, indent=1)
    print(text)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "measure":
        measure()
    elif cmd == "report":
        report()
    elif cmd == "fastest-peer":
        fastest_peer(sys.argv[2])
    elif cmd == "quality":
        a = sys.argv[2:]
        quality(a[a.index("--labels") + 1], a[a.index("--root") + 1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

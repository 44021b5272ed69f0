#!/usr/bin/env python3
"""Generate a deterministic working-tree corpus for the leakguard benchmark.

The tree is mixed text that resembles a monorepo checkout: source files
(py, js, go, rs, java, yaml, json, md), minified JavaScript bundles with lines
of hundreds of KB, base64 blobs, lockfiles (package-lock.json with sha512
integrity strings, Cargo.lock with checksums, go.sum), logs and CSV, plus a
known number of planted FAKE secrets of real formats. Every value is made
here from a seeded PRNG: the same --seed and --mb give the same bytes.

The planted secrets are listed in a manifest (default: <out>/../planted.json)
as {"path", "line", "kind", "secret"} entries, paths relative to the tree,
lines 1-based, the same shape as fixtures/quality/labels.json, so that
run.sh can score each tool's recall on the tree.

Speed: a pool of text chunks is generated once per kind, and files are
assembled from random picks of that pool plus per-file variation, written
in large buffers. 1 GB takes about a minute on one core.

Usage: gen_corpus.py --out DIR [--mb 1024] [--seed 1] [--secrets N]
                     [--manifest FILE]
"""

import argparse
import base64
import hashlib
import json
import os
import random
import string
import sys
import time
import zlib

ALNUM = string.ascii_letters + string.digits
UPPER_B32 = string.ascii_uppercase + "234567"
B64 = string.ascii_letters + string.digits + "+/"
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase

MB = 1 << 20


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        r = self.r
        syll = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
        self.words = sorted({"".join(r.choices(syll, k=r.randint(1, 4))) for _ in range(6000)})
        self.prose = ("the a of to in is for on with as by this that it from be are or an at "
                      "returns value when if not each new request handler buffer config "
                      "client server stream error result option default cache index").split()

    # ---------------------------------------------------------------- helpers
    def w(self):
        return self.r.choice(self.words)

    def ident(self, style="snake"):
        parts = [self.w() for _ in range(self.r.randint(1, 3))]
        if style == "snake":
            return "_".join(parts)
        if style == "camel":
            return parts[0] + "".join(p.capitalize() for p in parts[1:])
        if style == "pascal":
            return "".join(p.capitalize() for p in parts)
        return "".join(parts)

    def s(self, alphabet, n):
        return "".join(self.r.choices(alphabet, k=n))

    def sentence(self, n=None):
        n = n or self.r.randint(6, 18)
        ws = [self.r.choice(self.prose) if self.r.random() < 0.5 else self.w() for _ in range(n)]
        return " ".join(ws).capitalize() + "."

    def hexs(self, n):
        return "%0*x" % (n, self.r.getrandbits(4 * n))

    def uuid(self):
        h = self.hexs(32)
        return "-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:]))

    # A handful of decoys that look like secrets but are not: placeholders,
    # environment lookups, documented example values, hashes, UUIDs.
    def decoy(self, lang):
        r = self.r
        k = r.randrange(8)
        name = self.ident("snake")
        if k == 0:
            return {"py": f'password = os.environ.get("{name.upper()}_PASSWORD")',
                    "js": f'const apiKey = process.env.{name.upper()}_API_KEY;',
                    "go": f'token := os.Getenv("{name.upper()}_TOKEN")',
                    "rs": f'let token = std::env::var("{name.upper()}_TOKEN")?;',
                    "java": f'String secret = System.getenv("{name.upper()}_SECRET");',
                    "yaml": f'password: ${{{name.upper()}_PASSWORD}}',
                   }.get(lang, f'api_key = "<your-api-key>"')
        if k == 1:
            return f'commit = "{self.hexs(40)}"'
        if k == 2:
            return f'request_id = "{self.uuid()}"'
        if k == 3:
            return f'api_key = "changeme"  # placeholder'
        if k == 4:
            return f'sha256 = "{self.hexs(64)}"'
        if k == 5:
            return f'token = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'
        if k == 6:
            return f'example_key_id = "AKIAIOSFODNN7EXAMPLE"  # from the documentation'
        return f'checksum = "{self.hexs(32)}"'

    # ---------------------------------------------------------------- chunks
    def chunk_py(self):
        r = self.r
        out = []
        cls = self.ident("pascal")
        out.append(f"\n\nclass {cls}:\n    \"\"\"{self.sentence()}\"\"\"\n")
        for _ in range(r.randint(2, 6)):
            fn, a, b = self.ident(), self.ident(), self.ident()
            out.append(f"\n    def {fn}(self, {a}, {b}=None):\n")
            out.append(f"        # {self.sentence()}\n")
            for _ in range(r.randint(2, 8)):
                v = self.ident()
                c = r.randrange(5)
                if c == 0:
                    out.append(f"        {v} = self.{self.ident()}({a}, {r.randint(0, 4096)})\n")
                elif c == 1:
                    out.append(f"        if {a} is None or {b} == \"{self.w()}\":\n            return {r.choice(['None', 'False', '[]', str(r.randint(0, 99))])}\n")
                elif c == 2:
                    out.append(f"        {v} = [{', '.join(repr(self.w()) for _ in range(r.randint(1, 6)))}]\n")
                elif c == 3:
                    out.append(f"        for {v} in {a}:\n            self.{self.ident()}.append({v})\n")
                else:
                    out.append(f"        {self.decoy('py')}\n" if r.random() < 0.15 else
                               f"        logger.debug(\"{self.sentence()}\", {a})\n")
            out.append(f"        return {a}\n")
        return "".join(out)

    def chunk_js(self):
        r = self.r
        out = []
        for _ in range(r.randint(2, 6)):
            fn, a, b = self.ident("camel"), self.ident("camel"), self.ident("camel")
            out.append(f"\n/**\n * {self.sentence()}\n * @param {{string}} {a}\n */\nexport async function {fn}({a}, {b} = {{}}) {{\n")
            for _ in range(r.randint(2, 8)):
                v = self.ident("camel")
                c = r.randrange(5)
                if c == 0:
                    out.append(f"  const {v} = await {self.ident('camel')}({a}, {r.randint(0, 999)});\n")
                elif c == 1:
                    out.append(f"  if (!{a} || {b}.{self.ident('camel')} === '{self.w()}') {{\n    return null;\n  }}\n")
                elif c == 2:
                    out.append(f"  const {v} = {{ {', '.join(f'{self.w()}: {r.randint(0, 1 << 16)}' for _ in range(r.randint(1, 5)))} }};\n")
                elif c == 3:
                    out.append(f"  for (const {v} of {a}) {{\n    {b}[{v}.id] = {v};\n  }}\n")
                else:
                    out.append(f"  {self.decoy('js')}\n" if r.random() < 0.15 else
                               f"  console.log(`{self.sentence()}`, {a});\n")
            out.append(f"  return {b};\n}}\n")
        return "".join(out)

    def chunk_go(self):
        r = self.r
        out = []
        typ = self.ident("pascal")
        out.append(f"\n// {typ} {self.sentence()}\ntype {typ} struct {{\n")
        for _ in range(r.randint(2, 6)):
            out.append(f"\t{self.ident('pascal')} {r.choice(['string', 'int', '[]byte', 'map[string]int', '*http.Client', 'time.Duration'])} `json:\"{self.w()}\"`\n")
        out.append("}\n")
        for _ in range(r.randint(1, 4)):
            fn, a = self.ident("pascal"), self.ident("camel")
            out.append(f"\n// {fn} {self.sentence()}\nfunc (x *{typ}) {fn}({a} string) (int, error) {{\n")
            for _ in range(r.randint(2, 7)):
                v = self.ident("camel")
                c = r.randrange(4)
                if c == 0:
                    out.append(f"\t{v}, err := x.{self.ident('pascal')}({a}, {r.randint(0, 99)})\n\tif err != nil {{\n\t\treturn 0, fmt.Errorf(\"{self.w()}: %w\", err)\n\t}}\n\t_ = {v}\n")
                elif c == 1:
                    out.append(f"\tif len({a}) > {r.randint(1, 512)} {{\n\t\treturn {r.randint(0, 9)}, nil\n\t}}\n")
                elif c == 2:
                    out.append(f"\t// {self.decoy('go')}\n" if r.random() < 0.2 else f"\tlog.Printf(\"{self.sentence()} %s\", {a})\n")
                else:
                    out.append(f"\tfor i := 0; i < {r.randint(2, 64)}; i++ {{\n\t\tx.{self.ident('pascal')} += i\n\t}}\n")
            out.append("\treturn 0, nil\n}\n")
        return "".join(out)

    def chunk_rs(self):
        r = self.r
        out = []
        typ = self.ident("pascal")
        out.append(f"\n/// {self.sentence()}\n#[derive(Debug, Clone, Default)]\npub struct {typ} {{\n")
        for _ in range(r.randint(2, 6)):
            out.append(f"    pub {self.ident()}: {r.choice(['u64', 'String', 'Vec<u8>', 'Option<usize>', 'HashMap<String, u32>', 'bool'])},\n")
        out.append(f"}}\n\nimpl {typ} {{\n")
        for _ in range(r.randint(1, 4)):
            fn, a = self.ident(), self.ident()
            out.append(f"    /// {self.sentence()}\n    pub fn {fn}(&mut self, {a}: &str) -> Result<usize, Error> {{\n")
            for _ in range(r.randint(2, 6)):
                v = self.ident()
                c = r.randrange(4)
                if c == 0:
                    out.append(f"        let {v} = self.{self.ident()}({a}, {r.randint(0, 99)})?;\n")
                elif c == 1:
                    out.append(f"        if {a}.len() > {r.randint(1, 512)} {{\n            return Ok({r.randint(0, 9)});\n        }}\n")
                elif c == 2:
                    out.append(f"        // {self.decoy('rs')}\n" if r.random() < 0.2 else f"        tracing::debug!(\"{self.sentence()} {{}}\", {a});\n")
                else:
                    out.append(f"        for {v} in {a}.split('{r.choice(',;:/')}') {{\n            self.{self.ident()}.push({v}.len() as u8);\n        }}\n")
            out.append("        Ok(0)\n    }\n")
        out.append("}\n")
        return "".join(out)

    def chunk_java(self):
        r = self.r
        out = []
        for _ in range(r.randint(1, 4)):
            fn, a = self.ident("camel"), self.ident("camel")
            out.append(f"\n    /**\n     * {self.sentence()}\n     */\n    public {r.choice(['int', 'String', 'void', 'boolean', 'List<String>'])} {fn}(final String {a}) throws IOException {{\n")
            for _ in range(r.randint(2, 7)):
                v = self.ident("camel")
                c = r.randrange(4)
                if c == 0:
                    out.append(f"        final var {v} = this.{self.ident('camel')}.get({a}, {r.randint(0, 99)});\n")
                elif c == 1:
                    out.append(f"        if ({a} == null || {a}.length() > {r.randint(1, 512)}) {{\n            throw new IllegalArgumentException(\"{self.sentence()}\");\n        }}\n")
                elif c == 2:
                    out.append(f"        // {self.decoy('java')}\n" if r.random() < 0.2 else f"        LOG.info(\"{self.sentence()} {{}}\", {a});\n")
                else:
                    out.append(f"        for (int i = 0; i < {r.randint(2, 64)}; i++) {{\n            {self.ident('camel')}.add(i);\n        }}\n")
            out.append("    }\n")
        return "".join(out)

    def chunk_yaml(self):
        r = self.r
        out = [f"\n{self.ident()}:\n"]
        for _ in range(r.randint(3, 12)):
            k = self.ident()
            c = r.randrange(6)
            if c == 0:
                out.append(f"  {k}: {r.randint(0, 65535)}\n")
            elif c == 1:
                out.append(f"  {k}: \"{self.sentence()}\"\n")
            elif c == 2:
                out.append(f"  {k}:\n" + "".join(f"    - {self.w()}\n" for _ in range(r.randint(1, 5))))
            elif c == 3:
                out.append(f"  {self.decoy('yaml')}\n" if r.random() < 0.3 else f"  {k}: {r.choice(['true', 'false', 'null'])}\n")
            elif c == 4:
                out.append(f"  {k}: {self.w()}.{self.w()}.svc.cluster.local:{r.randint(1024, 9999)}\n")
            else:
                out.append(f"  image: {self.w()}/{self.w()}:{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}\n")
        return "".join(out)

    def chunk_json(self):
        r = self.r
        items = []
        for _ in range(r.randint(3, 10)):
            k = self.ident("camel")
            c = r.randrange(4)
            if c == 0:
                v = str(r.randint(0, 1 << 20))
            elif c == 1:
                v = json.dumps(self.sentence())
            elif c == 2:
                v = json.dumps([self.w() for _ in range(r.randint(1, 5))])
            else:
                v = json.dumps({self.w(): self.uuid(), self.w(): r.random()})
            items.append(f'    "{k}": {v}')
        return "  {\n" + ",\n".join(items) + "\n  }"

    def chunk_md(self):
        r = self.r
        out = [f"\n## {self.sentence(4)[:-1]}\n\n"]
        for _ in range(r.randint(2, 5)):
            out.append(" ".join(self.sentence() for _ in range(r.randint(2, 6))) + "\n\n")
        if r.random() < 0.5:
            out.append(f"```sh\n{self.w()} --{self.w()} {self.w()}/{self.w()}.toml\nexport {self.ident().upper()}=<value>\n```\n\n")
        return "".join(out)

    def chunk_min_js(self):
        r = self.r
        # One statement run of a minified bundle, ~1-3 KB, no newline.
        parts = []
        n = 0
        target = r.randint(1000, 3000)
        while n < target:
            a, b, c = (self.s(string.ascii_letters, r.randint(1, 2)) for _ in range(3))
            k = r.randrange(6)
            if k == 0:
                p = f"function {a}({b},{c}){{return {b}&&{b}.{self.ident('camel')}?{c}({b}):{r.randint(0, 999)}}}"
            elif k == 1:
                p = f"var {a}={{{','.join(f'{self.w()}:{r.randint(0, 99)}' for _ in range(r.randint(2, 8)))}}};"
            elif k == 2:
                p = f"{a}.prototype.{self.ident('camel')}=function({b}){{this.{self.w()}=\"{self.w()}-{self.hexs(8)}\";return this}};"
            elif k == 3:
                p = f"{a}[\"{self.w()}\"]=[{','.join(str(r.randint(0, 65535)) for _ in range(r.randint(4, 30)))}];"
            elif k == 4:
                p = f"if(!{a}){{throw new Error(\"{self.sentence()}\")}}"
            else:
                p = f"{a}=\"{self.s(ALNUM, r.randint(8, 40))}\",{b}={r.random():.6f};"
            parts.append(p)
            n += len(p)
        return "".join(parts)

    # ----------------------------------------------------------- fake secrets
    def secret(self, kind):
        """Return (secret_text, [(line_text, is_the_secret_line)], extra_labels)."""
        r = self.r
        if kind == "github-pat":
            body = self.s(ALNUM, 30)
            crc = zlib.crc32(body.encode())
            enc = ""
            while crc:
                crc, d = divmod(crc, 62)
                enc = BASE62[d] + enc
            return "ghp_" + body + enc.rjust(6, "0")
        if kind == "aws-access-key-id":
            return "AKIA" + self.s(UPPER_B32, 16)
        if kind == "aws-secret-access-key":
            return self.s(ALNUM + "/+", 40)
        if kind == "slack-bot-token":
            return f"xoxb-{r.randint(10**10, 10**12)}-{r.randint(10**11, 10**13)}-{self.s(ALNUM, 24)}"
        if kind == "openai-project-key":
            return "sk-proj-" + self.s(ALNUM + "_-", 74) + "T3BlbkFJ" + self.s(ALNUM + "_-", 74)
        if kind == "stripe-live-secret-key":
            return "sk_live_" + self.s(ALNUM, r.choice([24, 34, 99]))
        if kind == "private-key":
            der = self.r.randbytes(r.choice([1190, 1192, 1218]))
            b = base64.b64encode(b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + der).decode()
            lines = [b[i:i + 64] for i in range(0, len(b), 64)]
            return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----"
        if kind == "postgres-url":
            pw = self.s(ALNUM + "!*_~", r.randint(14, 24))
            return f"postgres://{self.w()}_app:{pw}@db-{self.w()}.internal:5432/{self.w()}"
        raise ValueError(kind)

    def secret_line(self, kind, value, lang):
        """A line (or lines) of code that holds value, in the style of lang."""
        name = {
            "github-pat": "GITHUB_TOKEN", "aws-access-key-id": "AWS_ACCESS_KEY_ID",
            "slack-bot-token": "SLACK_BOT_TOKEN", "openai-project-key": "OPENAI_API_KEY",
            "stripe-live-secret-key": "STRIPE_SECRET_KEY", "postgres-url": "DATABASE_URL",
        }[kind]
        if lang == "py":
            return f'{name} = "{value}"'
        if lang in ("js", "min.js"):
            return f'const {name.lower()} = "{value}";' if lang == "js" else f'{name.lower()}:"{value}",'
        if lang == "go":
            return f'\t{name.title().replace("_", "")} = "{value}"'
        if lang == "rs":
            return f'const {name}: &str = "{value}";'
        if lang == "java":
            return f'    private static final String {name} = "{value}";'
        if lang == "yaml":
            return f'  {name.lower()}: "{value}"'
        if lang == "json":
            return f'  "{name.lower()}": "{value}",'
        return f"{name}={value}"

    def aws_pair(self, lang, kid, secret):
        if lang == "py":
            return [f'AWS_ACCESS_KEY_ID = "{kid}"', f'AWS_SECRET_ACCESS_KEY = "{secret}"']
        if lang == "js":
            return [f'const awsAccessKeyId = "{kid}";', f'const aws_secret_access_key = "{secret}";']
        if lang == "yaml":
            return [f'  aws_access_key_id: {kid}', f'  aws_secret_access_key: {secret}']
        if lang == "json":
            return [f'  "aws_access_key_id": "{kid}",', f'  "aws_secret_access_key": "{secret}",']
        if lang == "go":
            return [f'\tAccessKeyID = "{kid}"', f'\tAWSSecretAccessKey = "{secret}"']
        if lang == "rs":
            return [f'const AWS_ACCESS_KEY_ID: &str = "{kid}";', f'const AWS_SECRET_ACCESS_KEY: &str = "{secret}";']
        if lang == "java":
            return [f'    String awsAccessKeyId = "{kid}";', f'    String awsSecretAccessKey = "{secret}";']
        return [f"AWS_ACCESS_KEY_ID={kid}", f"AWS_SECRET_ACCESS_KEY={secret}"]


KINDS = ["github-pat", "aws", "slack-bot-token", "openai-project-key",
         "stripe-live-secret-key", "private-key", "postgres-url"]

LANGS = {  # extension, header, footer, share of source bytes
    "py": (".py", "import os\nimport logging\n\nlogger = logging.getLogger(__name__)\n", "", 0.20),
    "js": (".js", "'use strict';\nimport {{ {a} }} from './{b}.js';\n", "", 0.18),
    "go": (".go", "package {b}\n\nimport (\n\t\"fmt\"\n\t\"log\"\n\t\"os\"\n)\n", "", 0.14),
    "rs": (".rs", "use std::collections::HashMap;\n\nuse crate::error::Error;\n", "", 0.14),
    "java": (".java", "package com.example.{b};\n\nimport java.io.IOException;\nimport java.util.List;\n\npublic final class {A} {{\n", "}\n", 0.12),
    "yaml": (".yaml", "# {s}\napiVersion: v1\nkind: ConfigMap\n", "", 0.08),
    "json": (".json", "[\n", "\n]\n", 0.06),
    "md": (".md", "# {A}\n\n{s}\n", "", 0.08),
}


class Writer:
    def __init__(self, root, target):
        self.root = root
        self.target = target
        self.bytes = 0
        self.files = 0
        self.dirs_made = set()
        self.seen = set()

    def uniq(self, rel):
        """rel, or rel with a counter before its extension if already taken."""
        if rel not in self.seen:
            self.seen.add(rel)
            return rel
        head, _, name = rel.rpartition("/")
        stem, dot, ext = name.partition(".")
        i = 2
        while True:
            cand = f"{head}/{stem}-{i}{dot}{ext}"
            if cand not in self.seen:
                self.seen.add(cand)
                return cand
            i += 1

    def write(self, rel, data):
        path = os.path.join(self.root, rel)
        d = os.path.dirname(path)
        if d not in self.dirs_made:
            os.makedirs(d, exist_ok=True)
            self.dirs_made.add(d)
        with open(path, "wb") as f:
            f.write(data)
        self.bytes += len(data)
        self.files += 1

    def left(self):
        return self.target - self.bytes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--secrets", type=int, default=None,
                    help="planted secrets (default: max(21, mb/2), rounded to whole kinds)")
    ap.add_argument("--manifest", default=None)
    args = ap.parse_args()

    t0 = time.time()
    out = os.path.abspath(args.out)
    if os.path.exists(out) and os.listdir(out):
        sys.exit(f"gen_corpus: {out} exists and is not empty; remove it first")
    manifest = args.manifest or os.path.join(os.path.dirname(out), "planted.json")
    target = args.mb * MB
    g = Gen(args.seed)
    r = g.r
    w = Writer(out, target)

    # ---- pools of chunks, generated once
    pools = {}
    for lang in LANGS:
        fn = getattr(g, "chunk_" + lang)
        pools[lang] = [fn().encode() for _ in range(160)]
    minjs_pool = [g.chunk_min_js().encode() for _ in range(400)]
    b64_pool = base64.b64encode(r.randbytes(24 * MB))  # 32 MB of base64 text
    pkg_names = [g.w() + r.choice(["", "-js", "-core", "-utils", "-plugin"]) for _ in range(3000)]

    # ---- planted secrets: decide the plan up front
    n_secrets = args.secrets if args.secrets is not None else max(21, args.mb // 2)
    plan = [KINDS[i % len(KINDS)] for i in range(n_secrets)]
    r.shuffle(plan)
    planted = []

    # byte budget per category
    budget = {"src": 0.46, "minjs": 0.20, "b64": 0.14, "lock": 0.15, "misc": 0.05}
    spent = {k: 0 for k in budget}
    # spread the planted secrets evenly over the source files written
    avg_src_file = 9000
    est_src_files = max(1, int(target * budget["src"] / avg_src_file))
    plant_every = max(1, est_src_files // max(1, n_secrets))
    src_count = 0
    proj = 0
    files_in_proj = 0

    def projdir():
        nonlocal proj, files_in_proj
        files_in_proj += 1
        if files_in_proj > 400:
            proj += 1
            files_in_proj = 0
        return f"svc-{proj:03d}-{g.words[proj % len(g.words)]}"

    def subdir(kind):
        return {"src": r.choice(["src", "src/" + g.w(), "lib", "internal/" + g.w(), "pkg/" + g.w()]),
                "cfg": r.choice(["config", "deploy", "k8s"]), "doc": "docs"}[kind]

    def plant(lang, rel, chunks, header, footer):
        """Insert the next planned secret between two chunks; return bytes."""
        kind = plan.pop()
        pos = r.randint(0, len(chunks))
        pre = header + b"".join(chunks[:pos])
        # make sure the secret starts on its own line
        if pre and not pre.endswith(b"\n"):
            pre += b"\n"
        line = pre.count(b"\n") + 1
        if kind == "aws":
            kid, sec = g.secret("aws-access-key-id"), g.secret("aws-secret-access-key")
            text = "\n".join(g.aws_pair(lang, kid, sec)) + "\n"
            planted.append({"path": rel, "line": line, "kind": "aws-access-key-id", "secret": kid})
            planted.append({"path": rel, "line": line + 1, "kind": "aws-secret-access-key", "secret": sec})
        elif kind == "private-key":
            pem = g.secret("private-key")
            if lang == "yaml":
                # a block scalar: the BEGIN line is one line below the key
                text = "  tls_key: |\n" + "".join("    " + l + "\n" for l in pem.split("\n"))
                line += 1
            elif lang == "json":
                # a service-account style JSON string: the whole key on one line
                text = '  "private_key": ' + json.dumps(pem + "\n") + ",\n"
            elif lang == "py":
                text = 'PRIVATE_KEY = """\\\n' + pem + '\n"""\n'
                line += 1
            else:
                text = "/*\n" + pem + "\n*/\n"
                line += 1
            planted.append({"path": rel, "line": line, "kind": "private-key", "secret": pem})
        else:
            val = g.secret(kind)
            text = g.secret_line(kind, val, lang) + "\n"
            planted.append({"path": rel, "line": line, "kind": kind, "secret": val})
        return pre + text.encode() + b"".join(chunks[pos:]) + footer

    def src_file():
        nonlocal src_count
        langs = list(LANGS)
        lang = r.choices(langs, weights=[LANGS[l][3] for l in langs])[0]
        ext, header_t, footer_t, _ = LANGS[lang]
        kind = "cfg" if lang in ("yaml", "json") else ("doc" if lang == "md" else "src")
        base = g.ident("camel" if lang in ("js", "java") else "snake")
        if lang == "java":
            base = g.ident("pascal")
        rel = w.uniq(f"{projdir()}/{subdir(kind)}/{base}{ext}")
        header = header_t.format(a=g.ident("camel"), b=g.w(), A=base if lang == "java" else g.ident("pascal"),
                                 s=g.sentence()).encode()
        footer = footer_t.encode()
        # sizes: mostly small, a long tail of big files
        n = min(int(r.paretovariate(1.4)) + r.randint(0, 3), 120)
        chunks = r.choices(pools[lang], k=n)
        if lang == "json":
            chunks = [c + b",\n" for c in chunks[:-1]] + [chunks[-1]]
        src_count += 1
        if plan and src_count % plant_every == 0 and lang != "md":
            data = plant(lang, rel, chunks, header, footer)
        else:
            data = header + b"".join(chunks) + footer
        w.write(rel, data)
        return len(data)

    def minjs_file():
        rel = w.uniq(f"{projdir()}/dist/{g.w()}.{g.hexs(8)}.min.js")
        nlines = r.randint(1, 3)
        lines = []
        for _ in range(nlines):
            k = r.randint(100, 600)  # 100-600 fragments -> ~200 KB - 1.2 MB per line
            lines.append(b"".join(r.choices(minjs_pool, k=k)))
        # now and then a bundled key deep inside a long line
        if plan and r.random() < 0.08 and plan[-1] in ("github-pat", "stripe-live-secret-key", "openai-project-key"):
            kind = plan.pop()
            val = g.secret(kind)
            li = r.randrange(nlines)
            cut = len(lines[li]) // 2
            frag = g.secret_line(kind, val, "min.js").encode()
            lines[li] = lines[li][:cut] + frag + lines[li][cut:]
            # +2: the licence comment is line 1.
            planted.append({"path": rel, "line": li + 2, "kind": kind, "secret": val})
        data = b"/*! " + g.w().encode() + b" v" + str(r.randint(1, 9)).encode() + b".0.0 | MIT */\n" + b"\n".join(lines) + b"\n"
        data += b"//# sourceMappingURL=" + rel.rsplit("/", 1)[1].encode() + b".map\n"
        w.write(rel, data)
        return len(data)

    def b64_file():
        size = r.randint(64 * 1024, 2 * MB)
        off = r.randrange(0, len(b64_pool) - size)
        blob = b64_pool[off:off + size]
        style = r.randrange(3)
        if style == 0:  # MIME-wrapped text file
            rel = w.uniq(f"{projdir()}/testdata/{g.w()}.b64")
            data = b"\n".join(blob[i:i + 76] for i in range(0, len(blob), 76)) + b"\n"
        elif style == 1:  # JSON fixture with an inline data URI, one long line
            rel = w.uniq(f"{projdir()}/fixtures/{g.w()}.json")
            data = b'{"name": "' + g.w().encode() + b'", "mime": "image/png", "data": "data:image/png;base64,' + blob + b'"}\n'
        else:  # CSS with an embedded font
            rel = w.uniq(f"{projdir()}/static/{g.w()}.css")
            data = (b"@font-face{font-family:" + g.w().encode() + b";src:url(data:font/woff2;base64," + blob
                    + b") format('woff2')}\n." + g.w().encode() + b"{color:#" + g.hexs(6).encode() + b"}\n")
        w.write(rel, data)
        return len(data)

    def lock_file():
        k = r.randrange(3)
        d = projdir()
        if k == 0:
            n = r.randint(300, 2500)
            ent = []
            for _ in range(n):
                p = r.choice(pkg_names)
                v = f"{r.randint(0, 12)}.{r.randint(0, 40)}.{r.randint(0, 30)}"
                integ = base64.b64encode(r.randbytes(64)).decode()
                ent.append(f'    "node_modules/{p}": {{\n      "version": "{v}",\n'
                           f'      "resolved": "https://registry.example.invalid/{p}/-/{p}-{v}.tgz",\n'
                           f'      "integrity": "sha512-{integ}",\n      "dev": {r.choice(["true", "false"])}\n    }}')
            data = ('{\n  "name": "' + g.w() + '",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n'
                    + ",\n".join(ent) + "\n  }\n}\n").encode()
            rel = f"{d}/package-lock.json"
        elif k == 1:
            n = r.randint(150, 900)
            ent = ["# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n"]
            for _ in range(n):
                p = r.choice(pkg_names).replace("-js", "-rs")
                ent.append(f'\n[[package]]\nname = "{p}"\nversion = "{r.randint(0, 3)}.{r.randint(0, 40)}.{r.randint(0, 30)}"\n'
                           f'source = "registry+https://index.example.invalid/"\nchecksum = "{g.hexs(64)}"\n'
                           + ("dependencies = [\n" + "".join(f' "{r.choice(pkg_names)}",\n' for _ in range(r.randint(1, 6))) + "]\n"
                              if r.random() < 0.6 else ""))
            data = "".join(ent).encode()
            rel = f"{d}/Cargo.lock"
        else:
            n = r.randint(200, 1500)
            ent = []
            for _ in range(n):
                m = f"{g.w()}.example.org/{g.w()}/{r.choice(pkg_names)}"
                v = f"v{r.randint(0, 3)}.{r.randint(0, 40)}.{r.randint(0, 30)}"
                ent.append(f"{m} {v} h1:{base64.b64encode(r.randbytes(32)).decode()}\n")
                ent.append(f"{m} {v}/go.mod h1:{base64.b64encode(r.randbytes(32)).decode()}\n")
            data = "".join(ent).encode()
            rel = f"{d}/go.sum"
        rel = w.uniq(rel)
        w.write(rel, data)
        return len(data)

    def misc_file():
        k = r.randrange(2)
        if k == 0:
            rel = w.uniq(f"{projdir()}/logs/{g.w()}-{r.randint(1, 28):02d}.log")
            lines = []
            for _ in range(r.randint(500, 4000)):
                lines.append(f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z "
                             f"{r.choice(['INFO', 'WARN', 'DEBUG', 'ERROR'])} {g.w()}: {g.sentence()} req={g.uuid()} t={r.randint(1, 999)}ms\n")
        else:
            rel = w.uniq(f"{projdir()}/data/{g.w()}.csv")
            lines = ["id,name,email,created,score\n"]
            for i in range(r.randint(1000, 8000)):
                lines.append(f"{i},{g.w()} {g.w()},{g.w()}@example.com,2023-{r.randint(1, 12):02d}-{r.randint(1, 28):02d},{r.random():.4f}\n")
        data = "".join(lines).encode()
        w.write(rel, data)
        return len(data)

    makers = {"src": src_file, "minjs": minjs_file, "b64": b64_file, "lock": lock_file, "misc": misc_file}
    last_report = time.time()
    while w.left() > 0:
        # pick the category that is furthest below its share
        done = max(1, w.bytes)
        cat = min(budget, key=lambda c: spent[c] / done - budget[c])
        spent[cat] += makers[cat]()
        if time.time() - last_report > 10:
            last_report = time.time()
            print(f"gen_corpus: {w.bytes / MB:.0f}/{args.mb} MB, {w.files} files", file=sys.stderr)
    # secrets that did not find a file yet (tiny corpora): one small file each
    while plan:
        lang = r.choice(["py", "js", "yaml", "go"])
        ext, header_t, footer_t, _ = LANGS[lang]
        rel = w.uniq(f"{projdir()}/{subdir('cfg')}/{g.ident()}{ext}")
        header = header_t.format(a=g.ident("camel"), b=g.w(), A=g.ident("pascal"), s=g.sentence()).encode()
        w.write(rel, plant(lang, rel, r.choices(pools[lang], k=3), header, footer_t.encode()))

    planted.sort(key=lambda e: (e["path"], e["line"]))
    info = {"generator": "bench/gen_corpus.py", "seed": args.seed, "mb": args.mb,
            "files": w.files, "bytes": w.bytes, "planted_count": len(planted),
            "kinds": sorted({p["kind"] for p in planted}), "planted": planted}
    with open(manifest, "w") as f:
        json.dump(info, f, indent=1)
    print(f"gen_corpus: wrote {w.files} files, {w.bytes / MB:.1f} MB, {len(planted)} planted secrets "
          f"in {time.time() - t0:.1f} s -> {out} (manifest {manifest})", file=sys.stderr)


if __name__ == "__main__":
    main()

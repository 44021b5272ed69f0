#!/usr/bin/env python3
"""Named keys in every language's syntax: what leakguard loses, per syntax, value shape and name.

Usage:
  bench/probe_syntaxes.py OUT_DIR BINARY [--neg] [--show N] [--only SYNTAX_REGEX]

Writes one file per case under OUT_DIR (deleted first): 20 credential names, vendor and generic
(stripe key, api key, x api token, client secret, SENDGRID api key, slack webhook secret...), each in
the case style its syntax uses (SCREAMING_SNAKE, snake, camel, Pascal, kebab, dotted, Header-Case),
times 7 fake value shapes (hex 32/40/64, base64 with +/=, base62 20-48, with - and _, dotted), times
148 syntaxes (shell, PowerShell, bat, Make, Dockerfile, .env, INI, TOML, YAML, JSON, HCL, XML,
properties, code in 30 languages, curl/nginx/HTTP headers, URLs, Markdown, notebooks, logs, CLI
flags...), each file named as its syntax's files are (Makefile, Dockerfile, .env, settings.py...).
Then runs `BINARY scan OUT_DIR --format json --show-secrets --no-ignore` and counts a case as found
when a finding in its file reports the whole value; prints the syntaxes with losses, the figures per
value shape and per name, the rules that reported, and writes the lost cases to OUT_DIR.lost.json
(fake values only). --neg writes placeholders instead (your-api-key, <token>, ${X}, xxxx..., sk-...,
{{ secrets.X }}, changeme) and counts the cases reported at all. BINARY may be a script that adds
`-c my.toml` (candidate rules with `[extend] useDefault = true`). The values come from a seeded
generator: two runs write the same files. Not run in CI.
"""
import base64, json, os, random, re, shutil, subprocess, sys, collections

R = random.Random(2323)
NAMES = [
    "stripe key", "api key", "x api token", "client secret", "access token", "auth token",
    "private key", "sendgrid api key", "slack webhook secret", "app secret", "github token",
    "secret key", "api secret", "mailgun api key", "refresh token", "consumer secret",
    "encryption key", "signing secret", "datadog api key", "service token",
]
A62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def rnd(alpha, n): return "".join(R.choice(alpha) for _ in range(n))
def mixed(alpha, n):
    while True:
        v = rnd(alpha, n)
        if re.search(r"[0-9]", v) and re.search(r"[a-z]", v) and (alpha == "0123456789abcdef" or re.search(r"[A-Z]", v)):
            return v
VALUES = {
    "hex32": lambda: mixed("0123456789abcdef", 32),
    "hex40": lambda: mixed("0123456789abcdef", 40),
    "hex64": lambda: mixed("0123456789abcdef", 64),
    "b64": lambda: base64.b64encode(os.urandom(R.choice([19, 20, 31, 32, 44, 64, 65]))).decode(),
    "b62": lambda: mixed(A62, R.randint(20, 48)),
    "dashus": lambda: mixed(A62, 10) + R.choice("-_") + mixed(A62, 12) + R.choice("-_") + mixed(A62, 9),
    "dotted": lambda: mixed(A62, 8) + "." + mixed(A62, 24) + "." + mixed(A62 + "-_", 27),
}
def b64fix():
    # base64 with +/ inside and = at the end, deterministic
    while True:
        v = base64.b64encode(bytes(R.randrange(256) for _ in range(R.choice([19, 20, 31, 32, 44, 62, 65])))).decode()
        if ("+" in v or "/" in v): return v
VALUES["b64"] = b64fix

def styles(words):
    w = words.split()
    return dict(
        U="_".join(x.upper() for x in w), s="_".join(w), c=w[0] + "".join(x.capitalize() for x in w[1:]),
        P="".join(x.capitalize() for x in w), k="-".join(w), d=".".join(w),
        H=("" if w[0] == "x" else "X-") + "-".join(x.capitalize() for x in w),
    )

# (syntax, filename, template). {V} value; name styles {U} {s} {c} {P} {k} {d} {H}.
T = [
 ("sh-export", "deploy.sh", 'export {U}="{V}"\n'),
 ("sh-export-bare", "deploy.sh", 'export {U}={V}\n'),
 ("sh-assign-sq", "run.sh", "#!/bin/sh\n{U}='{V}'\n"),
 ("sh-set", "env.csh", "setenv {U} {V}\n"),
 ("fish-set", "config.fish", "set -gx {U} {V}\n"),
 ("ps-env", "setup.ps1", '$env:{U} = "{V}"\n'),
 ("ps-var", "setup.ps1", "${c} = '{V}'\n"),
 ("bat-set", "setup.bat", "@echo off\nset {U}={V}\n"),
 ("bat-set-q", "setup.cmd", 'set "{U}={V}"\n'),
 ("make-q", "Makefile", "{U} ?= {V}\n"),
 ("make-colon", "Makefile", "{U} := {V}\n"),
 ("make-export", "Makefile", "export {U} = {V}\n"),
 ("docker-env", "Dockerfile", "FROM alpine\nENV {U}={V}\n"),
 ("docker-env-space", "Dockerfile", "FROM alpine\nENV {U} {V}\n"),
 ("docker-arg", "Dockerfile", "FROM alpine\nARG {U}={V}\n"),
 ("dotenv", ".env", "{U}={V}\n"),
 ("dotenv-q", ".env.local", '{U}="{V}"\n'),
 ("dotenv-export", ".env", "export {U}='{V}'\n"),
 ("ini", "settings.ini", "[default]\n{s} = {V}\n"),
 ("ini-cfg", "setup.cfg", "[service]\n{s}={V}\n"),
 ("toml", "config.toml", '[service]\n{s} = "{V}"\n'),
 ("yaml", "config.yml", "service:\n  {s}: {V}\n"),
 ("yaml-q", "config.yaml", 'service:\n  {s}: "{V}"\n'),
 ("yaml-sq", "config.yaml", "service:\n  {c}: '{V}'\n"),
 ("yaml-block", "config.yaml", "service:\n  {s}: |\n    {V}\n"),
 ("yaml-list-env", "docker-compose.yml", "services:\n  web:\n    environment:\n      - {U}={V}\n"),
 ("yaml-k8s", "deploy.yaml", "env:\n  - name: {U}\n    value: \"{V}\"\n"),
 ("yaml-gha", "ci.yml", "env:\n  {U}: {V}\n"),
 ("json", "config.json", '{{\n  "{c}": "{V}"\n}}\n'),
 ("json-snake", "config.json", '{{"service": {{"{s}": "{V}"}}}}\n'),
 ("json5", "config.json5", "{{\n  {c}: '{V}',\n}}\n"),
 ("hcl", "main.tf", 'resource "x" "y" {{\n  {s} = "{V}"\n}}\n'),
 ("hcl-var", "variables.tf", 'variable "{s}" {{\n  default = "{V}"\n}}\n'),
 ("tfvars", "prod.tfvars", '{s} = "{V}"\n'),
 ("xml-elem", "config.xml", "<config>\n  <{c}>{V}</{c}>\n</config>\n"),
 ("xml-attr", "app.config", '<appSettings>\n  <add key="{P}" value="{V}" />\n</appSettings>\n'),
 ("xml-attr2", "config.xml", '<service {c}="{V}" />\n'),
 ("properties", "application.properties", "{d}={V}\n"),
 ("properties-colon", "app.properties", "{c}: {V}\n"),
 ("py-dict", "settings.py", 'CONFIG = {{\n    "{s}": "{V}",\n}}\n'),
 ("py-kwargs", "client.py", 'client = Client({s}="{V}")\n'),
 ("py-classattr", "config.py", 'class Config:\n    {U} = "{V}"\n'),
 ("py-setdefault", "app.py", 'import os\nos.environ.setdefault("{U}", "{V}")\n'),
 ("py-environ", "app.py", "import os\nos.environ['{U}'] = '{V}'\n"),
 ("py-getenv", "app.py", "import os\n{s} = os.getenv('{U}', '{V}')\n"),
 ("js-object", "config.js", 'const config = {{\n  {c}: "{V}",\n}};\n'),
 ("js-const", "index.js", "const {c} = '{V}';\n"),
 ("js-or", "index.js", 'const {c} = process.env.{U} || "{V}";\n'),
 ("js-template", "index.js", "const {c} = `{V}`;\n"),
 ("js-orassign", "index.js", "config.{c} ||= '{V}';\n"),
 ("js-nullish", "index.ts", "options.{c} ??= \"{V}\";\n"),
 ("ts-field", "service.ts", 'export class Service {{\n  private readonly {c}: string = "{V}";\n}}\n'),
 ("go-struct", "main.go", 'cfg := Config{{\n\t{P}: "{V}",\n}}\n'),
 ("go-const", "config.go", 'const {c} = "{V}"\n'),
 ("go-map", "main.go", 'm := map[string]string{{"{s}": "{V}"}}\n'),
 ("java-field", "Config.java", 'private static final String {U} = "{V}";\n'),
 ("java-value", "Config.java", '@Value("${{{d}:{V}}}")\nprivate String {c};\n'),
 ("java-builder", "Client.java", 'Client c = Client.builder().{c}("{V}").build();\n'),
 ("java-put", "Main.java", 'props.put("{d}", "{V}");\n'),
 ("kotlin", "Config.kt", 'const val {U} = "{V}"\n'),
 ("kotlin-val", "Main.kt", 'val {c} = "{V}"\n'),
 ("swift", "Config.swift", 'let {c} = "{V}"\n'),
 ("swift-static", "Config.swift", 'static let {c}: String = "{V}"\n'),
 ("objc", "Config.m", 'NSString *const k{P} = @"{V}";\n'),
 ("objc-dict", "App.m", '[dict setObject:@"{V}" forKey:@"{c}"];\n'),
 ("c-define", "config.h", '#define {U} "{V}"\n'),
 ("c-char", "main.c", 'static const char *{s} = "{V}";\n'),
 ("cpp-string", "main.cpp", 'const std::string {c} = "{V}";\n'),
 ("cs-prop", "Settings.cs", 'public string {P} {{ get; set; }} = "{V}";\n'),
 ("cs-dict", "Program.cs", 'var d = new Dictionary<string, string> {{\n    {{ "{P}", "{V}" }},\n}};\n'),
 ("cs-index", "Program.cs", 'var d = new Dictionary<string, string> {{\n    ["{P}"] = "{V}",\n}};\n'),
 ("cs-const", "Keys.cs", 'private const string {P} = "{V}";\n'),
 ("appsettings", "appsettings.json", '{{\n  "Service": {{\n    "{P}": "{V}"\n  }}\n}}\n'),
 ("php-array", "config.php", "<?php\nreturn [\n    '{s}' => '{V}',\n];\n"),
 ("php-define", "config.php", "<?php\ndefine('{U}', '{V}');\n"),
 ("php-env", "index.php", "<?php\n$_ENV['{U}'] = '{V}';\n"),
 ("php-var", "index.php", '<?php\n${c} = "{V}";\n'),
 ("ruby-rocket", "config.rb", "CONFIG = {{ :{s} => '{V}' }}\n"),
 ("ruby-symbol", "config.rb", "CONFIG = {{ {s}: '{V}' }}\n"),
 ("ruby-fetch", "app.rb", "{s} = ENV.fetch('{U}', '{V}')\n"),
 ("ruby-orassign", "app.rb", "@{s} ||= '{V}'\n"),
 ("ruby-config", "initializer.rb", "config.{s} = '{V}'\n"),
 ("rust-const", "main.rs", 'const {U}: &str = "{V}";\n'),
 ("rust-let", "main.rs", 'let {s} = String::from("{V}");\n'),
 ("scala", "Main.scala", 'val {c} = "{V}"\n'),
 ("scala-env", "Main.scala", 'val {c} = sys.env.getOrElse("{U}", "{V}")\n'),
 ("elixir", "config.exs", 'config :app, {s}: "{V}"\n'),
 ("erlang", "sys.config", '[{{app, [{{{s}, "{V}"}}]}}].\n'),
 ("erlang-define", "app.erl", '-define({U}, "{V}").\n'),
 ("haskell", "Config.hs", '{c} :: String\n{c} = "{V}"\n'),
 ("lua", "config.lua", 'local {s} = "{V}"\n'),
 ("lua-table", "config.lua", 'return {{\n  {s} = "{V}",\n}}\n'),
 ("perl", "app.pl", "my ${s} = '{V}';\n"),
 ("perl-hash", "app.pl", "my %c = ( '{s}' => '{V}' );\n"),
 ("perl-env", "app.pl", "$ENV{{'{U}'}} = '{V}';\n"),
 ("r-arrow", "script.R", '{s} <- "{V}"\n'),
 ("r-setenv", "script.R", 'Sys.setenv({U} = "{V}")\n'),
 ("sql-insert", "seed.sql", "INSERT INTO settings (name, value) VALUES ('{s}', '{V}');\n"),
 ("sql-update", "seed.sql", "UPDATE config SET {s} = '{V}' WHERE id = 1;\n"),
 ("curl-header", "call.sh", "curl -H '{H}: {V}' https://api.example.com/v1/items\n"),
 ("curl-header-dq", "README.md", 'curl -X POST -H "{H}: {V}" https://api.example.com/v1/items\n'),
 ("http-dump", "request.http", "GET /v1/items HTTP/1.1\nHost: api.example.com\n{H}: {V}\n"),
 ("url-query", "links.txt", "https://api.example.com/v1/data?{s}={V}&format=json\n"),
 ("md-fence", "README.md", "Set it:\n\n```bash\nexport {U}={V}\n```\n"),
 ("ipynb", "nb.ipynb", '{{"cells": [{{"cell_type": "code", "source": ["import os\\n", "os.environ[\\"{U}\\"] = \\"{V}\\"\\n"]}}]}}\n'),
 ("ipynb-assign", "nb.ipynb", '{{"cells": [{{"cell_type": "code", "source": ["{s} = \\"{V}\\"\\n", "client = Client({s})\\n"]}}]}}\n'),
 ("log", "app.log", "2024-03-01 12:00:01 INFO request sent {c}={V} status=200\n"),
 ("groovy", "build.gradle", "ext {{\n    {c} = '{V}'\n}}\n"),
 ("clojure", "core.clj", '(def {k} "{V}")\n'),
 ("dart", "config.dart", "const {c} = '{V}';\n"),
 ("vb", "Module1.vb", 'Dim {c} As String = "{V}"\n'),
 ("csv", "keys.csv", "name,value\n{s},{V}\n"),
 ("nginx", "site.conf", "proxy_set_header {H} {V};\n"),
 ("sh-default", "start.sh", 'export {U}="${{{U}:-{V}}}"\n'),
 ("compose-default", "docker-compose.yml", "services:\n  web:\n    environment:\n      - {U}=${{{U}:-{V}}}\n"),
 ("spring-yaml-default", "application.yml", "app:\n  {k}: ${{{U}:{V}}}\n"),
 ("elixir-tuple", "config.exs", 'config :app, creds: [{{:{s}, "{V}"}}]\n'),
 ("perl-hash-self", "Client.pm", "$self->{{{s}}} = '{V}';\n"),
 ("swift-defaults", "App.swift", 'UserDefaults.standard.set("{V}", forKey: "{c}")\n'),
 ("vb-const", "Module1.vb", 'Private Const {U} As String = "{V}"\n'),
 ("r-list", "script.R", 'creds <- list({s} = "{V}")\n'),
 ("fetch-headers", "api.js", "fetch(url, {{ headers: {{ '{H}': '{V}' }} }});\n"),
 ("py-requests-headers", "api.py", 'requests.get(url, headers={{"{H}": "{V}"}})\n'),
 ("ruby-hash-str", "config.rb", "CONFIG = {{ '{s}' => '{V}' }}\n"),
 ("go-setenv", "main.go", 'os.Setenv("{U}", "{V}")\n'),
 ("kotlin-map", "Main.kt", 'val m = mapOf("{c}" to "{V}")\n'),
 ("scala-map", "Main.scala", 'val m = Map("{c}" -> "{V}")\n'),
 ("rust-struct", "main.rs", 'let c = Config {{ {s}: "{V}".to_string() }};\n'),
 ("java-props-file", "config.properties", "{d} = {V}\n"),
 ("yaml-nested-camel", "serverless.yml", "provider:\n  environment:\n    {U}: '{V}'\n"),
 ("gh-actions-with", "ci.yml", "      - uses: some/action@v1\n        with:\n          {k}: {V}\n"),
 ("ansible-vars", "vars.yml", "{s}: \"{V}\"\n"),
 ("docker-run", "run.sh", "docker run -e {U}={V} image:latest\n"),
 ("cli-flag", "run.sh", "./tool --{k} {V} --verbose\n"),
 ("cli-flag-eq", "run.sh", "./tool --{k}={V}\n"),
 ("heroku-config", "setup.sh", "heroku config:set {U}={V}\n"),
 ("kubectl-secret", "setup.sh", "kubectl create secret generic app --from-literal={s}={V}\n"),
 ("nix", "default.nix", '{{\n  {c} = "{V}";\n}}\n'),
 ("jsonnet", "config.jsonnet", "{{\n  {c}: '{V}',\n}}\n"),
 ("php-const", "Config.php", "<?php\nclass Config {{\n    const {U} = '{V}';\n}}\n"),
 ("php-putenv", "index.php", "<?php\nputenv('{U}={V}');\n"),
 ("cs-env", "Program.cs", 'Environment.SetEnvironmentVariable("{U}", "{V}");\n'),
 ("java-setprop", "Main.java", 'System.setProperty("{d}", "{V}");\n'),
 ("py-fstring-url", "api.py", 'url = f"https://api.example.com/v1?{s}={V}"\n'),
 ("toml-inline", "config.toml", '{s} = {{ value = "{V}" }}\n'),
 ("ini-colon", "config.cfg", "[auth]\n{s}: {V}\n"),
 ("xml-spring", "beans.xml", '<property name="{c}" value="{V}"/>\n'),
 ("yaml-anchor-list", "config.yml", "keys:\n  - {s}: {V}\n"),
]
NEG = ["your-api-key", "<token>", "${{{U}}}", "xxxxxxxxxxxxxxxxxxxxxxxx", "sk-...", "YOUR_{U}_HERE",
       "<your-{k}>", "{{{{ secrets.{U} }}}}", "changeme", "REPLACE_ME_WITH_REAL_KEY"]

def main():
    out, binp = sys.argv[1], sys.argv[2]
    neg = "--neg" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
    shutil.rmtree(out, ignore_errors=True)
    cases = {}
    i = 0
    for syn, fname, tpl in T:
        if only and not re.search(only, syn): continue
        for name in NAMES:
            st = styles(name)
            shapes = [(k, f()) for k, f in VALUES.items()] if not neg else [("neg", n.format(**st)) for n in NEG]
            for shape, v in shapes:
                d = f"{out}/{i:05d}"
                os.makedirs(d)
                with open(f"{d}/{fname}", "w") as fh:
                    fh.write(tpl.format(V=v, **st))
                cases[f"{i:05d}"] = (syn, name, shape, v)
                i += 1
    r = subprocess.run([binp, "scan", out, "--format", "json", "--show-secrets", "--no-ignore", "--exit-zero", "--no-baseline"],
                       capture_output=True, text=True)
    js = json.loads(r.stdout[: r.stdout.rindex("}") + 1]) if r.stdout.strip().startswith("{") else json.loads(r.stdout)
    got = collections.defaultdict(list)
    for f in js["findings"]:
        got[f["path"].split("/")[0]].append((f["rule_id"], f["secret"]))
    by = collections.defaultdict(lambda: [0, 0, 0])  # syn -> [cases, exact, partial]
    byshape = collections.defaultdict(lambda: [0, 0, 0])
    byname = collections.defaultdict(lambda: [0, 0, 0])
    lost = []
    rules = collections.Counter()
    for cid, (syn, name, shape, v) in cases.items():
        fs = got.get(cid, [])
        exact = any(s == v for _, s in fs)
        part = not exact and any(s and (s in v or v in s) for _, s in fs)
        anyf = bool(fs)
        for t in (by[syn], byshape[shape], byname[name]):
            t[0] += 1; t[1] += exact if not neg else anyf; t[2] += part
        for rid, s in fs: rules[rid] += 1
        if not neg and not exact: lost.append((syn, name, shape, v, fs))
        if neg and anyf: lost.append((syn, name, shape, v, fs))
    tot = sum(t[0] for t in by.values()); ex = sum(t[1] for t in by.values())
    print(f"{'NEG ' if neg else ''}cases {tot} {'flagged' if neg else 'exact'} {ex} ({ex/tot:.3f})")
    for syn, t in sorted(by.items(), key=lambda kv: kv[1][1] / kv[1][0]):
        if neg and not t[1]: continue
        if not neg and t[1] == t[0]: continue
        print(f"  {syn:18} {t[1]:4}/{t[0]:4} partial {t[2]}")
    if not neg:
        for k, t in byshape.items(): print(f"  shape {k:8} {t[1]}/{t[0]}")
        for k, t in sorted(byname.items(), key=lambda kv: kv[1][1]): print(f"  name {k:22} {t[1]}/{t[0]}")
    print("  rules:", rules.most_common(12))
    json.dump(lost, open(out.rstrip("/") + ".lost.json", "w"))
    for l in lost[:show]: print("   ", l)

main()

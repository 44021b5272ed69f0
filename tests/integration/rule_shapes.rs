//! The shape matrix of the whole catalog: every rule with a regex, its own secret (taken from its
//! own true examples, as `leakguard rules --check` finds it), written in every shape real code and
//! config write credentials in (env lines, YAML, JSON, TOML, ini/properties, XML, assignments and
//! maps in ten languages, call arguments, CLI flags, HTTP headers, URLs, compose/Kubernetes
//! manifests, Terraform, Markdown, comments, concatenation), one file per (rule, shape), one scan of
//! the whole tree by the real binary.
//!
//! Rules are discovered, not listed, so a rule added tomorrow is held to the matrix too. Each rule
//! falls in one class, from its own examples and keywords:
//! - format: the secret carries one of the rule's keywords (`sk_live_…`): it must be found in every
//!   shape, with or without a name;
//! - structured: the secret sits in a token that carries a keyword (`postgres://u:SECRET@h/db`, a
//!   webhook URL): that token is written, and must be found in every shape;
//! - named: the rule needs a name (`ETSY_API_KEY = …`), taken from its own example and written in
//!   every casing the shape uses: it must be found in every shape that carries the name on the
//!   value's line, and in every shape that splits the name over the lines above the value (a
//!   parent YAML key or JSON object, a TOML section, `name:`/`value:` lines, `variable "x" {
//!   default = … }`, an open parenthesis), which the engine joins into the value's key path
//!   (src/keypath.rs). Shapes that split the name on one line (the vendor in a class name and the
//!   kind in a keyword argument, an element and its attribute) are reported, not required;
//! - idiom: none of the above (`new NetworkCredential("u", "p")`, `PGPASSWORD=… psql`): the rule
//!   matches one construct, which its own examples test; left out here.
//!
//! A pair is found when the shape's file has a finding of the rule, or of a rule at least as
//! specific (a generic rule's secret found by another generic rule, a vendor-context rule's by the
//! vendor's format rule), whose secret holds the value. The test fails on any expected pair missed
//! that is not in EXCEPTIONS (each with its reason), and on any exception that no longer misses.

use crate::common::*;
use leakguard::{Engine, RuleSet};
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// The name stands on the value's line, before it.
    Named,
    /// The name is split over the lines above the value (parent keys, a section, a `name:` entry,
    /// a block's label, an open parenthesis): the engine joins it into the value's key path
    /// (src/keypath.rs).
    Path,
    /// The name is split from the value in a way no key path joins (vendor and kind apart on one
    /// line: a class name and a keyword argument, an element and its attribute), or stands before
    /// it with no operator between (`(def api-key "…")`).
    Split,
    /// The value split into string literals over lines (`"abc" +` over `"def";`, Python's and C's
    /// adjacent literals, a quoted shell value continued with `\`), the name on the first line or
    /// the line above: the engine joins the pieces (src/joinlit.rs).
    Joined,
    /// No name at all.
    Bare,
}

/// (shape, file extension, kind, characters of a value the shape cannot carry as is, template).
/// Templates: `{S}` SCREAMING_SNAKE, `{s}` snake, `{c}` camelCase, `{P}` PascalCase, `{k}` kebab,
/// `{d}` dotted, `{H}` Header-Case, `{vendor}`/`{Vendor}` the name's first word, `{kind_s}`/
/// `{kind_c}` the rest; `{v}` the value, `{v1}` and `{v2}` its halves.
const SHAPES: &[(&str, &str, Kind, &str, &str)] = &[
    ("env", "env", Kind::Named, " #", "{S}={v}\n"),
    ("env-quoted", "env", Kind::Named, "\"\\", "{S}=\"{v}\"\n"),
    ("export", "sh", Kind::Named, "\"\\$`", "export {S}=\"{v}\"\n"),
    ("shell-inline", "sh", Kind::Named, "'", "{S}='{v}' ./run.sh\n"),
    ("yaml", "yaml", Kind::Named, " #", "app:\n  {s}: {v}\n"),
    ("yaml-quoted", "yml", Kind::Named, "\"\\", "app:\n  {s}: \"{v}\"\n"),
    ("yaml-single", "yml", Kind::Named, "'", "app:\n  {s}: '{v}'\n"),
    ("yaml-nested", "yaml", Kind::Path, " #", "production:\n  {vendor}:\n    {kind_s}: {v}\n"),
    ("yaml-list", "yaml", Kind::Path, " #", "{s}:\n  - {v}\n"),
    (
        "compose-list",
        "yml",
        Kind::Named,
        " #",
        "services:\n  app:\n    image: app:latest\n    environment:\n      - {S}={v}\n",
    ),
    (
        "compose-map",
        "yml",
        Kind::Named,
        "\"\\",
        "services:\n  app:\n    environment:\n      {S}: \"{v}\"\n",
    ),
    ("k8s-env", "yaml", Kind::Path, "\"\\", "env:\n  - name: {S}\n    value: \"{v}\"\n"),
    (
        "k8s-secret",
        "yaml",
        Kind::Named,
        " #",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\nstringData:\n  {k}: {v}\n",
    ),
    ("json", "json", Kind::Named, "\"\\", "{\n  \"{c}\": \"{v}\"\n}\n"),
    (
        "json-nested",
        "json",
        Kind::Named,
        "\"\\",
        "{\n  \"config\": {\n    \"services\": {\n      \"{c}\": \"{v}\"\n    }\n  }\n}\n",
    ),
    ("json-split", "json", Kind::Path, "\"\\", "{\n  \"{vendor}\": {\n    \"{kind_c}\": \"{v}\"\n  }\n}\n"),
    ("json-compact", "json", Kind::Named, "\"\\", "{\"id\":1,\"{c}\":\"{v}\",\"ok\":true}\n"),
    // A JSON document inside a JSON string (a logged request body, a serialized setting).
    ("json-escaped", "json", Kind::Named, "\"\\", "{\"body\": \"{\\\"{c}\\\": \\\"{v}\\\"}\"}\n"),
    ("toml", "toml", Kind::Named, "\"\\", "[app]\n{s} = \"{v}\"\n"),
    ("toml-split", "toml", Kind::Path, "\"\\", "[{vendor}]\n{kind_s} = \"{v}\"\n"),
    ("ini", "ini", Kind::Named, " ;#", "[default]\n{s} = {v}\n"),
    ("properties", "properties", Kind::Named, " #", "{d}={v}\n"),
    ("properties-colon", "properties", Kind::Named, " #", "{d}: {v}\n"),
    ("xml-element", "xml", Kind::Named, "<&\"", "<config>\n  <{P}>{v}</{P}>\n</config>\n"),
    (
        "xml-attr",
        "config",
        Kind::Named,
        "<&\"",
        "<appSettings>\n  <add key=\"{P}\" value=\"{v}\" />\n</appSettings>\n",
    ),
    // The vendor is the element, the kind its attribute: the name is split.
    ("xml-attr-own", "xml", Kind::Split, "<&\"", "<{vendor} {kind_c}=\"{v}\" />\n"),
    ("python", "py", Kind::Named, "\"\\", "{S} = \"{v}\"\n"),
    ("python-dict", "py", Kind::Named, "\"\\", "CONFIG = {\"{s}\": \"{v}\"}\n"),
    // The vendor in the class name, the kind in the keyword argument: the name is split.
    ("python-kwarg", "py", Kind::Split, "\"\\", "client = {Vendor}Client({kind_s}=\"{v}\")\n"),
    ("python-getenv", "py", Kind::Named, "\"\\", "{s} = os.environ.get(\"{S}\", \"{v}\")\n"),
    ("python-continued", "py", Kind::Path, "\"\\", "{S} = (\n    \"{v}\"\n)\n"),
    ("js", "js", Kind::Named, "'\\", "const {c} = '{v}';\n"),
    ("js-object", "js", Kind::Named, "\"\\", "module.exports = {\n  {c}: \"{v}\",\n};\n"),
    ("js-fallback", "js", Kind::Named, "\"\\", "const key = process.env.{S} || \"{v}\";\n"),
    ("ts", "ts", Kind::Named, "\"\\", "export const {c}: string = \"{v}\";\n"),
    ("go", "go", Kind::Named, "\"\\", "package main\n\nconst {c} = \"{v}\"\n"),
    ("go-map", "go", Kind::Named, "\"\\", "var env = map[string]string{\"{S}\": \"{v}\"}\n"),
    ("go-struct", "go", Kind::Named, "\"\\", "cfg := Config{\n\t{P}: \"{v}\",\n}\n"),
    ("go-setenv", "go", Kind::Named, "\"\\", "os.Setenv(\"{S}\", \"{v}\")\n"),
    ("java", "java", Kind::Named, "\"\\", "private static final String {S} = \"{v}\";\n"),
    ("java-put", "java", Kind::Named, "\"\\", "props.put(\"{d}\", \"{v}\");\n"),
    ("ruby", "rb", Kind::Named, "'\\", "{S} = '{v}'\n"),
    ("ruby-hash", "rb", Kind::Named, "'\\", "config = { {s}: '{v}' }\n"),
    ("ruby-fetch", "rb", Kind::Named, "\"\\#", "key = ENV.fetch(\"{S}\", \"{v}\")\n"),
    ("php", "php", Kind::Named, "'\\", "<?php\n${c} = '{v}';\n"),
    ("php-array", "php", Kind::Named, "'\\", "<?php\nreturn [\n    '{s}' => '{v}',\n];\n"),
    ("php-define", "php", Kind::Named, "'\\", "<?php\ndefine('{S}', '{v}');\n"),
    ("csharp", "cs", Kind::Named, "\"\\", "public const string {P} = \"{v}\";\n"),
    ("rust", "rs", Kind::Named, "\"\\", "const {S}: &str = \"{v}\";\n"),
    ("cli", "sh", Kind::Named, " '\"\\$`;&|", "mytool deploy --{k} {v}\n"),
    ("cli-eq", "sh", Kind::Named, " '\"\\$`;&|", "mytool deploy --{k}={v}\n"),
    (
        "header-bearer",
        "sh",
        Kind::Bare,
        " \"\\",
        "curl -H \"Authorization: Bearer {v}\" https://api.example.com/v1/me\n",
    ),
    ("header-custom", "sh", Kind::Named, " \"\\", "curl -H \"X-{H}: {v}\" https://api.example.com/v1/me\n"),
    ("url-query", "txt", Kind::Named, " &#", "GET https://api.example.com/v1/items?{s}={v}&page=2\n"),
    ("url-userinfo", "txt", Kind::Bare, " /@:?#", "https://deploy:{v}@git.example.com/org/repo.git\n"),
    ("terraform", "tf", Kind::Named, "\"\\$", "resource \"x_app\" \"main\" {\n  {s} = \"{v}\"\n}\n"),
    ("terraform-var", "tf", Kind::Path, "\"\\$", "variable \"{s}\" {\n  default = \"{v}\"\n}\n"),
    ("markdown", "md", Kind::Named, " `", "Set it:\n\n```bash\nexport {S}={v}\n```\n"),
    ("comment-hash", "py", Kind::Named, " ", "# {S}={v}\n"),
    ("comment-slash", "js", Kind::Named, "\"\\", "// {c}: \"{v}\"\n"),
    ("concat", "js", Kind::Bare, "\"\\", "const auth = \"Bearer \" + \"{v}\";\n"),
    // Split into literals over lines, as long keys and tokens are written in tests and configs.
    (
        "concat-java",
        "java",
        Kind::Joined,
        "\"\\",
        "private static final String {S} = \"{v1}\" +\n        \"{v2}\";\n",
    ),
    ("concat-js", "js", Kind::Joined, "'\\", "const {c} = '{v1}' +\n  '{v2}';\n"),
    (
        "concat-leading-plus",
        "cs",
        Kind::Joined,
        "\"\\",
        "public const string {P} = \"{v1}\"\n    + \"{v2}\";\n",
    ),
    ("concat-go", "go", Kind::Joined, "\"\\", "var {c} = \"{v1}\" +\n\t\"{v2}\"\n"),
    ("concat-kotlin", "kt", Kind::Joined, "\"\\$", "val {c} = \"{v1}\" +\n    \"{v2}\"\n"),
    ("concat-php", "php", Kind::Joined, "'\\", "<?php\n${c} = '{v1}' .\n    '{v2}';\n"),
    ("python-implicit", "py", Kind::Joined, "\"\\", "{S} = (\n    \"{v1}\"\n    \"{v2}\"\n)\n"),
    ("c-adjacent", "c", Kind::Joined, "\"\\", "static const char *{s} =\n    \"{v1}\"\n    \"{v2}\";\n"),
    ("shell-continued", "sh", Kind::Joined, "\"\\$`", "export {S}=\"{v1}\\\n{v2}\"\n"),
    ("yaml-folded", "yaml", Kind::Joined, " #", "app:\n  {s}: >-\n    {v}\n"),
    ("yaml-literal", "yml", Kind::Joined, " #", "{s}: |\n  {v}\n"),
    ("yaml-quoted-continued", "yaml", Kind::Joined, "\"\\", "{s}: \"{v1}\\\n  {v2}\"\n"),
    ("concat-bare", "ts", Kind::Bare, "'\\", "headers.push('{v1}' +\n  '{v2}');\n"),
    // Shapes audited for issue 17's held-out measure (docs/engine.md "Shapes of real files").
    // A Jupyter notebook: each code line is a JSON string, its quotes escaped, ending in `\n",`.
    (
        "ipynb",
        "ipynb",
        Kind::Named,
        "\"\\",
        "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"metadata\": {},\n   \"source\": [\n    \"import os\\n\",\n    \"{S} = \\\"{v}\\\"\\n\",\n    \"print(1)\"\n   ]\n  }\n ]\n}\n",
    ),
    (
        "ipynb-environ",
        "ipynb",
        Kind::Named,
        "\"\\",
        "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"os.environ[\\\"{S}\\\"] = \\\"{v}\\\"\\n\"\n   ]\n  }\n ]\n}\n",
    ),
    ("python-environ", "py", Kind::Named, "\"\\", "import os\nos.environ[\"{S}\"] = \"{v}\"\n"),
    // A log line holding an escaped JSON document.
    (
        "log-escaped-json",
        "log",
        Kind::Named,
        "\"\\",
        "2024-05-01T10:00:00Z INFO request body=\"{\\\"user\\\":\\\"ann\\\",\\\"{c}\\\":\\\"{v}\\\"}\"\n",
    ),
    (
        "xml-entry",
        "xml",
        Kind::Named,
        "<&\"",
        "<properties>\n  <entry key=\"{d}\">{v}</entry>\n</properties>\n",
    ),
    (
        "xml-property",
        "xml",
        Kind::Named,
        "<&\"",
        "<beans>\n  <property name=\"{c}\" value=\"{v}\"/>\n</beans>\n",
    ),
    (
        "compose-list-quoted",
        "yml",
        Kind::Named,
        " #\"\\",
        "services:\n  app:\n    environment:\n      - \"{S}={v}\"\n",
    ),
    ("k8s-env-bare", "yaml", Kind::Path, " #", "containers:\n  - name: app\n    env:\n      - name: {S}\n        value: {v}\n"),
    ("terraform-heredoc", "tf", Kind::Named, " \"\\$", "locals {\n  {s} = <<EOT\n{v}\nEOT\n}\n"),
    ("dockerfile-env", "Dockerfile", Kind::Named, " \"\\$", "FROM alpine:3.19\nENV {S}={v}\n"),
    ("dockerfile-env-space", "Dockerfile", Kind::Named, " \"\\$", "FROM alpine:3.19\nENV {S} {v}\n"),
    ("dockerfile-arg", "Dockerfile", Kind::Named, " \"\\$", "FROM alpine:3.19\nARG {S}={v}\n"),
    ("powershell", "ps1", Kind::Named, "\"`$", "$env:{S} = \"{v}\"\n"),
    ("windows-set", "bat", Kind::Named, " %^&|<>\"", "@echo off\nset {S}={v}\n"),
    ("windows-setx", "cmd", Kind::Named, " %^&|<>\"", "setx {S} \"{v}\"\n"),
    ("http-header", "http", Kind::Named, " ", "GET /v1/me HTTP/1.1\nHost: api.example.com\nX-{H}: {v}\n"),
    ("url-query-mid", "txt", Kind::Named, " &#\"", "curl \"https://api.example.com/v1/items?{s}={v}&page=2\"\n"),
    ("markdown-table", "md", Kind::Named, " |`", "| Name | Value |\n|------|-------|\n| `{S}` | `{v}` |\n"),
    ("markdown-inline", "md", Kind::Named, " `", "Set `{S}={v}` in your shell.\n"),
    ("csv-header", "csv", Kind::Split, " ,\"", "id,name,{s}\n1,app,{v}\n"),
    // Nested names in code whose first lines are imports, not keys.
    (
        "python-settings-dict",
        "py",
        Kind::Path,
        "\"\\",
        "import os\nimport sys\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).parent\n\nSETTINGS = {\n    \"{vendor}\": {\n        \"{kind_s}\": \"{v}\",\n    },\n}\n",
    ),
    (
        "js-exports-nested",
        "js",
        Kind::Path,
        "'\\",
        "const path = require('path');\nconst fs = require('fs');\n\nmodule.exports = {\n  root: path.join(__dirname, 'src'),\n  {vendor}: {\n    {kind_c}: '{v}',\n  },\n};\n",
    ),
    // A client built over lines: the vendor in the callee, the kind in an argument's name. The key
    // path joins them (`CohereClient.api_key`, src/keypath.rs) but, as on one line, a rule written
    // for `VENDOR_API_KEY` reads it only when it allows a word between (tests/integration/
    // key_paths.rs holds the joins themselves): reported, not required.
    (
        "python-kwarg-lines",
        "py",
        Kind::Split,
        "\"\\",
        "import os\n\nclient = {Vendor}Client(\n    {kind_s}=\"{v}\",\n    timeout=30,\n)\n",
    ),
    ("js-new-options", "js", Kind::Split, "'\\", "const client = new {Vendor}({\n  {kind_c}: '{v}',\n});\n"),
    ("go-struct-split", "go", Kind::Split, "\"\\", "cfg := {Vendor}Config{\n\t{kind_c}: \"{v}\",\n}\n"),
    // Stop 20: the assignment syntaxes of more languages and tools (issue 17's held-out measure
    // reads real repositories in every language; CredData's Scala, Objective-C, C# and SQL files
    // were found least).
    ("ruby-env-or", "rb", Kind::Named, "'\\", "ENV['{S}'] ||= '{v}'\n"),
    ("ruby-ivar-or", "rb", Kind::Named, "\"\\#", "@{s} ||= \"{v}\"\n"),
    ("ruby-symbol-arrow", "rb", Kind::Named, "\"\\#", "config = { :{s} => \"{v}\" }\n"),
    ("js-template", "js", Kind::Named, "`\\$", "const {c} = `{v}`;\n"),
    ("js-nullish", "js", Kind::Named, "\"\\", "const key = process.env.{S} ?? \"{v}\";\n"),
    ("node-env-assign", "js", Kind::Named, "'\\", "process.env.{S} = '{v}';\n"),
    ("kotlin", "kt", Kind::Named, "\"\\$", "const val {S} = \"{v}\"\n"),
    ("swift", "swift", Kind::Named, "\"\\", "let {c} = \"{v}\"\n"),
    ("scala", "scala", Kind::Named, "\"\\$", "val {c} = \"{v}\"\n"),
    ("groovy-env", "groovy", Kind::Named, "'\\$", "environment {\n    {S} = '{v}'\n}\n"),
    ("dart", "dart", Kind::Named, "'\\$", "const {c} = '{v}';\n"),
    ("csharp-verbatim", "cs", Kind::Named, "\"", "var {c} = @\"{v}\";\n"),
    // An auto-property's accessors between the name and `=`: reported, not required yet. A pattern
    // for them changed which lines the engine lets a rule's match cross (docs/engine.md, stop 20),
    // so the rules wait for that fix.
    ("csharp-property", "cs", Kind::Split, "\"\\", "public string {P} { get; set; } = \"{v}\";\n"),
    (
        "csharp-dict",
        "cs",
        Kind::Named,
        "\"\\",
        "var cfg = new Dictionary<string, string>\n{\n    { \"{P}\", \"{v}\" },\n};\n",
    ),
    ("csharp-setenv", "cs", Kind::Named, "\"\\", "Environment.SetEnvironmentVariable(\"{S}\", \"{v}\");\n"),
    // Without Apple's `k` prefix: the vendor-context template (src/engine/vendorword.rs) wants a word
    // boundary before the vendor's name, so `kStripeKey` is read only by the rules that allow it.
    ("objc", "m", Kind::Named, "\"\\", "static NSString *const {P} = @\"{v}\";\n"),
    ("c-define", "h", Kind::Named, "\"\\", "#define {S} \"{v}\"\n"),
    ("python-annotated", "py", Kind::Named, "\"\\", "{S}: str = \"{v}\"\n"),
    ("python-call-kwarg", "py", Kind::Named, "\"\\", "client = Client({s}=\"{v}\")\n"),
    ("python-headers", "py", Kind::Named, "\"\\", "resp = requests.get(url, headers={\"X-{H}\": \"{v}\"})\n"),
    ("go-raw", "go", Kind::Named, "`", "const {c} = `{v}`\n"),
    ("go-header", "go", Kind::Named, "\"\\", "req.Header.Set(\"X-{H}\", \"{v}\")\n"),
    ("java-header", "java", Kind::Named, "\"\\", "request.setHeader(\"X-{H}\", \"{v}\");\n"),
    ("java-setproperty", "java", Kind::Named, "\"\\", "System.setProperty(\"{d}\", \"{v}\");\n"),
    ("php-const", "php", Kind::Named, "'\\", "<?php\nconst {S} = '{v}';\n"),
    ("php-putenv", "php", Kind::Named, "'\\", "<?php\nputenv('{S}={v}');\n"),
    ("rust-let", "rs", Kind::Named, "\"\\", "let {s} = String::from(\"{v}\");\n"),
    ("perl", "pl", Kind::Named, "'\\", "my ${s} = '{v}';\n"),
    ("r-assign", "R", Kind::Named, "\"\\", "{s} <- \"{v}\"\n"),
    ("lua", "lua", Kind::Named, "\"\\", "local {s} = \"{v}\"\n"),
    // A name and its value apart by a space alone (Clojure's `def`, nginx's directives): prose has
    // this shape too (`the token "…"`), so the named rules want an operator; reported, not required.
    ("clojure", "clj", Kind::Split, "\"\\", "(def {k} \"{v}\")\n"),
    ("elixir-config", "exs", Kind::Named, "\"\\#", "config :app, {s}: \"{v}\"\n"),
    ("powershell-var", "ps1", Kind::Named, "\"`$", "${c} = \"{v}\"\n"),
    ("toml-inline", "toml", Kind::Named, "\"\\", "app = { {s} = \"{v}\" }\n"),
    ("spring-default", "yml", Kind::Named, " #{}:$", "app:\n  {k}: ${{S}:{v}}\n"),
    ("makefile", "mk", Kind::Named, " #$", "{S} ?= {v}\n"),
    ("systemd", "service", Kind::Named, " \"\\%", "[Service]\nEnvironment=\"{S}={v}\"\n"),
    ("gha-with", "yml", Kind::Named, " #", "steps:\n  - uses: org/action@v1\n    with:\n      {k}: {v}\n"),
    ("docker-run-e", "sh", Kind::Named, " '\"\\$`;&|", "docker run -e {S}={v} app:latest\n"),
    ("helm-set", "sh", Kind::Named, " '\"\\$`;&|,", "helm upgrade app ./chart --set app.{c}={v}\n"),
    (
        "nginx-header",
        "conf",
        Kind::Split,
        " \";'\\$",
        "location / {\n    proxy_set_header X-{H} \"{v}\";\n}\n",
    ),
    ("bare", "txt", Kind::Bare, "", "{v}\n"),
    // Values wrapped in ANSI colour codes: a saved CI log's escape bytes, a script's `\e[` (the
    // engine reads such lines without their codes, src/ansi.rs).
    ("ansi-log", "log", Kind::Named, "", "\x1b[36mstep\x1b[0m env\n{S}=\x1b[32m{v}\x1b[0m\n"),
    ("ansi-bare", "log", Kind::Bare, "", "loaded \x1b[1;33m{v}\x1b[0m from vault\n"),
    ("ansi-echo", "sh", Kind::Named, "\"\\$`", "echo -e \"{S}=\\e[32m{v}\\e[0m\"\n"),
];

/// Shapes for a secret that spans lines (a PEM block): as is, a YAML block scalar, a JSON string
/// with `\n` escapes (a service-account file), a quoted env value, one string literal per line.
const MULTILINE_SHAPES: &[(&str, &str)] = &[
    ("ml-bare", "pem"),
    ("ml-yaml-block", "yaml"),
    ("ml-json-escaped", "json"),
    ("ml-env-quoted", "env"),
    // One literal per line, each with its `\n` escape, joined by the program (src/joinlit.rs).
    ("ml-java-concat", "java"),
    ("ml-js-concat", "js"),
    ("ml-python-implicit", "py"),
];

/// Why Duo's secret key is missed in nested shapes (stop 42, kb42): one reason for each shape.
const DUO_SHORT_NAME: &str =
    "a key-path walk starts only at a keyword line, judged from the bytes \
    around a keyword of four letters or more; here `duo` over `secret`/`key` holds none (stop 42, \
    kb42: Duo's own files name the value `skey`, which the rule reads on its line; the value is \
    still reported, by the generic key rules)";

/// Why a password holding an escape is missed in unquoted shapes (stop 44, corp44): one reason for
/// each shape.
const ESCAPE_NEEDS_A_QUOTED_LITERAL: &str =
    "password-with-escape reads a backslash or a quote escaped inside a quoted string literal \
    (JSON, code); this shape writes the value unquoted or as a block scalar (plain YAML, ini, \
    properties, a header, a query, a Makefile, a log or a comment), where a backslash is a plain \
    character and no escape; the rule's examples are quoted literals (stop 44, corp44: an \
    unquoted password holding a backslash is left, README)";

/// (rule, shape, why the pair is accepted as missed). Keep this short: a miss with a cause that can
/// be fixed in the engine or the rule is fixed, not listed.
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    // Stop 44 (corp44): an escape is read inside a quoted literal only.
    (
        "password-with-escape",
        "ansi-log",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "comment-hash",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "compose-list",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "gha-with",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "http-header",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "ini",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "k8s-env-bare",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "k8s-secret",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "makefile",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "properties",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "properties-colon",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "spring-default",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "url-query",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "url-query-mid",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "xml-property",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "yaml",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "yaml-folded",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "yaml-list",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "yaml-literal",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    (
        "password-with-escape",
        "yaml-nested",
        ESCAPE_NEEDS_A_QUOTED_LITERAL,
    ),
    // Stop 42 (kb42): Duo's name (`duo`) is three letters; the rule's keyword of four is `skey`.
    (
        "duo-security-secret-key",
        "js-exports-nested",
        DUO_SHORT_NAME,
    ),
    (
        "duo-security-secret-key",
        "json-split",
        DUO_SHORT_NAME,
    ),
    (
        "duo-security-secret-key",
        "python-settings-dict",
        DUO_SHORT_NAME,
    ),
    (
        "duo-security-secret-key",
        "toml-split",
        DUO_SHORT_NAME,
    ),
    (
        "duo-security-secret-key",
        "yaml-nested",
        DUO_SHORT_NAME,
    ),
    // Stop 40 (kb40): vendors whose name alone is too short or too common a keyword.
    (
        "ovh-api-credential",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword; here `ovh` over the value holds none of the rule's keywords of \
         four letters or more (stop 40, kb40: a keyword `ovh` would wake the rule on every file that says it, and OVH names start with it)",
    ),
    (
        "ovh-api-credential",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword; here `ovh` over the value holds none of the rule's keywords of \
         four letters or more (stop 40, kb40: a keyword `ovh` would wake the rule on every file that says it, and OVH names start with it)",
    ),
    (
        "hexpm-key",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword; here `hex` over the value holds none of the rule's keywords of \
         four letters or more (stop 40, kb40: a keyword `hex` would wake the rule on every file that says it; the rule's keywords are its full names (`hex_organization_key`, `hex_api_key`, `hexpm`))",
    ),
    (
        "hexpm-key",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword; here `hex` over the value holds none of the rule's keywords of \
         four letters or more (stop 40, kb40: a keyword `hex` would wake the rule on every file that says it; the rule's keywords are its full names (`hex_organization_key`, `hex_api_key`, `hexpm`))",
    ),
    // Stop 37 (kb37): vendors whose name alone is too short or too common a keyword.
    (
        "close-api-key",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `close` over the \
         value holds none of the rule's keywords of four letters or more (stop 37, kb37: a keyword \
         `close` would wake the rule on every file that says it)",
    ),
    (
        "close-api-key",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `close` over the \
         value holds none of the rule's keywords of four letters or more (stop 37, kb37: a keyword \
         `close` would wake the rule on every file that says it)",
    ),
    (
        "loops-api-key",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `loops` over the \
         value holds none of the rule's keywords of four letters or more (stop 37, kb37: a keyword \
         `loops` would wake the rule on every file that says it)",
    ),
    (
        "loops-api-key",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `loops` over the \
         value holds none of the rule's keywords of four letters or more (stop 37, kb37: a keyword \
         `loops` would wake the rule on every file that says it)",
    ),
    (
        "volcengine-ark-api-key",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `ark` over the \
         value holds none of the rule's keywords of four letters or more (stop 37, kb37: a keyword \
         `ark` would wake the rule on every file that says it)",
    ),
    (
        "volcengine-ark-api-key",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `ark` over the \
         value holds none of the rule's keywords of four letters or more (stop 37, kb37: a keyword \
         `ark` would wake the rule on every file that says it)",
    ),
    (
        "wpengine-api-key",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `wpe` over the \
         value holds none of the rule's keywords of four letters or more (stop 37, kb37: a keyword \
         `wpe` would wake the rule on every file that says it)",
    ),
    (
        "wpengine-api-key",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `wpe` over the \
         value holds none of the rule's keywords of four letters or more (stop 37, kb37: a keyword \
         `wpe` would wake the rule on every file that says it)",
    ),
    // Stop 20, the shapes of more languages (see SHAPES).
    (
        "akamai-edgegrid-client-secret",
        "c-define",
        "define-directive-secret reports the value (a `#define` has no operator)",
    ),
    (
        "salesforce-consumer-secret",
        "c-define",
        "define-directive-secret reports the value (a `#define` has no operator)",
    ),
    (
        "vendor-named-bare-credential-extra",
        "spring-default",
        "a Spring placeholder's default (`${X_PASSWORD:…}`): CredData labels them False (a compose example's development default), and reading `}` as a value's end took Go struct literals (`{Password: &v}`) for values; generic-secret-assignment reads a random default",
    ),
    (
        "jwt-secret-short",
        "spring-default",
        "a Spring placeholder's default (`${X_PASSWORD:…}`): CredData labels them False (a compose example's development default), and reading `}` as a value's end took Go struct literals (`{Password: &v}`) for values; generic-secret-assignment reads a random default",
    ),
    (
        "password-assignment",
        "spring-default",
        "a Spring placeholder's default (`${X_PASSWORD:…}`): CredData labels them False (a compose example's development default), and reading `}` as a value's end took Go struct literals (`{Password: &v}`) for values; generic-secret-assignment reads a random default",
    ),
    (
        "jwt-secret-short",
        "c-define",
        "define-directive-secret reports the value (a `#define` has no operator)",
    ),
    (
        "aws-secret-access-key",
        "c-define",
        "define-directive-secret reports the value (a `#define` has no operator)",
    ),
    (
        "jwt-secret-assignment",
        "c-define",
        "define-directive-secret reports the value (a `#define` has no operator)",
    ),
    (
        "token-encryption-key-assignment",
        "c-define",
        "define-directive-secret reports the value (a `#define` has no operator)",
    ),
    (
        "password-assignment",
        "c-define",
        "define-directive-secret reports the value (a `#define` has no operator)",
    ),
    (
        "hubspot-api-key-legacy",
        "c-define",
        "define-directive-secret reports the value (a `#define` has no operator)",
    ),
    (
        "vendor-named-api-credential",
        "c-define",
        "a `#define` has no operator, and this rule's regex is bound to its hand reader (src/engine/assign.rs); define-directive-secret reads api/access/auth/private key names",
    ),
    (
        "vendor-named-api-credential",
        "rust-let",
        "hand-read (src/engine/assign.rs, bound to its regex byte for byte, so its operators are the reader's): generic-key-assignment reports the value",
    ),
    (
        "vendor-named-api-credential",
        "spring-default",
        "hand-read (src/engine/assign.rs, bound to its regex byte for byte, so its operators are the reader's): generic-key-assignment reports the value",
    ),
    (
        "vendor-named-bare-credential-extra",
        "c-define",
        "the name is the vendor's alone (`ALIBABA`): with no operator after it, a `#define` of a bare vendor name is a feature switch more often than a key",
    ),
    (
        "generic-key-assignment",
        "c-define",
        "C headers define key codes and cache/lookup keys by the thousand (`#define KEY_ESCAPE …`, `#define CACHE_KEY \"…\"`); define-directive-secret reads api/access/auth/private key names",
    ),
    (
        "generic-key-assignment",
        "js-nullish",
        "the fallback shape (`process.env.X_KEY ?? \"…\"`) is generic-secret-assignment's only, as `||` is (js-fallback)",
    ),
    (
        "password-assignment",
        "docker-run-e",
        "password-in-text reports it (a value followed by more arguments on the line)",
    ),
    (
        "password-assignment",
        "php-putenv",
        "password-in-text reports it (`putenv('X_PASSWORD=…')` is a NAME=value text inside a string)",
    ),
    (
        "password-assignment",
        "systemd",
        "password-in-text reports it (`Environment=\"X_PASSWORD=…\"` is a NAME=value text inside a string)",
    ),
    (
        "cohere-api-key",
        "go-raw",
        "vendor-named-api-credential reports the value (a raw string literal in backticks)",
    ),
    (
        "cohere-api-key",
        "js-template",
        "vendor-named-api-credential reports the value (a template literal)",
    ),
    (
        "mistral-api-key",
        "go-raw",
        "vendor-named-api-credential reports the value (a raw string literal in backticks)",
    ),
    (
        "mistral-api-key",
        "js-template",
        "vendor-named-api-credential reports the value (a template literal)",
    ),
    (
        "weak-password-assignment",
        "csharp-dict",
        "the weak tier reads a password name's assignment with `=`, `:`, `=>` and the common setters; a weak word as a call's or a header's argument is too often a label or a test fixture",
    ),
    (
        "weak-password-assignment",
        "csharp-setenv",
        "the weak tier reads a password name's assignment with `=`, `:`, `=>` and the common setters; a weak word as a call's or a header's argument is too often a label or a test fixture",
    ),
    (
        "weak-password-assignment",
        "helm-set",
        "the weak tier reads a password name's assignment with `=`, `:`, `=>` and the common setters; a weak word as a call's or a header's argument is too often a label or a test fixture",
    ),
    (
        "weak-password-assignment",
        "java-header",
        "the weak tier reads a password name's assignment with `=`, `:`, `=>` and the common setters; a weak word as a call's or a header's argument is too often a label or a test fixture",
    ),
    (
        "weak-password-assignment",
        "makefile",
        "the weak tier reads a password name's assignment with `=`, `:`, `=>` and the common setters; a weak word as a call's or a header's argument is too often a label or a test fixture",
    ),
    (
        "weak-password-assignment",
        "spring-default",
        "the weak tier reads a password name's assignment with `=`, `:`, `=>` and the common setters; a weak word as a call's or a header's argument is too often a label or a test fixture",
    ),
    (
        "password-assignment",
        "ansi-echo",
        "read without its codes the line is `echo -e \"PASSWORD=…\"`: an assignment inside a quoted \
         argument, which password-in-text reports (as it does with no colour); not the codes' doing",
    ),
    (
        "npm-legacy-token",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `npm` over the \
         value holds none of the rule's keywords of four letters or more, only the value's own key does",
    ),
    (
        "google-oauth-client-secret-legacy",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `google` over the \
         value holds none of the rule's keywords of four letters or more, only the value's own key does",
    ),
    (
        "ibm-cloud-api-key",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `ibm` over the \
         value holds none of the rule's keywords of four letters or more, only the value's own key does",
    ),
    (
        "datadog-api-key",
        "js-exports-nested",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `datadog` over the \
         value holds none of the rule's keywords of four letters or more, only the value's own key does",
    ),
    (
        "npm-legacy-token",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `npm` over the \
         value holds none of the rule's keywords of four letters or more, only the value's own key does",
    ),
    (
        "google-oauth-client-secret-legacy",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `google` over the \
         value holds none of the rule's keywords of four letters or more, only the value's own key does",
    ),
    (
        "ibm-cloud-api-key",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `ibm` over the \
         value holds none of the rule's keywords of four letters or more, only the value's own key does",
    ),
    (
        "datadog-api-key",
        "python-settings-dict",
        "in code a key-path walk starts only at a keyword line that opens a literal, judged from the \
         bytes around the keyword (cost: code names keywords on most lines); here `datadog` over the \
         value holds none of the rule's keywords of four letters or more, only the value's own key does",
    ),
    (
        "generic-key-assignment",
        "python-settings-dict",
        "as npm-legacy-token in code: the parent holds no keyword, only the value's own key does",
    ),
    (
        "generic-key-assignment",
        "xml-entry",
        "as jwt-secret-assignment: generic rules read no value before `<`",
    ),
    (
        "password-assignment",
        "compose-list-quoted",
        "an unquoted value inside a quoted string (`- \"DB_PASSWORD=…\"`) has the shape of a message: \
         generic rules take an unquoted value only at a line's end",
    ),
    (
        "password-assignment",
        "url-query-mid",
        "`?password=…&` inside a quoted URL: as in a quoted argument, generic rules take an unquoted \
         value only at a line's end (vendor rules find their own names there)",
    ),
    (
        "password-assignment",
        "markdown-inline",
        "`NAME=value` in backticks inside a sentence: generic rules take an unquoted value only at a \
         line's end, and prose is full of `password=…` examples",
    ),
    (
        "jwt-secret-assignment",
        "markdown-inline",
        "as password-assignment in backticks inside a sentence",
    ),
    (
        "jwt-secret-short",
        "markdown-inline",
        "as password-assignment in backticks inside a sentence",
    ),
    (
        "token-encryption-key-assignment",
        "markdown-inline",
        "as password-assignment in backticks inside a sentence",
    ),
    (
        "jwt-secret-short",
        "xml-entry",
        "as jwt-secret-assignment: generic rules read no value before `<`",
    ),
    (
        "token-encryption-key-assignment",
        "xml-entry",
        "as jwt-secret-assignment: generic rules read no value before `<`",
    ),
    (
        "generic-key-assignment",
        "cli",
        "any name ending in key: a bare space after it is prose (\"the master key was rotated …\"); \
         cli-flag-secret reports `--name value`",
    ),
    (
        "generic-key-assignment",
        "js-fallback",
        "the fallback shape (`process.env.X_KEY || \"…\"`) is generic-secret-assignment's only: names \
         ending in key are common in code and this rule's regex is kept to the assignment shapes",
    ),
    (
        "db-cli-password-env",
        "*",
        "a shell idiom (PGPASSWORD=… before psql, MYSQL_PWD, REDISCLI_AUTH): written anywhere else \
         the value is a password under a password name, which password-assignment reports",
    ),
    (
        "vendor-named-api-credential",
        "cli",
        "any word + key/token: a bare space after it is prose (\"the Mailgun token endpoint …\"); \
         cli-flag-secret reports `--name value`",
    ),
    (
        "crypto-wallet-mnemonic",
        "*",
        "a recovery phrase is 12-24 words with spaces: the rule reads it quoted after a mnemonic or \
         seed-phrase name on its line, or given to a wallet call (stop 41, lead41); the key-path walks, \
         joined lines, XML and C-macro readings carry one token, and 12 words under another name are \
         a sentence",
    ),
    (
        "vendor-named-bare-credential",
        "*",
        "300 vendor names alone: matched as written in lower case (a case-blind alternation cost \
         4% of a scan's instructions; VENDOR_API_KEY-style names are vendor-named-api-credential's), \
         and never before a bare space (\"openweather forecast …\" is prose)",
    ),
    (
        "vendor-named-bare-credential-extra",
        "cli",
        "a vendor name alone: never before a bare space (\"honeycomb export …\" is prose)",
    ),
    (
        "password-assignment",
        "cli",
        "a password name then a space is prose (\"password reset …\"); too short for cli-flag-secret",
    ),
    (
        "password-assignment",
        "header-custom",
        "an unquoted value inside a quoted argument (`-H \"X-Db-Password: …\"`) has the shape of a \
         message (`\"invalid password: …\"`): generic rules take an unquoted value only at a line's end",
    ),
    (
        "jwt-secret-short",
        "cli",
        "as password-assignment: a name then a space is prose; too short for cli-flag-secret",
    ),
    (
        "jwt-secret-short",
        "header-custom",
        "as password-assignment in a header: generic rules take an unquoted value only at a line's end",
    ),
    (
        "azure-devops-pat-legacy",
        "yaml-nested",
        "`azure:` over `devops_pat:`: no key holds a keyword of any rule (the rule's `azure.devops` forms \
         only where the keys join), and the key-path walk goes only near keywords, to stay cheap",
    ),
    (
        "azure-devops-pat-legacy",
        "json-split",
        "as in yaml-nested: `azure` and `devops_pat` hold no keyword apart",
    ),
    (
        "azure-devops-pat-legacy",
        "toml-split",
        "as in yaml-nested: `[azure]` and `devops_pat` hold no keyword apart",
    ),
    (
        "azure-devops-pat-legacy",
        "js-exports-nested",
        "as in yaml-nested: `azure` and `devopsPat` hold no keyword apart",
    ),
    (
        "azure-devops-pat-legacy",
        "python-settings-dict",
        "as in yaml-nested: `azure` and `devops_pat` hold no keyword apart",
    ),
    (
        "putty-private-key",
        "ml-yaml-block",
        "a .ppk file is a file of its own (headers, line counts); not embedded indented in YAML",
    ),
    (
        "vendor-named-bare-credential-extra",
        "c-adjacent",
        "a bare vendor name after a C pointer's `*` (`char *alibaba =`): the rule takes the name only \
         after a separator, lest `*apollo` in prose or globs count; on one line it is missed alike",
    ),
    (
        "putty-private-key",
        "ml-java-concat",
        "a .ppk file is a file of its own (headers, line counts); not pasted into source literals",
    ),
    (
        "putty-private-key",
        "ml-js-concat",
        "a .ppk file is a file of its own (headers, line counts); not pasted into source literals",
    ),
    (
        "putty-private-key",
        "ml-python-implicit",
        "a .ppk file is a file of its own (headers, line counts); not pasted into source literals",
    ),
    (
        "putty-private-key",
        "ml-json-escaped",
        "a .ppk file is a file of its own (headers, line counts); not embedded in a JSON string",
    ),
    (
        "weak-password-assignment",
        "cli",
        "a command-line flag's weak value: cli-password-argument reads flags, with its own judgement of weak values",
    ),
    (
        "weak-password-assignment",
        "cli-eq",
        "a command-line flag's weak value: cli-password-argument reads flags, with its own judgement of weak values",
    ),
    (
        "weak-password-assignment",
        "header-custom",
        "a header is no password name assignment; weak values are read only under a name and `=`/`:`/`=>` with a quoted literal in code",
    ),
    (
        "weak-password-assignment",
        "http-header",
        "a header is no password name assignment; weak values are read only under a name and `=`/`:`/`=>` with a quoted literal in code",
    ),
    (
        "weak-password-assignment",
        "markdown-inline",
        "documentation pages are left out on purpose: a weak password there is an example (quiet on docs)",
    ),
    (
        "weak-password-assignment",
        "terraform-heredoc",
        "a heredoc body: terraform-password-literal reads Terraform's password literals",
    ),
    (
        "weak-password-assignment",
        "url-query",
        "a query parameter (`?password=…`) is no assignment of a quoted literal; url rules read URLs",
    ),
    (
        "weak-password-assignment",
        "url-query-mid",
        "a .txt page is documentation, left out on purpose (quiet on docs); a query parameter is no assignment",
    ),
    (
        "weak-password-assignment",
        "xml-attr",
        "the name in one attribute and the value in another (`key=\"…\" value=\"…\"`): no name before the value",
    ),
    (
        "weak-password-assignment",
        "xml-entry",
        "the name in an attribute, the value in the element's text: no name before the value",
    ),
    (
        "weak-password-assignment",
        "xml-property",
        "the name in one attribute and the value in another (`name=\"…\" value=\"…\"`): no name before the value",
    ),
    (
        "weak-secret-assignment",
        "ansi-echo",
        "a value printed in a log or a colour-coded line, or in a comment: no assignment the weak tier reads",
    ),
    (
        "weak-secret-assignment",
        "ansi-log",
        "a value printed in a log or a colour-coded line, or in a comment: no assignment the weak tier reads",
    ),
    (
        "weak-secret-assignment",
        "comment-hash",
        "a value printed in a log or a colour-coded line, or in a comment: no assignment the weak tier reads",
    ),
    (
        "weak-secret-assignment",
        "c-define",
        "a preprocessor or PHP constant (`#define X \"…\"`, `define('X', '…')`): no assignment operator; left to the generic rules",
    ),
    (
        "weak-secret-assignment",
        "php-define",
        "a preprocessor or PHP constant (`#define X \"…\"`, `define('X', '…')`): no assignment operator; left to the generic rules",
    ),
    (
        "weak-secret-assignment",
        "cli",
        "a command-line flag's value: cli-flag-secret reads flags and wants a random-looking value; the weak tier reads assignments",
    ),
    (
        "weak-secret-assignment",
        "cli-eq",
        "a command-line flag's value: cli-flag-secret reads flags and wants a random-looking value; the weak tier reads assignments",
    ),
    (
        "weak-secret-assignment",
        "csharp-dict",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "csharp-setenv",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "go-header",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "go-setenv",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "header-custom",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "http-header",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "java-header",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "java-put",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "java-setproperty",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "php-putenv",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "python-getenv",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "ruby-fetch",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "spring-default",
        "the weak tier reads a secret name's assignment with `=`, `:`, `=>` (weak-secret-assignment) or a config file's value (weak-secret-config-value); a weak word as a call's, a lookup default's or a header's argument is too often a label, a key's name or a test fixture",
    ),
    (
        "weak-secret-assignment",
        "docker-run-e",
        "an unquoted environment-style value outside the config files weak-secret-config-value reads (a command, a Dockerfile, a Makefile, a unit file): left to the generic rules, which want a random-looking value",
    ),
    (
        "weak-secret-assignment",
        "dockerfile-arg",
        "an unquoted environment-style value outside the config files weak-secret-config-value reads (a command, a Dockerfile, a Makefile, a unit file): left to the generic rules, which want a random-looking value",
    ),
    (
        "weak-secret-assignment",
        "dockerfile-env",
        "an unquoted environment-style value outside the config files weak-secret-config-value reads (a command, a Dockerfile, a Makefile, a unit file): left to the generic rules, which want a random-looking value",
    ),
    (
        "weak-secret-assignment",
        "dockerfile-env-space",
        "an unquoted environment-style value outside the config files weak-secret-config-value reads (a command, a Dockerfile, a Makefile, a unit file): left to the generic rules, which want a random-looking value",
    ),
    (
        "weak-secret-assignment",
        "helm-set",
        "an unquoted environment-style value outside the config files weak-secret-config-value reads (a command, a Dockerfile, a Makefile, a unit file): left to the generic rules, which want a random-looking value",
    ),
    (
        "weak-secret-assignment",
        "makefile",
        "an unquoted environment-style value outside the config files weak-secret-config-value reads (a command, a Dockerfile, a Makefile, a unit file): left to the generic rules, which want a random-looking value",
    ),
    (
        "weak-secret-assignment",
        "systemd",
        "an unquoted environment-style value outside the config files weak-secret-config-value reads (a command, a Dockerfile, a Makefile, a unit file): left to the generic rules, which want a random-looking value",
    ),
    (
        "weak-secret-assignment",
        "windows-set",
        "an unquoted environment-style value outside the config files weak-secret-config-value reads (a command, a Dockerfile, a Makefile, a unit file): left to the generic rules, which want a random-looking value",
    ),
    (
        "weak-secret-assignment",
        "markdown",
        "documentation pages are left out on purpose: a weak secret there is an example (quiet on docs)",
    ),
    (
        "weak-secret-assignment",
        "markdown-inline",
        "documentation pages are left out on purpose: a weak secret there is an example (quiet on docs)",
    ),
    (
        "weak-secret-assignment",
        "markdown-table",
        "documentation pages are left out on purpose: a weak secret there is an example (quiet on docs)",
    ),
    (
        "weak-secret-assignment",
        "terraform-heredoc",
        "a heredoc body: no assignment the weak tier reads",
    ),
    (
        "weak-secret-assignment",
        "url-query",
        "a query parameter is no assignment of a quoted literal; the URL rules read URLs",
    ),
    (
        "weak-secret-assignment",
        "url-query-mid",
        "a query parameter is no assignment of a quoted literal; the URL rules read URLs",
    ),
    (
        "weak-secret-assignment",
        "xml-element",
        "XML: the name in an element or an attribute, the value in another: the weak tier reads a name before its value",
    ),
    (
        "weak-secret-assignment",
        "xml-entry",
        "XML: the name in an element or an attribute, the value in another: the weak tier reads a name before its value",
    ),
    (
        "weak-secret-assignment",
        "xml-property",
        "XML: the name in an element or an attribute, the value in another: the weak tier reads a name before its value",
    ),
    (
        "weak-password-confirmation-assignment",
        "ansi-echo",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "ansi-log",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "cli",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "cli-eq",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "comment-hash",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "compose-list",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "compose-list-quoted",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "csharp-dict",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "csharp-setenv",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "docker-run-e",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "dockerfile-arg",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "dockerfile-env",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "dockerfile-env-space",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "gha-with",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "go-header",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "go-setenv",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "header-custom",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "helm-set",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "http-header",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "ini",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "java-header",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "java-put",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "java-setproperty",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "k8s-env-bare",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "k8s-secret",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "makefile",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "markdown",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "markdown-inline",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "markdown-table",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "php-define",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "php-putenv",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "properties",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "properties-colon",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "spring-default",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "systemd",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "terraform-heredoc",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "url-query",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "url-query-mid",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "windows-set",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "xml-attr",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "xml-element",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "xml-entry",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "xml-property",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "yaml",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "yaml-folded",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "yaml-list",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "yaml-literal",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-password-confirmation-assignment",
        "yaml-nested",
        "the confirmation rule reads a quoted literal in code (a sign-up or reset form's second copy of the password, in a test or a seed); a confirmation field is not written in config, environment, command-line, header or Markdown shapes",
    ),
    (
        "weak-encryption-key-assignment",
        "ansi-echo",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "ansi-log",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "c-define",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "cli",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "cli-eq",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "comment-hash",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "compose-list",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "compose-list-quoted",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "compose-map",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "csharp-dict",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "csharp-setenv",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "docker-run-e",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "dockerfile-arg",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "dockerfile-env",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "dockerfile-env-space",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "gha-with",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "go-header",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "go-raw",
        "a raw or template literal (backticks): weak-encryption-key-assignment reads quoted literals; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "go-setenv",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "header-custom",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "helm-set",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "http-header",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "ini",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "ipynb",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "ipynb-environ",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "java-header",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "java-put",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "java-setproperty",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "js-exports-nested",
        "the name on a line above the value (a key path): weak-encryption-key-assignment reads the name on the value's line, in code",
    ),
    (
        "weak-encryption-key-assignment",
        "js-template",
        "a raw or template literal (backticks): weak-encryption-key-assignment reads quoted literals; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "json",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "json-compact",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "json-escaped",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "json-nested",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "json-split",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "k8s-env",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "k8s-env-bare",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "k8s-secret",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "log-escaped-json",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "makefile",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "markdown",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "markdown-inline",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "markdown-table",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "php-define",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "php-putenv",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "properties",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "properties-colon",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "python-getenv",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "python-settings-dict",
        "the name on a line above the value (a key path): weak-encryption-key-assignment reads the name on the value's line, in code",
    ),
    (
        "weak-encryption-key-assignment",
        "ruby-fetch",
        "a call's argument, a lookup's default, a header's or a constant definition's value: weak-encryption-key-assignment reads an assignment or a cipher's `setKey(…)`; the generic key rules read a random-looking key there",
    ),
    (
        "weak-encryption-key-assignment",
        "spring-default",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "systemd",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "terraform",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "terraform-heredoc",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "terraform-var",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "toml",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "toml-inline",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "toml-split",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "url-query",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "url-query-mid",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "windows-set",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "xml-attr",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "xml-element",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "xml-entry",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "xml-property",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "yaml",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "yaml-folded",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "yaml-list",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "yaml-literal",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "yaml-nested",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "yaml-quoted",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "yaml-quoted-continued",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
    (
        "weak-encryption-key-assignment",
        "yaml-single",
        "weak-encryption-key-assignment reads a literal in source code (its allowlist leaves config files, commands, logs and pages out): there a key of any length is the generic key rules', judged by its entropy",
    ),
];

#[derive(Debug, Clone, PartialEq)]
enum Class {
    Format,
    Structured,
    Named,
}

struct Subject {
    rule: String,
    yields: u8,
    class: Class,
    /// What the rule reports (its capture).
    secret: String,
    /// What is written: the secret, or for a structured rule the token that holds it.
    written: String,
    /// The name's words, lower case (`["etsy", "api", "key"]`).
    words: Vec<String>,
}

/// A name's words: split at `_ . - :` and spaces and at lower-to-upper case changes.
fn words_of(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if "_.-: ".contains(ch) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_ascii_lowercase();
        cur.push(ch.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Every casing of a name a template may ask for.
fn casings(words: &[String]) -> Vec<(&'static str, String)> {
    let kind: Vec<String> = if words.len() > 1 {
        words[1..].to_vec()
    } else {
        vec!["key".to_string()]
    };
    vec![
        ("{S}", words.join("_").to_ascii_uppercase()),
        ("{s}", words.join("_")),
        ("{c}", camel(words)),
        ("{P}", words.iter().map(|w| cap(w)).collect()),
        ("{k}", words.join("-")),
        ("{d}", words.join(".")),
        (
            "{H}",
            words.iter().map(|w| cap(w)).collect::<Vec<_>>().join("-"),
        ),
        ("{vendor}", words[0].clone()),
        ("{Vendor}", cap(&words[0])),
        ("{kind_s}", kind.join("_")),
        ("{kind_c}", camel(&kind)),
    ]
}

fn render(template: &str, words: &[String], value: &str) -> String {
    let mut t = template.to_string();
    for (k, v) in casings(words) {
        t = t.replace(k, &v);
    }
    // The value last, so that nothing in it is taken for a placeholder; its halves split at a
    // character boundary.
    let mut half = value.len() / 2;
    while !value.is_char_boundary(half) {
        half += 1;
    }
    let (v1, v2) = value.split_at(half);
    t.replace("{v1}", "\u{1}")
        .replace("{v2}", "\u{2}")
        .replace("{v}", value)
        .replace('\u{1}', v1)
        .replace('\u{2}', v2)
}

/// Where a token ends around a secret in an example: quotes, spaces, brackets, separators, and `=`
/// on the left (so `NAME=value` is a name and a value, not one token).
fn token_around(text: &str, at: usize, len: usize) -> &str {
    let stop = |c: u8| b" \t\r\n\"'`<>(),;[]{}".contains(&c);
    let b = text.as_bytes();
    let mut a = at;
    while a > 0 && !stop(b[a - 1]) && b[a - 1] != b'=' {
        a -= 1;
    }
    let mut e = at + len;
    while e < b.len() && !stop(b[e]) {
        e += 1;
    }
    &text[a..e]
}

/// The name an example assigns the secret to (`ETSY_API_KEY` in `ETSY_API_KEY="…"`), if any: an
/// identifier, optional closing quote, an operator, optional opening quote, then the secret. Not
/// a field of a compound string (`…;Password=secret`).
fn example_name(text: &str, at: usize) -> Option<&str> {
    let b = text.as_bytes();
    let mut i = at;
    while i > 0 && b"\"'".contains(&b[i - 1]) {
        i -= 1;
    }
    while i > 0 && b[i - 1] == b' ' {
        i -= 1;
    }
    let op_end = i;
    while i > 0 && b":=>".contains(&b[i - 1]) {
        i -= 1;
    }
    if i == op_end {
        return None;
    }
    while i > 0 && b[i - 1] == b' ' {
        i -= 1;
    }
    while i > 0 && b"\"'".contains(&b[i - 1]) {
        i -= 1;
    }
    let end = i;
    while i > 0 && (b[i - 1].is_ascii_alphanumeric() || b"_.-".contains(&b[i - 1])) {
        i -= 1;
    }
    if i == end || (i > 0 && b";&".contains(&b[i - 1])) {
        return None;
    }
    Some(&text[i..end])
}

/// Rules that read one configuration format's own line, anchored at the line's start (`psk=…` in
/// wpa_supplicant.conf, `encrypt = "…"` in a Consul agent's HCL): their name is the format's key,
/// not a variable a program writes in other shapes, so the matrix leaves them to their examples.
/// `password-unquoted-backslash` (stop 45) reads a properties, ini, env or YAML line whose whole
/// value is unquoted: a backslash is an escape in every quoted shape (password-with-escape's).
const CONFIG_LINE_RULES: &[&str] = &[
    "wifi-psk",
    "consul-gossip-encryption-key",
    "password-unquoted-backslash",
];

/// Every rule of the built-in catalog that can be put in shapes, with its class, secret and name;
/// and the ids of those left out (no regex, a path rule, an idiom, not found by itself).
#[allow(clippy::type_complexity)]
fn subjects() -> (
    Vec<Subject>,
    Vec<Subject>,
    BTreeMap<String, &'static str>,
    HashMap<String, u8>,
) {
    let engine = Engine::new(RuleSet::builtin().expect("built-in rules compile"));
    let mut out = Vec::new();
    let mut multiline = Vec::new();
    let mut left_out = BTreeMap::new();
    let yields = engine
        .rules()
        .iter()
        .map(|r| (r.id.to_string(), r.yields))
        .collect();
    for r in engine.rules() {
        let id = r.id.to_string();
        if r.regex.is_none() || r.path.is_some() {
            left_out.insert(id, "path rule");
            continue;
        }
        if CONFIG_LINE_RULES.contains(&id.as_str()) {
            left_out.insert(id, "a configuration file's own line");
            continue;
        }
        let Some(ex) = r.examples() else {
            left_out.insert(id, "no examples");
            continue;
        };
        let path = ex.path.as_deref().unwrap_or("example.txt");
        // The secret of the first positive example the rule itself reports.
        let found = ex.positive.iter().find_map(|text| {
            engine
                .scan_file_bytes_every_reading(text.as_bytes(), path)
                .into_iter()
                .find(|f| f.rule_id == r.id)
                .map(|f| (text.clone(), f.secret.expose().to_string()))
        });
        let Some((example, secret)) = found else {
            left_out.insert(id, "its examples are reported by a more specific rule");
            continue;
        };
        let keywords: Vec<String> = r.keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        let has_keyword = |s: &str| {
            let s = s.to_ascii_lowercase();
            keywords.iter().any(|k| s.contains(k.as_str()))
        };
        let id_words: Vec<String> = id.split('-').map(str::to_string).collect();
        let subject = |class, written: &str, words| Subject {
            rule: id.clone(),
            yields: r.yields,
            class,
            secret: secret.clone(),
            written: written.to_string(),
            words,
        };
        if secret.contains('\n') {
            // A block (a PEM key): its example whole, markers and all.
            multiline.push(subject(Class::Format, example.trim(), id_words));
            continue;
        }
        // Self-identifying: a keyword in the value, and the rule finds the value alone.
        let alone = |v: &str| {
            engine
                .scan_file_bytes_every_reading(format!("{v}\n").as_bytes(), "example.txt")
                .iter()
                .any(|f| f.rule_id == r.id)
        };
        if has_keyword(&secret) && alone(&secret) {
            out.push(subject(Class::Format, &secret, id_words));
            continue;
        }
        let mut token = None;
        let mut name = None;
        for text in &ex.positive {
            let Some(at) = text.find(secret.as_str()) else {
                continue;
            };
            let t = token_around(text, at, secret.len());
            if token.is_none() && t.len() > secret.len() && has_keyword(t) && alone(t) {
                token = Some(t.to_string());
            }
            if name.is_none() {
                if let Some(n) = example_name(text, at) {
                    let words = words_of(n);
                    // A name is the rule's context only if the keyword survives every casing of it
                    // (`PrivateKey` is not `PRIVATE_KEY`; `react_app` is not `reactApp`).
                    let keeps = !words.is_empty()
                        && casings(&words)[..7].iter().all(|(_, c)| has_keyword(c));
                    if keeps {
                        name = Some(words);
                    }
                }
            }
        }
        if let Some(t) = token {
            out.push(subject(Class::Structured, &t, id_words));
        } else if let Some(words) = name {
            out.push(subject(Class::Named, &secret, words));
        } else {
            left_out.insert(id, "idiom (one construct, tested by its own examples)");
        }
    }
    (out, multiline, left_out, yields)
}

fn render_multiline(shape: &str, words: &[String], value: &str) -> String {
    let c = casings(words);
    let snake = &c[1].1;
    let screaming = &c[0].1;
    match shape {
        "ml-bare" => format!("{value}\n"),
        "ml-yaml-block" => {
            let body: String = value.lines().map(|l| format!("  {l}\n")).collect();
            format!("{snake}: |\n{body}")
        }
        "ml-json-escaped" => format!(
            "{{\n  \"type\": \"service_account\",\n  \"{snake}\": \"{}\"\n}}\n",
            value.replace('\n', "\\n")
        ),
        "ml-env-quoted" => format!("{screaming}=\"{value}\"\n"),
        "ml-java-concat" | "ml-js-concat" | "ml-python-implicit" => {
            let (q, op) = match shape {
                "ml-js-concat" => ('\'', " +"),
                "ml-java-concat" => ('"', " +"),
                _ => ('"', ""),
            };
            let lines: Vec<String> = value.lines().map(|l| format!("    {q}{l}\\n{q}")).collect();
            let body = lines.join(&format!("{op}\n"));
            match shape {
                "ml-java-concat" => format!("private static final String {screaming} =\n{body};\n"),
                "ml-js-concat" => format!("const {} =\n{body};\n", c[2].1),
                _ => format!("{screaming} = (\n{body}\n)\n"),
            }
        }
        _ => unreachable!(),
    }
}

/// Whether a reported secret holds the value: as is, or for a block its letters and digits (a PEM
/// body written with `\n` escapes in JSON is reported with them).
fn holds(reported: &str, value: &str) -> bool {
    if reported.contains(value) {
        return true;
    }
    let alnum = |s: &str| -> String {
        s.replace("\\n", "")
            .replace("\\r", "")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect()
    };
    value.contains('\n') && {
        let v = alnum(value);
        v.len() > 64 && alnum(reported).contains(&v)
    }
}

#[test]
fn every_rule_is_found_in_every_shape_that_carries_it() {
    let (subjects, multiline, left_out, yields) = subjects();
    // Some 35,000 small files: on a RAM filesystem where there is one, because a loaded disk spends
    // minutes creating and removing them where the scan takes seconds.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let d = dir.path();
    // (path, rule, shape, kind, expected, secret, rule's yields)
    let mut planted: Vec<(String, String, &str, Kind, bool, String, u8)> = Vec::new();
    for s in &subjects {
        for &(shape, ext, kind, forbid, template) in SHAPES {
            // A value with no name is no named rule's credential.
            if s.written.chars().any(|c| forbid.contains(c))
                || (s.class == Class::Named && kind == Kind::Bare)
            {
                continue;
            }
            let path = format!("{shape}/{}.{ext}", s.rule);
            write(d, &path, render(template, &s.words, &s.written));
            let expected =
                s.class != Class::Named || matches!(kind, Kind::Named | Kind::Path | Kind::Joined);
            planted.push((
                path,
                s.rule.clone(),
                shape,
                kind,
                expected,
                s.secret.clone(),
                s.yields,
            ));
        }
    }
    for s in &multiline {
        for &(shape, ext) in MULTILINE_SHAPES {
            let path = format!("{shape}/{}.{ext}", s.rule);
            write(d, &path, render_multiline(shape, &s.words, &s.written));
            planted.push((
                path,
                s.rule.clone(),
                shape,
                Kind::Bare,
                true,
                s.secret.clone(),
                s.yields,
            ));
        }
    }
    assert!(
        subjects.len() >= 550 && planted.len() >= 25_000,
        "only {} rules in {} shapes",
        subjects.len(),
        planted.len()
    );

    let r = run_in(
        d,
        &["scan", ".", "--no-ignore", "-f", "json", "--show-secrets"],
    );
    let by_path = rule_secrets_by_path(&r.json());

    let mut missed: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    let mut reported_only: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut expected_pairs = 0;
    let mut excused = std::collections::HashSet::new();
    for (path, rule, shape, kind, expected, secret, own_yields) in &planted {
        let findings = by_path.get(path).map(Vec::as_slice).unwrap_or(&[]);
        // The rule, or one at least as specific, reported a secret that holds the value.
        let found = findings.iter().any(|(id, s)| {
            holds(s, secret) && (id == rule || yields.get(id).is_some_and(|y| y <= own_yields))
        });
        if !expected {
            let e = reported_only.entry(shape).or_default();
            e.0 += usize::from(found);
            e.1 += 1;
            continue;
        }
        expected_pairs += 1;
        let exception = EXCEPTIONS
            .iter()
            .position(|(r, s, _)| r == rule && (s == shape || *s == "*"));
        if !found {
            if let Some(i) = exception {
                excused.insert(i);
                continue;
            }
        }
        if !found {
            let kind = match kind {
                Kind::Named => "named",
                Kind::Path => "path",
                Kind::Split => "split",
                Kind::Joined => "joined",
                Kind::Bare => "bare",
            };
            let got: Vec<String> = findings.iter().map(|(id, _)| id.clone()).collect();
            missed
                .entry((shape, kind))
                .or_default()
                .push(if got.is_empty() {
                    rule.clone()
                } else {
                    format!("{rule} (found by {})", got.join(", "))
                });
        }
    }
    // An exception that excused no miss is stale: the pair is found now.
    let stale: Vec<_> = EXCEPTIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| !excused.contains(i))
        .map(|(_, e)| e)
        .collect();

    let classes = |c: Class| subjects.iter().filter(|s| s.class == c).count();
    println!(
        "rule x shape matrix: {} rules ({} format, {} structured, {} named, {} multi-line) in {} files; \
         {expected_pairs} pairs required, {} missed; {} rules left out",
        subjects.len() + multiline.len(),
        classes(Class::Format),
        classes(Class::Structured),
        classes(Class::Named),
        multiline.len(),
        planted.len(),
        missed.values().map(Vec::len).sum::<usize>(),
        left_out.len()
    );
    for (shape, (found, all)) in &reported_only {
        println!("  named rules in split shape {shape}: {found}/{all} found (not required)");
    }
    let mut why: BTreeMap<&str, usize> = BTreeMap::new();
    for w in left_out.values() {
        *why.entry(w).or_default() += 1;
    }
    println!("  left out: {why:?}");
    assert!(
        missed.is_empty() && stale.is_empty(),
        "missed (shape, kind) -> rules: {missed:#?}\nexceptions that are found now (remove them): {stale:#?}"
    );
}

#[test]
fn names_split_into_words_in_every_casing() {
    assert_eq!(words_of("ETSY_API_KEY"), ["etsy", "api", "key"]);
    assert_eq!(words_of("etsyApiKey"), ["etsy", "api", "key"]);
    assert_eq!(words_of("HTML2PDF_ACCESS"), ["html2pdf", "access"]);
    assert_eq!(words_of("sonar.login"), ["sonar", "login"]);
    let w = words_of("stripe_secret_key");
    let c: HashMap<_, _> = casings(&w).into_iter().collect();
    assert_eq!(c["{S}"], "STRIPE_SECRET_KEY");
    assert_eq!(c["{c}"], "stripeSecretKey");
    assert_eq!(c["{P}"], "StripeSecretKey");
    assert_eq!(c["{d}"], "stripe.secret.key");
    assert_eq!(c["{H}"], "Stripe-Secret-Key");
    assert_eq!(example_name("STRIPE_KEY=abc", 11), Some("STRIPE_KEY"));
    assert_eq!(
        example_name("  \"stripe_key\": \"abc\"", 17),
        Some("stripe_key")
    );
    assert_eq!(
        example_name(&format!("Server=x;{}=abc", "Password"), 18),
        None
    );
    assert_eq!(example_name("Bearer abc", 7), None);
}

//! A generic credential in every shape it is written in (stop 26). A matrix of syntaxes (a value
//! inside a string literal, a name in an XML attribute or element beside its value, a web server
//! directive, a Markdown label, a Terraform name/value pair) times credential names, each cell a
//! file of its own with a fresh fake value: every cell must be found. The stop's look at public
//! repositories built to hold secrets found the first of these (an Android app's
//! `"API Key: …\nAPI User name: …"` string, and `String s = "API_KEY=…";`), missed by the
//! assignment grammar's `embedded_value_end`, which read a value inside a string only when the
//! string closed at the line's end or before `,`/`)`. The near misses beside them stay quiet.

use crate::common::*;

/// The names a generic credential goes by, in the spellings code and config use.
const NAMES: &[&str] = &[
    "API_KEY",
    "apiKey",
    "api_key",
    "SECRET_KEY",
    "client_secret",
    "AUTH_TOKEN",
    "accessToken",
    "privateKey",
];

/// (shape, file name, template): `{N}` is the name, `{V}` the value.
const SHAPES: &[(&str, &str, &str)] = &[
    // Inside a string literal, the statement going on after it.
    ("string, `;` after", "A.java", "String s = \"{N}={V}\";\n"),
    (
        "string, `\\n` then `;`",
        "B.java",
        "String s = \"{N}={V}\\n\";\n",
    ),
    ("string, `: ` form", "C.java", "String s = \"{N}: {V}\";\n"),
    (
        "string, `: ` form, more fields",
        "D.java",
        "String d = \"{N}: {V}\\nAPI User name: diva\\nMode: x\";\n",
    ),
    (
        "string, concatenated",
        "E.java",
        "String s = \"{N}={V}\" + rest;\n",
    ),
    ("list of two", "f.py", "env = [\"{N}={V}\", \"OTHER=1\"]\n"),
    ("list of one", "g.py", "env = [\"{N}={V}\"]\n"),
    ("print, `: ` form", "h.py", "print(\"{N}: {V}\")\n"),
    ("template literal", "i.js", "const s = `{N}={V}`;\n"),
    (
        "`\\r\\n` inside",
        "j.js",
        "const body = \"{N}={V}\\r\\nX=1\";\n",
    ),
    // A placeholder's default value, camelCase names among them (Spring's `${name:default}`).
    (
        "placeholder default",
        "application.properties",
        "app.credential=${{N}:{V}}\n",
    ),
    (
        "curl header",
        "k.sh",
        "curl -H \"{N}: {V}\" https://api.example.org/v1\n",
    ),
    // The name in one slot, the value in another.
    (
        "Android string resource",
        "res/values/strings.xml",
        "<resources>\n    <string name=\"{N}\">{V}</string>\n</resources>\n",
    ),
    (
        "properties XML entry",
        "conf/props.xml",
        "<properties>\n  <entry key=\"service.{N}\">{V}</entry>\n</properties>\n",
    ),
    (
        "Hadoop site property",
        "conf/core-site.xml",
        "<property>\n  <name>fs.{N}</name>\n  <value>{V}</value>\n</property>\n",
    ),
    (
        "property list",
        "Info.plist",
        "<dict>\n\t<key>{N}</key>\n\t<string>{V}</string>\n</dict>\n",
    ),
    (
        "Apache SetEnv",
        "site.conf",
        "<VirtualHost *:80>\n    SetEnv {N} {V}\n</VirtualHost>\n",
    ),
    (
        "nginx fastcgi_param",
        "nginx.conf",
        "location / {\n    fastcgi_param {N} {V};\n}\n",
    ),
    ("php-fpm pool env", "www.conf", "env[{N}] = {V}\n"),
    ("Markdown bold label", "ACCOUNTS.md", "**{N}**: {V}\n"),
    (
        "Terraform set block",
        "helm.tf",
        "  set {\n    name  = \"auth.{N}\"\n    value = \"{V}\"\n  }\n",
    ),
];

#[test]
fn a_generic_credential_is_found_in_every_shape_it_is_written_in() {
    let mut f = Fake::new(2601);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (si, (shape, file, template)) in SHAPES.iter().enumerate() {
        for (ni, name) in NAMES.iter().enumerate() {
            // Letters and digits both, as a random key has them.
            let value = [f.alnum(9), "7".into(), f.alnum(10)].concat();
            let path = format!("c{si:02}n{ni}/{file}");
            files.push((
                path.clone(),
                template.replace("{N}", name).replace("{V}", &value),
            ));
            want.push((path, *shape, *name, value));
        }
    }
    let by_path = scan_files_by_path(&files);
    let missed: Vec<String> = want
        .iter()
        .filter(|(path, .., value)| {
            !by_path
                .get(path)
                .is_some_and(|found| found.iter().any(|(_, s)| s == value))
        })
        .map(|(_, shape, name, _)| format!("{shape} / {name}"))
        .collect();
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn near_misses_of_those_shapes_stay_quiet() {
    let mut f = Fake::new(2602);
    let v = [f.alnum(9), "7".into(), f.alnum(10)].concat();
    let files = [
        // A URL's user and token: the URL rules read URLs, and a host after `@` is no value's end.
        (
            "a.py",
            "URLS = ['https://gitlab-ci-token:1324@repo.example.org/x.git']\n".to_string(),
        ),
        // References and format strings inside a string.
        ("b.java", "String s = \"API_KEY=${API_KEY}\";\n".to_string()),
        ("c.py", "print(\"api_key: %s\" % key)\n".to_string()),
        ("d.js", "const s = `API_KEY=${process.env.API_KEY}`;\n".to_string()),
        // A value a tool's output had replaced before it was committed.
        (
            "e.json",
            "{\"body\": \"  ssh_username: azure\\r\\n  ssh_password: Sanitized-123\\r\\n\"}\n"
                .to_string(),
        ),
        // An Android resource reference and a hint in words.
        (
            "res/values/strings.xml",
            "<string name=\"api_key\">@string/default_api_key</string>\n<string name=\"token_hint\">Paste your token here</string>\n".to_string(),
        ),
        // A server variable, not a value.
        (
            "nginx.conf",
            "fastcgi_param HTTP_AUTH_TOKEN $http_x_auth_token;\n".to_string(),
        ),
        // The name of something else beside a random value.
        (
            "f.xml",
            format!("<string name=\"app_name\">{v}</string>\n"),
        ),
        (
            "g.conf",
            format!("SetEnv APP_BUILD {v}\n"),
        ),
    ];
    let by_path = scan_files_by_path(&files);
    assert!(by_path.is_empty(), "{by_path:#?}");
}

/// A rotated key's file changed again in a commit of the same second (a rebase, a script): the
/// key's first commit is its ancestor, whatever the two ids are. Attribution ordered commits by
/// committer time, then by id, so the id decided between a commit and its own child. Both object
/// backends (libgit2, and the git CLI for SHA-256 repositories) give the ancestor.
#[test]
fn a_secret_kept_in_a_later_commit_of_the_same_second_is_attributed_to_its_ancestor() {
    use crate::gitrepo::{fake_pat, Repo};
    for init in [
        &["init", "-q"][..],
        &["init", "-q", "--object-format=sha256"][..],
    ] {
        // Several runs of ids: each pair of commits is ordered by id one way or the other.
        for seed in 0..4u64 {
            let repo = Repo::with_init(init);
            let (old, new, other) = (
                fake_pat(seed * 3),
                fake_pat(seed * 3 + 1),
                fake_pat(seed * 3 + 2),
            );
            repo.write("app.env", format!("GITHUB_TOKEN={old}\n"));
            repo.commit_all("add the key");
            // The rotation and the next change, in one second.
            let second = repo.clock.get();
            repo.write("app.env", format!("GITHUB_TOKEN={new}\n"));
            let rotated = repo.commit_all("rotate the key");
            repo.clock.set(second);
            repo.write(
                "app.env",
                format!("GITHUB_TOKEN={new}\nDEPLOY_TOKEN={other}\n"),
            );
            let later = repo.commit_all("add the deploy token");
            let run = repo.leakguard(&["history", "--format", "json", "--show-secrets"]);
            assert_eq!(run.code, 1, "{}", run.all());
            let v = run.json();
            let commit_of = |secret: &str| -> Vec<String> {
                finding_rows(&v, |f| (f.s("secret"), f.s("commit")))
                    .into_iter()
                    .filter(|(s, _)| s == secret)
                    .map(|(_, c)| c)
                    .collect()
            };
            assert_eq!(
                commit_of(&new),
                vec![rotated.clone()],
                "{init:?} seed {seed}"
            );
            assert_eq!(commit_of(&other), vec![later], "{init:?} seed {seed}");
        }
    }
}

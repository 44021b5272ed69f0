//! Secrets found lost by a stop-25 look at public repositories built to hold them (Plazmaz/leaky-repo,
//! OWASP MASTG's playground, cicd-goat, SasanLabs' VulnerableApp) beside gitleaks, betterleaks and
//! kingfisher: users' password hashes in a SQL dump (rules/lead25.toml), and a token in a binary
//! file too large to hold (read as its strings as a stream, src/source/strings.rs). The binary files
//! held whole and the commented examples have their tests beside the behaviour they changed
//! (scan_cli.rs, history.rs, staged.rs, engine_order.rs).

use crate::common::*;

const BCRYPT: &str = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

#[test]
fn password_hashes_in_a_sql_dump_are_found_and_in_seeds_and_code_left_to_the_generic_rules() {
    let mut f = Fake::new(2501);
    let [h1, h2, h3] = [0; 3].map(|_| format!("$2y$12${}", f.from_alphabet(BCRYPT, 53)));
    let phpass = format!("$P$B{}", f.from_alphabet(BCRYPT, 30));
    let dir = tempfile::tempdir().unwrap();
    let rows = format!(
        "INSERT INTO `users` (`id`, `name`, `password`) VALUES\n(1, 'rogers', '{h1}', 1),\n(2, 'mike', '{h2}', 0);\nINSERT INTO `wp_users` VALUES (1,'admin','{phpass}');\n"
    );
    write(dir.path(), "db/dump.sql", &rows);
    // pg_dump's COPY rows: tab-separated, unquoted.
    write(
        dir.path(),
        "backup/users.psql",
        format!("COPY users (id, login, hash) FROM stdin;\n7\tops\t{h3}\n\\.\n"),
    );
    // The same rows in code: a hash in a fixture's field is not the password (the generic rules'
    // stance), and a hash cut short is no hash.
    write(
        dir.path(),
        "app/seed.py",
        format!("ROWS = [(1, 'rogers', '{h1}')]\n"),
    );
    let cut = &h2[..40];
    write(
        dir.path(),
        "db/dump_partial.sql",
        format!("(3, 'ross', '{cut}', 1),\n"),
    );
    // Seed data and migrations hold the accounts a developer made, not a copy of a users table.
    write(dir.path(), "db/migrations/0003_users.sql", &rows);
    let r = run_in(
        dir.path(),
        &["scan", "--format", "json", "--show-secrets", "--no-ignore"],
    );
    let v = r.json();
    let mut got = finding_rows(&v, |x| {
        (x.s("rule_id"), x.s("path"), x.n("line"), x.s("secret"))
    });
    got.retain(|(rule, ..)| rule == "password-hash-sql-dump");
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "password-hash-sql-dump".into(),
                "backup/users.psql".into(),
                2,
                h3.clone()
            ),
            (
                "password-hash-sql-dump".into(),
                "db/dump.sql".into(),
                2,
                h1.clone()
            ),
            (
                "password-hash-sql-dump".into(),
                "db/dump.sql".into(),
                3,
                h2.clone()
            ),
            (
                "password-hash-sql-dump".into(),
                "db/dump.sql".into(),
                4,
                phpass.clone()
            ),
        ],
        "{v}"
    );
    // A hash is not the password: reported below the keys' severity.
    let severities = finding_rows(&v, |x| (x.s("rule_id"), x.s("severity")));
    assert!(
        severities
            .iter()
            .filter(|(r, _)| r == "password-hash-sql-dump")
            .all(|(_, s)| s == "medium"),
        "{severities:?}"
    );
}

#[test]
fn a_token_in_a_binary_file_too_large_to_hold_is_found_in_its_strings() {
    // Over 64 MB a blob is streamed; a binary one is read as its strings as it streams
    // (StringsReader). The token sits across the 64 KiB reads and near the end.
    let mut f = Fake::new(2502);
    let (pat, pat2) = (f.github_pat(), f.github_pat());
    let mut data = vec![0u8; (65 << 20) + 12_345];
    let put = |data: &mut Vec<u8>, at: usize, s: &[u8]| data[at..at + s.len()].copy_from_slice(s);
    put(&mut data, 0, b"SQLite format 3\0");
    let first = (1 << 16) - 20;
    put(&mut data, first, format!("token={pat}").as_bytes());
    let last = data.len() - 60;
    put(&mut data, last, format!("GITHUB_TOKEN={pat2}").as_bytes());
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "var/app.sqlite", &data);
    let r = run_in(dir.path(), &["scan", "--format", "json", "--show-secrets"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v = r.json();
    let got = finding_rows(&v, |x| (x.s("path"), x.n("line"), x.s("secret")));
    // strings: `SQLite format 3`, `token=…`, `GITHUB_TOKEN=…`.
    assert!(
        got.contains(&("var/app.sqlite".into(), 2, pat.clone())),
        "{got:?}"
    );
    assert!(
        got.contains(&("var/app.sqlite".into(), 3, pat2.clone())),
        "{got:?}"
    );
    assert_eq!(v["stats"]["skipped"], 0, "{}", v["stats"]);
}

#[test]
fn a_shell_scripts_lower_case_password_variables_are_found_at_low() {
    // Built at run time: the repository scans itself clean.
    let (root, user) = (
        ["Kestrel", "4", "2-root"].concat(),
        ["tanager", "123"].concat(),
    );
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "#!/bin/bash\nsudo su\n\ndb_root_password={root}\ndb_username=wordpress_user\nexport db_user_password={user}   # the app's\ndb_name=wordpress_db\n\
         db_password=$DB_PASSWORD\nallow_empty_password=yes\nbackup_password=kestrel42 ./backup.sh\n"
    );
    write(dir.path(), "scripts/wordpress_deploy.sh", &script);
    // The same lines outside a shell script are not a shell's variables.
    write(dir.path(), "notes/deploy.txt", &script);
    let r = run_in(
        dir.path(),
        &["scan", "--format", "json", "--show-secrets", "--no-ignore"],
    );
    let v = r.json();
    let got = finding_rows(&v, |x| {
        (
            x.s("path"),
            x.n("line"),
            x.s("secret"),
            x.s("rule_id"),
            x.s("severity"),
        )
    });
    // In the script: both values; the strong one by the password rule, the weak one at low.
    let in_script: Vec<_> = got
        .iter()
        .filter(|g| g.0 == "scripts/wordpress_deploy.sh")
        .map(|g| (g.1, g.2.clone()))
        .collect();
    assert_eq!(in_script, vec![(4, root.clone()), (6, user.clone())], "{v}");
    assert!(
        got.contains(&(
            "scripts/wordpress_deploy.sh".into(),
            6,
            user.clone(),
            "weak-password-shell-variable".into(),
            "low".into()
        )),
        "{got:?}"
    );
    // Outside a shell script the rule reads nothing.
    assert!(
        got.iter()
            .all(|g| g.3 != "weak-password-shell-variable" || g.0 != "notes/deploy.txt"),
        "{got:?}"
    );
}

//! The credential families CredSweeper's labeled samples showed leakguard missing
//! (bench/coverage_cs.py), each written the way people write it, beside lines from real
//! repositories that look alike and are not credentials (Helm templates, PowerShell prompts,
//! htpasswd flags, SQL password policies). Values are fresh fakes of the shape.

use crate::common::*;

/// A password as people pick them: upper and lower case, digits and a symbol.
fn password(f: &mut Fake) -> String {
    format!("Q{}7!", f.alnum(9))
}

#[test]
fn passwords_in_notes_sql_curl_and_flags_are_found_and_their_look_alikes_are_not() {
    let mut f = Fake::new(1716);
    let p: Vec<String> = (0..10).map(|_| password(&mut f)).collect();
    let key = format!("{}{}", password(&mut f), f.alnum(8));
    let d = tempfile::tempdir().unwrap();
    let files = vec![
        (
            "notes/servers.txt",
            format!(
                "ssh ops@10.0.0.5 (pw:{})\nID:admin,PW:{}\nX3_PSWD={}\nthe new password is {} until Friday\n\
                 ncftp -u deploy -pw {} files.acme.io\npass the FooBar2 instance\n\
                 ## e.g. \"htpasswd -nbBC10 $username $password\"\n",
                p[0], p[1], p[2], p[3], p[4]
            ),
            vec![1, 2, 3, 4, 5],
        ),
        (
            "setup.ps1",
            "$elastic_pass = Read-Host \"Enter Elasticsearch password\"\n".to_string(),
            vec![],
        ),
        (
            "charts/app/templates/secret.yaml",
            "data:\n  password: {{ .Values.auth.enablePostgresUser }}\n\
             {{- if or .Values.ldap.bind_password .Values.ldap.bindpw -}}\n\
             ## @param pgpool.adminPassword Pgpool-II Admin password\n"
                .to_string(),
            vec![],
        ),
        (
            "db/init.sql",
            format!(
                "CREATE USER app IDENTIFIED BY {};\nALTER USER 'ops'@'10.1.%' PASSWORD EXPIRE INTERVAL 90 DAY;\n\
                 ALTER USER 'etl'@'%' IDENTIFIED WITH mysql_native_password BY '{}';\n",
                p[5], p[6]
            ),
            vec![1, 3],
        ),
        (
            "src/upload.c",
            format!(
                "curl_easy_setopt(curl, CURLOPT_USERPWD, \"deploy:{}\");\ncurl_easy_setopt(curl, CURLOPT_USERPWD, userpwd);\n",
                p[7]
            ),
            vec![1],
        ),
        (
            "scripts/run.sh",
            format!("./tool -secret {} sync\n./tool --token $TOKEN sync\n", p[8]),
            vec![1],
        ),
        ("notes/keys.md", format!("SECRET KEY: {key}\n"), vec![1]),
    ];
    assert_reports_exactly(d.path(), &files);
}

/// password-in-text is looser than the generic assignment rules: where one of them finds the
/// same value it yields (rank `fallback`), so one password gives one finding.
#[test]
fn a_password_the_assignment_rule_finds_is_not_reported_twice() {
    let mut f = Fake::new(17);
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "src/settings.py",
        // 11 characters: under the generic assignment rule's 12, so only the two password rules read it.
        format!("DB_PASSWORD = \"Q{}7!\"\n", f.alnum(8)),
    );
    let r = run_in(d.path(), &["scan", ".", "-f", "json"]);
    assert_eq!(rule_ids(&r.json()), vec!["password-assignment".to_string()]);
    // The overlap is real: without the assignment rule the line is password-in-text's.
    write(
        d.path(),
        "only.toml",
        "[extend]\nuseDefault = true\ndisabledRules = [\"password-assignment\"]\n",
    );
    let r = run_in(d.path(), &["scan", "src", "-c", "only.toml", "-f", "json"]);
    assert_eq!(
        rule_ids(&r.json()),
        vec!["password-in-text".to_string()],
        "{}",
        r.all()
    );
}

//! cd24: shapes CredData's Password labels hold that no rule read (rules/cd24.toml): a weak
//! password in a documentation page's config block or code (`password: …` in a YAML fence,
//! `password: '…'` in a JS one, `db.password=…` in a properties one, a reStructuredText
//! code-block), which the weak tier leaves out on documentation pages. Each file holds near misses
//! of the shape (references, placeholders, the name's own word as its value, schema types, prose),
//! which must stay quiet. Passwords are fake: a bird's name and digits drawn from a
//! seeded generator.

use crate::common::*;

/// A weak password of the kind people write (a word and two digits). The digits come from a longer
/// draw: `from_alphabet` redraws a value that looks like a placeholder, and two digits always do.
fn weak(f: &mut Fake, word: &str) -> String {
    let digits: String = f
        .hex(12)
        .bytes()
        .take(2)
        .map(|b| char::from(b'0' + b % 10))
        .collect();
    format!("{word}{digits}")
}

/// A file to scan: its path, its content and the (line, rule) of each finding it must give.
type Expected<'a> = (&'a str, String, Vec<(u64, &'a str)>);

/// Scans `files` and asserts the findings are exactly the listed (path, line, rule) rows.
fn assert_rows(files: &[Expected]) {
    let tmp = tempfile::tempdir().unwrap();
    for (path, content, _) in files {
        write(tmp.path(), path, content);
    }
    let r = run_in(tmp.path(), &["scan", ".", "--no-ignore", "-f", "json"]);
    let got: Vec<(String, u64, String)> =
        sorted_finding_rows(&r.json(), |f| (f.s("path"), f.n("line"), f.s("rule_id")));
    let mut want: Vec<(String, u64, String)> = files
        .iter()
        .flat_map(|(p, _, rows)| {
            rows.iter()
                .map(|&(l, rule)| (p.to_string(), l, rule.to_string()))
        })
        .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn weak_passwords_in_documentation_config_blocks_and_code_are_read() {
    let mut f = Fake::new(2424);
    let (p1, p2, p4, p5) = (
        weak(&mut f, "kestrel"),
        weak(&mut f, "tanager"),
        weak(&mut f, "osprey"),
        weak(&mut f, "merlin"),
    );
    let md = format!(
        "# Setup\n\
         \n\
         Connect the service to its database with these settings:\n\
         \n\
         ```yaml\n\
         database:\n\
         \x20 user: ops\n\
         \x20 password: {p1}\n\
         \x20 password: ${{DB_PASSWORD}}\n\
         \x20 password: changeme\n\
         \x20 password: <password>\n\
         \x20 password: password\n\
         ```\n\
         \n\
         ```js\n\
         const pool = new Pool({{ user: 'ops', password: '{p2}' }});\n\
         const other = new Pool({{ password: process.env.DB_PASSWORD }});\n\
         ```\n\
         \n\
         The password: is asked for on the first run.\n\
         \n\
         ```properties\n\
         spring.datasource.password={p4}\n\
         ```\n\
         \n\
         ```graphql\n\
         type User {{\n\
         \x20 password: String!\n\
         }}\n\
         ```\n"
    );
    let rst = format!(
        "Configuration\n\
         =============\n\
         \n\
         .. code-block:: python\n\
         \n\
         \x20   DATABASES = {{\"default\": {{\"USER\": \"ops\", \"PASSWORD\": \"{p5}\"}}}}\n\
         \x20   DATABASES = {{\"default\": {{\"PASSWORD\": os.environ[\"DB_PASSWORD\"]}}}}\n"
    );
    assert_rows(&[
        (
            "docs/setup.md",
            md,
            vec![
                (8, "weak-password-doc-value"),
                (16, "weak-password-doc-assignment"),
                (23, "weak-password-doc-value"),
            ],
        ),
        (
            "docs/configuration.rst",
            rst,
            vec![(6, "weak-password-doc-assignment")],
        ),
    ]);
}

#[test]
fn a_documentation_example_stays_dropped_and_counted() {
    // The weak tier's documentation rules are generic: a code block the page introduces as an
    // example is the page's own word, as for every generic rule.
    let mut f = Fake::new(2425);
    let p = weak(&mut f, "kestrel");
    let md = format!("For example:\n\n```yaml\npassword: {p}\n```\n");
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "README.md", &md);
    let r = run_in(tmp.path(), &["scan", ".", "--no-ignore", "-f", "json"]);
    let v = r.json();
    assert!(rule_ids(&v).is_empty(), "{v}");
    assert!(v.to_string().contains("doc-example"), "{v}");
}

#[test]
fn password_confirmation_fields_are_read_in_each_language() {
    let mut f = Fake::new(2427);
    let (p1, p2, p3, p4, p5) = (
        weak(&mut f, "kestrel"),
        weak(&mut f, "tanager"),
        weak(&mut f, "plover"),
        weak(&mut f, "osprey"),
        weak(&mut f, "merlin"),
    );
    let rb = format!(
        "user = User.new(\n\
         \x20 email: \"ops@acme.test\",\n\
         \x20 password_confirmation: \"{p1}\",\n\
         \x20 password_confirmation: params[:password_confirmation],\n\
         )\n\
         ben.password_confirmation = \"{p2}\"\n\
         ben.password_confirmation = \"\"\n"
    );
    let php = format!(
        "<?php\n\
         $data = ['password_confirmation' => '{p3}'];\n\
         $rules = ['password_confirmation' => 'required'];\n\
         $rules = ['password_confirmation' => 'same'];\n"
    );
    let ts = format!(
        "const form = {{ passwordRepeat: '{p4}' }};\n\
         const label = {{ passwordRepeat: 'passwordRepeat' }};\n\
         const again = {{ password_again: \"{p5}\" }};\n"
    );
    // A locale file names the field; its value is a label, not a password.
    let yml = "en:\n  password_confirmation: \"Confirmation\"\n".to_string();
    assert_rows(&[
        (
            "test/models/user_test.rb",
            rb,
            vec![
                (3, "weak-password-confirmation-assignment"),
                (6, "weak-password-confirmation-assignment"),
            ],
        ),
        (
            "tests/ResetTest.php",
            php,
            vec![(2, "weak-password-confirmation-assignment")],
        ),
        (
            "src/signup.spec.ts",
            ts,
            vec![
                (1, "weak-password-confirmation-assignment"),
                (3, "weak-password-confirmation-assignment"),
            ],
        ),
        ("config/locales/en.yml", yml, vec![]),
    ]);
}

#[test]
fn passwords_in_query_strings_and_form_bodies_are_read() {
    let mut f = Fake::new(2428);
    let (p1, p2, p3, p4) = (
        weak(&mut f, "kestrel"),
        weak(&mut f, "tanager"),
        weak(&mut f, "plover"),
        weak(&mut f, "osprey"),
    );
    let go = format!(
        "package login\n\
         \n\
         func body() {{\n\
         \tform := \"redir=1&login=ops&password={p1}\"\n\
         \tpart := \"login=ops&password=\" + pw\n\
         \ttmpl := \"/login?user=ops&password=%s&next=/\"\n\
         \tref := \"/login?user=ops&password=${{PASSWORD}}\"\n\
         }}\n"
    );
    let php = format!(
        "<?php\n\
         $uri = 'tcp://10.0.0.5:6400?timeout=0.5&database=5&password={p2}';\n\
         $uri = 'tcp://10.0.0.5:6400?database=5&password=:password';\n"
    );
    let har = format!(
        "{{\n  \"postData\": {{\n    \"text\": \"user%5Bname%5D=ops&user%5Bpassword%5D={p3}%21&commit=Save\"\n  }},\n  \"url\": \"https://shop.acme.test/login?user=ops&password=changeme\"\n}}\n"
    );
    let java = format!(
        "class T {{\n  String q = \"version=1.2&auth_user=ops&auth_pwd={p4}&json_data={{}}\";\n}}\n"
    );
    assert_rows(&[
        (
            "test/login_test.go",
            go,
            vec![(4, "weak-password-query-parameter")],
        ),
        (
            "tests/ParametersTest.php",
            php,
            vec![(2, "weak-password-query-parameter")],
        ),
        (
            "test/data/login.har",
            har,
            vec![(3, "weak-password-query-parameter")],
        ),
        (
            "src/test/java/T.java",
            java,
            vec![(2, "weak-password-query-parameter")],
        ),
    ]);
}

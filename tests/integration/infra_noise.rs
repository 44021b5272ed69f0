//! The classes of false alarm read in a second noise corpus (issue 17: Helm charts, Kubernetes
//! examples, Terraform modules, JWT/JOSE libraries, a web framework's tests, a notebook cookbook's
//! datasets), each written the way those repositories write it but with values of our own, beside
//! the real secrets of the same shape that must still be reported. Every finding is checked: a decoy
//! reported, or a secret missed, fails the test.

use crate::common::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

#[test]
fn infrastructure_and_library_noise_is_quiet_and_its_real_twins_are_reported() {
    let mut fake = Fake::new(1717);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // (file, content, lines that must be reported)
    let mut files: Vec<(&str, String, Vec<u64>)> = Vec::new();

    // A Helm chart's container env: the `*_FILE` variable names the file the password is read from.
    files.push((
        "charts/redis/templates/statefulset.yaml",
        format!(
            "          env:\n\
             \x20           - name: REDIS_PASSWORD_FILE\n\
             \x20             value: \"/opt/bitnami/redis/secrets/redis-password\"\n\
             \x20           - name: GOOGLE_APPLICATION_CREDENTIALS\n\
             \x20             value: /etc/secrets/service-account/credentials.json\n\
             \x20           - name: REDIS_PASSWORD\n\
             \x20             value: \"{}\"\n\
             \x20           - name: WORKER_PRIVATE_KEY\n\
             \x20             value: \"/{}\"\n",
            fake.alnum(24),
            // A random value that starts with `/` is no path: its letters have both cases.
            fake.alnum(31),
        ),
        vec![7, 9],
    ));

    // A chart README's Secret: a generated password first, then base64 of a word with `echo`'s
    // newline (`postgres`). The manifest rule reads a Secret's first entry; the line rules the rest.
    let word = STANDARD.encode("postgres\n");
    let key = STANDARD.encode(fake.alnum(24));
    files.push((
        "charts/airflow/secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: airflow\ntype: Opaque\ndata:\n\
             \x20 airflow-password: \"{key}\"\n\
             \x20 postgresql-password: \"{word}\"\n"
        ),
        vec![7],
    ));

    // A framework's URL-parser tests type keyboard rows; a real password beside them is random.
    files.push((
        "tests/Support/ConfigurationUrlParserTest.php",
        format!(
            "            'url' => 'redis://h:asdfqwer1234asdf@ec2-111-1-1-1.compute-1.amazonaws.com:111',\n\
             \x20           'password' => 'asdfqwer1234asdf',\n\
             \x20           'password' => '{}9',\n",
            fake.alnum(15)
        ),
        vec![3],
    ));

    // A hand-typed UUID-shaped access key in an example manifest (runs 1234, 5678, abcd).
    files.push((
        "examples/monitoring/agent-daemonset.yaml",
        format!(
            "        env:\n\
             \x20         - name: ACCESS_KEY\n\
             \x20           value: 8312341g-5678-abcd-4a2b2c-33bcsd655\n\
             \x20         - name: AGENT_ACCESS_KEY\n\
             \x20           value: {}\n",
            fake.alnum(32)
        ),
        vec![5],
    ));

    // Fill-ins in SQL: "some-password", "YourPwdShouldBeLongAndSecure!", and a real password.
    files.push((
        "scripts/init.sql",
        format!(
            "CREATE ROLE sr_check_user WITH LOGIN PASSWORD 'some-password';\n\
             CREATE USER 's3_import_user'@'localhost' IDENTIFIED BY 'YourPwdShouldBeLongAndSecure!';\n\
             CREATE USER 'app'@'%' IDENTIFIED BY '{}!';\n",
            fake.alnum(14)
        ),
        vec![3],
    ));

    // A dataset's example answer spells "example" with look-alikes; a chosen password does not.
    files.push((
        "finetuning/datasets/json_mode_dataset.jsonl",
        format!(
            "{{\"exampleStrongPassword\": \"P@55w0rd_Ex@mple_2023!\", \"note\": \"never share\"}}\n\
             {{\"adminPassword\": \"{}@{}\", \"note\": \"rotate\"}}\n",
            fake.alnum(9),
            fake.alnum(6)
        ),
        vec![2],
    ));

    // A JWT library's test vectors: toy claims with dates, example-domain claims, toy names only;
    // beside a token a server issued (a UUID subject at a tenant's issuer).
    let hs = r#"{"alg":"HS256","typ":"JWT"}"#;
    let toys = [
        fake.jwt(hs,
            r#"{"foo":"bar","iss":"test","exp":1516239022}"#,
        ),
        fake.jwt(hs,
            r#"{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}"#,
        ),
        fake.jwt(r#"{"alg":"RS256"}"#,
            r#"{"urn:example:claim":true,"iat":1669056488,"iss":"urn:example:issuer","aud":"urn:example:audience"}"#,
        ),
        fake.jwt(hs, r#"{"test":1234}"#),
        fake.jwt(hs, r#"{"some":"payload"}"#),
        fake.jwt(r#"{"alg":"RS256","typ":"JWT"}"#,
            r#"{"foo":"paddedbar"}"#,
        ),
        fake.jwt(hs,
            r#"{"aud":"authenticated","exp":1748107074,"iss":"https://example.com","sub":"1234567890","role":"authenticated"}"#,
        ),
    ];
    let subject = "5d0f8c1e-7a2b-4c9d-8e3f-1a2b3c4d5e6f";
    let issued = fake.jwt(hs,
        &format!(
            r#"{{"iss":"https://tenant-7x2k.auth.acme-cloud.io/","sub":"{subject}","exp":1893456000}}"#
        ),
    );
    let mut go = String::new();
    for t in &toys {
        go.push_str(&format!("\t\t\"{t}\",\n"));
    }
    go.push_str(&format!("\ttokenString := \"{issued}\"\n"));
    files.push(("hmac_test.go", go, vec![toys.len() as u64 + 1]));

    // In source code an unquoted name made of words is a variable or a type; in a config file the
    // same unquoted shape is the value itself.
    files.push((
        "parser_test.go",
        format!(
            "\tprivateKey = jwtTestEC256PrivateKey\n\tapiToken = \"{}7\"\n",
            fake.alnum(23)
        ),
        vec![2],
    ));
    files.push((
        "src/auth/types.ts",
        "export interface Web3Credentials {\n  credentials: EthereumWeb3Credentials\n}\n"
            .to_string(),
        vec![],
    ));
    files.push((
        "config/app.yml",
        "database:\n  password: Summer24Autumn25Winter\n".to_string(), // leakguard:allow (a test's fake)
        vec![2],
    ));

    // A CSV of tweets: a handle that ends in `_secret` beside a tweet's first word; and a vendor's
    // key in a CSV export beside it.
    files.push((
        "mayweather-mcgregor/tweets.csv",
        format!(
            "id,link,retweet,handle,text\n\
             901672889623175169,\"https://twitter.com/statuses/901672889623175169\",False,\"twitter_secret\",\"Congratulations to the champion\"\n\
             name,value\n\
             \"twitter_secret\",\"{}\"\n",
            fake.alnum(40)
        ),
        vec![4],
    ));

    assert_reports_exactly(d, &files);
}

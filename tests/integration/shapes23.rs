//! Secrets written the way command lines, system configuration files and programs write them, found
//! lost by a stop-23 probe of generated files: passwords under administration tools' own flags
//! (rules/cli_tools.toml); a `NAME=value` argument followed by more flags (`docker build --build-arg
//! NPM_TOKEN=… -t app .`, the `embedded_value_end` fragment); a PEM private key written as an array
//! of its lines joined by the program (`[…].join('\n')`, `"\n".join([…])`), in a notebook's source
//! lines, or JSON-escaped twice; system configs and positional client calls (rules/shapes23.toml);
//! backups of `.env` files (`.env.bak`, `.env~`). Each beside near misses of the same shape.

use crate::common::*;

#[test]
fn administration_tools_passwords_are_found_and_their_prompts_and_variables_are_not() {
    let mut f = Fake::new(2301);
    // A password of the real shape: letters and digits, with a symbol (`#` is no comment mid-word).
    let mut p = || format!("{}#{}7", f.alnum(6), f.alnum(5));
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "ops/ldap.sh",
            format!(
                "ldapsearch -x -H ldaps://dir.acme.io -D cn=admin,dc=acme,dc=io -w {} -b dc=acme,dc=io\nldapadd -x -D cn=admin,dc=acme,dc=io -W -f users.ldif\nldapmodify -x -D cn=admin,dc=acme,dc=io -w \"$BIND_PW\" -f m.ldif\n",
                p()
            ),
            vec![1],
        ),
        (
            "ops/bmc.sh",
            format!(
                "ipmitool -I lanplus -H 10.20.0.9 -U ADMIN -P {} power status\nipmitool -I lanplus -H 10.20.0.9 -U ADMIN -P \"$IPMI_PW\" sel list\n",
                p()
            ),
            vec![1],
        ),
        (
            "ops/share.sh",
            format!(
                "smbclient //fs01.corp/backup -U 'CORP\\svc%{}' -c ls\nlftp -u deploy,{} sftp://files.acme.io\nxfreerdp /v:10.0.0.4 /u:Administrator /p:{}\nrdesktop -u admin -p - 10.0.0.7\n",
                p(),
                p(),
                p()
            ),
            vec![1, 2, 3],
        ),
        (
            "db/export.sh",
            format!(
                "sqlplus -s app_owner/{}@//db01.acme.io:1521/ORCL @deploy.sql\nsqlplus / as sysdba\nexpdp system/$ORA_PW@PROD schemas=APP\n",
                p()
            ),
            vec![1],
        ),
        (
            "win/map.bat",
            format!(
                "net use Z: \\\\fs02\\finance {} /user:CORP\\svc_fin\nnet use Y: \\\\fs02\\hr /user:CORP\\svc_hr\ncmdkey /add:srv01 /user:CORP\\ops /pass:{}\nschtasks /Create /TN nightly /TR b.cmd /RU CORP\\svc /RP *\n",
                p(),
                p()
            ),
            vec![1, 3],
        ),
        (
            "ci/login.sh",
            format!(
                "az login --service-principal -u 8c1f4e2a-6b3d-4f5e-9a7c-2d1e0f3b4a5c -p {} --tenant corp.onmicrosoft.com\noc login https://api.ocp.acme.io:6443 -u admin -p {}\ncf login -a https://api.sys.acme.io -u ci -p \"$CF_PASSWORD\"\n",
                p(),
                p()
            ),
            vec![1, 2],
        ),
        (
            "ops/snmp.sh",
            format!(
                "snmpwalk -v3 -l authPriv -u monitor -a SHA -A {} -x AES -X {} 10.0.0.1\nsnmpwalk -v2c -c public 10.0.0.1\n",
                p(),
                p()
            ),
            vec![1],
        ),
        (
            "ops/users.sh",
            format!(
                "SSHPASS='{}' sshpass -e ssh deploy@10.0.0.5\necho \"deploy:{}\" | sudo chpasswd\necho \"deploy:$NEW_PW\" | chpasswd\n",
                p(),
                p()
            ),
            vec![1, 2],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

#[test]
fn a_name_value_argument_followed_by_more_flags_is_read() {
    let mut f = Fake::new(2302);
    let mut v = || format!("{}4{}", f.alnum(20), f.alnum(11));
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "build.sh",
            format!(
                "docker build --build-arg NPM_TOKEN={} -t app .\ndocker build --build-arg NPM_TOKEN=$NPM_TOKEN -t app .\ndocker build --build-arg API_KEY={} --no-cache .\n",
                v(),
                v()
            ),
            vec![1, 3],
        ),
        ("publish.sh", format!("NPM_TOKEN={} npm publish --access public\n", v()), vec![1]),
        (
            "deploy.sh",
            format!("terraform apply -var 'api_token={}' -auto-approve\n", v()),
            vec![1],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

#[test]
fn a_private_key_written_as_an_array_of_its_lines_is_found() {
    let mut f = Fake::new(2303);
    let mut body = f.base64_lines(6);
    body[0].replace_range(..32, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    let js = format!(
        "export const signingKey = [\n  '-----BEGIN PRIVATE KEY-----',\n{}\n  '-----END PRIVATE KEY-----',\n].join('\\n');\n",
        body.iter().map(|l| format!("  '{l}',")).collect::<Vec<_>>().join("\n")
    );
    let py = format!(
        "KEY = \"\\n\".join([\n    \"-----BEGIN RSA PRIVATE KEY-----\",\n{}\n    \"-----END RSA PRIVATE KEY-----\",\n])\n",
        body.iter().map(|l| format!("    \"{l}\",")).collect::<Vec<_>>().join("\n")
    );
    // A public key in the same shape is no secret.
    let public = format!(
        "const pub = [\n  '-----BEGIN PUBLIC KEY-----',\n{}\n  '-----END PUBLIC KEY-----',\n].join('\\n');\n",
        body.iter().map(|l| format!("  '{l}',")).collect::<Vec<_>>().join("\n")
    );
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        ("src/keys.js", js, vec![2]),
        ("app/keys.py", py, vec![2]),
        ("src/pub.js", public, vec![]),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

#[test]
fn a_private_key_in_a_notebook_or_escaped_twice_is_found() {
    let mut f = Fake::new(2304);
    let mut body = f.base64_lines(6);
    body[0].replace_range(..32, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        body.join("\n")
    );
    // A service account's JSON kept as a string inside another JSON document (a CI variable's
    // export, a secret manager's dump): its line breaks are `\\n`.
    let inner = serde_json::json!({"type": "service_account", "private_key": pem}).to_string();
    let double = serde_json::json!({"GOOGLE_CREDENTIALS": inner}).to_string();
    // A notebook's cell: one JSON string per source line, each ending in `\n`.
    let mut source = vec![format!("key = \"\"\"{}\n", "-----BEGIN PRIVATE KEY-----")];
    source.extend(body.iter().map(|l| format!("{l}\n")));
    source.push("-----END PRIVATE KEY-----\"\"\"\n".to_string());
    let notebook = serde_json::to_string_pretty(
        &serde_json::json!({"cells": [{"cell_type": "code", "source": source}]}),
    )
    .unwrap();
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        ("ci/variables.json", double + "\n", vec![1]),
        ("notebooks/sign.ipynb", notebook, vec![6]),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

#[test]
fn system_configs_and_positional_client_calls_are_read() {
    let mut f = Fake::new(2305);
    let mut p = || format!("{}#{}7", f.alnum(6), f.alnum(5));
    let hex: String = Fake::new(2306).hex(32 * 16);
    // VRRP's password is at most 8 characters, and keepalived reads `#` as a comment.
    let vrrp = format!("{}7", Fake::new(2308).alnum(7));
    let static_key = hex
        .as_bytes()
        .chunks(32)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "deploy/autounattend.xml",
            format!(
                "<UserAccounts>\n  <AdministratorPassword>\n    <Value>{}</Value>\n    <PlainText>true</PlainText>\n  </AdministratorPassword>\n</UserAccounts>\n<AutoLogon><Password><Value>*SENSITIVE*DATA*DELETED*</Value><PlainText>true</PlainText></Password></AutoLogon>\n",
                p()
            ),
            vec![3],
        ),
        (
            "cloud/user-data.yaml",
            format!("#cloud-config\nchpasswd:\n  list: |\n    ubuntu:{}\n  expire: false\n", p()),
            vec![4],
        ),
        (
            "etc/wpa_supplicant.conf",
            format!("network={{\n  ssid=\"acme\"\n  psk=\"{}\"\n}}\nnetwork={{\n  ssid=\"guest\"\n  psk=\"<your-passphrase>\"\n}}\n", p()),
            vec![3],
        ),
        (
            "etc/keepalived/keepalived.conf",
            format!("vrrp_instance VI_1 {{\n  authentication {{\n    auth_type PASS\n    auth_pass {vrrp}\n  }}\n}}\n"),
            vec![4],
        ),
        (
            "etc/postfix/sasl_passwd",
            format!("[smtp.relay.io]:587 alerts@acme.io:{}\n", p()),
            vec![1],
        ),
        (
            "vpn/ta.key",
            format!("#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n{static_key}\n-----END OpenVPN Static key V1-----\n"),
            vec![4],
        ),
        (
            "sync.py",
            format!(
                "ftp = FTP(\"ftp.acme.io\", \"deploy\", \"{}\")\nanon = FTP(\"ftp.acme.io\", \"anonymous\", \"guest@acme.io\")\ncreds = pika.PlainCredentials(\"app\", \"{}\")\nconn = ldap3.Connection(server, user_dn, password)\n",
                p(),
                p()
            ),
            vec![1, 3],
        ),
        (
            "mail.go",
            format!("auth := smtp.PlainAuth(\"\", \"alerts@acme.io\", \"{}\", \"smtp.acme.io\")\nauth2 := smtp.PlainAuth(\"\", user, pass, host)\n", p()),
            vec![1],
        ),
        (
            "Jndi.java",
            format!("env.put(Context.SECURITY_CREDENTIALS, \"{}\");\nenv.put(Context.SECURITY_CREDENTIALS, password);\n", p()),
            vec![1],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

#[test]
fn backups_of_env_files_are_env_files_and_templates_are_not() {
    // A weak value: only env-file-secret reports it (a secret's name in an env file in use).
    let body = |w: &str| format!("APP_NAME=shop\nSESSION_SECRET={w}\n");
    let w = "hunter42";
    let env_secret_paths = |v: &serde_json::Value| -> Vec<String> {
        let mut paths: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == "env-file-secret")
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        paths.sort();
        paths
    };
    let found = scan_files_json(&[
        (".env.bak", body(w)),
        (".env.prod.old", body(w)),
        (".env~", body(w)),
        (".env.1", body(w)),
        ("deploy/secrets.env.bak", body(w)),
        (".env.example", body(w)),
        (".env.sample~", body(w)),
        (".env.example.bak", body(w)),
    ]);
    assert_eq!(
        env_secret_paths(&found),
        vec![
            ".env.1",
            ".env.bak",
            ".env.prod.old",
            ".env~",
            "deploy/secrets.env.bak"
        ]
    );
}

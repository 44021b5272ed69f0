//! mend24 (stop 24): shapes seen lost on generated files, each read in the languages and formats it
//! is written in, with its near misses (references, placeholders, stand-ins, names that are not a
//! credential's) kept quiet. Login calls (poplib, JNDI by its property name); URL passwords holding
//! a raw `@` or `#`; Fernet keys in standard base64; a secret as a template's or an environment
//! read's default; SQL Server's logins; npm tokens set on a command line; Azure's shared-key
//! credentials; password managers' CSV exports. Values are fake, drawn from a seeded generator.

use crate::common::*;

/// A password of `n` characters with a symbol and a digit (a generated password's shape).
fn password(f: &mut Fake, n: usize, symbol: char) -> String {
    format!("{}{symbol}{}7", f.alnum(n / 2), f.alnum(n - n / 2 - 2))
}

fn standard_base64(f: &mut Fake, bytes: usize) -> String {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    loop {
        let raw: Vec<u8> = f.from_alphabet("0123456789abcdef", bytes * 2).into_bytes();
        let bytes: Vec<u8> = raw
            .chunks(2)
            .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
            .collect();
        let s = STANDARD.encode(bytes);
        // The point of these values is their `+` or `/`.
        if s.contains('+') || s.contains('/') {
            return s;
        }
    }
}

/// A generated file: its path, its content, and the (rule, secret) pairs it must give.
type Case<'a> = (&'a str, String, Vec<(&'a str, String)>);

/// Scans `files` and asserts each file's findings are exactly the (rule, secret) pairs given.
fn expect(files: &[Case]) {
    let tree: Vec<(&str, &str)> = files.iter().map(|(p, c, _)| (*p, c.as_str())).collect();
    let found = scan_files_by_path(&tree);
    for (path, content, want) in files {
        let mut got = found.get(*path).cloned().unwrap_or_default();
        got.sort();
        let mut want: Vec<(String, String)> = want
            .iter()
            .map(|(r, s)| (r.to_string(), s.clone()))
            .collect();
        want.sort();
        assert_eq!(got, want, "{path}:\n{content}");
    }
}

#[test]
fn login_calls_by_poplib_and_jndi_property_name_give_their_password() {
    let mut f = Fake::new(2401);
    let (a, b) = (password(&mut f, 12, '#'), password(&mut f, 11, '!'));
    expect(&[
        (
            "mail/fetch.py",
            format!("pop = poplib.POP3_SSL(\"pop.acme.io\")\npop.user(\"ops\")\npop.pass_(\"{a}\")\npop.pass_(password)\npop.pass_(\"password\")\n"),
            vec![("client-call-positional-password", a)],
        ),
        (
            "src/main/java/Ldap.java",
            format!("env.put(\"java.naming.security.credentials\", \"{b}\");\nenv.put(\"java.naming.security.credentials\", secret);\n"),
            vec![("client-call-positional-password", b)],
        ),
    ]);
}

#[test]
fn url_passwords_holding_at_or_hash_are_reported_whole() {
    let mut f = Fake::new(2402);
    let mut pw = |sym: char| format!("{}{sym}{}", f.alnum(5), f.alnum(9));
    let (pg, redis, amqp, mongo, https, mysql, mq) = (
        pw('@'),
        pw('#'),
        pw('@'),
        pw('#'),
        pw('@'),
        pw('@'),
        pw('@'),
    );
    let plain = pw('!');
    expect(&[
        (
            ".env.production",
            format!("DATABASE_URL=postgres://app:{pg}@db.acme.io:5432/app\nREDIS_URL=redis://:{redis}@cache.acme.io:6379/0\nAMQP_URL=amqp://svc:{amqp}@mq.acme.io/vhost\n"),
            vec![
                ("postgres-connection-url", pg),
                ("redis-connection-url", redis),
                ("amqp-connection-url", amqp),
            ],
        ),
        (
            "config/app.yaml",
            format!("mongo: \"mongodb://root:{mongo}@mongo.acme.io:27017/admin\"\napi: https://bot:{https}@api.acme.io/v1\nmq: mqtt://dev:{mq}@broker.acme.io:1883\n"),
            vec![
                ("mongodb-connection-url", mongo),
                ("url-embedded-credentials", https),
                ("url-credentials-other-schemes", mq),
            ],
        ),
        (
            // The host ends at its own `/` or `?`: an `@` in the query is not the password's.
            "app/db.py",
            format!("engine = create_engine(\"mysql+pymysql://app:{mysql}@db.acme.io/app\")\nDSN = \"postgresql://app:{plain}@db.acme.io/app?sslmode=require&application_name=ops@acme\"\n"),
            vec![("mysql-connection-url", mysql), ("postgres-connection-url", plain)],
        ),
    ]);
}

#[test]
fn fernet_keys_in_standard_base64_are_read_next_to_fernet() {
    let mut f = Fake::new(2403);
    let (a, b) = (standard_base64(&mut f, 32), standard_base64(&mut f, 32));
    expect(&[(
        "app/crypto.py",
        format!("from cryptography.fernet import Fernet\ncipher = Fernet(b\"{a}\")\nFERNET = Fernet('{b}')\nFERNET_KEY = Fernet.generate_key()\n"),
        vec![("fernet-key-standard-base64", a), ("fernet-key-standard-base64", b)],
    )]);
}

#[test]
fn defaults_of_templates_placeholders_and_environment_reads_are_read() {
    let mut f = Fake::new(2404);
    let mut pw = |n: usize| password(&mut f, n, '!');
    let (helm1, helm2, helm3, pass, spring) = (pw(14), pw(16), pw(15), pw(14), pw(18));
    let (py, js, rb, php, cs) = (pw(24), pw(24), pw(24), pw(24), pw(14));
    expect(&[
        (
            "charts/app/templates/secret.yaml",
            format!("  DB_PASSWORD: {{{{ .Values.db.password | default \"{helm1}\" | b64enc }}}}\n  token: {{{{ env \"API_TOKEN\" | default \"{helm2}\" }}}}\n  secret: {{{{ default \"{helm3}\" .Values.jwt.secret }}}}\n  password: {{{{ .Values.db.password | default \"changeme\" }}}}\n  port: {{{{ .Values.db.port | default \"5432\" }}}}\n  password: {{{{ .Values.db.password | default (randAlphaNum 16) }}}}\n"),
            vec![
                ("template-default-secret", helm1),
                ("template-default-secret", helm2),
                ("template-default-secret", helm3),
            ],
        ),
        (
            "scripts/run.sh",
            format!("DB_PASS=${{DB_PASS:-{pass}}}\nSMTP_PASS=${{SMTP_PASS:-password}}\n"),
            vec![("placeholder-default-secret", pass)],
        ),
        (
            "src/main/java/Keys.java",
            format!("@Value(\"${{app.encryption.key:{spring}}}\")\n"),
            vec![("placeholder-default-secret", spring)],
        ),
        (
            "app/settings.py",
            format!("KEY = os.environ.get(\"ENCRYPTION_KEY\") or \"{py}\"\nCACHE = os.getenv(\"CACHE_KEY\", \"users:profile:v2:by-id\")\nPATH = os.getenv(\"S3_KEY\", \"uploads/2024/avatar/profile.png\")\n"),
            vec![("env-key-fallback", py)],
        ),
        (
            "src/config.js",
            format!("const key = process.env.APP_KEY ?? \"{js}\";\nconst k2 = process.env.APP_KEY || \"your-app-key-here\";\n"),
            vec![("env-key-fallback", js)],
        ),
        (
            "config/initializers/keys.rb",
            format!("KEY = ENV[\"APP_KEY\"] || \"{rb}\"\n"),
            vec![("env-key-fallback", rb)],
        ),
        (
            "config/services.php",
            format!("<?php\n$key = getenv(\"MAILGUN_KEY\") ?: \"{php}\";\n"),
            vec![("env-key-fallback", php)],
        ),
        (
            "src/Settings.cs",
            format!("var pw = Environment.GetEnvironmentVariable(\"DB_PASSWORD\") ?? \"{cs}\";\nvar k = Environment.GetEnvironmentVariable(\"SIGNING_KEY\") ?? string.Empty;\n"),
            vec![("env-key-fallback", cs)],
        ),
    ]);
}

#[test]
fn sql_server_logins_npm_commands_and_azure_credentials_are_read() {
    let mut f = Fake::new(2405);
    let (addlogin, unicode) = (password(&mut f, 12, '#'), password(&mut f, 12, '!'));
    let (npm, yarn, echo) = (f.alnum(32), f.alnum(32), f.alnum(36));
    let (storage, named) = (standard_base64(&mut f, 64), standard_base64(&mut f, 64));
    expect(&[
        (
            "db/logins.sql",
            format!("EXEC sp_addlogin 'app', '{addlogin}';\nALTER LOGIN etl WITH PASSWORD = N'{unicode}';\nEXEC sp_addlogin @login, @password;\n"),
            vec![("sql-user-password", addlogin), ("sql-user-password", unicode)],
        ),
        (
            "ci/publish.sh",
            format!("npm config set //npm.acme.io/:_authToken {npm}\nyarn config set npmAuthToken \"{yarn}\"\nnpm config set //npm.acme.io/:_authToken ${{NPM_TOKEN}}\nyarn config set npmAuthToken <your-token>\n"),
            vec![("npm-registry-auth-command", npm), ("npm-registry-auth-command", yarn)],
        ),
        (
            "Dockerfile",
            format!("RUN echo \"//npm.acme.io/:_authToken={echo}\" > .npmrc\nRUN echo \"//npm.acme.io/:_authToken=${{NPM_TOKEN}}\" > .npmrc\n"),
            vec![("npm-registry-auth-command", echo)],
        ),
        (
            "src/Storage.cs",
            format!("var cred = new StorageSharedKeyCredential(\"acmelogs\", \"{storage}\");\ncred = AzureNamedKeyCredential(\"acmelogs\", \"{named}\")\nvar c = new StorageSharedKeyCredential(accountName, accountKey);\n"),
            vec![
                ("azure-shared-key-credential", storage),
                ("azure-shared-key-credential", named),
            ],
        ),
    ]);
}

#[test]
fn password_manager_csv_exports_give_their_password_column() {
    let mut f = Fake::new(2406);
    let mut pw = || password(&mut f, 14, '#');
    let (c1, c2, b1, k1, l1) = (pw(), pw(), pw(), pw(), pw());
    expect(&[
        (
            "exports/Chrome Passwords.csv",
            format!("name,url,username,password,note\nacme,https://acme.io/login,ops@acme.io,{c1},\nbank,https://bank.acme.io/,jdoe,{c2},\nwiki,https://wiki.acme.io/,jdoe,changeme,\n"),
            vec![("password-assignment", c1), ("password-assignment", c2)],
        ),
        (
            "exports/bitwarden_export.csv",
            format!("folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,,login,Acme,,,0,https://acme.io,ops,{b1},\n"),
            vec![("password-assignment", b1)],
        ),
        (
            "exports/keepass.csv",
            format!("\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\"\r\n\"Root\",\"Acme\",\"ops\",\"{k1}\",\"https://acme.io\",\"\"\r\n"),
            vec![("password-assignment", k1)],
        ),
        (
            "exports/lastpass.csv",
            format!("url,username,password,totp,extra,name,grouping,fav\nhttps://acme.io,ops,{l1},,,Acme,,0\n"),
            vec![("password-assignment", l1)],
        ),
        (
            // No password column; a column of hashes and references.
            "data/users.csv",
            "id,name,email\n1,Rk7vQ2xN9mP4,ops@acme.io\n".to_string(),
            vec![],
        ),
        (
            "data/accounts.csv",
            "id,user,password\n1,ops,$2b$12$abcdefghijklmnopqrstuv\n2,jdoe,${DB_PASSWORD}\n3,kim,********\n".to_string(),
            vec![],
        ),
    ]);
}

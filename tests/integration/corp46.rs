//! What SonarSource's secret specifications showed (stop 46, corp46; README "Held-out: SonarSource's
//! secret specifications"): an EC private key written as one line of base64 DER was read only under
//! a key's name and never from P-384 up; Azure Bot Service secrets, Standard logic apps' trigger
//! signatures, Event Grid's SAS, Vault's legacy batch tokens, 40-hex GitHub tokens in a clone URL and
//! `setx "NAME" "…"` were lost; and secret-store references, `$NAME$` and `$env{…}` slots and escaped
//! shell variables were reported as values.

use crate::common::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

const EC: &str = "ec-private-key-der-base64";
const BOT: &str = "azure-bot-framework-secret";
const LOGIC: &str = "azure-logic-app-trigger-sig";
const EVENTGRID: &str = "azure-event-grid-sas-token";
const BATCH: &str = "vault-legacy-batch-token";
const GH_URL: &str = "github-oauth-token-url";
const SETX: &str = "setx-quoted-name-secret";

/// Near misses of one rule: it reports nothing in these files (name, text).
fn assert_quiet_for(rule: &str, files: &[(&str, String)]) {
    assert_eq!(findings_of_rules(files, &[rule]), vec![]);
}

const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The DER of an ECPrivateKey (RFC 5915) on `curve`, with its public key or without, base64 on one
/// line: the bytes a key generator writes, the private scalar and the point drawn at random.
fn ec_key(f: &mut Fake, curve: &str, public: bool) -> String {
    // (private key length, the curve's OID in its [0] parameters, the point's length)
    let (n, params, point): (usize, &[u8], usize) = match curve {
        "p256" => (
            32,
            &[
                0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
            ],
            65,
        ),
        "k256" => (
            32,
            &[0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a],
            65,
        ),
        "p384" => (
            48,
            &[0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
            97,
        ),
        _ => (
            66,
            &[0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23],
            133,
        ),
    };
    let mut body = vec![0x02, 0x01, 0x01, 0x04, n as u8];
    let mut scalar = f.bytes(n);
    if n == 66 {
        scalar[0] &= 1; // a 521-bit scalar
    }
    body.extend(scalar);
    body.extend_from_slice(params);
    if public {
        let mut bits = vec![0x03];
        der_len(&mut bits, point + 1);
        bits.push(0x00);
        bits.push(0x04);
        bits.extend(f.bytes(point - 1));
        let mut tagged = vec![0xa1];
        der_len(&mut tagged, bits.len());
        tagged.extend(bits);
        body.extend(tagged);
    }
    let mut der = vec![0x30];
    der_len(&mut der, body.len());
    der.extend(body);
    STANDARD.encode(der)
}

fn der_len(out: &mut Vec<u8>, n: usize) {
    if n < 0x80 {
        out.push(n as u8);
    } else {
        out.extend([0x81, n as u8]);
    }
}

#[test]
fn ec_private_keys_in_raw_base64_are_reported_for_every_curve_in_every_shape() {
    let shapes: &[(&str, &str)] = &[
        ("sign.js", "const ecKey = \"{V}\";"),
        (".env", "SIGNING_KEY={V}"),
        ("config.json", "{\"jwt\": {\"es_private\": \"{V}\"}}"),
        ("values.yaml", "signer:\n  der: {V}\n"),
        ("keys.go", "var issuer = mustParse([]byte(\"{V}\"))"),
        ("Notes.md", "the old key was `{V}`, rotated since"),
    ];
    let mut f = Fake::new(4601);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for curve in ["p256", "k256", "p384", "p521"] {
        for public in [true, false] {
            for (si, (name, template)) in shapes.iter().enumerate() {
                let v = ec_key(&mut f, curve, public);
                let path = format!("{curve}{public}{si}/{name}");
                files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
                want.push((path, format!("{template} ({curve}, public {public})"), v));
            }
        }
    }
    let missed = missed_values_of_rule(&files, &want, EC);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn ec_key_prefixes_of_the_wrong_length_or_a_pem_line_are_not_raw_keys() {
    let mut f = Fake::new(4602);
    let key = ec_key(&mut f, "p384", true);
    let short = ec_key(&mut f, "p256", false);
    let files = vec![
        // The opening of a key with unrelated text glued on, or cut: not the curve's length.
        (
            "a.js",
            format!("const notAKey = \"{}{}\";\n", &short[..44], f.alnum(40)),
        ),
        ("b.js", format!("const k = \"{}\";\n", &key[..200])),
        // A PEM body's first line (64 characters): the armored key is ec-private-key's.
        ("c.txt", format!("{}\n", &key[..64])),
    ];
    assert_quiet_for(EC, &files);
}

/// A Bot Service secret: 11 base64url characters, a dot, 43 more; Direct Line's may carry two
/// short segments between.
fn bot_secret(f: &mut Fake) -> String {
    if f.next().is_multiple_of(3) {
        format!(
            "{}.{}.{}.{}",
            f.from_alphabet(B64URL, 11),
            f.alnum(3),
            f.alnum(3),
            f.from_alphabet(B64URL, 43)
        )
    } else {
        format!(
            "{}.{}",
            f.from_alphabet(B64URL, 11),
            f.from_alphabet(B64URL, 43)
        )
    }
}

#[test]
fn bot_framework_secrets_are_reported_in_every_shape() {
    let cells: &[(&str, &str)] = &[
        ("req.http", "POST https://directline.botframework.com/v3/directline/conversations\nAuthorization: BotConnector {V}\n"),
        ("chat.js", "xhr.setRequestHeader('Authorization', 'BotConnector ' + '{V}');\n"),
        ("Client.cs", "client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"BotConnector\", \"{V}\");\n"),
        ("index.html", "<iframe src=\"https://webchat.botframework.com/embed/acme-helpdesk?s={V}\" style=\"height: 502px\"></iframe>\n"),
        ("page.html", "<iframe src='https://webchat.botframework.com/embed/acme-bot?features=webchatpreview&s={V}'></iframe>\n"),
    ];
    check_cells(BOT, 4603, cells, bot_secret, |f| f.alnum(4));
}

#[test]
fn bot_framework_near_misses_are_quiet() {
    let mut f = Fake::new(4604);
    assert_quiet(vec![
        ("a.http", "Authorization: BotConnector YOUR_DIRECT_LINE_SECRET\n".to_string()),
        (
            "b.html",
            "<iframe src=\"https://webchat.botframework.com/embed/acme?s=YOUR_SECRET_HERE\"></iframe>\n"
                .to_string(),
        ),
        // The second part one short of a secret's.
        (
            "c.http",
            format!("Authorization: BotConnector {}.{}\n", f.alnum(11), f.alnum(42)),
        ),
    ]);
}

/// A trigger signature: HMAC-SHA256 in base64url, 43 characters.
fn sig(f: &mut Fake) -> String {
    f.from_alphabet(B64URL, 43)
}

#[test]
fn logic_app_trigger_signatures_are_reported_in_the_url_and_beside_it() {
    let url = "https://acme-flows.azurewebsites.net:443/api/orders/triggers/When_a_HTTP_request_is_received/invoke";
    let cells: Vec<(&str, String)> = vec![
        (".env", format!("SAS_URL={url}?api-version=2022-05-01&sp=%2Ftriggers%2FWhen_a_HTTP_request_is_received%2Frun&sv=1.0&sig={{V}}\n")),
        ("call.sh", "curl -X POST 'https://acme-flows.azurewebsites.net/api/orders/triggers/manual/invoke?api-version=2022-05-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={V}' -d @body.json\n".to_string()),
        ("call2.sh", format!("curl -G \"{url}\" \\\n  -d \"api-version=2022-05-01\" \\\n  -d \"sp=/triggers/When_a_HTTP_request_is_received/run\" \\\n  -d \"sv=1.0\" \\\n  -d \"sig={{V}}\"\n")),
        ("run.py", format!("import requests\n\nurl = \"{url}\"\nparams = {{\n    'api-version': '2022-05-01',\n    'sp': '/triggers/When_a_HTTP_request_is_received/run',\n    'sv': '1.0',\n    'sig': '{{V}}',\n}}\nrequests.post(url, params=params, json={{}})\n")),
        ("Run.cs", format!("string url = \"{url}\";\nvar query = new NameValueCollection();\nquery.Add(\"api-version\", \"2022-05-01\");\nquery.Add(\"sv\", \"1.0\");\nquery.Add(\"sig\", \"{{V}}\");\n")),
    ];
    let cells: Vec<(&str, &str)> = cells.iter().map(|(n, t)| (*n, t.as_str())).collect();
    check_cells(LOGIC, 4605, &cells, sig, |f| f.alnum(4));
}

#[test]
fn logic_app_placeholders_and_other_hosts_are_not_trigger_signatures() {
    let mut f = Fake::new(4606);
    let files = vec![
        ("a.sh", "curl \"https://acme-flows.azurewebsites.net:443/api/orders/triggers/manual/invoke?api-version=2022-05-01&sv=1.0&sig=<signature>\"\n".to_string()),
        ("b.sh", "curl \"https://acme-flows.azurewebsites.net:443/api/orders/triggers/manual/invoke?api-version=2022-05-01&sig=some/very/long/string/enclosed/in/multiple/slashes/here\"\n".to_string()),
        // An Azure Functions route that is no trigger, with a sig= of its own.
        ("c.sh", format!("curl \"https://acme-fn.azurewebsites.net/api/render?sig={}\"\n", sig(&mut f))),
    ];
    assert_quiet_for(LOGIC, &files);
}

/// An Event Grid signature as its SAS writes it: 43 base64 characters and `=`, URL-encoded.
fn eventgrid_sig(f: &mut Fake) -> String {
    let raw = f.from_alphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        43,
    );
    format!("{}%3d", raw.replace('+', "%2b").replace('/', "%2f"))
}

#[test]
fn event_grid_shared_access_signatures_are_reported() {
    let r = "r=https%3a%2f%2facme-orders.westeurope-1.eventgrid.azure.net%2fapi%2fevents&e=6%2f15%2f2027+6%3a20%3a15+PM&s={V}";
    let header = format!("aeg-sas-token: {r}\n");
    let auth = format!("Authorization: SharedAccessSignature {r}\n");
    let code = format!("const sas = \"{}\";\n", r.replace("%3a%2f%2f", "://"));
    let cells: Vec<(&str, &str)> = vec![
        ("req.http", header.as_str()),
        ("curl.sh", auth.as_str()),
        ("sas.js", code.as_str()),
    ];
    check_cells(EVENTGRID, 4607, &cells, eventgrid_sig, |f| f.alnum(4));
    // A stand-in signature, and one cut short.
    let files = vec![
        ("doc.md", "aeg-sas-token: r=https%3a%2f%2fmytopic.eventgrid.azure.net%2fapi%2fevents&e=6%2f15%2f2017+6%3a20%3a15+PM&s=XXXXXXXXXXXXXXXXXXXXXXXX\n".to_string()),
        ("b.http", format!("aeg-sas-token: r=https%3a%2f%2facme.eventgrid.azure.net%2fapi%2fevents&e=6%2f15%2f2027+6%3a20%3a15+PM&s={}\n", Fake::new(4614).alnum(30))),
    ];
    assert_quiet_for(EVENTGRID, &files);
}

/// A legacy batch token: `b.AAAAAQ` and the rest of the encrypted token, base64url.
fn batch_token(f: &mut Fake) -> String {
    let n = 120 + (f.next() % 60) as usize;
    format!("b.AAAAAQ{}", f.from_alphabet(B64URL, n))
}

#[test]
fn legacy_vault_batch_tokens_are_reported_without_a_vault_name() {
    let cells: &[(&str, &str)] = &[
        ("token.txt", "{V}\n"),
        ("values.yaml", "auth:\n  token: {V}\n"),
        (
            "client.py",
            "client = hvac.Client(url=ADDR, token=\"{V}\")\n",
        ),
        (
            "run.sh",
            "curl -H \"X-Request-Token: {V}\" https://secrets.internal/v1/kv/app\n",
        ),
    ];
    check_cells(BATCH, 4608, cells, batch_token, |f| f.alnum(4));
    let mut f = Fake::new(4609);
    let files = vec![
        // Short, or not the format's opening.
        ("a.txt", format!("token: b.AAAAAQ{}\n", f.alnum(40))),
        ("b.txt", format!("token: b.AAAABQ{}\n", f.alnum(140))),
    ];
    assert_quiet_for(BATCH, &files);
}

#[test]
fn forty_hex_github_tokens_in_a_clone_url_or_a_netrc_are_reported() {
    let cells: &[(&str, &str)] = &[
        ("clone.sh", "git clone https://{V}:x-oauth-basic@github.com/acme/tools.git\n"),
        ("Dockerfile", "RUN git clone https://{V}@github.com/acme/tools.git /src\n"),
        ("requirements.txt", "git+https://{V}:x-oauth-basic@github.com/acme/tools@v1.2.0#egg=tools\n"),
        ("package.json", "{\"dependencies\": {\"tools\": \"git+https://{V}:x-oauth-basic@github.com/acme/tools.git\"}}\n"),
        ("netrc", "machine github.com\nlogin {V}\npassword x-oauth-basic\n"),
    ];
    check_cells(GH_URL, 4610, cells, |f| f.hex(40), |f| f.alnum(4));
}

#[test]
fn github_clone_urls_with_references_or_other_hosts_are_not_tokens() {
    let mut f = Fake::new(4611);
    let files = vec![
        (
            "a.sh",
            "git clone https://$GITHUB_TOKEN:x-oauth-basic@github.com/acme/tools.git\n".to_string(),
        ),
        (
            "b.yml",
            "run: git clone https://${{ secrets.GH_TOKEN }}@github.com/acme/tools.git\n"
                .to_string(),
        ),
        (
            "c.md",
            format!("see https://github.com/acme/tools/commit/{}\n", f.hex(40)),
        ),
        (
            "d.sh",
            format!(
                "git clone https://{}@gitlab.example.org/acme/tools.git\n",
                f.hex(40)
            ),
        ),
    ];
    assert_quiet_for(GH_URL, &files);
}

#[test]
fn setx_with_a_quoted_credential_name_is_reported() {
    let cells: &[(&str, &str)] = &[
        ("setup.bat", "setx \"SONAR_TOKEN\" \"{V}\"\n"),
        ("setup.cmd", "SETX \"DB_PASSWORD\" \"{V}\" /M\n"),
        ("setup.ps1", "setx \"OPENAI_API_KEY\" {V}\n"),
        (
            "README.md",
            "Run `setx \"ACME_SECRET\" \"{V}\"` once, then reopen the shell.\n",
        ),
    ];
    check_cells(SETX, 4612, cells, |f| f.generic_key(), |f| f.alnum(4));
    assert_quiet(vec![
        ("a.bat", "setx \"SONAR_TOKEN\" \"%SONAR_TOKEN%\"\n"),
        (
            "b.bat",
            "setx \"JAVA_HOME\" \"C:\\Program Files\\Java\\jdk-21\"\n",
        ),
        ("c.bat", "setx \"API_TOKEN\" \"your-api-token-here\"\n"),
    ]);
}

/// (file, template): a value in the place of a password that names where the password is kept,
/// written as the corpus wrote it; `{V}` is that reference, or a real password in the twin.
const REFERENCE_SHAPES: &[(&str, &str, &str)] = &[
    (
        "deploy.sh",
        "MYSQL_PASSWORD=\"{V}\" ./migrate.sh\n",
        "op://vault/mysql/password",
    ),
    (
        "application.properties",
        "spring.datasource.password={V}\n",
        "arn:aws:secretsmanager:eu-west-2:660254676590:secret:dev/postgresql-WEHbH0",
    ),
    (
        "db.go",
        "conn := \"postgres://app:{V}@db.internal:5432/app\"\n",
        "$DB_PASS$",
    ),
    (
        "mq.pl",
        "my $url = \"amqp://admin:{V}@mq.internal:5672/\";\n",
        "$env{admin_pwd}",
    ),
    (
        "Makefile",
        "ping:\n\tmysqladmin ping --user=app --password=\"{V}\"\n",
        "\\$MYSQL_USER_PASSWORD",
    ),
];

#[test]
fn secret_store_references_slots_and_escaped_variables_are_not_passwords() {
    assert_quiet(
        REFERENCE_SHAPES
            .iter()
            .map(|(file, template, reference)| (*file, template.replace("{V}", reference)))
            .collect(),
    );
}

#[test]
fn the_same_shapes_with_a_real_password_are_still_reported() {
    let mut f = Fake::new(4613);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, (file, template, _)) in REFERENCE_SHAPES.iter().enumerate() {
        let v = format!("{}7{}", f.alnum(9), f.alnum(8));
        let path = format!("r{i}/{file}");
        files.push((path.clone(), template.replace("{V}", &v)));
        want.push((path, template.to_string(), v));
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn a_positional_format_field_in_a_connection_string_is_not_a_password() {
    // The key's name is put in at run time, so that this source does not hold the shape.
    let pw = ["Pass", "word"].concat();
    assert_quiet(vec![(
        "Db.cs",
        format!("var cs = string.Format(\"Server={{0}};Database=Orders;User Id={{1}};{pw}={{2}}\", host, user, pass);\n"),
    )]);
    let mut f = Fake::new(4615);
    let v = format!("{}7{}", f.alnum(9), f.alnum(8));
    let files = vec![(
        "Db.cs".to_string(),
        format!("var cs = \"Server=db.internal;Database=Orders;User Id=app;{pw}={v}\";\n"),
    )];
    let want = vec![("Db.cs".to_string(), "the literal twin".to_string(), v)];
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// A RapidAPI key: hex with `msh`, `p` and `jsn` at their places.
fn rapidapi_key(f: &mut Fake) -> String {
    format!("{}msh{}p{}jsn{}", f.hex(10), f.hex(15), f.hex(6), f.hex(12))
}

#[test]
fn rapidapi_keys_are_reported_by_their_markers_under_any_name() {
    let cells: &[(&str, &str)] = &[
        (
            "env.json",
            "{\"key\": \"token\", \"initialValue\": \"{V}\"}\n",
        ),
        (
            "client.py",
            "HEADERS = {\"X-Key\": \"{V}\", \"X-Host\": \"weather.p.example.net\"}\n",
        ),
        ("App.kt", "val k = \"{V}\"\n"),
    ];
    check_cells("rapidapi-key-shape", 4616, cells, rapidapi_key, |f| {
        f.alnum(4)
    });
    let mut f = Fake::new(4617);
    let key = rapidapi_key(&mut f);
    let files = vec![
        ("a.json", format!("{{\"v\": \"{}\"}}\n", &key[..49])),
        (
            "b.json",
            format!("{{\"v\": \"{}\"}}\n", key.replace("jsn", "jsx")),
        ),
        ("c.json", format!("{{\"v\": \"{}\"}}\n", f.hex(50))),
    ];
    assert_quiet_for("rapidapi-key-shape", &files);
}

// Checkmarx 2ms's rule tests and talisman's detector tests (stop 46, corp46b; README "Checkmarx 2ms
// and talisman"): a password quoted alone after an unquoted user (`--user kevin:'…'`, `"u":"p"`) was
// lost by curl-user-credentials, and a bracketed slot (`neo4j:[PASSWORD]`) was reported as one.

const CURL: &str = "curl-user-credentials";

#[test]
fn curl_passwords_quoted_apart_from_their_user_are_reported_alone() {
    let mut f = Fake::new(4618);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    let shapes = [
        "curl --user {U}:'{P}' -iX PATCH https://ci.acme-builds.io/api/jobs",
        "curl -u {U}:\"{P}\" https://repo.acme-builds.io/upload",
        "curl -s --user \"{U}\":\"{P}\" https://api.acme-logistics.io/v1/me",
        "curl -u '{U}':'{P}' -X POST https://api.acme-logistics.io/v2/orders",
    ];
    for (i, shape) in shapes.iter().enumerate() {
        let (user, pw) = (format!("svc{}", f.alnum(4)), f.alnum(18));
        let path = format!("s{i}/deploy.sh");
        files.push((
            path.clone(),
            format!("{}\n", shape.replace("{U}", &user).replace("{P}", &pw)),
        ));
        want.push((path, shape.to_string(), pw));
    }
    let missed = missed_values_of_rule(&files, &want, CURL);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn curl_passwords_that_are_template_slots_are_quiet_and_a_real_one_still_reported() {
    let files = vec![
        (
            "a.sh",
            "curl --user neo4j:[PASSWORD] http://db.acme-logistics.io:7474/db/data/\n".to_string(),
        ),
        (
            "b.sh",
            "curl -u admin:<api-token> https://api.acme-logistics.io/v1\n".to_string(),
        ),
        (
            "c.sh",
            "curl --user \"{username}\":\"{password}\" https://gw.acme-logistics.io/api\n"
                .to_string(),
        ),
    ];
    assert_quiet_for(CURL, &files);
    let mut f = Fake::new(4619);
    let pw = f.alnum(16);
    let files = vec![(
        "d.sh".to_string(),
        format!("curl --user neo4j:{pw} http://db.acme-logistics.io:7474/db/data/\n"),
    )];
    let want = vec![(
        "d.sh".to_string(),
        "a real one".to_string(),
        format!("neo4j:{pw}"),
    )];
    let missed = missed_values_of_rule(&files, &want, CURL);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

//! Keys as public repositories write them, second look (stop 42, wild42): excerpts of public GitHub
//! files found by exact-string look-ups over families and shapes stop 41 did not sample showed these
//! shapes lost at main, and these stand-ins reported. Each is checked here in the syntaxes of several
//! languages with fresh fake values built at runtime, and must be reported by its rule with that
//! value; the near misses and published examples beside them stay quiet.
//! - twitter4j's setters and builders (`setOAuthConsumerSecret("…")`), `twitter4j.properties`;
//! - a Pusher app secret given positionally (`new Pusher(key, secret, app_id)` in PHP, the app id
//!   first in Java, .NET and Python), by name in the client's constructor or under a Pusher name;
//! - JDBC's `getConnection(url,⏎ "user", "password")` as formatters wrap it;
//! - stand-ins: a form validator's rule list under a secret's name (`'app_secret' =>
//!   'nullable|string|max:255'`), vendors' published documentation examples, RabbitMQ's
//!   `guest:guest`, a token's prefix with `YourTokenHere` after it.

use crate::common::*;

/// (file name, text with `{V}` for the secret and `{K}` for a companion): each must be reported by
/// `rule` with the `{V}` value.
fn check(
    rule: &str,
    seed: u64,
    cells: &[(&str, &str)],
    value: impl Fn(&mut Fake) -> String,
    companion: impl Fn(&mut Fake) -> String,
) {
    let mut f = Fake::new(seed);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, (name, text)) in cells.iter().enumerate() {
        let v = value(&mut f);
        let k = companion(&mut f);
        let path = format!("c{i}/{name}");
        files.push((path.clone(), text.replace("{V}", &v).replace("{K}", &k)));
        want.push((path, format!("{rule}: {name}: {text}"), v));
    }
    let missed = missed_values_of_rule(&files, &want, rule);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// No rule may report anything in these files (path, text).
fn assert_quiet<T: AsRef<str>>(files: Vec<(&str, T)>) {
    let files: Vec<(String, String)> = files
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.as_ref().to_string()))
        .collect();
    let got = string_pairs(&scan_files_json(&files), "path", "rule_id");
    assert!(got.is_empty(), "reported: {got:?}");
}

/// A Twitter consumer secret or access-token secret: 35 to 50 letters and digits.
fn twitter_secret(f: &mut Fake) -> String {
    let n = 45 + (f.next() % 6) as usize;
    f.alnum(n)
}

/// A Twitter access token: the user's numeric id, `-`, 31 to 40 letters and digits.
fn twitter_access_token(f: &mut Fake) -> String {
    let digits = 9 + (f.next() % 11) as usize;
    let id = format!("1{}", f.from_alphabet("0123456789", digits - 1));
    let n = 31 + (f.next() % 10) as usize;
    format!("{id}-{}", f.alnum(n))
}

/// A Pusher Channels key or secret: 20 lower-case hex characters.
fn pusher_hex(f: &mut Fake) -> String {
    f.hex(20)
}

#[test]
fn a_twitter4j_secret_given_to_its_setters_and_builders_is_reported() {
    let cells = [
        (
            "TweetBot.java",
            "cb.setDebugEnabled(true)\n        .setOAuthConsumerKey(\"{K}\")\n        .setOAuthConsumerSecret(\"{V}\")\n        .setOAuthAccessToken(\"1234-x\");\n",
        ),
        (
            "Twitter.kt",
            "val cb = ConfigurationBuilder()\ncb.setOAuthConsumerSecret(\"{V}\")\n",
        ),
        (
            "Stream.scala",
            "  .setOAuthAccessTokenSecret(\"{V}\")\n  .build()\n",
        ),
        (
            "sketch.pde",
            "  cb.setOAuthAccessTokenSecret(\"{V}\");\n",
        ),
        (
            "Bot.groovy",
            "def conf = new ConfigurationBuilder().setOAuthConsumerSecret('{V}').build()\n",
        ),
        (
            "Builder.java",
            "Twitter twitter = Twitter.newBuilder()\n    .oAuthConsumer(\"{K}\", \"{V}\")\n    .build();\n",
        ),
        ("twitter4j.properties", "debug=true\noauth.consumerSecret={V}\n"),
        (
            "Main.java",
            "System.setProperty(\"twitter4j.oauth.accessTokenSecret\", \"{V}\");\n",
        ),
        ("run.sh", "java -Dtwitter4j.oauth.consumerSecret={V} -jar bot.jar\n"),
    ];
    check(
        "twitter4j-oauth-secret",
        4201,
        &cells,
        twitter_secret,
        |f| f.alnum(25),
    );
}

#[test]
fn a_twitter4j_access_token_given_to_its_setter_is_reported() {
    let cells = [
        (
            "TweetBot.java",
            "        .setOAuthAccessToken(\"{V}\")\n        .setOAuthAccessTokenSecret(accessSecret);\n",
        ),
        ("sketch.pde", "  cb.setOAuthAccessToken(\"{V}\");\n"),
        ("Stream.scala", "      .setOAuthAccessToken(\"{V}\")\n"),
        ("twitter4j.properties", "oauth.accessToken={V}\n"),
    ];
    check(
        "twitter4j-oauth-secret",
        4202,
        &cells,
        twitter_access_token,
        |_| String::new(),
    );
}

#[test]
fn a_pusher_secret_given_by_position_or_by_name_is_reported() {
    let cells = [
        (
            "ChatController.php",
            "        $pusher = new Pusher('{K}', '{V}', '1405840', $options);\n",
        ),
        (
            "NotifyController.php",
            "        $pusher = new Pusher(\n            '{K}',   // key\n            '{V}',   // secret\n            '2054403',                 // app_id\n            $options\n        );\n",
        ),
        (
            "Broadcast.php",
            "$pusher = new Pusher\\Pusher(\"{K}\", \"{V}\", \"657001\", array('cluster' => 'ap1'));\n",
        ),
        (
            "Notifier.java",
            "Pusher pusher = new Pusher(\"1077643\", \"{K}\", \"{V}\");\npusher.setCluster(\"eu\");\n",
        ),
        (
            "Realtime.cs",
            "var pusher = new Pusher(\n    \"1254747\",\n    \"{K}\",\n    \"{V}\",\n    options);\n",
        ),
        (
            "events.py",
            "pusher_client = pusher.Pusher('1120831', '{K}', '{V}', ssl=True, cluster='eu')\n",
        ),
        (
            "realtime.py",
            "pusher_client = pusher.Pusher(\n  app_id='1120831',\n  key='{K}',\n  secret='{V}',\n  cluster='eu',\n)\n",
        ),
        (
            "pusher.rb",
            "PUSHER = Pusher::Client.new(app_id: '1202226', key: '{K}', secret: '{V}', cluster: 'ap2')\n",
        ),
        ("config/initializers/pusher.rb", "Pusher.secret = '{V}'\n"),
        (
            "notify.go",
            "client := pusher.Client{\n\tAppID:   \"1574015\",\n\tKey:     \"{K}\",\n\tSecret:  \"{V}\",\n\tCluster: \"ap2\",\n}\n",
        ),
        (
            "server.js",
            "const pusher = new Pusher({\n  appId: \"1581287\",\n  key: \"{K}\",\n  secret: \"{V}\",\n  cluster: \"ap3\",\n});\n",
        ),
        (
            "config/broadcasting.php",
            "            'secret' => env('PUSHER_APP_SECRET', '{V}'),\n",
        ),
        (".env", "PUSHER_APP_KEY={K}\nPUSHER_APP_SECRET={V}\n"),
    ];
    check("pusher-app-secret", 4203, &cells, pusher_hex, pusher_hex);
}

#[test]
fn a_jdbc_password_wrapped_onto_the_next_line_is_reported() {
    let cells = [
        (
            "Db.java",
            "Connection con = DriverManager.getConnection(\"jdbc:mysql://shop-1.c9x2kq.eu-west-1.rds.amazonaws.com:3306/shop\",\n        \"admin\", \"{V}\");\n",
        ),
        (
            "Db.kt",
            "val con = DriverManager.getConnection(\n    \"jdbc:postgresql://db.acme.io:5432/shop\",\n    \"shop\",\n    \"{V}\"\n)\n",
        ),
        (
            "login.jsp",
            "<% Connection con = DriverManager.getConnection(url,\n      \"app\", \"{V}\"); %>\n",
        ),
        (
            "Db.scala",
            "val con = DriverManager.getConnection(jdbcUrl, \"etl\",\n  \"{V}\")\n",
        ),
    ];
    check(
        "jdbc-getconnection-password",
        4204,
        &cells,
        |f| format!("{}#{}", f.alnum(8), f.alnum(5)),
        |_| String::new(),
    );
}

#[test]
fn near_misses_of_these_shapes_stay_quiet() {
    let mut f = Fake::new(4205);
    let key = pusher_hex(&mut f);
    assert_quiet(vec![
        (
            "TweetBot.java",
            "cb.setOAuthConsumerSecret(System.getenv(\"TWITTER_CONSUMER_SECRET\"))\n  .setOAuthAccessToken(accessToken)\n  .setOAuthAccessTokenSecret(\"YOUR_ACCESS_TOKEN_SECRET\");\n".to_string(),
        ),
        (
            "twitter4j.properties",
            "oauth.consumerSecret=${TWITTER_CONSUMER_SECRET}\noauth.accessToken=\n".to_string(),
        ),
        (
            "ChatController.php",
            "$pusher = new Pusher(env('PUSHER_APP_KEY'), env('PUSHER_APP_SECRET'), env('PUSHER_APP_ID'), $options);\n".to_string(),
        ),
        // The key alone, as a browser holds it: public.
        (
            "chat.js",
            format!("var pusher = new Pusher('{key}', {{ cluster: 'ap2', forceTLS: true }});\n"),
        ),
        (
            "Notifier.java",
            "Pusher pusher = new Pusher(APP_ID, KEY, SECRET);\n".to_string(),
        ),
        (
            "Db.java",
            "Connection con = DriverManager.getConnection(url,\n        user, password);\n".to_string(),
        ),
    ]);
}

#[test]
fn a_validators_rule_list_under_a_secrets_name_is_no_secret() {
    assert_quiet(vec![
        (
            "app/Http/Controllers/ShopController.php",
            "        $validated = $request->validate([\n            'app_key' => 'nullable|string|max:255',\n            'app_secret' => 'nullable|string|max:255',\n            'access_token' => 'required|string',\n            'client_secret' => 'sometimes|required|string|min:32',\n            'password' => 'required|string|min:8|confirmed',\n        ]);\n",
        ),
        (
            "app/Http/Requests/StoreKey.php",
            "        return ['api_secret' => 'required|alpha_num|size:40', 'secret_key' => 'nullable|string|between:16,64'];\n",
        ),
    ]);
}

#[test]
fn published_documentation_examples_and_a_brokers_guest_account_stay_quiet() {
    assert_quiet(vec![
        // Stripe's docs' test key, pasted as a live key (wild42 saw it so in Java).
        (
            "Billing.java",
            "        Stripe.apiKey = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\";\n",
        ),
        ("billing.py", "stripe.api_key = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\"\n"),
        // GitHub's docs' personal access token.
        (
            "config.yaml",
            "api:\n  github_token: ghp_16C7e42F292c6912E7710c838347Ae178B4a\n",
        ),
        // Azure AI services' docs' subscription key.
        (
            "Analyze.java",
            "request.setHeader(\"Ocp-Apim-Subscription-Key\", \"13hc77781f7e4b19b5fcdd72a8df7156\");\n",
        ),
        // The storage emulator's published account key, under a generic name.
        (
            "settings.py",
            "BLOB_CONNSTR = \"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://azurite:10000/devstoreaccount1;\"\n",
        ),
        // A JWT tutorial's HMAC key, copied into many Spring projects.
        (
            "application.properties",
            "jwt.secret=${JWT_SECRET:dev-only-404E635266556A586E3272357538782F413F4428472B4B6250645367566B5970}\n",
        ),
        // RabbitMQ's guest account, published for anonymous reading.
        (
            "pulse.py",
            "PULSE_URI = os.environ.get(\"PULSE_URI\", \"amqps://guest:guest@pulse.mozilla.org/\")\n",
        ),
        // Registry logins written to be refused, in a test's and a stub's Docker config.
        (
            "auth_test.rs",
            "write_file(&c.docker_config, r#\"{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"bm9ib2R5OmJvZ3Vz\"}}}\"#);\n",
        ),
        (
            "stub.go",
            "stub := `{\n  \"auths\": {\n    \"registry.redhat.io\": {\n      \"auth\": \"ZGV2OnRocm93YXdheQ==\",\n      \"email\": \"dev-only@mock-me.local\"\n    }\n  }\n}`\n",
        ),
        (
            "README.md",
            "```bash\ncat > ~/.pypirc << 'EOF'\n[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJDYourTokenHere\nEOF\n```\n",
        ),
    ]);
}

#[test]
fn a_real_key_beside_the_published_ones_is_still_reported() {
    // The published values are words of their own: a generated key of the same shape is a key.
    let mut f = Fake::new(4206);
    let stripe = format!("sk_live_{}", f.alnum(24));
    let azure = f.hex(32);
    let amqp = f.alnum(24);
    let files = vec![
        (
            "a/Billing.java".to_string(),
            format!("        Stripe.apiKey = \"{stripe}\";\n"),
        ),
        (
            "b/Analyze.java".to_string(),
            format!("request.setHeader(\"Ocp-Apim-Subscription-Key\", \"{azure}\");\n"),
        ),
        (
            "c/settings.py".to_string(),
            format!("BROKER = \"amqps://guest:{amqp}@rabbit.acme-corp.io/\"\n"),
        ),
    ];
    let want = vec![
        ("a/Billing.java".to_string(), "stripe".to_string(), stripe),
        ("b/Analyze.java".to_string(), "azure".to_string(), azure),
        ("c/settings.py".to_string(), "amqp".to_string(), amqp),
    ];
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

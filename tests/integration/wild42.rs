//! Keys as public repositories write them, second look (stop 42, wild42): excerpts of public GitHub
//! files found by exact-string look-ups over families and shapes stop 41 did not sample showed these
//! shapes lost at main, and these stand-ins reported. Each is checked here in the syntaxes of several
//! languages with fresh fake values built at runtime, and must be reported by its rule with that
//! value; the near misses and published examples beside them stay quiet.
//! - twitter4j's setters and builders (`setOAuthConsumerSecret("…")`), `twitter4j.properties`;
//! - a Pusher app secret given positionally (`new Pusher(key, secret, app_id)` in PHP, the app id
//!   first in Java, .NET and Python), by name in the client's constructor or under a Pusher name;
//! - a Braintree private key given to `new BraintreeGateway(env, merchant, public, private)` or
//!   under a private key's name beside Braintree's;
//! - an Azure AD client secret given to ADAL's `new ClientCredential(<client id>, "…")`, Azure
//!   Identity's `ClientSecretCredential(<tenant>, <client id>, "…")`, MSAL's `WithClientSecret`;
//! - JDBC's `getConnection(url,⏎ "user", "password")` and a vendor client's argument after a
//!   literal (`paypal.NewClient("<id>",⏎ "<secret>", …)`) as formatters wrap them;
//! - stand-ins: a form validator's rule list under a secret's name (`'app_secret' =>
//!   'nullable|string|max:255'`), vendors' published documentation examples, RabbitMQ's
//!   `guest:guest`, a token's prefix with `YourTokenHere` after it.

use crate::common::*;

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
    ];
    check_cells(
        "twitter4j-oauth-secret",
        4201,
        &cells,
        twitter_secret,
        |f| f.alnum(25),
    );
}

/// twitter4j's system properties name Twitter: `twitter-api-secret`, the narrower rule, reports the
/// value there (one value, one finding).
#[test]
fn a_twitter4j_secret_in_its_system_properties_is_reported() {
    let mut f = Fake::new(4211);
    let (a, b) = (twitter_secret(&mut f), twitter_secret(&mut f));
    let files = vec![
        (
            "a/Main.java".to_string(),
            format!("System.setProperty(\"twitter4j.oauth.accessTokenSecret\", \"{a}\");\n"),
        ),
        (
            "b/run.sh".to_string(),
            format!("java -Dtwitter4j.oauth.consumerSecret={b} -jar bot.jar\n"),
        ),
    ];
    let want = vec![
        ("a/Main.java".to_string(), "setProperty".to_string(), a),
        ("b/run.sh".to_string(), "-D".to_string(), b),
    ];
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
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
    check_cells(
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
    check_cells("pusher-app-secret", 4203, &cells, pusher_hex, pusher_hex);
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
    check_cells(
        "jdbc-getconnection-password",
        4204,
        &cells,
        |f| format!("{}#{}", f.alnum(8), f.alnum(5)),
        |_| String::new(),
    );
}

/// A Braintree private key: 16 lower-case letters and digits (or 32 hex, as `hex` gives).
fn braintree_key(f: &mut Fake) -> String {
    loop {
        let s = f.from_alphabet("abcdefghijklmnopqrstuvwxyz0123456789", 16);
        if s.bytes().filter(u8::is_ascii_digit).count() >= 2 {
            return s;
        }
    }
}

#[test]
fn a_braintree_private_key_given_to_a_gateway_is_reported() {
    let cells = [
        (
            "Payments.java",
            "static BraintreeGateway gateway = new BraintreeGateway(\n        Environment.SANDBOX,\n        \"{K}\",\n        \"{K}\",\n        \"{V}\");\n",
        ),
        (
            "Payments.cs",
            "var gateway = new BraintreeGateway(Braintree.Environment.PRODUCTION, \"{K}\", \"{K}\", \"{V}\");\n",
        ),
        (
            "Gateway.scala",
            "val gateway = new BraintreeGateway(Environment.SANDBOX, \"{K}\", \"{K}\", \"{V}\")\n",
        ),
        (
            "payments.py",
            "braintree.Configuration.configure(braintree.Environment.Sandbox, \"{K}\", \"{K}\", \"{V}\")\n",
        ),
        (
            "config/initializers/braintree.rb",
            "Braintree::Configuration.environment = :sandbox\nBraintree::Configuration.merchant_id = \"{K}\"\nBraintree::Configuration.private_key = \"{V}\"\n",
        ),
        (
            "gateway.js",
            "const gateway = new braintree.BraintreeGateway({\n  environment: braintree.Environment.Sandbox,\n  merchantId: \"{K}\",\n  publicKey: \"{K}\",\n  privateKey: \"{V}\",\n});\n",
        ),
        (
            "Gateway.php",
            "$gateway = new Braintree\\Gateway([\n    'environment' => 'sandbox',\n    'merchantId' => '{K}',\n    'publicKey' => '{K}',\n    'privateKey' => '{V}'\n]);\n",
        ),
    ];
    check_cells(
        "braintree-private-key",
        4207,
        &cells,
        braintree_key,
        braintree_key,
    );
    check_cells(
        "braintree-private-key",
        4208,
        &cells,
        |f| f.hex(32),
        braintree_key,
    );
}

/// An Azure AD client secret of the formats before `…8Q~…`: 44 characters of base64, or 32 of
/// letters, digits and the symbols the portal put in them.
fn azure_old_secret(f: &mut Fake) -> String {
    if f.next().is_multiple_of(2) {
        format!(
            "{}=",
            f.from_alphabet(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                43
            )
        )
    } else {
        f.from_alphabet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789?=/[]@-.",
            32,
        )
    }
}

#[test]
fn an_azure_ad_client_secret_given_by_position_is_reported() {
    let cells = [
        (
            "TokenProvider.cs",
            "var cc = new ClientCredential(\"{K}\", \"{V}\");\nvar context = new AuthenticationContext(authority);\n",
        ),
        (
            "SharePoint.php",
            "$credentials = new ClientCredential(\"{K}\", \"{V}\");\n",
        ),
        (
            "Graph.cs",
            "var credential = new ClientSecretCredential(\"contoso.onmicrosoft.com\", \"{K}\", \"{V}\");\n",
        ),
        (
            "graph.js",
            "const credential = new ClientSecretCredential(\n  \"contoso.onmicrosoft.com\",\n  \"{K}\",\n  \"{V}\"\n);\n",
        ),
        (
            "graph.py",
            "credential = ClientSecretCredential(\n    tenant_id=\"contoso.onmicrosoft.com\",\n    client_id=\"{K}\",\n    client_secret=\"{V}\",\n)\n",
        ),
        (
            "Auth.cs",
            "var app = ConfidentialClientApplicationBuilder.Create(clientId)\n    .WithClientSecret(\"{V}\")\n    .Build();\n",
        ),
        (
            "Auth.java",
            "IClientCredential credential = ClientCredentialFactory.createFromSecret(\"{V}\");\n",
        ),
        (
            "Storage.java",
            "ClientSecretCredential credential = new ClientSecretCredentialBuilder()\n    .clientId(\"{K}\")\n    .clientSecret(\"{V}\")\n    .tenantId(tenant)\n    .build();\n",
        ),
    ];
    check_cells(
        "azure-ad-client-secret-positional",
        4209,
        &cells,
        azure_old_secret,
        |f| f.uuid(),
    );
}

#[test]
fn a_client_constructors_secret_wrapped_onto_its_own_line_is_reported() {
    let cells = [
        (
            "pay.go",
            "c, err := paypal.NewClient(\"{K}\",\n\t\t\"{V}\", paypal.APIBaseLive)\n",
        ),
        (
            "Chat.kt",
            "val api = StreamChatApi(\"app-id\",\n    \"{V}\",\n)\n",
        ),
        (
            "Mail.java",
            "MailgunClient client = new MailgunClient(\"mg.example.org\",\n        \"{V}\");\n",
        ),
        (
            "Device.cs",
            "var client = new ParticleClient(\"device-1\",\n    \"{V}\");\n",
        ),
    ];
    check_cells(
        "vendor-client-constructor-secret",
        4210,
        &cells,
        |f| f.alnum(32),
        |f| format!("A{}", f.alnum(79)),
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
        (
            "Payments.java",
            "BraintreeGateway gateway = new BraintreeGateway(Environment.SANDBOX, MERCHANT_ID, PUBLIC_KEY, PRIVATE_KEY);\nnew BraintreeGateway(Environment.DEVELOPMENT, \"integration_merchant_id\", \"integration_public_key\", \"integration_private_key\");\n".to_string(),
        ),
        (
            "TokenProvider.cs",
            "var cc = new ClientCredential(\"client-id\", \"client-secret\");\nvar cd = new ClientCredential(\"<AzureADApplicationClientID>\",\"<AzureADApplicationClientKey>\");\nvar app = builder.WithClientSecret(Environment.GetEnvironmentVariable(\"CLIENT_SECRET\"));\nvar credential = new ClientSecretCredential(tenantId, clientId, clientSecret);\n".to_string(),
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

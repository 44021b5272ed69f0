//! Keys as public repositories write them, sixth look (stop 46, wild46): excerpts of public GitHub
//! files found by exact-string look-ups over ground stops 41-45 did not sample (database dumps' rows,
//! SDK constructors of ML, real-time, video and object-storage services, notebooks, command lines),
//! and probes of the same shapes, showed these lost at main and these stand-ins reported. Each is
//! checked here in several syntaxes with fresh fake values built at runtime, and must be reported by
//! its rule with that value; the near misses beside them stay quiet.
//! - a Laravel Passport client's secret in a dump's row of `oauth_clients` (INSERT, COPY);
//! - a django-allauth social app's secret in a dump's row of `socialaccount_socialapp`;
//! - Agora's App Certificate and ZEGOCLOUD's AppSign under their own names or by position;
//! - an Alibaba Cloud AccessKey secret as the literal after its `LTAI…` id;
//! - an Ably key (`<app>.<key>:<secret>`);
//! - a secret as the literal after its key: Stream Chat, LiveKit, Qiniu;
//! - wrapped or newer-format positional pairs of rules that existed (tweepy, Alpaca) and DeepL's
//!   Pro key given to `deepl.Translator`;
//! - stand-ins: a format string's `{0}` as `sshpass -p`'s password, Cloudflare's docs' example key,
//!   Agora's samples' App Certificate.

use crate::common::*;

const KEY_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const URL_SAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// Letters and digits both, `n` long (a draw of one kind alone is drawn again).
fn mixed(f: &mut Fake, n: usize) -> String {
    loop {
        let s = f.from_alphabet(KEY_ALPHABET, n);
        if s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic()) {
            return s;
        }
    }
}

/// Hex digits with letters and digits both.
fn mixed_hex(f: &mut Fake, n: usize) -> String {
    loop {
        let s = f.hex(n);
        if s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic()) {
            return s;
        }
    }
}

#[test]
fn passport_client_secrets_in_database_dumps_are_reported() {
    let cells = [
        (
            "dump.sql",
            "LOCK TABLES `oauth_clients` WRITE;\nINSERT INTO `oauth_clients` VALUES (1,NULL,'Laravel Personal Access Client','{V}',NULL,'http://localhost',1,0,0,'2021-03-01 10:00:00','2021-03-01 10:00:00');\n",
        ),
        (
            "backup.sql",
            "INSERT INTO `oauth_clients` VALUES ('1', null, 'Shop Personal Access Client', '{K}', null, 'http://localhost', '1', '0', '0', NULL, NULL), ('2', null, 'Shop Password Grant Client', '{V}', 'users', 'http://localhost', '0', '1', '0', NULL, NULL);\n",
        ),
        (
            "pg.sql",
            "COPY public.oauth_clients (id, user_id, name, secret, provider, redirect, personal_access_client, password_client, revoked, created_at, updated_at) FROM stdin;\n1\t\\N\tLaravel Personal Access Client\t{V}\t\\N\thttp://localhost\tt\tf\tf\t2023-09-07 06:37:15\t2023-09-07 06:37:15\n\\.\n",
        ),
        (
            "navicat.sql",
            "-- Records of oauth_clients\nINSERT INTO `oauth_clients` VALUES (2, NULL, 'Laravel Password Grant Client', '{V}', 'http://localhost', 0, 1, 0, '2019-07-13 09:47:34', '2019-07-13 09:47:34');\n",
        ),
        (
            "sqlite.sql",
            "INSERT INTO oauth_clients VALUES(1,NULL,\"Laravel Personal Access Client\",\"{V}\",NULL,\"http://localhost\",1,0,0,NULL,NULL);\n",
        ),
    ];
    check_cells(
        "laravel-passport-client-secret",
        4601,
        &cells,
        |f| mixed(f, 40),
        |f| mixed(f, 40),
    );
}

#[test]
fn allauth_social_app_secrets_in_database_dumps_are_reported() {
    let facebook = [
        (
            "dump.sql",
            "INSERT INTO `socialaccount_socialapp` VALUES (1,'facebook','Facebook','1637853046532533','{V}','');\n",
        ),
        (
            "dump2.sql",
            "INSERT INTO `socialaccount_socialapp` VALUES (1,'facebook','My App','','{V}','176199212556750');\n",
        ),
        (
            "dump3.sql",
            "INSERT INTO `socialaccount_socialapp` VALUES (1,1,'facebook','Facebook','154504534677009','{V}'),(2,1,'github','GitHub','Iv1.{K}','{K}');\n",
        ),
    ];
    check_cells(
        "allauth-social-app-secret",
        4602,
        &facebook,
        |f| mixed_hex(f, 32),
        |f| f.hex(16),
    );
    let others = [
        (
            "dump.sql",
            "INSERT INTO `socialaccount_socialapp` VALUES (1,1,'facebook','Facebook','154504534677009','{K}'),(2,1,'twitter','Twitter','{K}','{V}');\n",
        ),
        (
            "dump2.sql",
            "INSERT INTO `socialaccount_socialapp` VALUES (2,'google','Google','','{V}','809039109245.apps.googleusercontent.com');\n",
        ),
        (
            "dump3.sql",
            "INSERT INTO socialaccount_socialapp VALUES\n(3,'github','GitHub','Ov23li{K}','{V}','','','{}');\n",
        ),
        (
            "phpmyadmin.sql",
            "INSERT INTO `socialaccount_socialapp` (`id`, `provider`, `name`, `client_id`, `secret`, `key`) VALUES\n(1, 'google', 'Google', '{K}.apps.googleusercontent.com', 'GOCSPX-{K}', ''),\n(2, 'twitter', 'Twitter', '{K}', '{V}', '');\n",
        ),
    ];
    check_cells(
        "allauth-social-app-secret",
        4603,
        &others,
        |f| mixed(f, 40),
        |f| mixed(f, 22),
    );
}

#[test]
fn rtc_app_certificates_are_reported() {
    let agora = [
        (
            "token.js",
            "const appID = \"{K}\";\nconst appCertificate = \"{V}\";\n",
        ),
        (
            "AgoraRepo.java",
            "    static String appId = \"{K}\";\n    static String appCertificate = \"{V}\";\n",
        ),
        (
            "Credentials.kt",
            "        return AgoraAppCredential(\n            appId = \"{K}\",\n            appCertificate = \"{V}\"\n        )\n",
        ),
        ("token.php", "$appId = \"{K}\";\n$appCertificate = \"{V}\";\n"),
        (".env", "AGORA_APP_ID={K}\nAGORA_APP_CERTIFICATE={V}\n"),
        (
            "config.json",
            "{\n  \"appId\": \"{K}\",\n  \"appCertificate\": \"{V}\"\n}\n",
        ),
        (
            "main.go",
            "var cfg = Config{\n\tAppID:          \"{K}\",\n\tAppCertificate: \"{V}\",\n}\n",
        ),
        (
            "views.py",
            "token = RtcTokenBuilder.buildTokenWithUid(\"{K}\", \"{V}\", channel_name, uid, Role_Publisher, privilege_expired_ts)\n",
        ),
        (
            "Meeting.jsx",
            "    const kitToken = ZegoUIKitPrebuilt.generateKitTokenForTest(\n      1467092061,\n      \"{V}\",\n      roomId,\n      Date.now().toString(),\n      name\n    );\n",
        ),
    ];
    check_cells(
        "rtc-app-certificate",
        4604,
        &agora,
        |f| mixed_hex(f, 32),
        |f| f.hex(32),
    );
    let zego = [
        (
            "main.dart",
            "  ZIMKit().init(\n    appID: 2035107149, // your appid\n    appSign: \"{V}\", // your appSign\n  );\n",
        ),
        (
            "LoginViewController.swift",
            "        ZIMKit.initWith(appID: 2031514356,\n                        appSign: \"{V}\")\n",
        ),
        (
            "call_page.dart",
            "      child: ZegoUIKitPrebuiltCall(\n        appID: 1561145060,\n        appSign: \"{V}\",\n        userID: userID,\n",
        ),
        ("keys.properties", "ZEGO_APP_ID=1561145060\nZEGO_APP_SIGN={V}\n"),
    ];
    check_cells(
        "rtc-app-certificate",
        4605,
        &zego,
        |f| mixed_hex(f, 64),
        |f| f.hex(8),
    );
}

#[test]
fn alibaba_secrets_after_their_key_ids_are_reported() {
    let cells = [
        ("oss.py", "auth = oss2.Auth('{K}', '{V}')\nbucket = oss2.Bucket(auth, 'oss-cn-shenzhen.aliyuncs.com', 'media')\n"),
        (
            "AliyunSms.java",
            "        DefaultProfile profile = DefaultProfile.getProfile(\"cn-hangzhou\", \"{K}\", \"{V}\");\n",
        ),
        (
            "main.go",
            "\tclient, err := oss.New(\"oss-cn-beijing.aliyuncs.com\", \"{K}\", \"{V}\")\n",
        ),
        (
            "upload.php",
            "$ossClient = new OssClient('{K}', '{V}', 'oss-cn-hangzhou.aliyuncs.com');\n",
        ),
        (
            "sms.py",
            "client = AcsClient(\n    '{K}',\n    '{V}',\n    'cn-hangzhou')\n",
        ),
        (
            "OssConfig.java",
            "        OSS ossClient = new OSSClientBuilder().build(endpoint, \"{K}\", \"{V}\");\n",
        ),
    ];
    check_cells(
        "alibaba-secret-after-key-id",
        4606,
        &cells,
        |f| mixed(f, 30),
        |f| format!("LTAI5t{}", f.alnum(18)),
    );
}

#[test]
fn ably_keys_are_reported() {
    let ably_key = |f: &mut Fake| {
        format!(
            "{}.{}:{}",
            f.from_alphabet(URL_SAFE, 6),
            f.from_alphabet(URL_SAFE, 6),
            mixed(f, 43)
        )
    };
    let cells = [
        ("realtime.js", "const ably = new Ably.Realtime(\"{V}\");\n"),
        (
            "rest.ts",
            "import * as Ably from 'ably';\nexport const client = new Ably.Rest({ key: '{V}' });\n",
        ),
        (
            "publish.py",
            "from ably import AblyRest\nclient = AblyRest('{V}')\n",
        ),
        (".env", "ABLY_API_KEY={V}\n"),
        (
            "main.go",
            "\tclient, err := ably.NewRealtime(ably.WithKey(\"{V}\"))\n",
        ),
        ("publisher.rb", "client = Ably::Realtime.new(key: '{V}')\n"),
        (
            "Chat.java",
            "AblyRealtime ably = new AblyRealtime(\"{V}\");\n",
        ),
    ];
    check_cells("ably-api-key", 4607, &cells, ably_key, |f| f.hex(4));
}

#[test]
fn sdk_secrets_after_their_key_literals_are_reported() {
    let stream = [
        (
            "server.js",
            "const serverClient = StreamChat.getInstance(\"{K}\", \"{V}\");\n",
        ),
        (
            "chat.ts",
            "const client = new StreamChat(\n  \"{K}\",\n  \"{V}\"\n);\n",
        ),
    ];
    check_cells(
        "sdk-secret-after-key-literal",
        4608,
        &stream,
        |f| {
            let mut s = f.from_alphabet(LOWER_ALNUM, 63);
            s.push('7');
            s
        },
        |f| f.from_alphabet(LOWER_ALNUM, 12),
    );
    let livekit = [
        (
            "token.js",
            "const at = new AccessToken(\"{K}\", \"{V}\", {\n  identity: participantName,\n});\n",
        ),
        (
            "token.py",
            "token = api.AccessToken(\"{K}\", \"{V}\").with_identity(\"agent\")\n",
        ),
        (
            "token.go",
            "\tat := auth.NewAccessToken(\"{K}\", \"{V}\")\n",
        ),
        (
            "rooms.ts",
            "const svc = new RoomServiceClient(\"https://my.livekit.cloud\", \"{K}\", \"{V}\");\n",
        ),
    ];
    check_cells(
        "sdk-secret-after-key-literal",
        4609,
        &livekit,
        |f| mixed(f, 43),
        |f| format!("API{}", f.alnum(12)),
    );
    let qiniu = [
        (
            "Upload.java",
            "        Auth auth = Auth.create(\"{K}\", \"{V}\");\n",
        ),
        ("upload.py", "q = qiniu.Auth('{K}', '{V}')\n"),
        ("upload.go", "\tmac := qbox.NewMac(\"{K}\", \"{V}\")\n"),
    ];
    check_cells(
        "sdk-secret-after-key-literal",
        4610,
        &qiniu,
        |f| mixed(f, 40),
        |f| f.alnum(40),
    );
}

#[test]
fn wrapped_and_newer_positional_pairs_of_existing_rules_are_reported() {
    check_cells(
        "twitter-client-positional-secret",
        4611,
        &[
            (
                "bot.py",
                "auth = tweepy.OAuthHandler(\"{K}\", \n    \"{V}\")\n",
            ),
            (
                "bot2.py",
                "auth = tweepy.OAuth1UserHandler(\n    \"{K}\",\n    \"{V}\",\n)\n",
            ),
        ],
        |f| mixed(f, 50),
        |f| f.alnum(25),
    );
    check_cells(
        "exchange-api-secret-positional",
        4612,
        &[
            (
                "trade.py",
                "api = tradeapi.REST('{K}', '{V}', 'https://paper-api.alpaca.markets')\n",
            ),
            (
                "trade2.py",
                "api = tradeapi.REST('{K}',\n                    '{V}',\n                    'https://paper-api.alpaca.markets')\n",
            ),
        ],
        |f| mixed(f, 44),
        |f| format!("PK{}", f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 24)),
    );
    check_cells(
        "deepl-api-key",
        4613,
        &[
            ("translate.py", "translator = deepl.Translator(\"{V}\")\n"),
            (
                "translate.js",
                "const translator = new deepl.Translator('{V}');\n",
            ),
            ("client.py", "client = deepl.DeepLClient(\"{V}\")\n"),
        ],
        |f| f.uuid(),
        |f| f.hex(4),
    );
}

#[test]
fn near_misses_of_the_new_shapes_stay_quiet() {
    assert_quiet(vec![
        (
            "a.sql",
            "INSERT INTO `oauth_clients` VALUES (1,NULL,'Laravel Personal Access Client','$2y$10$abcdefghijklmnopqrstuv.wxyzABCDEFGHIJKLMNOPQRSTUVWXY',NULL,'http://localhost',1,0,0,NULL,NULL);\n",
        ),
        (
            "b.php",
            "$client = $clients->createPersonalAccessClient(null, 'Laravel Personal Access Client', 'http://localhost');\n",
        ),
        (
            "c.sql",
            "INSERT INTO `socialaccount_socialapp` VALUES (1,'github','GitHub','foo','bar',''),(2,'facebook','Facebook','','','');\n",
        ),
        (
            "d.js",
            "const appCertificate = process.env.AGORA_APP_CERTIFICATE;\nconst appSign = \"\";\nconst appCertificate2 = \"<YOUR APP CERTIFICATE>\";\n",
        ),
        (
            "e.js",
            "  getAppSign: \"/api/SignIn/Get_AppSign?userToken={userToken}&brandCode={brandCode}\",\n",
        ),
        (
            "f.py",
            "auth = oss2.Auth(os.environ['OSS_KEY_ID'], os.environ['OSS_KEY_SECRET'])\nauth2 = oss2.Auth(key_id, key_secret)\n",
        ),
        (
            "g.js",
            "const ably = new Ably.Realtime({ authUrl: '/auth/ably-token' });\nconst ably2 = new Ably.Realtime('your-api-key');\n",
        ),
        (
            "h.js",
            "const client = StreamChat.getInstance('abcd1234efgh');\nconst at = new AccessToken(process.env.LIVEKIT_API_KEY, process.env.LIVEKIT_API_SECRET);\n",
        ),
        (
            "i.java",
            "Auth auth = Auth.create(accessKey, secretKey);\n",
        ),
        (
            "j.py",
            "translator = deepl.Translator(os.environ[\"DEEPL_AUTH_KEY\"])\nrequest_id = \"8e2c4a71-3f9d-4b06-a5e8-1c7d9b2f4e60\"\n",
        ),
        (
            "k.py",
            "auth = tweepy.OAuthHandler(consumer_key,\n    consumer_secret)\n",
        ),
    ]);
}

#[test]
fn format_slots_and_the_cloudflare_docs_key_are_stand_ins() {
    // Cloudflare's API docs' example key, built from pieces so this file holds no key of its shape.
    let docs_key = ["144c9def", "ac04969c", "7bfad8ef", "aa8ea194"].concat();
    // Agora's token builders' sample App Certificate, likewise.
    let agora_sample = ["5CFd2fd1", "755d40ec", "b7297751", "8be15d3b"].concat();
    assert_quiet(vec![
        (
            "RtcTokenBuilderSample.java",
            format!("    static String appId = \"970CA35de60c44645bbae8a215061b33\";\n    static String appCertificate = \"{agora_sample}\";\n"),
        ),
        (
            "deploy.py",
            "    os.system(\"sshpass -p '{0}' ssh -o StrictHostKeyChecking=no {1}@{2} {3}\".format(password, user, host, cmd))\n".to_string(),
        ),
        (
            "client_test.go",
            format!(
                "\tclient := cloudflare.NewClient(\n\t\toption.WithBaseURL(baseURL),\n\t\toption.WithAPIKey(\"{docs_key}\"),\n\t\toption.WithAPIEmail(\"user@example.com\"),\n\t)\n"
            ),
        ),
    ]);
    // A real password in the same command and a random key in the same call are still reported.
    let mut f = Fake::new(4614);
    let pw = mixed(&mut f, 14);
    let key = mixed_hex(&mut f, 32);
    let files = vec![
        (
            "deploy.sh".to_string(),
            format!("sshpass -p '{pw}' ssh -o StrictHostKeyChecking=no root@10.0.0.5 uptime\n"),
        ),
        (
            "client.go".to_string(),
            format!("\tclient := cloudflare.NewClient(option.WithAPIKey(\"{key}\"))\n"),
        ),
    ];
    let want = vec![
        ("deploy.sh".to_string(), "sshpass password".to_string(), pw),
        ("client.go".to_string(), "a random key".to_string(), key),
    ];
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:?}");
}

//! Keys as public repositories write them, third look (stop 43, wild43): excerpts of public GitHub
//! files found by exact-string look-ups over families and shapes stops 41 and 42 did not sample
//! showed this shape lost at main, and these stand-ins reported. Each is checked here in the
//! syntaxes of several languages with fresh fake values built at runtime, and must be reported by its
//! rule with that value; the near misses and stand-ins beside them stay quiet.
//! - a Blynk device auth token in an Arduino or ESP sketch's `char auth[] = "…"`, given to
//!   `Blynk.begin("…", …)` / `Blynk.config`, to Python's `BlynkLib.Blynk('…')`, Node's
//!   `new BlynkLib.Blynk('…')`, under `BLYNK_AUTH_TOKEN`, in the legacy HTTP API's path;
//! - stand-ins: a credential's slot named where its value belongs (`curl -u
//!   "ACCOUNT_SID:AUTH_TOKEN"`, `<add key="ClientSecret" value="ClientSecret" />`), two typed runs
//!   woven together (`a1b2c3d4…`), a phrase spelled with look-alike digits, a value that says it
//!   must not reach production, a Kubernetes Secret's word label in base64 and the Kubernetes docs'
//!   Secret password.

use crate::common::*;

/// A Blynk auth token: 32 characters, hex (Blynk Legacy) or letters, digits, `_` and `-` (Blynk
/// IoT), the two drawn in turn.
fn blynk_token(f: &mut Fake) -> String {
    if f.next().is_multiple_of(2) {
        return f.hex(32);
    }
    loop {
        let t = f.from_alphabet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
            32,
        );
        // Letters or digits at both ends, as the issued tokens have.
        let ends = [t.as_bytes()[0], t.as_bytes()[31]];
        if ends.iter().all(u8::is_ascii_alphanumeric) {
            return t;
        }
    }
}

#[test]
fn a_blynk_auth_token_given_to_its_library_is_reported() {
    let cells = [
        (
            "greenhouse.ino",
            "#include <ESP8266WiFi.h>\n#include <BlynkSimpleEsp8266.h>\n\nchar auth[] = \"{V}\";\nchar ssid[] = \"{K}\";\n",
        ),
        ("sensor.ino", "const char auth[] PROGMEM = \"{V}\";\n"),
        (
            "pump.ino",
            "void setup() {\n  Serial.begin(9600);\n  Blynk.begin(\"{V}\", ssid, pass);\n}\n",
        ),
        (
            "relay.cpp",
            "  Blynk.begin(\"{V}\", IPAddress(192, 168, 1, 20), 8080);\n",
        ),
        ("esp32.ino", "  Blynk.config(\"{V}\");\n  Blynk.connect();\n"),
        (
            "config.h",
            "#define BLYNK_TEMPLATE_NAME \"Greenhouse\"\n#define BLYNK_AUTH_TOKEN \"{V}\"\n",
        ),
        (
            "main.py",
            "import BlynkLib\n\n# Initialize Blynk\nblynk = BlynkLib.Blynk('{V}', server='blynk.cloud')\n",
        ),
        ("pico.py", "blynk=blynklib.Blynk(\"{V}\")\n"),
        (
            "index.js",
            "var BlynkLib = require('blynk-library');\nvar blynk = new BlynkLib.Blynk('{V}');\n",
        ),
        (
            "poll.sh",
            "curl -s \"http://blynk-cloud.com/{V}/update/V1?value=1\"\n",
        ),
    ];
    check_cells("blynk-auth-token", 4301, &cells, blynk_token, |f| {
        f.alnum(8)
    });
}

#[test]
fn blynk_near_misses_stay_quiet() {
    assert_quiet(vec![
        (
            "sketch.ino",
            "// Replace with your Blynk Auth Token\nchar auth[] = \"YourAuthToken\";\nchar ssid[] = \"YourNetworkName\";\n",
        ),
        ("empty.ino", "char auth[] = \"\";\n  Blynk.begin(auth, ssid, pass);\n"),
        (
            "zeros.ino",
            "  Blynk.begin(\"00000000000000000000000000000000\");\n",
        ),
        (
            "config.h",
            "#define BLYNK_AUTH_TOKEN \"YOUR_BLYNK_AUTH_TOKEN\"\n",
        ),
        ("main.py", "blynk = BlynkLib.Blynk(BLYNK_AUTH)\n"),
        // Blinker's sketches keep a 12-character device key under the same name: another shape.
        (
            "blinker.ino",
            "#include <Blinker.h>\n\nchar auth[] = \"Your Device Secret Key\";\n",
        ),
    ]);
}

/// The values beside the stand-ins below are still reported: the slot-name and typed-run filters
/// read the value, not the shape around it.
#[test]
fn real_values_in_the_stand_ins_places_are_still_reported() {
    let mut f = Fake::new(4302);
    let pw = f.generic_key();
    let secret = f.generic_key();
    let files = vec![
        (
            "c0/README.md".to_string(),
            // Joined at runtime: the test's own text holds no `user:password` pair.
            ["curl -u \"deploy:", &pw, "\" https://api.acme-logistics.io/v2/shipments\n"].concat(),
        ),
        (
            "c1/web.config".to_string(),
            format!("<appSettings>\n    <add key=\"ClientSecret\" value=\"{secret}\" />\n</appSettings>\n"),
        ),
    ];
    let want = vec![
        (
            "c0/README.md".to_string(),
            "curl -u with a random password".to_string(),
            // The rule reports the pair, user and password.
            ["deploy:", &pw].concat(),
        ),
        (
            "c1/web.config".to_string(),
            "web.config ClientSecret".to_string(),
            secret.clone(),
        ),
    ];
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn credential_slot_names_in_place_of_values_stay_quiet() {
    assert_quiet(vec![
        (
            "twilio.md",
            "# Twilio Lookup\ncurl -u \"ACCOUNT_SID:AUTH_TOKEN\" \\\n  \"https://lookups.twilio.com/v2/PhoneNumbers/{phone}\"\n",
        ),
        (
            "auth.md",
            "curl -u \"ACCESS_KEY_ID:SECRET_ACCESS_KEY\" \\\n  https://api.acme-logistics.io/api/products\n",
        ),
        (
            "gong.md",
            "curl -u \"ACCESS_KEY:SECRET\" https://api.gong.io/v2/workspaces\n",
        ),
        (
            "shell.md",
            "curl -u \"access-key:secret-key\" \"https://api.acme-logistics.io/hosts/v2\"\n",
        ),
        (
            "app.config",
            "<appSettings>\n    <add key=\"ClientID\" value=\"ClientID\" />\n    <add key=\"ClientSecret\" value=\"ClientSecret\" />\n</appSettings>\n",
        ),
    ]);
}

#[test]
fn typed_runs_woven_together_stay_quiet() {
    assert_quiet(vec![
        (
            "README.md",
            "Usage:\ncurl -H \"X-API-Key: a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6a7b8c9d0e1f2\" https://api.acme-logistics.io/api/endpoint\n",
        ),
        (
            "config.json",
            "{\n  \"api_key\": \"p3w8r9t7y6u5i4o3p2q1w9e8r7t6y5u4\"\n}\n",
        ),
    ]);
}

#[test]
fn phrases_labels_and_published_examples_stay_quiet() {
    assert_quiet(vec![
        // A phrase spelled with look-alike digits.
        (
            "E2eConfig.kt",
            "internal const val CLIENT_ID = \"eiaf-e2e\"\ninternal const val CLIENT_SECRET = \"s3cr3t-value-for-test\"\n",
        ),
        // A value that says where it must not be used.
        (
            "settings.py",
            "# SECURITY WARNING: Development key only\nSECRET_KEY = 'django-insecure-dev-key-change-in-production-2026x9zqwk'\n",
        ),
        (
            "config.exs",
            "config :demo, DemoWeb.Endpoint,\n  secret_key_base: \"local-secret-not-for-production-Qm7x2Lk\"\n",
        ),
        // A Secret's entry that labels its kind: `http-basic` in base64.
        (
            "secret.yaml",
            "apiVersion: v1\nkind: Secret\ntype: Opaque\ndata:\n  type: aHR0cC1iYXNpYw==  # base64(\"http-basic\")\n  username: <base64>\n",
        ),
        // The Kubernetes docs' Secret password, copied into guides.
        (
            "SECURITY.md",
            "```yaml\napiVersion: v1\nkind: Secret\ntype: Opaque\ndata:\n  password: MWYyZDFlMmU2N2Rm     # base64, NOT secure alone\n```\n",
        ),
    ]);
}

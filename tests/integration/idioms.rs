//! rules/idioms.toml end to end: csh/fish exports, Gradle build config, Lisp definitions, an
//! environment variable's fallback and a header written whole in one string, each in the files
//! the languages write them in, beside near misses of the same shape (a variable, a reference, a
//! placeholder, a name that is not a credential's). Also `${API_TOKEN:…}` (placeholder-default-secret,
//! whose keywords missed a credential word right after the `${`).

use crate::common::*;

#[test]
fn credential_idioms_are_found_in_each_language_and_their_near_misses_are_not() {
    let mut f = Fake::new(2207);
    let mut v = || f.alnum(26);
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "env/login.csh",
            format!("setenv EDITOR /usr/bin/vim\nsetenv API_TOKEN {}\nsetenv API_TOKEN $VAULT_TOKEN\n", v()),
            vec![2],
        ),
        (
            "fish/config.fish",
            format!(
                "set -gx GITEA_TOKEN {}\nset -e GITEA_TOKEN\nset -gx GITEA_TOKEN (cat ~/.token)\nset --export DB_PASSWORD '{}'\n",
                v(),
                v()
            ),
            vec![1, 4],
        ),
        (
            "app/build.gradle",
            format!(
                "android {{\n  defaultConfig {{\n    buildConfigField \"String\", \"MAPS_API_KEY\", \"\\\"{}\\\"\"\n    buildConfigField \"String\", \"BASE_URL\", \"\\\"{}\\\"\"\n    buildConfigField \"String\", \"API_KEY\", \"\\\"${{apiKey}}\\\"\"\n    resValue \"string\", \"auth_token\", \"{}\"\n  }}\n}}\n",
                v(),
                v(),
                v()
            ),
            vec![3, 6],
        ),
        (
            "app/build.gradle.kts",
            format!("buildConfigField(\"String\", \"CLIENT_SECRET\", \"\\\"{}\\\"\")\n", v()),
            vec![1],
        ),
        (
            "src/core.clj",
            format!(
                "(ns app.core)\n(def api-key \"{}\")\n(def api-url \"{}\")\n(def token (System/getenv \"TOKEN\"))\n",
                v(),
                v()
            ),
            vec![2],
        ),
        ("init.el", format!("(setq gptel-api-key \"{}\")\n", v()), vec![1]),
        (
            "Config.kt",
            format!(
                "val secret = System.getenv(\"JWT_SECRET\") ?: \"{}\"\nval url = System.getenv(\"BASE_URL\") ?: \"{}\"\n",
                v(),
                v()
            ),
            vec![1],
        ),
        (
            "src/main.rs",
            format!(
                "let key = std::env::var(\"API_KEY\").unwrap_or_else(|_| \"{}\".to_string());\nlet key = std::env::var(\"API_KEY\").unwrap_or_default();\n",
                v()
            ),
            vec![1],
        ),
        ("Settings.scala", format!("val pw = sys.env.getOrElse(\"DB_PASSWORD\", \"{}\")\n", v()), vec![1]),
        (
            "config/runtime.exs",
            format!("config :app, token: System.get_env(\"SLACK_TOKEN\", \"{}\")\n", v()),
            vec![1],
        ),
        (
            "client.php",
            format!(
                "<?php\ncurl_setopt($ch, CURLOPT_HTTPHEADER, ['X-Api-Key: {}', 'Accept: application/json']);\ncurl_setopt($ch, CURLOPT_HTTPHEADER, ['X-Api-Key: ' . $key]);\n",
                v()
            ),
            vec![2],
        ),
        (
            "application.yml",
            format!("service:\n  api_token: ${{API_TOKEN:{}}}\n  other_token: ${{API_TOKEN}}\n", v()),
            vec![2],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

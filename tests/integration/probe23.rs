//! probe23: named keys in the syntaxes a generator of labeled corpora writes them in. The
//! vendor-named rule's operators of R (`<-`), Ruby and JS (`||=`), C#, JS and PHP (`??=`) and Make
//! (`?=`), read by the rule's hand reader (src/engine/assign.rs) as by its regex; and the shapes
//! rules/probe23.toml and the widened header-line-secret read: Erlang and Elixir tuples, Perl hash
//! elements, Visual Basic's `As String`, `setObject:forKey:`, builder steps named for vendor and
//! kind, Kotlin's `to` and Scala's `->`, any `X-…-Token`/`-Key`/`-Secret` header in curl's -H and
//! nginx. Each file holds near misses of its shape (references, placeholders, names that are not a
//! credential's), which must stay quiet. Values are fake, drawn from a seeded generator.

use crate::common::*;

/// A fake key of `n` characters holding a digit (a random key of that length nearly always does,
/// and the rules here want letters and digits both).
fn key(f: &mut Fake, n: usize) -> String {
    format!("{}7{}", f.alnum(n / 2), f.alnum(n - n / 2 - 1))
}

#[test]
fn vendor_named_keys_are_read_after_r_ruby_js_csharp_php_and_make_operators() {
    let mut f = Fake::new(2323);
    // Names whose last word (pat, auth, credentials) no generic rule takes: the vendor's name is
    // what makes them a key's, so only vendor-named-api-credential reports them.
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "analysis/fetch.R",
            format!(
                "library(httr)\ntiingo_pat <- \"{}\"\ntiingo_pat <- Sys.getenv(\"TIINGO_PAT\")\n",
                key(&mut f, 28)
            ),
            vec![2],
        ),
        (
            "lib/client.rb",
            format!(
                "@caflou_auth ||= '{}'\n@caflou_auth ||= ENV['CAFLOU_AUTH']\n",
                key(&mut f, 32)
            ),
            vec![1],
        ),
        (
            "src/options.ts",
            format!(
                "options.delightedCredentials ??= \"{}\";\noptions.delightedCredentials ??= process.env.DELIGHTED;\n",
                key(&mut f, 36)
            ),
            vec![1],
        ),
        (
            "Makefile",
            format!(
                "TICKETTAILOR_PAT ?= {}\nTICKETTAILOR_PAT ?= $(shell cat .pat)\n",
                key(&mut f, 30)
            ),
            vec![1],
        ),
        (
            // PHP's `.=` appends a piece: not an operator of the rule.
            "src/Client.php",
            format!("<?php\n$tiingo_pat .= '{}';\n", key(&mut f, 26)),
            vec![],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (path, content, _) in &files {
        write(tmp.path(), path, content);
    }
    let r = run_in(tmp.path(), &["scan", ".", "--no-ignore", "-f", "json"]);
    let found: Vec<(String, u64, String)> =
        finding_rows(&r.json(), |f| (f.s("path"), f.n("line"), f.s("rule_id")));
    let mut want: Vec<(String, u64, String)> = files
        .iter()
        .flat_map(|(p, _, lines)| {
            lines
                .iter()
                .map(|&l| (p.to_string(), l, "vendor-named-api-credential".to_string()))
        })
        .collect();
    let mut got = found.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn named_keys_in_tuples_hashes_vb_setters_builders_pairs_and_headers_are_found() {
    let mut f = Fake::new(2324);
    let hex = f.hex(32);
    let mut v = || key(&mut f, 28);
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "config/sys.config",
            format!(
                "[{{app, [\n  {{api_key, \"{}\"}},\n  {{auth_token, <<\"{}\">>}},\n  {{api_key, os:getenv(\"API_KEY\")}},\n  {{cache_size, \"{}\"}},\n  {{api_key, \"your-api-key-here\"}}\n]}}].\n",
                v(),
                v(),
                v()
            ),
            vec![2, 3],
        ),
        (
            "src/app.erl",
            format!(
                "-module(app).\n-define(SLACK_SIGNING_SECRET, \"{}\").\n-define(API_KEY, \"API_KEY\").\n",
                v()
            ),
            vec![2],
        ),
        (
            "config/config.exs",
            format!("config :app, creds: [{{:stripe_key, \"{}\"}}]\n", v()),
            vec![1],
        ),
        (
            "lib/Client.pm",
            format!(
                "$ENV{{'SENDGRID_API_KEY'}} = '{}';\n$self->{{api_secret}} = \"{}\";\nmy $token = $ENV{{'GITHUB_TOKEN'}};\n$self->{{api_key}} = $opts{{key}};\n$self->{{api_key}} = 'API_KEY_GOES_HERE';\n",
                v(),
                v()
            ),
            vec![1, 2],
        ),
        (
            "Module1.vb",
            format!(
                "Module Module1\n    Dim apiKey As String = \"{}\"\n    Private Const STRIPE_SECRET_KEY As String = \"{}\"\n    Dim apiKey2 As String = ConfigurationManager.AppSettings(\"ApiKey\")\n    Dim keyName As String = \"{}\"\nEnd Module\n",
                v(),
                v(),
                v()
            ),
            vec![2, 3],
        ),
        (
            "App/AppDelegate.m",
            format!(
                "[dict setObject:@\"{}\" forKey:@\"apiKey\"];\n[dict setObject:apiKey forKey:@\"apiKey\"];\n[dict setObject:@\"{}\" forKey:@\"lastScreen\"];\n",
                v(),
                v()
            ),
            vec![1],
        ),
        (
            "App/Settings.swift",
            format!(
                "UserDefaults.standard.set(\"{}\", forKey: \"mixpanelToken\")\n",
                v()
            ),
            vec![1],
        ),
        (
            "src/main/java/Client.java",
            format!(
                "Client c = Client.builder()\n    .stripeKey(\"{}\")\n    .githubToken(System.getenv(\"GITHUB_TOKEN\"))\n    .build();\nboolean b = map.containsKey(\"{}\");\nrequest.idempotencyKey(\"{}\");\n",
                v(),
                v(),
                v()
            ),
            vec![2],
        ),
        (
            "src/main/kotlin/Api.kt",
            format!(
                "val headers = mapOf(\"X-Api-Key\" to \"{}\")\nval h2 = mapOf(\"X-Api-Key\" to apiKey)\nval c = mapOf(\"cache_key\" to \"page-header-v2-layout\")\n",
                v()
            ),
            vec![1],
        ),
        (
            "src/main/scala/Conf.scala",
            format!(
                "val conf = Map(\"api_token\" -> \"{}\")\nval c2 = Map(\"api_token\" -> \"your-token\")\n",
                v()
            ),
            vec![1],
        ),
        (
            "scripts/call.sh",
            format!(
                "curl -H 'X-Private-Key: {}' https://api.example.com/v1/items\ncurl -H \"X-Private-Key: $PRIVATE_KEY\" https://api.example.com/v1/items\ncurl -H 'Idempotency-Key: {}' https://api.example.com/v1/charges\n",
                hex,
                v()
            ),
            vec![1],
        ),
        (
            "deploy/site.conf",
            format!(
                "location / {{\n    proxy_set_header X-Upstream-Secret \"{}\";\n    proxy_set_header X-Forwarded-Key $http_x_key;\n}}\n",
                v()
            ),
            vec![2],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

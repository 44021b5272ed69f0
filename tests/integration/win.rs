//! Windows by meaning (docs/engine.md, "Windows by meaning, second round"): a rule searches the
//! lines after its keyword only when its regex can match a line break by more than a blank (a
//! literal `\n`, `[\s\S]`, a negated stretch such as `[^{}]` in a JWK) or the rule says so (`lines
//! = "many"`, `(?s)`). The C# auto-property's accessors (`{ get; set; }`, the `cs_accessor`
//! fragment) hold a `[^}\r\n]` that used to send every vendor-named rule to 16 KiB windows, where
//! the `\s` of its operator took a provider list's next line for a value. Values are generated.

use crate::common::*;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// (path, content, rule, secret): `rule` must report `secret` in the file; a file with an empty
/// secret must hold no finding.
type Case = (String, String, &'static str, String);

fn check(cases: &[Case]) {
    let tree: Vec<(&str, &str)> = cases
        .iter()
        .map(|(p, c, _, _)| (p.as_str(), c.as_str()))
        .collect();
    let found = scan_files_by_path(&tree);
    let mut wrong = Vec::new();
    for (path, content, rule, want) in cases {
        let got = found.get(path).cloned().unwrap_or_default();
        if want.is_empty() {
            if !got.is_empty() {
                wrong.push(format!(
                    "{path}: a near miss is reported: {got:?}\n{content}"
                ));
            }
        } else if !got.iter().any(|(r, s)| r == rule && s == want) {
            wrong.push(format!(
                "{path}: {rule} did not report its value (got {got:?}) in:\n{content}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The accessors an auto-property is written with.
const ACCESSORS: [&str; 5] = [
    " { get; set; }",
    " { get; }",
    " { get; private set; }",
    " {get;set;}",
    " { get; init; }",
];

#[test]
fn a_csharp_property_with_accessors_is_read_by_the_rules_using_the_fragment() {
    let mut f = Fake::new(0xc5_acce);
    let mut cases: Vec<Case> = Vec::new();
    for (i, accessor) in ACCESSORS.iter().enumerate() {
        let modifier = [
            "public",
            "public static",
            "internal",
            "private",
            "protected",
        ][i];
        // Vendor-named rules (`vendor_lead`), each with its own value's shape.
        let vendor: [(&str, &str, String); 4] = [
            (
                "LinkedInClientSecret",
                "linkedin-client-credentials",
                f.alnum(16),
            ),
            ("AssemblyAiApiKey", "assemblyai-api-key", f.hex(32)),
            ("DeepgramApiKey", "deepgram-api-key", f.hex(40)),
            ("MiroClientSecret", "miro-client-secret", f.alnum(32)),
        ];
        for (name, rule, value) in vendor {
            let content = format!(
                "namespace App.Config\n{{\n    public class Settings\n    {{\n        {modifier} string {name}{accessor} = \"{value}\";\n    }}\n}}\n"
            );
            cases.push((format!("cs{i}/{rule}.cs"), content, rule, value));
        }
        // Named generic rules (`generic_lead`).
        let generic: [(&str, &str, String); 2] = [
            (
                "SessionSecret",
                "session-secret-assignment",
                f.from_alphabet(URLSAFE, 28),
            ),
            ("JwtSigningKey", "jwt-secret-assignment", f.alnum(32)),
        ];
        for (name, rule, value) in generic {
            let content = format!("public class Auth\n{{\n    {modifier} string {name}{accessor} = \"{value}\";\n}}\n");
            cases.push((format!("cs{i}/{rule}.cs"), content, rule, value));
        }
    }
    check(&cases);
}

#[test]
fn a_vendor_name_at_a_lines_end_does_not_take_the_next_line_as_its_value() {
    // next-auth's provider list: `LinkedIn,` then the next provider's name on the next line, a
    // word of the value's length (14 or 16 letters). The `,` is an operator of `vendor_lead` and
    // `[\x60'"\\\s=]{0,5}` after it could take the line break and the indent, on a window of
    // lines; the rule keeps to its line. A C# property without an initializer, the value on the
    // next property's line, neither.
    let mut f = Fake::new(0x11_1ced);
    let mut cases: Vec<Case> = Vec::new();
    for i in 0..12 {
        let indent = " ".repeat(1 + i % 4);
        let next = f.from_alphabet(LETTERS, [14, 16][i % 2]);
        let content = format!(
            "import NextAuth from \"next-auth\"\nimport LinkedIn from \"next-auth/providers/linkedin\"\n\nexport default NextAuth({{\n  providers: [\n{indent}LinkedIn,\n{indent}{next},\n  ],\n}})\n"
        );
        cases.push((format!("auth{i}/route.ts"), content, "", String::new()));
        let crlf = cases.last().unwrap().1.replace('\n', "\r\n");
        cases.push((format!("auth{i}/route-crlf.ts"), crlf, "", String::new()));
    }
    for (i, accessor) in ACCESSORS.iter().enumerate() {
        let word = f.from_alphabet(LETTERS, 16);
        let content = format!(
            "public class LinkedInOptions\n{{\n    public string LinkedInClientId{accessor}\n    public string {word}{accessor}\n}}\n"
        );
        cases.push((
            format!("opts{i}/LinkedInOptions.cs"),
            content,
            "",
            String::new(),
        ));
    }
    check(&cases);
}

#[test]
fn a_key_written_over_lines_is_found_where_the_rule_says_it_spans_them() {
    // A JWK literal over lines (`[^{}]{0,2000}?` between `kty` and `d`: a negated stretch with
    // the `s` flag) and a Gradle credentials block (`\s*` between `{` and the names, `(?s)`: the
    // rule's word that its blanks cross lines).
    let mut f = Fake::new(0x0e_c5);
    let mut cases: Vec<Case> = Vec::new();
    for i in 0..4 {
        let (x, y, d) = (
            f.from_alphabet(URLSAFE, 43),
            f.from_alphabet(URLSAFE, 43),
            f.from_alphabet(URLSAFE, 43),
        );
        let content = format!(
            "export const signingKey = {{\n  kty: \"EC\",\n  crv: \"P-256\",\n  x: \"{x}\",\n  y: \"{y}\",\n  d: \"{d}\",\n}};\n"
        );
        cases.push((
            format!("jwk{i}/key.mjs"),
            content,
            "jwk-private-key-literal",
            d,
        ));
        let user = f.from_alphabet(LETTERS, 8).to_lowercase();
        let password = f.alnum(20);
        let content = format!(
            "repositories {{\n    maven {{\n        url \"https://repo.example.org/releases\"\n        credentials {{\n            username \"{user}\"\n            password \"{password}\"\n        }}\n    }}\n}}\n"
        );
        cases.push((
            format!("gradle{i}/build.gradle"),
            content,
            "gradle-credentials",
            password,
        ));
    }
    check(&cases);
}

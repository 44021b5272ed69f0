//! The classes of false alarm read in real public code (issue 13: SDKs, LLM applications, compose
//! and deployment templates), each written the way those repositories write it but with values of
//! our own, beside the real secrets of the same shape that must still be reported. Every finding is
//! checked: a decoy reported, or a secret missed, fails the test.

use crate::common::*;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;

const HS256: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

#[test]
fn real_code_noise_classes_are_quiet_and_their_real_twins_are_reported() {
    let mut fake = Fake::new(1313);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // (file, content, lines that must be reported)
    let mut files: Vec<(&str, String, Vec<u64>)> = Vec::new();

    let toy = fake.jwt(HS256, r#"{"sub":"username:bob"}"#);
    let toy2 = fake.jwt(HS256, r#"{"data":"foo"}"#);
    let subject = fake.hex(12);
    let issued = fake.jwt(HS256, &format!(r#"{{"sub":"{subject}","exp":1893456000}}"#));
    files.push((
        "tests/test_security.py",
        format!(
            "headers = {{\"Authorization\": \"Bearer {toy}\"}}\n\
             other = {{\"Authorization\": \"Bearer {toy2}\"}}\n\
             issued = {{\"Authorization\": \"Bearer {issued}\"}}\n\
             api_key=\"caller-passed-WRONG-key\",\n\
             api_key=\"settings-api-key-DO-NOT-LEAK\",\n\
             access_key = settings.S3_ACCESS_KEY_ID\n\
             \"password\": \"AstraCS:...\",  # your application token\n"
        ),
        vec![3],
    ));
    files.push((
        "src/store/actions.ts",
        "export const SET_COMPONENT_CREDENTIALS = '@canvas/SET_COMPONENT_CREDENTIALS'\n\
         const apikey = 'apikeys:import'\n\
         config.platform.apiKey = process.env.MEM0_API_KEY;\n\
         if (result.mem0ApiKey) config.mem0ApiKey = result.mem0ApiKey;\n\
         export const TEST_API_KEY = \"test-api-key-12345\";\n\
         const badClient = new MemoryClient({ apiKey: \"invalid-key-12345\" });\n\
         logger.info('reset it: pnpm user --email \"myEmail\" --password \"myPassword\"')\n"
            .to_string(),
        vec![],
    ));
    let basic_placeholder = STANDARD.encode("user:pass");
    let basic_real = STANDARD.encode(format!("deploy:{}", fake.alnum(18)));
    files.push((
        "src/mcp/index.test.ts",
        format!(
            "const req = mockReq({{ headers: {{ authorization: 'Basic {basic_placeholder}' }} }})\n\
             const live = {{ authorization: 'Basic {basic_real}' }}\n"
        ),
        // The stand-in pair (user:pass) in the mock is what the test's server takes: reported too,
        // at low severity (authorization-basic-weak-credentials, rules/cdauth.toml).
        vec![1, 2],
    ));
    let widget = fake.alnum(24);
    let algolia = fake.hex(32);
    files.push((
        "web/components/ChatWidget.tsx",
        format!("  websiteToken: '{widget}',\n"),
        vec![],
    ));
    files.push((
        "documentation/docusaurus.config.js",
        format!(
            "    algolia: {{\n      appId: \"{}\",\n      apiKey: \"{algolia}\",\n",
            fake.alnum(10).to_uppercase()
        ),
        vec![],
    ));
    let word_b64 = STANDARD.encode("appdb");
    let phrase_b64 = URL_SAFE.encode("acme-dev-jwt-secret-change-me!!!");
    let hex = fake.hex(64);
    let key_bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let fernet = URL_SAFE.encode(&key_bytes);
    files.push((
        "deploy/k8s/secrets.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  postgres-password: {word_b64}\n  \
             JWT_SECRET_KEY: {phrase_b64}\n  FERNET_KEY: {fernet}\n"
        ),
        vec![8],
    ));
    let role_password = format!("Zr4t-{}", fake.alnum(10));
    let mask = "\u{2022}".repeat(6);
    files.push((
        "docs/deploying/postgres.mdx",
        format!(
            "```sql\nCREATE ROLE appuser LOGIN PASSWORD 'appuser' CREATEDB;\n\
             ALTER USER postgres PASSWORD 'my_secure_password';\n\
             CREATE ROLE reporting LOGIN PASSWORD '{role_password}';\n```\n\
             Displayed masked (e.g. `mongodb+srv://user:{mask}@host/db`).\n"
        ),
        vec![4],
    ));
    files.push((
        "scripts/e2e/env.sh",
        format!(
            "export ENCRYPTION_SECRET_KEY=\"e2e-fixed-encryption-key-never-use-in-prod\"\n\
             export SESSION_SECRET=\"{}\"\n",
            fake.alnum(32)
        ),
        vec![2],
    ));
    let lower40 = fake.from_alphabet("abcdefghijklmnopqrstuvwxyz0123456789", 40);
    let mixed40 = fake.from_alphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+",
        40,
    );
    files.push((
        "testing/resources/aws_config.ini",
        format!(
            "[default]\naws_access_key_id = {}\naws_secret_access_key = {lower40}\n\n[prod]\n\
             aws_secret_access_key = {mixed40}\n",
            fake.aws_key_id()
        ),
        vec![2, 6],
    ));
    // A committed env file's weak value is the password in use.
    files.push((
        ".env",
        "LAUNCHPAD_RPC_SHARED_SECRET=supersecret\n".to_string(),
        vec![1],
    ));

    assert_reports_exactly(d, &files);
}

//! Named values no rule read before (issue 17, stop 22, env-list-secret): a secret in a key/value
//! list (`{"key": "apiToken", "value": "…"}`: Postman environments, HAR headers, app specs'
//! `envVars`). Generated values of the real shape; the near misses beside them stay silent.

use crate::common::*;

#[test]
fn a_secret_in_a_key_value_list_is_reported() {
    let mut f = Fake::new(0xcd_3a03);
    let shapes = [
        (
            "postman/prod.postman_environment.json",
            "{\n\t\"name\": \"prod\",\n\t\"values\": [\n\t\t{\n\t\t\t\"key\": \"apiToken\",\n\t\t\t\"value\": \"{v}\",\n\t\t\t\"enabled\": true\n\t\t}\n\t]\n}\n",
        ),
        (
            "postman/api.postman_collection.json",
            "{\"variable\": [{\"key\": \"client_secret\", \"value\": \"{v}\", \"type\": \"string\"}]}\n",
        ),
        (
            "render.yaml",
            "services:\n  - type: web\n    envVars:\n      - key: STRIPE_SECRET\n        value: {v}\n",
        ),
        (
            "recordings/session.har",
            "        \"headers\": [\n          {\n            \"name\": \"X-Session-Token\",\n            \"value\": \"{v}\"\n          }\n        ],\n",
        ),
        (
            "ci/variables.json",
            "[{\"variable_type\": \"env_var\", \"key\": \"DEPLOY_TOKEN\", \"value\": \"{v}\", \"protected\": true}]\n",
        ),
    ];
    let mut files: Vec<(String, String, String)> = Vec::new();
    for (path, template) in shapes {
        let v = f.alnum(28);
        files.push((path.to_string(), template.replace("{v}", &v), v));
    }
    let negatives = [
        (
            "neg/i18n.json",
            "[{ \"key\": \"reset_token_expired\", \"value\": \"Your reset token has expired\" }]\n",
        ),
        (
            "neg/render.yaml",
            "    envVars:\n      - key: API_TOKEN\n        fromSecret: api-token\n",
        ),
        (
            "neg/env.postman_environment.json",
            "{\"values\": [{\"key\": \"apiToken\", \"value\": \"{{apiToken}}\", \"enabled\": true}]}\n",
        ),
        (
            "neg/headers.har",
            "{\"name\": \"Content-Type\", \"value\": \"application/x-www-form-urlencoded\"}\n",
        ),
    ];
    for (path, content) in negatives {
        files.push((path.to_string(), content.to_string(), String::new()));
    }
    crate::cdnamed::check("env-list-secret", &files);
}

//! Keys as public repositories write them, fifth look (stop 45, wild45): excerpts of public GitHub
//! files found by exact-string look-ups over languages and file kinds stops 41-44 did not sample
//! (Swift and Objective-C requests, Android manifests, Bruno collections, Gradle's Kotlin DSL,
//! Clojure, Elixir, Erlang, Lua, C++, the OpenAI-compatible providers in every language), and probes
//! of the same shapes, showed these lost at main and this stand-in reported. Each is checked here in
//! several syntaxes with fresh fake values built at runtime, and must be reported by its rule with
//! that value; the near misses beside them stay quiet.
//! - a name/value pair built by labeled arguments: Swift's `URLQueryItem(name: "api_key", value:
//!   "…")`, `HTTPHeader(name:value:)`, Python's `name='…', value='…'`;
//! - a header's value set before the header's name: `request.setValue("…", forHTTPHeaderField:
//!   "X-Api-Key")`, Objective-C's `[request setValue:@"…" forHTTPHeaderField:@"…"]`;
//! - an Android manifest's `<meta-data android:name="io.fabric.ApiKey" android:value="…"/>`, over
//!   lines and in either order;
//! - a Bruno collection's `auth:apikey { key: … value: … }`;
//! - Gradle's `buildConfigField("String", "WEATHER_KEY", "\"…\"")`, a name that ends in KEY alone;
//! - a stand-in: Spanish's `tu-llave-para-…` ("your key for …").

use crate::common::*;

/// A key of the shape these vendors give: 32 hex digits.
fn hex_key(f: &mut Fake) -> String {
    f.hex(32)
}

/// A key of letters and digits.
fn secret(f: &mut Fake) -> String {
    f.alnum(24)
}

#[test]
fn a_secret_given_by_labeled_name_and_value_is_reported() {
    let cells = [
        (
            "MovieEndpoint.swift",
            "        let queryItems = [\n            URLQueryItem(name: \"language\", value: \"en-US\"),\n            URLQueryItem(name: \"api_key\", value: \"{V}\")\n        ]\n",
        ),
        (
            "WeatherAPI.swift",
            "        urlComponents.queryItems = [URLQueryItem(name: \"q\", value: city),\n                                    URLQueryItem(name: \"appid\", value: \"{V}\"),\n                                    URLQueryItem(name: \"units\", value: \"metric\")]\n",
        ),
        (
            "Flickr.swift",
            "        components.queryItems?.append(URLQueryItem(\n            name: \"APIKey\",\n            value: \"{V}\"))\n",
        ),
        (
            "Endpoint.swift",
            "    var queryItems: [URLQueryItem] { [.init(name: \"apikey\", value: \"{V}\")] }\n",
        ),
        (
            "Client.swift",
            "let headers: HTTPHeaders = [HTTPHeader(name: \"X-Api-Key\", value: \"{V}\")]\n",
        ),
        (
            "Routes.swift",
            "        request.headers.add(name: \"x-auth-token\", value: \"{V}\")\n",
        ),
        (
            "client.py",
            "params = [QueryParam(name='access_token', value='{V}')]\n",
        ),
    ];
    check_cells("labeled-name-value-secret", 4501, &cells, hex_key, |f| {
        f.alnum(8)
    });
}

#[test]
fn labeled_name_value_near_misses_stay_quiet() {
    assert_quiet(vec![
        (
            "a.swift",
            "URLQueryItem(name: \"api_key\", value: apiKey)\nURLQueryItem(name: \"api_key\", value: \"\\(Secrets.tmdb)\")\n",
        ),
        (
            "b.swift",
            "parts.queryItems = [URLQueryItem(name: \"appid\", value: \"431960\"), .init(name: \"browsesort\", value: request.sort)]\n",
        ),
        (
            "c.swift",
            "URLQueryItem(name: \"api_key\", value: \"YOUR_API_KEY\")\nURLQueryItem(name: \"appID\", value: \"APIKEY\")\n",
        ),
        (
            "d.swift",
            "URLQueryItem(name: \"language\", value: \"en-US\")\nURLQueryItem(name: \"page\", value: \"1\")\n",
        ),
        // A WeChat mini program's app id: public in the program's bundle.
        (
            "e.swift",
            "URLQueryItem(name: \"appid\", value: \"wx3f9a0c1e7b2d4a68\")\n",
        ),
    ]);
}

#[test]
fn a_header_value_set_before_its_name_is_reported() {
    let cells = [
        (
            "WeatherClient.swift",
            "        var request = URLRequest(url: url)\n        request.setValue(\"{V}\", forHTTPHeaderField: \"X-Api-Key\")\n",
        ),
        (
            "Rapid.swift",
            "        request.addValue(\"{V}\", forHTTPHeaderField: \"x-rapidapi-key\")\n        request.addValue(\"api.example.p.rapidapi.com\", forHTTPHeaderField: \"x-rapidapi-host\")\n",
        ),
        (
            "Wrapped.swift",
            "        request.setValue(\"{V}\",\n                         forHTTPHeaderField: \"X-Auth-Token\")\n",
        ),
        (
            "APIClient.m",
            "    [request setValue:@\"{V}\" forHTTPHeaderField:@\"X-Api-Key\"];\n",
        ),
        (
            "GitHub.swift",
            "        req.setValue(\"token {V}\", forHTTPHeaderField: \"Authorization\")\n",
        ),
        (
            "Translate.swift",
            "        urlRequest.setValue(\n            \"{V}\",  // the old one: revoked\n            forHTTPHeaderField: \"X-RapidAPI-Key\")\n",
        ),
    ];
    check_cells("header-value-first-secret", 4502, &cells, secret, |f| {
        f.alnum(8)
    });
}

#[test]
fn header_value_first_near_misses_stay_quiet() {
    assert_quiet(vec![
        (
            "a.swift",
            "request.setValue(apiKey, forHTTPHeaderField: \"X-Api-Key\")\nrequest.setValue(\"application/json\", forHTTPHeaderField: \"Content-Type\")\n",
        ),
        (
            "b.swift",
            "request.setValue(\"Bearer \\(token)\", forHTTPHeaderField: \"Authorization\")\nrequest.setValue(\"YOUR_API_KEY_HERE\", forHTTPHeaderField: \"X-Api-Key\")\n",
        ),
        (
            "c.m",
            "[request setValue:authValue forHTTPHeaderField:@\"Authorization\"];\n[request setValue:@\"2023-06-01\" forHTTPHeaderField:@\"anthropic-version\"];\n",
        ),
    ]);
}

#[test]
fn a_key_in_an_android_manifest_meta_data_is_reported() {
    let cells = [
        (
            "app/src/main/AndroidManifest.xml",
            "        <meta-data\n            android:name=\"io.fabric.ApiKey\"\n            android:value=\"{V}\" />\n",
        ),
        (
            "AndroidManifest.xml",
            "<meta-data android:name=\"com.amap.api.v2.apikey\" android:value=\"{V}\"/>\n",
        ),
        (
            "src/main/AndroidManifest.xml",
            "<meta-data android:value=\"{V}\" android:name=\"com.facebook.sdk.ClientToken\"/>\n",
        ),
        (
            "manifest/AndroidManifest.xml",
            "<meta-data\n    tools:replace=\"android:value\"\n    android:name=\"com.bugsnag.android.API_KEY\"\n    android:value=\"{V}\" />\n",
        ),
        (
            "README.md",
            "Add to `AndroidManifest.xml`:\n\n```xml\n<meta-data android:name=\"com.baidu.lbsapi.API_KEY\" android:value=\"{V}\" />\n```\n",
        ),
    ];
    check_cells(
        "android-manifest-meta-data-secret",
        4503,
        &cells,
        hex_key,
        |f| f.alnum(8),
    );
}

#[test]
fn android_manifest_near_misses_stay_quiet() {
    assert_quiet(vec![(
        "AndroidManifest.xml",
        "<meta-data android:name=\"io.fabric.ApiKey\" android:value=\"${fabricApiKey}\" />\n\
         <meta-data android:name=\"com.google.android.geo.API_KEY\" android:value=\"@string/google_maps_key\" />\n\
         <meta-data android:name=\"com.facebook.sdk.ApplicationId\" android:value=\"@string/facebook_app_id\" />\n\
         <meta-data android:name=\"io.fabric.ApiKey\" android:value=\"YOUR_FABRIC_API_KEY\" />\n\
         <meta-data android:name=\"com.google.firebase.messaging.default_notification_channel_id\" android:value=\"high_importance_channel\" />\n\
         <meta-data android:name=\"com.google.android.gms.ads.APPLICATION_ID\" android:value=\"ca-app-pub-3940256099942544~3347511713\" />\n",
    )]);
}

#[test]
fn a_key_in_a_bruno_apikey_block_is_reported() {
    let cells = [
        (
            "collections/weather/Current.bru",
            "get {\n  url: https://api.example.com/v1/current\n  auth: apikey\n}\n\nauth:apikey {\n  key: X-Api-Key\n  value: {V}\n  placement: header\n}\n",
        ),
        (
            "Search.bru",
            "auth:apikey {\n  key: api_key\n  value: {V}\n  placement: queryparams\n}\n",
        ),
    ];
    check_cells("bruno-apikey-auth-secret", 4504, &cells, hex_key, |f| {
        f.alnum(8)
    });
    assert_quiet(vec![(
        "Get.bru",
        "auth:apikey {\n  key: X-Api-Key\n  value: {{apiKey}}\n  placement: header\n}\n",
    )]);
}

#[test]
fn a_gradle_field_named_for_a_key_alone_is_reported() {
    let cells = [
        (
            "app/build.gradle.kts",
            "        buildConfigField(\"String\", \"WEATHER_KEY\", \"\\\"{V}\\\"\")\n",
        ),
        (
            "app/build.gradle",
            "        buildConfigField \"String\", \"MAPS_KEY\", '\"{V}\"'\n",
        ),
        (
            "build.gradle",
            "        resValue \"string\", \"amap_key\", \"{V}\"\n",
        ),
    ];
    check_cells("gradle-build-config-secret", 4505, &cells, hex_key, |f| {
        f.alnum(8)
    });
}

#[test]
fn spanish_your_key_for_stand_ins_stay_quiet_and_keys_there_are_reported() {
    assert_quiet(vec![(
        "main.cpp",
        "    const std::string API_KEY = \"tu--llave-para-unsplash\";\n    std::string my_key = \"tu_llave_de_azure_aqui\";\n",
    )]);
    let cells = [("main.cpp", "    const std::string API_KEY = \"{V}\";\n")];
    check_cells("generic-secret-assignment", 4506, &cells, secret, |f| {
        f.alnum(8)
    });
}

#[test]
fn a_secret_in_a_list_valued_or_space_separated_map_is_reported() {
    let cells = [
        (
            "client.go",
            "\tq := url.Values{\"appid\": {\"{V}\"}, \"q\": {city}}\n",
        ),
        (
            "header.go",
            "\treq.Header = http.Header{\"X-Api-Key\": []string{\"{V}\"}}\n",
        ),
        (
            "params.go",
            "\tparams := url.Values{\n\t\t\"api_key\": []string{\"{V}\"},\n\t\t\"q\":       {city},\n\t}\n",
        ),
        (
            "Client.hs",
            "req = setRequestHeader \"X-Api-Key\" [\"{V}\"] defaultRequest\n",
        ),
        (
            "Wreq.hs",
            "opts = defaults & header \"X-Api-Key\" .~ [\"{V}\"]\n",
        ),
        (
            "core.clj",
            "(client/get url {:query-params {:api_key \"{V}\" :q city}})\n",
        ),
        (
            "http.clj",
            "(client/get url {:headers {\"X-Api-Key\" \"{V}\"}})\n",
        ),
        (
            "config.edn",
            "{:db {:host \"db.internal\"}\n :stripe-secret \"{V}\"}\n",
        ),
    ];
    check_cells("collection-literal-secret", 4507, &cells, hex_key, |f| {
        f.alnum(8)
    });
}

#[test]
fn map_literal_near_misses_stay_quiet() {
    assert_quiet(vec![
        (
            "a.go",
            "\tq := url.Values{\"appid\": {appID}, \"q\": {city}}\n\treq.Header = http.Header{\"Content-Type\": []string{\"application/json\"}}\n",
        ),
        (
            "b.clj",
            "(client/get url {:query-params {:api_key api-key}})\n(client/get url {:headers {\"X-Api-Key\" \"YOUR_API_KEY\"}})\n",
        ),
        ("c.edn", "{:csrf-token \"Hq7Lm2Xv9Tk4Wr8Zn3PcQs6d\"}\n"),
        // A test's word under a key's name (wild45: a workflow test's resources).
        (
            "d_test.clj",
            "(let [resources {:config {:api-key \"secret-123\"}}])\n",
        ),
    ]);
}

//! The mission's own families written as SDK calls, in the languages whose SDKs take them (issue 17,
//! mission): `sk-` keys of OpenAI and the OpenAI-compatible providers, Anthropic keys, Twilio
//! account SIDs with auth tokens and API key SIDs with their secrets, Fernet keys, JWT, session and
//! HMAC signing secrets, database passwords, GitHub, Slack, AWS and Facebook credentials — each
//! passed the way the SDKs' READMEs and real code pass them (client constructors, key factories,
//! middleware options, connection calls, credential objects), in Python, JS/TS, Go, Java, Kotlin,
//! C#, PHP, Ruby, Rust and Swift. The shape matrix (rule_shapes.rs) writes every rule's value as
//! `NAME = value` in 60 shapes; these are the call shapes, where no name stands next to the value and
//! the call says what it is.
//!
//! Every value is generated (a seeded `Fake`) in the credential's issued format. A call shape is
//! found when its file has a finding whose secret holds the value; the near misses (a variable or an
//! environment lookup instead of the literal, a placeholder, a value that says it is a test double)
//! must give no finding at all. The test fails on any shape missed, naming it, so a rule that loses a
//! call shape fails here.

use crate::common::*;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const DIGITS: &str = "0123456789";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The value a placeholder of a template stands for, drawn fresh in its issued format.
fn value(f: &mut Fake, name: &str) -> String {
    match name {
        // A JWT, session or HMAC secret as generators write it (32 letters and digits).
        "S" => f.alnum(32),
        // Twilio's 32-hex auth token; Slack's signing secret and Facebook's app secret share it.
        "H" => f.hex(32),
        "AC" => format!("AC{}", f.hex(32)),
        "SK" => format!("SK{}", f.hex(32)),
        // A Twilio API key's secret: 32 letters and digits.
        "T" => f.alnum(32),
        // A database password: letters and digits with a symbol URLs carry as is.
        "P" => format!("{}-{}", f.alnum(12), f.alnum(3)),
        // Fernet: 32 random bytes, URL-safe base64.
        "F" => URL_SAFE.encode(f.bytes(32)),
        "AK" => f.aws_key_id(),
        "AWS" => f.from_alphabet(B64, 40),
        "OAI" => f.openai_project(),
        // OpenAI-compatible providers: DeepSeek/DashScope `sk-` + 32 hex, Moonshot `sk-` + 48.
        "SKHEX" => format!("sk-{}", f.hex(32)),
        "SK48" => format!("sk-{}", f.alnum(48)),
        "ANT" => format!("sk-ant-api03-{}AA", f.from_alphabet(URLSAFE, 93)),
        "GSK" => format!("gsk_{}", f.alnum(52)),
        "ORK" => format!("sk-or-v1-{}", f.hex(64)),
        "XAI" => format!("xai-{}", f.alnum(80)),
        "PPLX" => format!("pplx-{}", f.alnum(48)),
        "NV" => format!("nvapi-{}", f.from_alphabet(URLSAFE, 64)),
        "CSK" => format!("csk-{}", f.from_alphabet(LOWER_DIGITS, 48)),
        "FW" => format!("fw_{}", f.alnum(24)),
        "MIS" => f.alnum(32),
        "TOG" => f.hex(64),
        "XOXB" => f.slack_bot(),
        "GH40" => f.hex(40),
        "GHP" => f.github_pat(),
        "EAA" => format!("EAA{}", f.alnum(150)),
        "APPID" => f.from_alphabet(DIGITS, 15),
        // Laravel's APP_KEY: 32 random bytes, standard base64.
        "B64K" => STANDARD.encode(f.bytes(32)),
        "B32" => f.from_alphabet(B32, 16),
        other => panic!("unknown placeholder {{{other}}}"),
    }
}

/// Fills every `{NAME}` of `template` with a fresh value; returns the text and the value of
/// `secret` (the placeholder the case is about).
fn fill(f: &mut Fake, template: &str, secret: &str) -> (String, String) {
    let mut out = String::new();
    let mut rest = template;
    let mut found = None;
    let mut seen: Vec<(String, String)> = Vec::new();
    while let Some(i) = rest.find('{') {
        match rest[i + 1..].find('}') {
            Some(j)
                if rest[i + 1..i + 1 + j]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    && j > 0 =>
            {
                let name = &rest[i + 1..i + 1 + j];
                out.push_str(&rest[..i]);
                // One value per placeholder and case: a template may write it twice.
                let v = match seen.iter().find(|(n, _)| n == name) {
                    Some((_, v)) => v.clone(),
                    None => {
                        let v = value(f, name);
                        seen.push((name.to_string(), v.clone()));
                        v
                    }
                };
                if name == secret {
                    found = Some(v.clone());
                }
                out.push_str(&v);
                rest = &rest[i + 2 + j..];
            }
            _ => {
                out.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    (
        out,
        found.unwrap_or_else(|| panic!("{template}: no {{{secret}}}")),
    )
}

/// (file, placeholder of the secret, template). One file per call shape.
const CALLS: &[(&str, &str, &str)] = &[
    // ---- JWT signing secrets in the JWT libraries' calls
    ("jwt/pyjwt.py", "S", "token = jwt.encode({\"sub\": uid}, \"{S}\", algorithm=\"HS256\")\n"),
    ("jwt/pyjwt_decode.py", "S", "data = jwt.decode(token, \"{S}\", algorithms=[\"HS256\"])\n"),
    ("jwt/jsonwebtoken.js", "S", "const t = jwt.sign({ id: user.id }, '{S}', { expiresIn: '1d' });\n"),
    ("jwt/jsonwebtoken_verify.ts", "S", "const claims = jwt.verify(token, \"{S}\") as JwtPayload;\n"),
    ("jwt/jose.js", "S", "const secret = new TextEncoder().encode('{S}');\n"),
    ("jwt/passport.js", "S", "const opts = { jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: '{S}' };\n"),
    ("jwt/nest.ts", "S", "JwtModule.register({ secret: '{S}', signOptions: { expiresIn: '60s' } }),\n"),
    ("jwt/fastify.js", "S", "fastify.register(require('@fastify/jwt'), { secret: '{S}' });\n"),
    ("jwt/expressjwt.js", "S", "app.use(expressjwt({ secret: '{S}', algorithms: ['HS256'] }));\n"),
    ("jwt/golang_jwt.go", "S", "package a\n\nfunc f() {\n\ts, err := token.SignedString([]byte(\"{S}\"))\n}\n"),
    ("jwt/golang_jwt_chain.go", "S", "package a\n\nfunc f() {\n\tt, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(\"{S}\"))\n}\n"),
    ("jwt/golang_keyfunc.go", "S", "package a\n\nfunc keyFunc(token *jwt.Token) (interface{}, error) {\n\treturn []byte(\"{S}\"), nil\n}\n"),
    ("jwt/golang_key_var.go", "S", "package a\n\nvar jwtKey = []byte(\"{S}\")\n"),
    ("jwt/jwtauth.go", "S", "package a\n\nvar tokenAuth = jwtauth.New(\"HS256\", []byte(\"{S}\"), nil)\n"),
    ("jwt/echo.go", "S", "package a\n\nfunc f() {\n\te.Use(middleware.JWT([]byte(\"{S}\")))\n}\n"),
    ("jwt/echojwt.go", "S", "package a\n\nfunc f() {\n\te.Use(echojwt.WithConfig(echojwt.Config{SigningKey: []byte(\"{S}\")}))\n}\n"),
    ("jwt/gin_jwt.go", "S", "package a\n\nvar m, err = jwt.New(&jwt.GinJWTMiddleware{\n\tRealm: \"zone\",\n\tKey:   []byte(\"{S}\"),\n})\n"),
    ("jwt/java_jwt.java", "S", "class A {\n    Algorithm algorithm = Algorithm.HMAC256(\"{S}\");\n}\n"),
    ("jwt/java_jwt_sign.java", "S", "class A {\n    String t = JWT.create().withIssuer(\"auth0\").sign(Algorithm.HMAC512(\"{S}\"));\n}\n"),
    ("jwt/jjwt_keys.java", "S", "class A {\n    SecretKey key = Keys.hmacShaKeyFor(\"{S}\".getBytes(StandardCharsets.UTF_8));\n}\n"),
    ("jwt/jjwt_signwith.java", "S", "class A {\n    String t = Jwts.builder().setSubject(u).signWith(SignatureAlgorithm.HS512, \"{S}\").compact();\n}\n"),
    ("jwt/jjwt_parser.java", "S", "class A {\n    Claims c = Jwts.parser().setSigningKey(\"{S}\").parseClaimsJws(token).getBody();\n}\n"),
    ("jwt/nimbus.java", "S", "class A {\n    JWSSigner signer = new MACSigner(\"{S}{S}\");\n}\n"),
    ("jwt/spring_value.java", "S", "class A {\n    @Value(\"${jwt.secret:{S}}\")\n    private String secret;\n}\n"),
    ("jwt/kotlin_jwt.kt", "S", "val algorithm = Algorithm.HMAC256(\"{S}\")\n"),
    ("jwt/kotlin_jjwt.kt", "S", "private val key = Keys.hmacShaKeyFor(\"{S}\".toByteArray())\n"),
    ("jwt/csharp.cs", "S", "class A {\n    void F() {\n        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(\"{S}\"));\n    }\n}\n"),
    ("jwt/csharp_options.cs", "S", "class A {\n    void F() {\n        o.TokenValidationParameters = new TokenValidationParameters {\n            IssuerSigningKey = new SymmetricSecurityKey(Encoding.ASCII.GetBytes(\"{S}\")),\n        };\n    }\n}\n"),
    ("jwt/csharp_bytes.cs", "S", "class A {\n    void F() {\n        var key = Encoding.ASCII.GetBytes(\"{S}\");\n    }\n}\n"),
    ("jwt/php_jwt.php", "S", "<?php\n$jwt = JWT::encode($payload, '{S}', 'HS256');\n"),
    ("jwt/php_jwt_decode.php", "S", "<?php\n$decoded = JWT::decode($jwt, new Key('{S}', 'HS256'));\n"),
    ("jwt/lcobucci.php", "S", "<?php\n$config = Configuration::forSymmetricSigner(new Sha256(), InMemory::plainText('{S}'));\n"),
    ("jwt/ruby_jwt.rb", "S", "token = JWT.encode(payload, '{S}', 'HS256')\n"),
    ("jwt/ruby_jwt_decode.rb", "S", "decoded = JWT.decode(token, '{S}', true, { algorithm: 'HS256' })\n"),
    ("jwt/rust_encode.rs", "S", "fn f() {\n    let t = encode(&Header::default(), &claims, &EncodingKey::from_secret(\"{S}\".as_ref()));\n}\n"),
    ("jwt/rust_bytes.rs", "S", "fn f() {\n    let k = EncodingKey::from_secret(b\"{S}\");\n}\n"),
    ("jwt/rust_decode.rs", "S", "fn f() {\n    let k = DecodingKey::from_secret(\"{S}\".as_bytes());\n}\n"),
    ("jwt/vapor.swift", "S", "app.jwt.signers.use(.hs256(key: \"{S}\"))\n"),
    // ---- session and cookie signing secrets
    ("session/flask.py", "S", "app.config.update(SECRET_KEY=\"{S}\")\n"),
    ("session/starlette.py", "S", "app.add_middleware(SessionMiddleware, secret_key=\"{S}\")\n"),
    ("session/itsdangerous.py", "S", "s = URLSafeTimedSerializer(\"{S}\")\n"),
    ("session/express.js", "S", "app.use(session({ secret: '{S}', resave: false, saveUninitialized: true }));\n"),
    ("session/express_lines.js", "S", "app.use(\n  session({\n    secret: '{S}',\n    resave: false,\n  })\n);\n"),
    ("session/cookie_session.js", "S", "app.use(cookieSession({ name: 'session', keys: ['{S}'] }));\n"),
    ("session/cookie_parser.js", "S", "app.use(cookieParser('{S}'));\n"),
    ("session/koa.js", "S", "app.keys = ['{S}', 'im a newer secret'];\n"),
    ("session/gorilla.go", "S", "package a\n\nvar store = sessions.NewCookieStore([]byte(\"{S}\"))\n"),
    ("session/gin.go", "S", "package a\n\nfunc f() {\n\tstore := cookie.NewStore([]byte(\"{S}\"))\n}\n"),
    ("session/rails.rb", "S", "Rails.application.config.secret_key_base = '{S}{S}'\n"),
    ("session/compose.yml", "S", "services:\n  app:\n    environment:\n      - SESSION_SECRET=${SESSION_SECRET:-{S}}\n"),
    ("session/application.yml", "S", "jwt:\n  secret: ${JWT_SECRET:{S}}\n"),
    // ---- HMAC keys in the HMAC calls
    ("hmac/python.py", "S", "sig = hmac.new(b\"{S}\", msg, hashlib.sha256).hexdigest()\n"),
    ("hmac/node.js", "S", "const sig = crypto.createHmac('sha256', '{S}').update(body).digest('hex');\n"),
    ("hmac/ruby.rb", "S", "sig = OpenSSL::HMAC.hexdigest('SHA256', '{S}', data)\n"),
    ("hmac/php.php", "S", "<?php\n$sig = hash_hmac('sha256', $payload, '{S}');\n"),
    ("hmac/go.go", "S", "package a\n\nvar mac = hmac.New(sha256.New, []byte(\"{S}\"))\n"),
    ("hmac/csharp.cs", "S", "class A {\n    void F() {\n        using var h = new HMACSHA256(Encoding.UTF8.GetBytes(\"{S}\"));\n    }\n}\n"),
    ("hmac/java.java", "S", "class A {\n    void f() {\n        mac.init(new SecretKeySpec(\"{S}\".getBytes(StandardCharsets.UTF_8), \"HmacSHA256\"));\n    }\n}\n"),
    ("hmac/rust.rs", "S", "fn f() {\n    let mut mac = Hmac::<Sha256>::new_from_slice(b\"{S}\").unwrap();\n}\n"),
    // ---- Twilio: account SID and auth token, API key SID and secret
    ("twilio/python.py", "H", "client = Client(\"{AC}\", \"{H}\")\n"),
    ("twilio/python_apikey.py", "T", "client = Client(\"{SK}\", \"{T}\", \"{AC}\")\n"),
    ("twilio/node.js", "H", "const client = require('twilio')('{AC}', '{H}');\n"),
    ("twilio/node_apikey.js", "T", "const client = twilio('{SK}', '{T}', { accountSid: '{AC}' });\n"),
    ("twilio/go.go", "H", "package a\n\nvar c = twilio.NewRestClientWithParams(twilio.ClientParams{\n\tUsername: \"{AC}\",\n\tPassword: \"{H}\",\n})\n"),
    ("twilio/java.java", "H", "class A {\n    void f() {\n        Twilio.init(\"{AC}\", \"{H}\");\n    }\n}\n"),
    ("twilio/java_apikey.java", "T", "class A {\n    void f() {\n        Twilio.init(\"{SK}\", \"{T}\", \"{AC}\");\n    }\n}\n"),
    ("twilio/kotlin.kt", "H", "Twilio.init(\"{AC}\", \"{H}\")\n"),
    ("twilio/csharp.cs", "H", "class A {\n    void F() {\n        TwilioClient.Init(\"{AC}\", \"{H}\");\n    }\n}\n"),
    ("twilio/php.php", "H", "<?php\n$twilio = new Client('{AC}', '{H}');\n"),
    ("twilio/ruby.rb", "H", "@client = Twilio::REST::Client.new('{AC}', '{H}')\n"),
    ("twilio/rust.rs", "H", "fn f() {\n    let client = twilio::Client::new(\"{AC}\", \"{H}\");\n}\n"),
    ("twilio/swift.swift", "H", "let twilio = TwilioClient(accountSid: \"{AC}\", authToken: \"{H}\")\n"),
    // ---- OpenAI, the OpenAI-compatible providers and Anthropic
    ("ai/openai.py", "OAI", "client = OpenAI(api_key=\"{OAI}\")\n"),
    ("ai/deepseek.py", "SKHEX", "client = OpenAI(api_key=\"{SKHEX}\", base_url=\"https://api.deepseek.com\")\n"),
    ("ai/deepseek.js", "SKHEX", "const openai = new OpenAI({ baseURL: 'https://api.deepseek.com', apiKey: '{SKHEX}' });\n"),
    ("ai/dashscope.py", "SKHEX", "client = OpenAI(api_key=\"{SKHEX}\", base_url=\"https://dashscope.aliyuncs.com/compatible-mode/v1\")\n"),
    ("ai/moonshot.py", "SK48", "client = OpenAI(api_key=\"{SK48}\", base_url=\"https://api.moonshot.cn/v1\")\n"),
    ("ai/mistral.py", "MIS", "client = Mistral(api_key=\"{MIS}\")\n"),
    ("ai/mistral.js", "MIS", "const client = new Mistral({ apiKey: '{MIS}' });\n"),
    ("ai/together.py", "TOG", "client = Together(api_key=\"{TOG}\")\n"),
    ("ai/openrouter.py", "ORK", "client = OpenAI(base_url=\"https://openrouter.ai/api/v1\", api_key=\"{ORK}\")\n"),
    ("ai/groq.py", "GSK", "client = Groq(api_key=\"{GSK}\")\n"),
    ("ai/fireworks.py", "FW", "client = Fireworks(api_key=\"{FW}\")\n"),
    ("ai/cerebras.py", "CSK", "client = Cerebras(api_key=\"{CSK}\")\n"),
    ("ai/nvidia.py", "NV", "client = OpenAI(base_url=\"https://integrate.api.nvidia.com/v1\", api_key=\"{NV}\")\n"),
    ("ai/xai.py", "XAI", "client = OpenAI(api_key=\"{XAI}\", base_url=\"https://api.x.ai/v1\")\n"),
    ("ai/perplexity.py", "PPLX", "client = OpenAI(api_key=\"{PPLX}\", base_url=\"https://api.perplexity.ai\")\n"),
    ("ai/anthropic.py", "ANT", "client = anthropic.Anthropic(api_key=\"{ANT}\")\n"),
    ("ai/anthropic.ts", "ANT", "const anthropic = new Anthropic({ apiKey: '{ANT}' });\n"),
    ("ai/openai.go", "OAI", "package a\n\nvar c = openai.NewClient(option.WithAPIKey(\"{OAI}\"))\n"),
    ("ai/go_openai.go", "SKHEX", "package a\n\nvar c = openai.NewClient(\"{SKHEX}\")\n"),
    ("ai/anthropic.go", "ANT", "package a\n\nvar c = anthropic.NewClient(option.WithAPIKey(\"{ANT}\"))\n"),
    ("ai/openai.java", "SKHEX", "class A {\n    OpenAIClient c = OpenAIOkHttpClient.builder().apiKey(\"{SKHEX}\").build();\n}\n"),
    ("ai/openai.kt", "SKHEX", "val openai = OpenAI(token = \"{SKHEX}\")\n"),
    ("ai/openai.cs", "SKHEX", "class A {\n    ChatClient c = new(model: \"gpt-4o\", apiKey: \"{SKHEX}\");\n}\n"),
    ("ai/openai_credential.cs", "OAI", "class A {\n    OpenAIClient c = new(new ApiKeyCredential(\"{OAI}\"));\n}\n"),
    ("ai/openai.php", "SKHEX", "<?php\n$client = OpenAI::client('{SKHEX}');\n"),
    ("ai/openai.rb", "SKHEX", "client = OpenAI::Client.new(access_token: \"{SKHEX}\")\n"),
    ("ai/openai.rs", "SKHEX", "fn f() {\n    let config = OpenAIConfig::new().with_api_key(\"{SKHEX}\");\n}\n"),
    ("ai/openai.swift", "SK48", "let openAI = OpenAI(apiToken: \"{SK48}\")\n"),
    // ---- Fernet keys
    ("fernet/bytes.py", "F", "f = Fernet(b\"{F}\")\n"),
    ("fernet/str.py", "F", "cipher = Fernet('{F}')\n"),
    ("fernet/multi.py", "F", "mf = MultiFernet([Fernet(b\"{F}\"), Fernet(key2)])\n"),
    ("fernet/go.go", "F", "package a\n\nvar k = fernet.MustDecodeKeys(\"{F}\")\n"),
    ("fernet/node.js", "F", "const secret = new fernet.Secret('{F}');\n"),
    ("fernet/ruby.rb", "F", "token = Fernet.generate('{F}', 'message')\n"),
    ("fernet/rust.rs", "F", "fn f() {\n    let f = fernet::Fernet::new(\"{F}\").unwrap();\n}\n"),
    // ---- database passwords in connection calls
    ("db/sqlalchemy.py", "P", "engine = create_engine(\"postgresql://app:{P}@db.acme.io:5432/shop\")\n"),
    ("db/psycopg2.py", "P", "conn = psycopg2.connect(host=\"db.acme.io\", dbname=\"shop\", user=\"app\", password=\"{P}\")\n"),
    ("db/mysqldb.py", "P", "db = MySQLdb.connect(\"db.acme.io\", \"app\", \"{P}\", \"shop\")\n"),
    ("db/pymysql.py", "P", "conn = pymysql.connect('db.acme.io', 'app', '{P}', 'shop')\n"),
    ("db/mongo.py", "P", "client = MongoClient(\"mongodb+srv://app:{P}@cluster0.ab1cd.mongodb.net/test\")\n"),
    ("db/mongoose.js", "P", "mongoose.connect('mongodb://app:{P}@db.acme.io:27017/shop');\n"),
    ("db/sequelize.js", "P", "const sequelize = new Sequelize('shop', 'app', '{P}', { host: 'db.acme.io', dialect: 'mysql' });\n"),
    ("db/sequelize_url.js", "P", "const sequelize = new Sequelize('postgres://app:{P}@db.acme.io:5432/shop');\n"),
    ("db/mysql2.js", "P", "const connection = mysql.createConnection({ host: 'db.acme.io', user: 'app', password: '{P}', database: 'shop' });\n"),
    ("db/pg.ts", "P", "const pool = new Pool({ user: 'app', host: 'db.acme.io', database: 'shop', password: '{P}', port: 5432 });\n"),
    ("db/schema.prisma", "P", "datasource db {\n  provider = \"postgresql\"\n  url      = \"postgresql://app:{P}@db.acme.io:5432/shop?schema=public\"\n}\n"),
    ("db/gorm.go", "P", "package a\n\nfunc f() {\n\tdb, err := gorm.Open(postgres.Open(\"host=db.acme.io user=app password={P} dbname=shop port=5432\"), &gorm.Config{})\n}\n"),
    ("db/gorm_mysql.go", "P", "package a\n\nfunc f() {\n\tdb, err := gorm.Open(mysql.Open(\"app:{P}@tcp(db.acme.io:3306)/shop?charset=utf8mb4\"), &gorm.Config{})\n}\n"),
    ("db/sql_open.go", "P", "package a\n\nfunc f() {\n\tdb, err := sql.Open(\"mysql\", \"app:{P}@tcp(db.acme.io:3306)/shop\")\n}\n"),
    ("db/jdbc.java", "P", "class A {\n    Connection c = DriverManager.getConnection(\"jdbc:mysql://db.acme.io:3306/shop\", \"app\", \"{P}\");\n}\n"),
    ("db/hikari.java", "P", "class A {\n    void f() {\n        config.setPassword(\"{P}\");\n    }\n}\n"),
    ("db/exposed.kt", "P", "Database.connect(\"jdbc:postgresql://db.acme.io:5432/shop\", driver = \"org.postgresql.Driver\", user = \"app\", password = \"{P}\")\n"),
    ("db/sqlconnection.cs", "P", "class A {\n    SqlConnection c = new SqlConnection(\"Server=db.acme.io;Database=shop;User Id=app;Password={P};\");\n}\n"),
    ("db/pdo.php", "P", "<?php\n$pdo = new PDO('mysql:host=db.acme.io;dbname=shop', 'app', '{P}');\n"),
    ("db/mysqli.php", "P", "<?php\n$conn = new mysqli('db.acme.io', 'app', '{P}', 'shop');\n"),
    ("db/pg.rb", "P", "conn = PG.connect(host: 'db.acme.io', dbname: 'shop', user: 'app', password: '{P}')\n"),
    ("db/sequel.rb", "P", "DB = Sequel.connect('postgres://app:{P}@db.acme.io/shop')\n"),
    ("db/sqlx.rs", "P", "async fn f() {\n    let pool = PgPool::connect(\"postgres://app:{P}@db.acme.io/shop\").await?;\n}\n"),
    ("db/postgres.swift", "P", "let config = PostgresConnection.Configuration(host: \"db.acme.io\", username: \"app\", password: \"{P}\", database: \"shop\", tls: .disable)\n"),
    // ---- AWS credential objects
    ("aws/boto3.py", "AWS", "s3 = boto3.client('s3', aws_access_key_id='{AK}', aws_secret_access_key='{AWS}')\n"),
    ("aws/sdk_v3.js", "AWS", "const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: '{AK}', secretAccessKey: '{AWS}' } });\n"),
    ("aws/go_v2.go", "AWS", "package a\n\nvar p = credentials.NewStaticCredentialsProvider(\"{AK}\", \"{AWS}\", \"\")\n"),
    ("aws/java_v1.java", "AWS", "class A {\n    BasicAWSCredentials c = new BasicAWSCredentials(\"{AK}\", \"{AWS}\");\n}\n"),
    ("aws/java_v2.java", "AWS", "class A {\n    AwsBasicCredentials c = AwsBasicCredentials.create(\"{AK}\", \"{AWS}\");\n}\n"),
    ("aws/kotlin.kt", "AWS", "val creds = AwsBasicCredentials.create(\"{AK}\", \"{AWS}\")\n"),
    ("aws/csharp.cs", "AWS", "class A {\n    var s3 = new AmazonS3Client(\"{AK}\", \"{AWS}\", RegionEndpoint.USEast1);\n}\n"),
    ("aws/php.php", "AWS", "<?php\n$s3 = new S3Client(['region' => 'us-east-1', 'credentials' => ['key' => '{AK}', 'secret' => '{AWS}']]);\n"),
    ("aws/ruby.rb", "AWS", "creds = Aws::Credentials.new('{AK}', '{AWS}')\n"),
    ("aws/rust.rs", "AWS", "fn f() {\n    let creds = Credentials::new(\"{AK}\", \"{AWS}\", None, None, \"static\");\n}\n"),
    ("aws/swift.swift", "AWS", "let client = AWSClient(credentialProvider: .static(accessKeyId: \"{AK}\", secretAccessKey: \"{AWS}\"))\n"),
    // ---- Slack, GitHub, Facebook
    ("slack/bolt.py", "H", "app = App(token=\"{XOXB}\", signing_secret=\"{H}\")\n"),
    ("slack/bolt.js", "H", "const app = new App({ token: '{XOXB}', signingSecret: '{H}' });\n"),
    ("slack/sdk.py", "XOXB", "client = WebClient(token=\"{XOXB}\")\n"),
    ("slack/slack.go", "XOXB", "package a\n\nvar api = slack.New(\"{XOXB}\")\n"),
    ("github/pygithub.py", "GHP", "g = Github(auth=Auth.Token(\"{GHP}\"))\n"),
    ("github/pygithub_legacy.py", "GH40", "g = Github(\"{GH40}\")\n"),
    ("github/pygithub_login.py", "P", "g = Github(\"octocat\", \"{P}\")\n"),
    ("github/octokit.js", "GH40", "const octokit = new Octokit({ auth: '{GH40}' });\n"),
    ("github/octokit_token.ts", "GH40", "const octokit = new Octokit({ auth: `token {GH40}` });\n"),
    ("github/octokit.rb", "GH40", "client = Octokit::Client.new(access_token: '{GH40}')\n"),
    ("github/go_github.go", "GHP", "package a\n\nvar client = github.NewClient(nil).WithAuthToken(\"{GHP}\")\n"),
    ("github/kohsuke.java", "GH40", "class A {\n    GitHub gh = new GitHubBuilder().withOAuthToken(\"{GH40}\").build();\n}\n"),
    ("facebook/graph.py", "EAA", "graph = facebook.GraphAPI(access_token=\"{EAA}\", version=\"3.1\")\n"),
    ("facebook/ads.py", "H", "FacebookAdsApi.init('{APPID}', '{H}', access_token)\n"),
    ("facebook/php.php", "H", "<?php\n$fb = new \\Facebook\\Facebook(['app_id' => '{APPID}', 'app_secret' => '{H}', 'default_graph_version' => 'v2.10']);\n"),
    // ---- Laravel's application key
    ("laravel/app.php", "B64K", "<?php\nreturn [\n    'key' => env('APP_KEY', 'base64:{B64K}'),\n    'cipher' => 'AES-256-CBC',\n];\n"),
];

/// (file, text): the same calls with what is not a secret in them — a variable or an environment
/// lookup, a placeholder, a value that says it is a sample or a test double. No finding at all.
const NEAR_MISSES: &[(&str, &str)] = &[
    ("jwt/java_var.java", "class A {\n    Algorithm algorithm = Algorithm.HMAC256(secret);\n}\n"),
    ("jwt/java_env.java", "class A {\n    Algorithm algorithm = Algorithm.HMAC256(System.getenv(\"JWT_SECRET\"));\n}\n"),
    ("jwt/java_doc.java", "class A {\n    Algorithm algorithm = Algorithm.HMAC256(\"your-256-bit-secret\");\n}\n"),
    ("jwt/kotlin_env.kt", "private val key = Keys.hmacShaKeyFor(System.getenv(\"JWT_SECRET\").toByteArray())\n"),
    ("jwt/csharp_config.cs", "class A {\n    void F() {\n        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_configuration[\"Jwt:Key\"]));\n    }\n}\n"),
    ("jwt/csharp_settings.cs", "class A {\n    void F() {\n        var key = Encoding.ASCII.GetBytes(_appSettings.Secret);\n    }\n}\n"),
    ("jwt/go_env.go", "package a\n\nfunc f() {\n\ts, err := token.SignedString([]byte(os.Getenv(\"JWT_SECRET\")))\n}\n"),
    ("jwt/go_keyfunc_env.go", "package a\n\nfunc keyFunc(token *jwt.Token) (interface{}, error) {\n\treturn []byte(os.Getenv(\"JWT_SECRET\")), nil\n}\n"),
    ("jwt/go_sample.go", "package a\n\nvar jwtKey = []byte(\"my_secret_key\")\n"),
    ("jwt/php_var.php", "<?php\n$jwt = JWT::encode($payload, $key, 'HS256');\n"),
    ("jwt/php_env.php", "<?php\n$decoded = JWT::decode($jwt, new Key($_ENV['JWT_SECRET'], 'HS256'));\n"),
    ("jwt/ruby_env.rb", "token = JWT.encode(payload, ENV['JWT_SECRET'], 'HS256')\n"),
    ("jwt/rust_env.rs", "fn f() {\n    let k = EncodingKey::from_secret(std::env::var(\"JWT_SECRET\").unwrap().as_bytes());\n}\n"),
    ("jwt/node_env.js", "const t = jwt.sign({ id: user.id }, process.env.JWT_SECRET, { expiresIn: '1d' });\n"),
    ("jwt/node_placeholder.js", "const t = jwt.sign({ id: user.id }, 'your-jwt-secret-here', { expiresIn: '1d' });\n"),
    ("jwt/jose_env.js", "const secret = new TextEncoder().encode(process.env.JWT_SECRET);\n"),
    ("jwt/jose_text.js", "const bytes = new TextEncoder().encode('hello world');\n"),
    ("jwt/passport_config.ts", "const opts = { secretOrKey: configService.get('JWT_SECRET') };\n"),
    ("jwt/python_test_double.py", "token = jwt.encode({\"sub\": uid}, \"test-secret\", algorithm=\"HS256\")\n"),
    ("session/gorilla_env.go", "package a\n\nvar store = sessions.NewCookieStore([]byte(os.Getenv(\"SESSION_KEY\")))\n"),
    ("session/gorilla_random.go", "package a\n\nvar store = sessions.NewCookieStore(securecookie.GenerateRandomKey(32))\n"),
    ("session/gin_sample.go", "package a\n\nfunc f() {\n\tstore := cookie.NewStore([]byte(\"secret\"))\n}\n"),
    ("session/koa_env.js", "app.keys = [process.env.COOKIE_KEY];\n"),
    ("session/koa_doc.js", "app.keys = ['some secret hurr'];\n"),
    ("session/itsdangerous_config.py", "s = URLSafeTimedSerializer(app.config[\"SECRET_KEY\"])\n"),
    ("session/express_env.js", "app.use(session({ secret: process.env.SESSION_SECRET, resave: false }));\n"),
    ("session/express_doc.js", "app.use(session({ secret: 'keyboard cat', resave: false }));\n"),
    ("session/compose_ref.yml", "services:\n  app:\n    environment:\n      - SESSION_SECRET=${SESSION_SECRET}\n      - JWT_SECRET=${JWT_SECRET:?set it}\n"),
    ("session/compose_weak.yml", "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n"),
    ("session/spring_nested.yml", "spring:\n  datasource:\n    password: ${DB_PASSWORD:${SPRING_DATASOURCE_PASSWORD}}\n"),
    ("hmac/python_var.py", "sig = hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()\n"),
    ("hmac/node_env.js", "const sig = crypto.createHmac('sha256', process.env.WEBHOOK_SECRET).update(body).digest('hex');\n"),
    ("hmac/python_vector.py", "digest = hmac.new(b\"key\", b\"The quick brown fox jumps over the lazy dog\", hashlib.md5)\n"),
    ("hmac/go_name.go", "package a\n\nvar mac = hmac.New(sha256.New, []byte(\"WEBHOOK_SECRET\"))\n"),
    ("hmac/java_var.java", "class A {\n    void f() {\n        mac.init(new SecretKeySpec(key, \"HmacSHA256\"));\n    }\n}\n"),
    ("twilio/python_env.py", "client = Client(account_sid, os.environ[\"TWILIO_AUTH_TOKEN\"])\n"),
    ("twilio/node_placeholder.js", "const client = twilio('ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'your_auth_token');\n"),
    ("twilio/java_var.java", "class A {\n    void f() {\n        Twilio.init(ACCOUNT_SID, AUTH_TOKEN);\n    }\n}\n"),
    ("ai/openai_env.py", "client = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n"),
    ("ai/openai_placeholder.py", "client = OpenAI(api_key=\"sk-...\")\n"),
    ("ai/openai_placeholder.js", "const openai = new OpenAI({ apiKey: 'sk-your-api-key-here' });\n"),
    ("ai/anthropic_env.ts", "const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n"),
    ("ai/mistral_env.py", "client = Mistral(api_key=os.getenv(\"MISTRAL_API_KEY\"))\n"),
    ("fernet/generated.py", "f = Fernet(Fernet.generate_key())\n"),
    ("fernet/env.py", "f = Fernet(os.environ[\"FERNET_KEY\"].encode())\n"),
    ("db/sequelize_env.js", "const sequelize = new Sequelize('shop', 'app', process.env.DB_PASSWORD, { dialect: 'mysql' });\n"),
    ("db/sequelize_doc.js", "const sequelize = new Sequelize('database', 'username', 'password', { dialect: 'sqlite' });\n"),
    ("db/mysqldb_tutorial.py", "db = MySQLdb.connect(\"localhost\", \"testuser\", \"test123\", \"TESTDB\")\n"),
    ("db/jdbc_var.java", "class A {\n    Connection c = DriverManager.getConnection(url, user, password);\n}\n"),
    ("db/pdo_env.php", "<?php\n$pdo = new PDO($dsn, $user, getenv('DB_PASS'));\n"),
    ("db/sqlalchemy_env.py", "engine = create_engine(os.environ[\"DATABASE_URL\"])\n"),
    ("db/sqlalchemy_fstring.py", "engine = create_engine(f\"postgresql://{user}:{password}@{host}:5432/shop\")\n"),
    ("aws/boto3_env.py", "s3 = boto3.client('s3', aws_access_key_id=os.environ['AWS_ACCESS_KEY_ID'], aws_secret_access_key=os.environ['AWS_SECRET_ACCESS_KEY'])\n"),
    ("aws/java_doc.java", "class A {\n    BasicAWSCredentials c = new BasicAWSCredentials(\"AKIAIOSFODNN7EXAMPLE\", \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\");\n}\n"),
    ("github/pygithub_env.py", "g = Github(os.environ[\"GITHUB_TOKEN\"])\n"),
    ("github/octokit_env.js", "const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN });\n"),
    ("github/pygithub_doc.py", "g = Github(\"user\", \"password\")\n"),
    ("slack/bolt_env.js", "const app = new App({ token: process.env.SLACK_BOT_TOKEN, signingSecret: process.env.SLACK_SIGNING_SECRET });\n"),
];

#[test]
fn the_missions_families_are_found_in_every_sdk_call_shape_and_their_near_misses_are_not() {
    let mut f = Fake::new(0x6d15_5107);
    let mut files: Vec<(String, String)> = Vec::new();
    let mut expected: Vec<(&str, String, String)> = Vec::new();
    for (path, secret, template) in CALLS {
        let (text, value) = fill(&mut f, template, secret);
        files.push((path.to_string(), text.clone()));
        expected.push((*path, value, text));
    }
    for (path, text) in NEAR_MISSES {
        files.push((path.to_string(), text.to_string()));
    }
    let found = scan_files_by_path(&files);
    let missed: Vec<String> = expected
        .iter()
        .filter(|(path, value, _)| {
            !found
                .get(*path)
                .is_some_and(|v| v.iter().any(|(_, s)| s.contains(value.as_str())))
        })
        .map(|(path, _, text)| format!("{path}: {:?}\n{text}", found.get(*path)))
        .collect();
    let noisy: Vec<String> = NEAR_MISSES
        .iter()
        .filter_map(|(path, _)| found.get(*path).map(|v| format!("{path}: {v:?}")))
        .collect();
    assert!(
        missed.is_empty() && noisy.is_empty(),
        "call shapes missed ({} of {}):\n{}\nnear misses reported ({} of {}):\n{}",
        missed.len(),
        CALLS.len(),
        missed.join("\n"),
        noisy.len(),
        NEAR_MISSES.len(),
        noisy.join("\n")
    );
}

/// Each of this branch's rules finds its own call shapes: the matrix above holds the families, this
/// holds the rules (a shape found by another rule after a rule is dropped would hide the loss).
#[test]
fn each_call_rule_finds_its_calls() {
    let mut f = Fake::new(0x6d15_5108);
    let cases: &[(&str, &str, &str)] = &[
        (
            "jwt-hmac-key-literal",
            "a.java",
            "Algorithm algorithm = Algorithm.HMAC256(\"{S}\");\n",
        ),
        (
            "jwt-hmac-key-literal",
            "a.cs",
            "var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(\"{S}\"));\n",
        ),
        (
            "jwt-hmac-key-literal",
            "a.go",
            "package a\n\nfunc f() {\n\ts, _ := token.SignedString([]byte(\"{S}\"))\n}\n",
        ),
        (
            "jwt-hmac-key-literal",
            "a.rs",
            "let k = EncodingKey::from_secret(b\"{S}\");\n",
        ),
        (
            "jwt-hmac-key-literal",
            "b.php",
            "<?php\n$d = JWT::decode($jwt, new Key('{S}', 'HS256'));\n",
        ),
        (
            "jwt-sign-secret-literal",
            "a.php",
            "<?php\n$jwt = JWT::encode($payload, '{S}', 'HS256');\n",
        ),
        (
            "jwt-sign-secret-literal",
            "a.rb",
            "token = JWT.encode(payload, '{S}', 'HS256')\n",
        ),
        (
            "session-signing-key-literal",
            "b.go",
            "package a\n\nvar store = sessions.NewCookieStore([]byte(\"{S}\"))\n",
        ),
        (
            "session-signing-key-literal",
            "a.js",
            "app.keys = ['{S}'];\n",
        ),
        (
            "session-signing-key-literal",
            "a.py",
            "s = URLSafeTimedSerializer(\"{S}\")\n",
        ),
        (
            "byte-literal-secret-assignment",
            "c.go",
            "package a\n\nvar jwtKey = []byte(\"{S}\")\n",
        ),
        (
            "byte-literal-secret-assignment",
            "b.cs",
            "var key = Encoding.ASCII.GetBytes(\"{S}\");\n",
        ),
        (
            "hmac-key-literal",
            "b.js",
            "const s = crypto.createHmac('sha256', '{S}').update(b).digest('hex');\n",
        ),
        (
            "hmac-key-literal",
            "b.py",
            "sig = hmac.new(b\"{S}\", msg, hashlib.sha256)\n",
        ),
        (
            "sql-connect-positional-password",
            "c.js",
            "const s = new Sequelize('shop', 'app', '{P}', { dialect: 'mysql' });\n",
        ),
        (
            "sql-connect-positional-password",
            "c.py",
            "db = MySQLdb.connect(\"db.acme.io\", \"app\", \"{P}\", \"shop\")\n",
        ),
        (
            "github-client-credential-literal",
            "d.py",
            "g = Github(\"{GH40}\")\n",
        ),
        (
            "github-client-credential-literal",
            "d.js",
            "const o = new Octokit({ auth: '{GH40}' });\n",
        ),
        (
            "placeholder-default-secret",
            "application.yml",
            "jwt:\n  secret: ${JWT_SECRET:{S}}\n",
        ),
    ];
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for (rule, path, template) in cases {
        let secret = if template.contains("{P}") {
            "P"
        } else if template.contains("{GH40}") {
            "GH40"
        } else {
            "S"
        };
        let (text, value) = fill(&mut f, template, secret);
        files.push((path.to_string(), text));
        expected.push((*rule, *path, value));
    }
    let found = scan_files_by_path(&files);
    for (rule, path, value) in expected {
        assert!(
            found
                .get(path)
                .is_some_and(|v| v.iter().any(|(r, s)| r == rule && s == &value)),
            "{rule} in {path}: {:?}",
            found.get(path)
        );
    }
}

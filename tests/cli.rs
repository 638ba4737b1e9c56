//! `cargo platform-guard`, the real binary, on fixture manifests: every
//! output format parsed back and checked against the library's own
//! classification, `check`'s exit codes, `explain`, `doc` against the seed's
//! table, `doc --check`, and the errors.
#![cfg(feature = "cli")]

mod common;

use common::{fixture, rustc, rustc_target, scrub, text};
use std::path::{Path, PathBuf};

use std::process::{Command, Output};
use std::sync::OnceLock;

use platform_guard::{BuildDecision, BuildEnv, Level, Policy};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-platform-guard");

/// The fixture policy's override variable, removed (with
/// `common::GUARD_ENV`) from every process these tests spawn.
const FIXTURE_VARS: &[&str] = &["CLI_POLICY_UNSUPPORTED_ARCH"];

fn policy_manifest() -> String {
    fixture("cli-policy/Cargo.toml").display().to_string()
}

fn pg(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    scrub(&mut cmd, FIXTURE_VARS).envs(env.iter().copied());
    cmd.output().expect("cargo-platform-guard runs")
}

/// Runs and expects exit status `code`; returns stdout.
fn pg_status(args: &[&str], env: &[(&str, &str)], code: i32) -> (String, String) {
    let out = pg(args, env);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(code),
        "{:?}\nstdout:\n{}\nstderr:\n{}",
        args,
        stdout,
        stderr
    );
    (stdout, stderr)
}

fn target_list() -> Vec<String> {
    let out = Command::new(rustc())
        .args(["--print", "target-list"])
        .output()
        .expect("rustc runs");
    text(&out.stdout).lines().map(str::to_string).collect()
}

fn library_policy() -> Policy {
    Policy::from_manifest_path(&fixture("cli-policy/Cargo.toml")).unwrap()
}

/// Targets of several kinds: each level of the fixture policy, 32-bit,
/// x32, big-endian, no OS.
const SAMPLES: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-unknown-linux-gnu",
    "x86_64-unknown-freebsd",
    "i686-unknown-linux-gnu",
    "x86_64-unknown-linux-gnux32",
    "powerpc64-unknown-linux-gnu",
    "thumbv7em-none-eabihf",
    "wasm32-unknown-unknown",
];

// ---------------------------------------------------------------------------
// A small JSON reader, independent of the writer under test.

#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn parse(text: &str) -> Json {
        let mut p = JsonParser {
            s: text.as_bytes(),
            i: 0,
        };
        let v = p.value();
        p.ws();
        assert_eq!(p.i, p.s.len(), "trailing text after JSON: {}", text);
        v
    }

    fn get(&self, key: &str) -> &Json {
        match self {
            Json::Obj(fields) => {
                &fields
                    .iter()
                    .find(|(k, _)| k == key)
                    .unwrap_or_else(|| panic!("no field {:?} in {:?}", key, self))
                    .1
            }
            _ => panic!("not an object: {:?}", self),
        }
    }

    fn keys(&self) -> Vec<&str> {
        match self {
            Json::Obj(fields) => fields.iter().map(|(k, _)| k.as_str()).collect(),
            _ => panic!("not an object: {:?}", self),
        }
    }

    fn str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            Json::Null => None,
            _ => panic!("not a string or null: {:?}", self),
        }
    }

    fn array(&self) -> &[Json] {
        match self {
            Json::Arr(items) => items,
            _ => panic!("not an array: {:?}", self),
        }
    }
}

struct JsonParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && b" \t\r\n".contains(&self.s[self.i]) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) {
        self.ws();
        assert_eq!(
            self.s.get(self.i),
            Some(&b),
            "expected {:?} at byte {}",
            b as char,
            self.i
        );
        self.i += 1;
    }

    fn peek(&mut self) -> u8 {
        self.ws();
        *self.s.get(self.i).expect("unexpected end of JSON")
    }

    fn value(&mut self) -> Json {
        match self.peek() {
            b'{' => {
                self.eat(b'{');
                let mut fields = Vec::new();
                if self.peek() == b'}' {
                    self.i += 1;
                    return Json::Obj(fields);
                }
                loop {
                    let key = match self.value() {
                        Json::Str(k) => k,
                        other => panic!("object key {:?}", other),
                    };
                    self.eat(b':');
                    fields.push((key, self.value()));
                    match self.peek() {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Json::Obj(fields);
                        }
                        c => panic!("unexpected {:?} in object", c as char),
                    }
                }
            }
            b'[' => {
                self.eat(b'[');
                let mut items = Vec::new();
                if self.peek() == b']' {
                    self.i += 1;
                    return Json::Arr(items);
                }
                loop {
                    items.push(self.value());
                    match self.peek() {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Json::Arr(items);
                        }
                        c => panic!("unexpected {:?} in array", c as char),
                    }
                }
            }
            b'"' => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    let c = self.s[self.i];
                    self.i += 1;
                    match c {
                        b'"' => return Json::Str(out),
                        b'\\' => {
                            let e = self.s[self.i];
                            self.i += 1;
                            match e {
                                b'"' => out.push('"'),
                                b'\\' => out.push('\\'),
                                b'/' => out.push('/'),
                                b'n' => out.push('\n'),
                                b'r' => out.push('\r'),
                                b't' => out.push('\t'),
                                b'u' => {
                                    let hex =
                                        std::str::from_utf8(&self.s[self.i..self.i + 4]).unwrap();
                                    self.i += 4;
                                    out.push(
                                        char::from_u32(u32::from_str_radix(hex, 16).unwrap())
                                            .unwrap(),
                                    );
                                }
                                other => panic!("bad escape {:?}", other as char),
                            }
                        }
                        c if c < 0x20 => panic!("raw control character in a JSON string"),
                        _ => {
                            // Copy one UTF-8 sequence.
                            let start = self.i - 1;
                            let mut end = self.i;
                            while end < self.s.len() && (self.s[end] & 0xC0) == 0x80 {
                                end += 1;
                            }
                            out.push_str(std::str::from_utf8(&self.s[start..end]).unwrap());
                            self.i = end;
                        }
                    }
                }
            }
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'n' => self.word("null", Json::Null),
            _ => {
                let start = self.i;
                while self.i < self.s.len() && b"-+.eE0123456789".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let n = std::str::from_utf8(&self.s[start..self.i]).unwrap();
                Json::Num(n.parse().unwrap_or_else(|_| panic!("bad number {:?}", n)))
            }
        }
    }

    fn word(&mut self, w: &str, v: Json) -> Json {
        assert_eq!(&self.s[self.i..self.i + w.len()], w.as_bytes());
        self.i += w.len();
        v
    }
}

#[test]
fn the_json_reader_reads_json() {
    let v = Json::parse(r#" [ {"a": "x\"y\u00e9", "b": null, "c": 64, "d": [true, false]}, {} ] "#);
    let first = &v.array()[0];
    assert_eq!(first.get("a").str(), Some("x\"yé"));
    assert_eq!(first.get("b"), &Json::Null);
    assert_eq!(first.get("c"), &Json::Num(64.0));
    assert_eq!(v.array()[1], Json::Obj(vec![]));
}

// ---------------------------------------------------------------------------
// matrix

/// `matrix --format json` for the fixture policy, run once.
// The `cli` feature needs Rust 1.85 (the toml parser); the crate's
// rust-version, 1.63, is the core's.
#[clippy::msrv = "1.85"]
fn json_matrix() -> &'static Vec<Json> {
    static ROWS: OnceLock<Vec<Json>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let m = policy_manifest();
        let (out, _) = pg_status(
            &["matrix", "--manifest-path", &m, "--format", "json"],
            &[],
            0,
        );
        // One object per line, inside one JSON array.
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.first(), Some(&"["));
        assert_eq!(lines.last(), Some(&"]"));
        for line in &lines[1..lines.len() - 1] {
            assert!(line.trim_start().starts_with("{\"target\": "), "{}", line);
        }
        Json::parse(&out).array().to_vec()
    })
}

fn json_row<'a>(rows: &'a [Json], target: &str) -> &'a Json {
    rows.iter()
        .find(|r| r.get("target").str() == Some(target))
        .unwrap_or_else(|| panic!("no row for {}", target))
}

fn build_word(policy: &Policy, triple: &str) -> &'static str {
    let verdict = policy.classify(&rustc_target(triple));
    let empty: [(&str, &str); 0] = [];
    match policy
        .build_decision(&verdict, &BuildEnv::from_vars(empty))
        .unwrap()
    {
        BuildDecision::Allowed => "allowed",
        BuildDecision::Lifted { .. } => "lifted",
        _ => "denied",
    }
}

#[test]
fn json_has_one_object_per_target_with_the_documented_fields() {
    let rows = json_matrix();
    let targets = target_list();
    let listed: Vec<&str> = rows
        .iter()
        .map(|r| r.get("target").str().unwrap())
        .collect();
    assert_eq!(
        listed,
        targets.iter().map(String::as_str).collect::<Vec<_>>()
    );
    for row in rows {
        assert_eq!(
            row.keys(),
            [
                "target",
                "arch",
                "os",
                "pointer_width",
                "endian",
                "level",
                "rule",
                "maintainers",
                "override_var",
                "override_value",
                "build"
            ]
        );
        row.get("level").str().unwrap().parse::<Level>().unwrap();
        assert!(matches!(
            row.get("build").str(),
            Some("allowed" | "lifted" | "denied")
        ));
        assert!(matches!(
            row.get("pointer_width"),
            Json::Num(_) | Json::Null
        ));
    }
}

#[test]
fn json_agrees_with_the_librarys_classification() {
    let rows = json_matrix();
    let policy = library_policy();
    for triple in SAMPLES {
        let cfg = rustc_target(triple);
        let v = policy.classify(&cfg);
        let row = json_row(rows, triple);
        assert_eq!(row.get("arch").str(), Some(cfg.arch()), "{}", triple);
        assert_eq!(row.get("os").str(), cfg.os(), "{}", triple);
        assert_eq!(
            row.get("pointer_width"),
            &Json::Num(cfg.pointer_width().unwrap().parse().unwrap()),
            "{}",
            triple
        );
        assert_eq!(
            row.get("endian").str(),
            cfg.value("target_endian"),
            "{}",
            triple
        );
        assert_eq!(
            row.get("level").str(),
            Some(v.level().as_str()),
            "{}",
            triple
        );
        assert_eq!(row.get("rule").str(), v.rule(), "{}", triple);
        let maintainers = policy
            .rules()
            .iter()
            .find(|r| Some(r.cfg().to_string().as_str()) == v.rule())
            .and_then(|r| r.maintainers());
        assert_eq!(row.get("maintainers").str(), maintainers, "{}", triple);
        assert_eq!(row.get("override_var").str(), Some(v.override_var()));
        assert_eq!(
            row.get("override_value").str(),
            Some(v.override_value()),
            "{}",
            triple
        );
        assert_eq!(
            row.get("build").str(),
            Some(build_word(&policy, triple)),
            "{}",
            triple
        );
    }
    // The samples cover every level of the fixture policy, and a denial.
    let levels: Vec<&str> = SAMPLES
        .iter()
        .map(|t| json_row(rows, t).get("level").str().unwrap())
        .collect();
    for level in Level::ALL {
        assert!(levels.contains(&level.as_str()), "{:?}", levels);
    }
    assert_eq!(
        json_row(rows, "i686-unknown-linux-gnu").get("build").str(),
        Some("denied")
    );
}

#[test]
fn table_format_agrees_with_json() {
    let m = policy_manifest();
    let (out, err) = pg_status(&["matrix", "--manifest-path", &m], &[], 0);
    // stderr is a pipe here, not a terminal: no progress output.
    assert_eq!(err, "");
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["TARGET", "ARCH", "OS", "WIDTH", "LEVEL", "RULE"]);
    // Columns are aligned: the rule column starts at the same place on
    // every line.
    let rule_at = out.lines().next().unwrap().find("RULE").unwrap();
    let rows = json_matrix();
    assert_eq!(out.lines().count(), rows.len() + 1);
    for (line, row) in out.lines().skip(1).zip(rows) {
        let (cells, rule) = line.split_at(rule_at);
        let cells: Vec<&str> = cells.split_whitespace().collect();
        let json_cells = [
            row.get("target").str().unwrap().to_string(),
            row.get("arch").str().unwrap().to_string(),
            row.get("os").str().unwrap_or("-").to_string(),
            match row.get("pointer_width") {
                Json::Num(n) => n.to_string(),
                _ => "-".to_string(),
            },
            row.get("level").str().unwrap().to_string(),
        ];
        assert_eq!(cells, json_cells, "{}", line);
        assert_eq!(rule, row.get("rule").str().unwrap_or("-"), "{}", line);
    }
}

#[test]
fn markdown_format_agrees_with_json_and_filters_levels() {
    let m = policy_manifest();
    let (out, _) = pg_status(
        &[
            "matrix",
            "--manifest-path",
            &m,
            "--format",
            "markdown",
            "--level",
            "stable,unstable",
        ],
        &[],
        0,
    );
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("| Target | Arch | OS | Pointer width | Level | Rule |")
    );
    assert_eq!(lines.next(), Some("|---|---|---|---|---|---|"));
    let expected: Vec<&Json> = json_matrix()
        .iter()
        .filter(|r| matches!(r.get("level").str(), Some("stable" | "unstable")))
        .collect();
    let got: Vec<&str> = lines.collect();
    assert_eq!(got.len(), expected.len());
    assert!(!expected.is_empty());
    for (line, row) in got.iter().zip(expected) {
        let cells: Vec<&str> = line
            .strip_prefix("| ")
            .and_then(|l| l.strip_suffix(" |"))
            .unwrap()
            .split(" | ")
            .collect();
        assert_eq!(cells.len(), 6, "{}", line);
        assert_eq!(cells[0], format!("`{}`", row.get("target").str().unwrap()));
        assert_eq!(cells[1], row.get("arch").str().unwrap());
        assert_eq!(cells[2], row.get("os").str().unwrap_or(""));
        assert_eq!(cells[4], row.get("level").str().unwrap());
        assert_eq!(
            cells[5],
            row.get("rule")
                .str()
                .map_or("no rule matched".to_string(), |r| format!("`{}`", r))
        );
    }
}

#[test]
fn github_format_is_an_include_matrix_of_the_allowed_targets() {
    let m = policy_manifest();
    let (out, _) = pg_status(
        &["matrix", "--manifest-path", &m, "--format", "github"],
        &[],
        0,
    );
    assert_eq!(out.lines().count(), 1, "one line, for $GITHUB_OUTPUT");
    let v = Json::parse(&out);
    assert_eq!(v.keys(), ["include"]);
    let include = v.get("include").array();
    let allowed: Vec<&Json> = json_matrix()
        .iter()
        .filter(|r| r.get("build").str() != Some("denied"))
        .collect();
    assert_eq!(include.len(), allowed.len());
    // The fixture denies unsupported targets: only the other levels remain.
    assert!(!include.is_empty());
    for (entry, row) in include.iter().zip(allowed) {
        assert_eq!(entry.keys(), ["target", "arch", "os", "level"]);
        for key in ["target", "arch", "os", "level"] {
            assert_eq!(entry.get(key), row.get(key));
        }
        assert_ne!(entry.get("level").str(), Some("unsupported"));
    }

    // PLATFORM_GUARD_DENY narrows it as it would narrow the builds.
    let (out, _) = pg_status(
        &[
            "matrix",
            "--manifest-path",
            &m,
            "--format",
            "github",
            "--level",
            "stable,experimental",
        ],
        &[("PLATFORM_GUARD_DENY", "experimental")],
        0,
    );
    let narrowed = Json::parse(&out);
    let levels: Vec<Option<&str>> = narrowed
        .get("include")
        .array()
        .iter()
        .map(|e| e.get("level").str())
        .collect();
    assert!(!levels.is_empty());
    assert!(levels.iter().all(|l| *l == Some("stable")), "{}", out);
}

#[test]
fn works_as_a_cargo_subcommand_and_with_a_preset() {
    // `cargo platform-guard ...` runs the binary with "platform-guard" first.
    let explain = [
        "explain",
        "--preset",
        "etcd",
        "--target",
        "powerpc64le-unknown-linux-gnu",
    ];
    let (via_cargo, _) = pg_status(&[&["platform-guard"][..], &explain].concat(), &[], 0);
    let (direct, _) = pg_status(&explain, &[], 0);
    assert_eq!(via_cargo, direct);
    assert!(direct.contains("verdict: stable"), "{}", direct);
    let (direct, _) = pg_status(
        &[
            "platform-guard",
            "matrix",
            "--preset",
            "etcd",
            "--format=github",
            "--level=stable,experimental",
        ],
        &[],
        0,
    );
    let etcd = Policy::etcd();
    let include = Json::parse(&direct);
    let listed: Vec<&str> = include
        .get("include")
        .array()
        .iter()
        .map(|e| e.get("target").str().unwrap())
        .collect();
    for triple in [
        "x86_64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "powerpc64le-unknown-linux-gnu",
    ] {
        assert!(listed.contains(&triple), "{:?}", listed);
        assert!(etcd.classify(&rustc_target(triple)).level() <= Level::Experimental);
    }
    for triple in ["aarch64-apple-darwin", "x86_64-unknown-linux-gnux32"] {
        assert!(!listed.contains(&triple), "{:?}", listed);
    }
}

// ---------------------------------------------------------------------------
// check

#[test]
fn check_exit_codes_and_one_line_per_target() {
    let m = policy_manifest();
    let base = ["check", "--manifest-path", m.as_str()];
    fn with<'a>(base: &[&'a str], targets: &[&'a str]) -> Vec<&'a str> {
        let mut args: Vec<&str> = base.to_vec();
        for t in targets {
            args.push("--target");
            args.push(t);
        }
        args
    }
    let with = |targets: &[&'static str]| with(&base, targets);

    let (out, _) = pg_status(
        &with(&["x86_64-unknown-linux-gnu", "x86_64-unknown-freebsd"]),
        &[],
        0,
    );
    assert_eq!(
        out,
        "x86_64-unknown-linux-gnu: allowed: stable (rule `all(target_arch = \"x86_64\", \
         target_pointer_width = \"64\", any(target_os = \"linux\", target_os = \"macos\"))`)\n\
         x86_64-unknown-freebsd: allowed: unstable (rule `all(target_pointer_width = \"64\", \
         target_os = \"freebsd\")`)\n"
    );

    let (out, _) = pg_status(
        &with(&["x86_64-unknown-linux-gnu", "i686-unknown-linux-gnu"]),
        &[],
        1,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("x86_64-unknown-linux-gnu: allowed: stable"));
    assert_eq!(
        lines[1],
        "i686-unknown-linux-gnu: denied: building for unsupported target i686-unknown-linux-gnu \
         (no rule matched) is denied by this crate's policy (deny unsupported and worse); set \
         CLI_POLICY_UNSUPPORTED_ARCH=x86 to build anyway"
    );

    // The override variable lifts the denial, as in a build.
    let (out, _) = pg_status(
        &with(&["i686-unknown-linux-gnu"]),
        &[("CLI_POLICY_UNSUPPORTED_ARCH", "x86")],
        0,
    );
    assert_eq!(
        out,
        "i686-unknown-linux-gnu: allowed, denial lifted: the denial of unsupported target \
         i686-unknown-linux-gnu by this crate's policy (deny unsupported and worse) is lifted \
         because CLI_POLICY_UNSUPPORTED_ARCH=x86 is set\n"
    );
    // A wrong value does not.
    let (out, _) = pg_status(
        &with(&["i686-unknown-linux-gnu"]),
        &[("CLI_POLICY_UNSUPPORTED_ARCH", "i686")],
        1,
    );
    assert!(out.ends_with(
        "CLI_POLICY_UNSUPPORTED_ARCH is \"i686\", but it must be exactly \"x86\" to build \
         anyway\n"
    ));

    // PLATFORM_GUARD_DENY adds to the policy, and --deny too.
    pg_status(
        &with(&["aarch64-unknown-linux-gnu"]),
        &[("PLATFORM_GUARD_DENY", "experimental")],
        1,
    );
    let mut args = with(&["aarch64-unknown-linux-gnu"]);
    args.extend(["--deny", "experimental"]);
    let (out, _) = pg_status(&args, &[], 1);
    assert!(out.contains("(deny experimental and worse)"), "{}", out);
    pg_status(&with(&["aarch64-unknown-linux-gnu"]), &[], 0);

    // Usage and policy errors: 2.
    let (_, err) = pg_status(
        &with(&["i686-unknown-linux-gnu"]),
        &[("PLATFORM_GUARD_DENY", "32bit")],
        2,
    );
    assert!(
        err.contains("PLATFORM_GUARD_DENY: unknown support level \"32bit\""),
        "{}",
        err
    );
    let (_, err) = pg_status(&base, &[], 2);
    assert!(
        err.contains("check needs at least one --target <TRIPLE>"),
        "{}",
        err
    );
    let bad = fixture("manifest-mistakes/unknown-level.toml");
    let (_, err) = pg_status(
        &[
            "check",
            "--manifest-path",
            bad.to_str().unwrap(),
            "--target",
            "x86_64-unknown-linux-gnu",
        ],
        &[],
        2,
    );
    assert_eq!(
        err,
        format!(
            "cargo-platform-guard: error: {}:10:13: package.metadata.platform-guard.rules[2].level: \
             unknown support level \"Stable\": expected one of stable, experimental, unstable, \
             unsupported (lowercase)\n",
            bad.display()
        )
    );
}

#[test]
fn an_unknown_target_gets_the_nearest_names() {
    let (out, err) = pg_status(
        &[
            "check",
            "--preset",
            "etcd",
            "--target",
            "x86_64-unknown-linux-gun",
        ],
        &[],
        2,
    );
    assert_eq!(out, "");
    assert!(
        err.starts_with(
            "cargo-platform-guard: error: unknown target \"x86_64-unknown-linux-gun\": rustc \
             does not list it in `--print target-list`; did you mean x86_64-unknown-linux-gnu"
        ),
        "{}",
        err
    );
    let (_, err) = pg_status(
        &[
            "explain",
            "--preset",
            "etcd",
            "--target",
            "powerpc64le-linux",
        ],
        &[],
        2,
    );
    assert!(
        err.contains("did you mean") && err.contains("powerpc64le-unknown-linux-"),
        "{}",
        err
    );
}

#[test]
fn a_missing_or_failing_rustc_is_named() {
    let (_, err) = pg_status(
        &["matrix", "--preset", "etcd"],
        &[("RUSTC", "/nonexistent/rustc")],
        2,
    );
    assert!(
        err.starts_with(
            "cargo-platform-guard: error: cannot run `/nonexistent/rustc --print target-list`: "
        ),
        "{}",
        err
    );
    if Path::new("/bin/false").exists() {
        let (_, err) = pg_status(
            &[
                "check",
                "--preset",
                "etcd",
                "--target",
                "x86_64-unknown-linux-gnu",
            ],
            &[("RUSTC", "/bin/false")],
            2,
        );
        assert!(
            err.starts_with("cargo-platform-guard: error: `/bin/false --print target-list` failed"),
            "{}",
            err
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for (args, message) in [
        (&["frobnicate"][..], "unknown command \"frobnicate\""),
        (&[][..], "no command given"),
        (
            &["matrix", "--preset", "etcd", "--format", "xml"][..],
            "unknown format \"xml\"",
        ),
        (&["matrix", "--preset", "bsd"][..], "unknown preset \"bsd\""),
        (
            &["matrix", "--preset", "etcd", "--level", "beta"][..],
            "--level: unknown support level \"beta\"",
        ),
        (
            &["matrix", "--preset", "etcd", "--target", "x"][..],
            "option --target does not apply",
        ),
        (
            &["doc", "--preset", "etcd", "--manifest-path", "Cargo.toml"][..],
            "give one",
        ),
        (
            &["explain", "--preset", "etcd"][..],
            "explain needs exactly one --target",
        ),
        (&["matrix", "--bogus"][..], "unknown option \"--bogus\""),
        (&["matrix", "--format"][..], "option --format needs a value"),
    ] {
        let (_, err) = pg_status(args, &[], 2);
        assert!(err.contains(message), "{:?}: {}", args, err);
    }
    // No policy named and no ./Cargo.toml.
    let empty = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-empty-dir");
    std::fs::create_dir_all(&empty).unwrap();
    let out = Command::new(BIN)
        .args(["doc"])
        .current_dir(&empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "cargo-platform-guard: error: no Cargo.toml in the current directory: expected \
         --manifest-path <PATH> (a Cargo.toml with a [package.metadata.platform-guard] table) or \
         --preset etcd|default\n"
    );
    let (out, _) = pg_status(&["--help"], &[], 0);
    assert!(out.contains("Usage: cargo platform-guard <COMMAND> [OPTIONS]"));
}

// ---------------------------------------------------------------------------
// explain

#[test]
fn explain_shows_cfg_rules_verdict_and_override() {
    let m = policy_manifest();
    let (out, _) = pg_status(
        &[
            "explain",
            "--manifest-path",
            &m,
            "--target",
            "x86_64-apple-darwin",
        ],
        &[],
        0,
    );
    for line in [
        "target: x86_64-apple-darwin",
        "  target_arch = \"x86_64\"",
        "  target_os = \"macos\"",
        "  target_pointer_width = \"64\"",
        "  1. stable `all(target_arch = \"x86_64\", target_pointer_width = \"64\", any(target_os = \
         \"linux\", target_os = \"macos\"))`: matched yes (first match)",
        "  2. experimental `all(target_arch = \"aarch64\", target_os = \"linux\")`: matched no",
        "  3. unstable `all(target_pointer_width = \"64\", target_os = \"freebsd\")`: matched no",
        "verdict: stable (rule `all(target_arch = \"x86_64\", target_pointer_width = \"64\", \
         any(target_os = \"linux\", target_os = \"macos\"))`)",
        "run: runs",
        "build: allowed",
        "override: CLI_POLICY_UNSUPPORTED_ARCH=x86_64 (exactly this value lifts a refusal or a \
         denial)",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {:?} in\n{}", line, out);
    }
    let (out, _) = pg_status(
        &[
            "explain",
            "--preset",
            "etcd",
            "--target",
            "i686-unknown-linux-gnu",
        ],
        &[],
        0,
    );
    assert!(out.contains("  target_pointer_width = \"32\"\n"), "{}", out);
    assert_eq!(out.matches(": matched no\n").count(), 3, "{}", out);
    assert!(
        out.contains("verdict: unsupported (no rule matched)\n"),
        "{}",
        out
    );
    assert!(
        out.contains("run: refuses to start unless ETCD_UNSUPPORTED_ARCH=386 is set\n"),
        "{}",
        out
    );
    assert!(
        out.contains("override: ETCD_UNSUPPORTED_ARCH=386 "),
        "{}",
        out
    );
}

// ---------------------------------------------------------------------------
// doc

/// The rows of the page's first table.
fn support_table(page: &str) -> Vec<Vec<String>> {
    let start = page
        .find("| Architecture | Operating system | Status | Maintainers |\n|---|---|---|---|\n")
        .expect("the support table");
    page[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn doc_for_the_etcd_preset_has_the_seeds_table_row_for_row() {
    let (page, _) = pg_status(&["doc", "--preset", "etcd"], &[], 0);
    // The seed (etcd v3.3 "Supported systems"), row for row.
    let seed = [
        ["amd64", "Darwin", "Experimental", "etcd maintainers"],
        ["amd64", "Linux", "Stable", "etcd maintainers"],
        ["ppc64le", "Linux", "Stable", "etcd maintainers, @mkumatag"],
    ];
    assert_eq!(
        support_table(&page),
        seed.map(|r| r.map(String::from).to_vec())
    );
    for part in [
        "# Supported systems\n",
        "The following table lists etcd support status for common architectures and operating \
         systems:",
        Level::Experimental.definition(),
        Level::Unstable.definition(),
        "Unlisted architecture and operating system pairs are currently unsupported; caveat \
         emptor.",
        "## Supporting a new system platform",
        "1. An \"official\" maintainer for the platform",
        "2. Set up CI for build; etcd must compile.",
        "3. Set up CI for running unit tests; etcd must pass simple tests.",
        "4. Set up CI for running integration tests; etcd must pass intensive tests.",
        "5. (Optional)",
        "## 32-bit and other unsupported systems",
        "etcd has known issues on 32-bit systems",
        "will print a warning message and immediately exit if the environment variable \
         `ETCD_UNSUPPORTED_ARCH` is not set to the target architecture.",
        "| x86 (32-bit) | `386` |",
        "| aarch64 (64-bit ARM) | `arm64` |",
        "Currently amd64 and ppc64le architectures are officially supported by etcd.",
    ] {
        assert!(page.contains(part), "missing {:?} in\n{}", part, page);
    }
}

#[test]
fn doc_for_a_manifest_policy_derives_names_from_its_rules() {
    let m = policy_manifest();
    let (page, _) = pg_status(&["doc", "--manifest-path", &m], &[], 0);
    let rows = [
        ["x86_64", "Linux", "Stable", "core team, @alice"],
        ["x86_64", "macOS", "Stable", "core team, @alice"],
        ["aarch64", "Linux", "Experimental", "@bob"],
        ["any 64-bit", "FreeBSD", "Unstable", "(none named)"],
    ];
    assert_eq!(
        support_table(&page),
        rows.map(|r| r.map(String::from).to_vec())
    );
    for part in [
        "lists cli-policy support status",
        "Big-endian targets are not tested.",
        "`CLI_POLICY_UNSUPPORTED_ARCH`",
        "in Rust's `target_arch` naming",
        "| x86 (32-bit) | `x86` |",
        "3. `all(target_pointer_width = \"64\", target_os = \"freebsd\")`: unstable; built, never \
         tested",
        "Builds for unsupported targets and worse fail unless CLI_POLICY_UNSUPPORTED_ARCH is set",
        "Currently the x86_64 architecture is officially supported by cli-policy.",
    ] {
        assert!(page.contains(part), "missing {:?} in\n{}", part, page);
    }
    let (named, _) = pg_status(&["doc", "--manifest-path", &m, "--name", "Acme"], &[], 0);
    assert!(named.contains("lists Acme support status"));
}

#[test]
fn doc_check_catches_a_changed_line() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-doc-check");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("SUPPORTED.md");
    let f = file.to_str().unwrap();
    let (page, _) = pg_status(&["doc", "--preset", "etcd"], &[], 0);
    std::fs::write(&file, &page).unwrap();
    let (out, _) = pg_status(&["doc", "--preset", "etcd", "--check", f], &[], 0);
    assert_eq!(out, format!("{} is up to date with the policy\n", f));

    // Someone promotes amd64 Darwin by hand: the page no longer matches.
    let edited = page.replace(
        "| amd64 | Darwin | Experimental |",
        "| amd64 | Darwin | Stable |",
    );
    assert_ne!(edited, page);
    std::fs::write(&file, &edited).unwrap();
    let line = page
        .lines()
        .position(|l| l.starts_with("| amd64 | Darwin"))
        .unwrap()
        + 1;
    let (out, _) = pg_status(&["doc", "--preset", "etcd", "--check", f], &[], 1);
    assert_eq!(
        out,
        format!(
            "{f}:{line}: differs from the page the policy generates\n  in the file: \"| amd64 | \
             Darwin | Stable | etcd maintainers |\"\n  generated:   \"| amd64 | Darwin | \
             Experimental | etcd maintainers |\"\nregenerate it with: cargo platform-guard doc > \
             {f}\n",
            f = f,
            line = line
        )
    );
    // A page for another policy differs too; a missing file is an error.
    std::fs::write(&file, &page).unwrap();
    pg_status(
        &["doc", "--manifest-path", &policy_manifest(), "--check", f],
        &[],
        1,
    );
    let missing = dir.join("missing.md");
    let (_, err) = pg_status(
        &[
            "doc",
            "--preset",
            "etcd",
            "--check",
            missing.to_str().unwrap(),
        ],
        &[],
        2,
    );
    assert!(err.contains("cannot read"), "{}", err);
}

/// With stderr on a terminal (a pseudo-terminal from util-linux `script`),
/// `matrix` shows its progress there, then clears the line.
#[cfg(target_os = "linux")]
#[test]
fn matrix_shows_progress_on_a_terminal() {
    // Debian's bsdutils (Essential) ships it.
    assert!(
        Path::new("/usr/bin/script").exists(),
        "this test needs /usr/bin/script (util-linux; Debian package bsdutils)"
    );
    let command = format!(
        "'{}' matrix --preset etcd --format github --level stable >/dev/null",
        BIN
    );
    let mut cmd = Command::new("/usr/bin/script");
    cmd.args(["-qec", &command, "/dev/null"]);
    scrub(&mut cmd, FIXTURE_VARS);
    let out = cmd.output().expect("script runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let terminal = text(&out.stdout);
    let total = target_list().len();
    assert!(
        terminal.contains(&format!(
            "\rplatform-guard: asked rustc about {}/{} targets",
            total, total
        )),
        "{:?}",
        terminal
    );
    assert!(terminal.ends_with("\r\x1b[2K"), "{:?}", terminal);
}

/// `$RUSTC` is run as given, as Cargo runs it: every call goes through it.
#[cfg(unix)]
#[test]
fn rustc_from_the_environment_is_used_as_given() {
    use std::os::unix::fs::PermissionsExt;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-rustc-wrapper");
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("calls.log");
    let _ = std::fs::remove_file(&log);
    let real = Command::new(rustc())
        .args(["--print", "sysroot"])
        .output()
        .unwrap();
    let real = Path::new(text(&real.stdout).trim()).join("bin/rustc");
    let wrapper = dir.join("rustc-wrapper");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (out, _) = pg_status(
        &[
            "check",
            "--preset",
            "etcd",
            "--target",
            "x86_64-unknown-linux-gnu",
        ],
        &[("RUSTC", wrapper.to_str().unwrap())],
        0,
    );
    assert!(out.starts_with("x86_64-unknown-linux-gnu: allowed: stable"));
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "--print target-list\n--print cfg --target x86_64-unknown-linux-gnu\n"
    );
}

//! Zero-setup mode: classifies the target this crate is compiled for with
//! the default policy, so `enforce!()` works in a crate that has no build
//! script of its own, and notes whether `PLATFORM_GUARD_DENY` denies such a
//! crate's build, or is not a level (the macros then refuse to compile in
//! it, unless its `<PACKAGE>_UNSUPPORTED_ARCH` lifts the denial). Std-only
//! and small: it evaluates the default policy by hand (platform-guard-core's
//! `src/zero_setup.rs`, proven equal to the engine by a test; `build/` links
//! to it and to the CPU table, which the package holds as files) instead of
//! compiling the policy engine, and it
//! runs no compiler (the `platform_support` cfg is declared for check-cfg
//! in Cargo.toml's `[lints.rust]` table instead).
//!
//! It also turns the CPU gate on (the `platform_guard_cpu_gate` cfg) when
//! the target features of the compile exceed the baseline on x86_64 or
//! aarch64 Linux; the crate assembles the gate itself (`src/gate/mod.rs`).
//!
//! Every zero-setup build compiles this script before the crate itself, so
//! it is written to compile fast: plain loops and `push_str` into one
//! `String`, no `format!`, no `Result` plumbing (a mistake ends the script
//! with its message), no derived or implemented traits.

#[path = "build/cpu_table.rs"]
#[allow(dead_code)]
mod table;
#[path = "build/zero_setup.rs"]
#[allow(dead_code)]
mod zero_setup;

use std::ffi::OsString;

use zero_setup::{LEVELS, NO_MATCH, RULES, VAR_SUFFIX};

fn main() {
    let target = cargo("TARGET");
    let arch = cargo("CARGO_CFG_TARGET_ARCH");
    let os = cargo("CARGO_CFG_TARGET_OS");
    let width = cargo("CARGO_CFG_TARGET_POINTER_WIDTH");
    let out_dir = cargo("OUT_DIR");
    let rule = zero_setup::classify(&arch, &os, &width);
    let (level, rule_index) = match rule {
        Some(i) => (RULES[i].level, ["0", "1"][i]),
        None => (NO_MATCH, ""),
    };
    // `cargo:` (not `cargo::`): this package's rust-version is below 1.77.
    let mut out = String::new();
    push(
        &mut out,
        &["cargo:rustc-cfg=platform_support=\"", level, "\"\n"],
    );
    push(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_TARGET=", &target, "\n"],
    );
    push(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_RULE=", rule_index, "\n"],
    );
    push(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_VALUE=", &arch, "\n"],
    );
    out.push_str(
        "cargo:rerun-if-changed=build.rs\n\
         cargo:rerun-if-env-changed=PLATFORM_GUARD_DENY\n\
         cargo:rerun-if-env-changed=DOCS_RS\n\
         cargo:rerun-if-env-changed=RUSTFLAGS\n\
         cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS\n",
    );
    // PLATFORM_GUARD_DENY as given (escaped as Rust writes a string), when it
    // is not a level: the macros of a crate without its own guard report it
    // where they expand (a crate with one reports it from its own build
    // script), so it is carried, not refused here.
    let mut deny = "";
    let mut bad_deny = String::new();
    if let Some(value) = var("PLATFORM_GUARD_DENY") {
        let value = value.to_string_lossy();
        let i = rank(&value);
        if i < LEVELS.len() {
            deny = LEVELS[i];
        } else {
            bad_deny.push('=');
            escape(&mut bad_deny, &value);
        }
    }
    // `Lift<N>::NOTE` for the N-th variable that lifts the denial:
    // deprecated with the warning a build script gives for a lifted denial,
    // so the compile of the crate whose own variable it is prints it.
    let mut notes = String::from("impl Lift<0> {\n    pub const NOTE: () = ();\n}\n");
    let mut lifts = String::new();
    let mut denied_by = "";
    if !deny.is_empty() && rank(level) >= rank(deny) && var("DOCS_RS").is_none() {
        // Which crates' variables lift the denial is decided where the
        // macros expand (this script does not know its dependents): every
        // `*_UNSUPPORTED_ARCH` that holds the exact value is noted, and while
        // the denial stands this script reruns on every build (a file that
        // never exists), so a variable set later is seen.
        denied_by = deny;
        let mut n = 0;
        for (name, value) in every_var() {
            let name = match name.to_str() {
                Some(name) if is_override_var(name) => name,
                _ => continue,
            };
            push(&mut out, &["cargo:rerun-if-env-changed=", name, "\n"]);
            if value.to_str() != Some(arch.as_str()) {
                continue;
            }
            n += 1;
            if n > 1 {
                lifts.push(',');
            }
            lifts.push_str(name);
            notes.push_str("impl Lift<");
            number(&mut notes, n);
            notes.push_str("> {\n    #[deprecated(note = \"");
            let note = join(&[
                "platform-guard: the denial of ",
                level,
                " target ",
                &target,
                " by PLATFORM_GUARD_DENY=",
                deny,
                " is lifted because ",
                name,
                "=",
                &arch,
                " is set",
            ]);
            escape(&mut notes, &note);
            notes.push_str("\")]\n    pub const NOTE: () = ();\n}\n");
        }
        push(
            &mut out,
            &[
                "cargo:rerun-if-changed=",
                &out_dir,
                "/platform-guard-denial-stands\n",
            ],
        );
    }
    cpu_gate(&mut out, &arch, &out_dir);
    let file = join(&[&out_dir, "/lifts.rs"]);
    if let Err(e) = std::fs::write(&file, notes) {
        fail(&format!("cannot write {}: {}", file, e));
    }
    push(
        &mut out,
        &[
            "cargo:rustc-env=PLATFORM_GUARD_OWN_DENIED_BY=",
            denied_by,
            "\n",
        ],
    );
    push(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_LIFTS=", &lifts, "\n"],
    );
    push(
        &mut out,
        &[
            "cargo:rustc-env=PLATFORM_GUARD_OWN_BAD_DENY=",
            &bad_deny,
            "\n",
        ],
    );
    // `print!`: std's own precompiled writer (a broken stdout panics).
    print!("{}", out);
}

/// Turns the CPU gate (`src/gate/mod.rs`) on when the target features of
/// this compile (`CARGO_CFG_TARGET_FEATURE`) exceed the baseline on a
/// target the gate knows: x86_64 or aarch64 Linux with glibc or musl and
/// 64-bit pointers (as `cpu::GATE_TARGET` in the crate). The crate
/// assembles the gate itself, for the features of its own compile; this
/// script sets the `platform_guard_cpu_gate` cfg and names the gate's
/// symbols after this build of the crate.
fn cpu_gate(out: &mut String, arch: &str, out_dir: &str) {
    let env = text("CARGO_CFG_TARGET_ENV");
    if text("CARGO_CFG_TARGET_OS") != "linux"
        || text("CARGO_CFG_TARGET_POINTER_WIDTH") != "64"
        || (env != "gnu" && env != "musl")
    {
        return;
    }
    let features = match table::table(arch) {
        Some(features) => features,
        None => return,
    };
    let tested = table::tested(arch);
    let mut beyond = false;
    let assumed = text("CARGO_CFG_TARGET_FEATURE");
    let mut rest = assumed.as_str();
    while !rest.is_empty() {
        let (name, more) = match rest.find(',') {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, ""),
        };
        if let Some(i) = table::index(features, name) {
            beyond |= tested & 1 << i != 0;
        }
        rest = more;
    }
    if !beyond {
        return;
    }
    // Symbols unique to this build of the crate: FNV-1a of its OUT_DIR.
    let mut id = 0xcbf2_9ce4_8422_2325u64;
    for b in out_dir.bytes() {
        id = (id ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    out.push_str("cargo:rustc-cfg=platform_guard_cpu_gate\ncargo:rustc-env=PLATFORM_GUARD_CPU_ID=");
    for shift in (0..16).rev() {
        out.push(char::from(
            b"0123456789abcdef"[(id >> (shift * 4)) as usize & 15],
        ));
    }
    out.push('\n');
}

/// Appends `parts`.
fn push(out: &mut String, parts: &[&str]) {
    for part in parts {
        out.push_str(part);
    }
}

/// `parts` joined.
fn join(parts: &[&str]) -> String {
    let mut s = String::new();
    push(&mut s, parts);
    s
}

/// Appends `n` in decimal.
fn number(out: &mut String, n: usize) {
    if n >= 10 {
        number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Appends `text` as Rust writes it between the quotes of a string.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str("\\u{");
                let mut started = false;
                for shift in (0..6).rev() {
                    let digit = (c as u32 >> (shift * 4)) & 15;
                    if digit != 0 || started || shift == 0 {
                        started = true;
                        out.push(char::from(b"0123456789abcdef"[digit as usize]));
                    }
                }
                out.push('}');
            }
            c => out.push(c),
        }
    }
}

/// Ends the script with `message`.
fn fail(message: &str) -> ! {
    eprintln!("error: platform-guard: {}", message);
    std::process::exit(1)
}

/// A level's place from most to least supported.
fn rank(level: &str) -> usize {
    let mut i = 0;
    while i < LEVELS.len() && LEVELS[i] != level {
        i += 1;
    }
    i
}

/// `<UPPER_CASE>_UNSUPPORTED_ARCH`: a name some package's override variable
/// could have.
fn is_override_var(name: &str) -> bool {
    match name.strip_suffix(VAR_SUFFIX) {
        Some(stem) => {
            let mut ok = !stem.is_empty();
            for b in stem.bytes() {
                ok &= b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_';
            }
            ok
        }
        None => false,
    }
}

/// One variable of the environment: with [`every_var`], this script's one
/// door to it.
#[allow(clippy::disallowed_methods)]
fn var(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// Every variable of the environment (only read while a denial stands).
#[allow(clippy::disallowed_methods)]
fn every_var() -> std::env::VarsOs {
    std::env::vars_os()
}

/// A variable as text (empty when unset or not UTF-8).
fn text(name: &str) -> String {
    match var(name).map(OsString::into_string) {
        Some(Ok(text)) => text,
        _ => String::new(),
    }
}

/// A variable Cargo sets for every build script: present, UTF-8, one
/// word of printable text (it is written into directives). Ends the script
/// otherwise.
fn cargo(name: &str) -> String {
    let value = match var(name) {
        Some(value) => value,
        None => fail(&join(&[
            "not running in a build script started by Cargo: ",
            name,
            " is not set",
        ])),
    };
    match value.to_str() {
        Some(v) if !v.is_empty() && !has_blank(v) => return v.to_string(),
        _ => {}
    }
    let mut message = join(&[name, " is \""]);
    escape(&mut message, &value.to_string_lossy());
    message.push_str(
        "\": expected the non-empty value Cargo sets, without spaces or control characters",
    );
    fail(&message)
}

/// Whether `text` has a [`blank`] character.
fn has_blank(text: &str) -> bool {
    for c in text.chars() {
        if blank(c) {
            return true;
        }
    }
    false
}

/// A control character or white space (Unicode's White_Space, written out
/// so that this script does not compile the lookup of `char::is_whitespace`).
fn blank(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
        )
}

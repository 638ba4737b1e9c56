//! Zero-setup mode: classifies the target this crate is compiled for with
//! the default policy, so `enforce!()` works in a crate that has no build
//! script of its own, and notes whether `PLATFORM_GUARD_DENY` denies such a
//! crate's build, or is not a level (the macros then refuse to compile in
//! it, unless its `<PACKAGE>_UNSUPPORTED_ARCH` lifts the denial). Std-only and small: it
//! evaluates the default policy by hand (`src/zero_setup.rs`, proven equal
//! to the engine by a test) instead of compiling the policy engine, and it
//! runs no compiler (the `platform_support` cfg is declared for check-cfg
//! in Cargo.toml's `[lints.rust]` table instead).
//!
//! It also turns the CPU gate on (the `platform_guard_cpu_gate` cfg) when
//! the target features of the compile exceed the baseline on x86_64 or
//! aarch64 Linux; the crate assembles the gate itself (`src/cpu/mod.rs`).

#[path = "src/cpu/table.rs"]
#[allow(dead_code)]
mod table;
#[path = "src/zero_setup.rs"]
#[allow(dead_code)]
mod zero_setup;

use std::ffi::OsString;
use std::io::Write;

use zero_setup::{LEVELS, NO_MATCH, RULES, VAR_SUFFIX};

// Written to compile fast (it stands before the crate's own compile on
// every zero-setup build): plain loops and `push_str`, few generic calls,
// one `format!` where a number is written.

fn main() {
    if let Err(message) = run() {
        let _ = std::io::stderr()
            .write_all(join(&["error: platform-guard: ", &message, "\n"]).as_bytes());
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let target = cargo("TARGET")?;
    let arch = cargo("CARGO_CFG_TARGET_ARCH")?;
    let os = cargo("CARGO_CFG_TARGET_OS")?;
    let width = cargo("CARGO_CFG_TARGET_POINTER_WIDTH")?;
    let out_dir = cargo("OUT_DIR")?;
    let rule = zero_setup::classify(&arch, &os, &width);
    let level = match rule {
        Some(i) => RULES[i].level,
        None => NO_MATCH,
    };
    let rule_index = match rule {
        Some(i) => format!("{}", i),
        None => String::new(),
    };
    // `cargo:` (not `cargo::`): this package's rust-version is below 1.77.
    let mut out = String::new();
    push_line(
        &mut out,
        &["cargo:rustc-cfg=platform_support=\"", level, "\""],
    );
    push_line(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_TARGET=", &target],
    );
    push_line(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_RULE=", &rule_index],
    );
    push_line(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_VALUE=", &arch],
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
    let mut deny = None;
    let mut bad_deny = String::new();
    if let Some(value) = var("PLATFORM_GUARD_DENY") {
        let value = value.to_string_lossy();
        match LEVELS.iter().find(|l| **l == value) {
            Some(level) => deny = Some(*level),
            None => bad_deny = format!("={}", value.escape_debug()),
        }
    }
    let mut denied_by = "";
    let mut lifts: Vec<String> = Vec::new();
    if let Some(deny) = deny {
        if rank(level) >= rank(deny) && var("DOCS_RS").is_none() {
            // Which crates' variables lift the denial is decided where the
            // macros expand (this script does not know its dependents):
            // every `*_UNSUPPORTED_ARCH` that holds the exact value is noted,
            // and while the denial stands this script reruns on every build
            // (a file that never exists), so a variable set later is seen.
            denied_by = deny;
            for (name, value) in every_var() {
                if let Some(name) = name.to_str() {
                    if is_override_var(name) {
                        push_line(&mut out, &["cargo:rerun-if-env-changed=", name]);
                        if value.to_str() == Some(arch.as_str()) {
                            lifts.push(name.to_string());
                        }
                    }
                }
            }
            push_line(
                &mut out,
                &[
                    "cargo:rerun-if-changed=",
                    &out_dir,
                    "/platform-guard-denial-stands",
                ],
            );
        }
    }
    // `Lift<N>::NOTE` for the N-th variable that lifts the denial:
    // deprecated with the warning a build script gives for a lifted denial,
    // so the compile of the crate whose own variable it is prints it.
    let mut notes = String::from("impl Lift<0> {\n    pub const NOTE: () = ();\n}\n");
    let mut names = String::new();
    for (i, name) in lifts.iter().enumerate() {
        let note = join(&[
            "platform-guard: the denial of ",
            level,
            " target ",
            &target,
            " by PLATFORM_GUARD_DENY=",
            denied_by,
            " is lifted because ",
            name,
            "=",
            &arch,
            " is set",
        ]);
        notes.push_str(&format!(
            "impl Lift<{}> {{\n    #[deprecated(note = {:?})]\n    pub const NOTE: () = ();\n}}\n",
            i + 1,
            note
        ));
        if i > 0 {
            names.push(',');
        }
        names.push_str(name);
    }
    cpu_gate(&mut out, &arch, &out_dir);
    let file = join(&[&out_dir, "/lifts.rs"]);
    if let Err(e) = std::fs::write(&file, notes) {
        return Err(format!("cannot write {}: {}", file, e));
    }
    push_line(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_DENIED_BY=", denied_by],
    );
    push_line(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_LIFTS=", &names],
    );
    push_line(
        &mut out,
        &["cargo:rustc-env=PLATFORM_GUARD_OWN_BAD_DENY=", &bad_deny],
    );
    match std::io::stdout().write_all(out.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) => Err(format!("cannot write the build-script output: {}", e)),
    }
}

/// `parts` joined.
fn join(parts: &[&str]) -> String {
    let mut s = String::new();
    for part in parts {
        s.push_str(part);
    }
    s
}

/// Appends `parts` and a newline.
fn push_line(out: &mut String, parts: &[&str]) {
    for part in parts {
        out.push_str(part);
    }
    out.push('\n');
}

/// Turns the CPU gate (`src/cpu/mod.rs`) on when the target features of
/// this compile (`CARGO_CFG_TARGET_FEATURE`) exceed the baseline on a
/// target the gate knows: x86_64 or aarch64 Linux with glibc or musl and
/// 64-bit pointers (as `cpu::GATE_TARGET` in the crate). The crate
/// assembles the gate itself, for the features of its own compile; this
/// script sets the `platform_guard_cpu_gate` cfg and names the gate's
/// symbols after this build of the crate.
fn cpu_gate(out: &mut String, arch: &str, out_dir: &str) {
    let text = |name: &str| match var(name) {
        Some(v) => v.into_string().unwrap_or_default(),
        None => String::new(),
    };
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
    let assumed = text("CARGO_CFG_TARGET_FEATURE");
    if !assumed
        .split(',')
        .any(|name| matches!(table::index(features, name), Some(i) if tested & 1 << i != 0))
    {
        return;
    }
    // Symbols unique to this build of the crate: FNV-1a of its OUT_DIR.
    let mut id = 0xcbf2_9ce4_8422_2325u64;
    for b in out_dir.bytes() {
        id = (id ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    push_line(out, &["cargo:rustc-cfg=platform_guard_cpu_gate"]);
    out.push_str(&format!(
        "cargo:rustc-env=PLATFORM_GUARD_CPU_ID={:016x}\n",
        id
    ));
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
            !stem.is_empty()
                && stem
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
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

/// A variable Cargo sets for every build script: present, UTF-8, one
/// word of printable text (it is written into directives).
fn cargo(name: &str) -> Result<String, String> {
    let value = match var(name) {
        Some(value) => value,
        None => {
            return Err(join(&[
                "not running in a build script started by Cargo: ",
                name,
                " is not set",
            ]))
        }
    };
    match value.to_str() {
        Some(v) if !v.is_empty() && !v.chars().any(blank) => Ok(v.to_string()),
        _ => Err(format!(
            "{} is {:?}: expected the non-empty value Cargo sets, without spaces or control \
             characters",
            name, value
        )),
    }
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

//! What the command cannot see in a package's build script, said rather
//! than guessed: a policy table that no build script reads, and one that
//! build.rs changes in code after reading it (the command reads only the
//! table). A heuristic over build.rs's text: the build itself knows exactly
//! and warns too (`Policy::build`).

use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::files;
use crate::toml_doc::{self, get};

/// What `from_manifest()` may be followed by without changing the policy.
const PLAIN_ENDS: [&str; 3] = [".build()", ".try_build()", ".try_build_in("];

/// One sentence about the package at `manifest` (whose policy the command
/// read from its table), or `None` when build.rs reads the table as is. A
/// package that does not depend on platform-guard (`depends_on_guard`) has
/// no macros to stop: its table is a policy for documents and pipelines
/// only.
pub fn note(manifest: &Path, depends_on_guard: bool) -> Option<String> {
    if !depends_on_guard {
        return None;
    }
    let text = files::read_text(manifest, "manifest").ok()?;
    let doc = DeTable::parse(&text).ok()?;
    let package = toml_doc::table(doc.get_ref(), "package")?;
    let build = get(package, "build");
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let script = match build {
        Some(DeValue::Boolean(false)) => None,
        Some(DeValue::String(path)) => Some(dir.join(&**path)),
        _ => Some(dir.join("build.rs")).filter(|p| p.is_file()),
    };
    let shown = manifest.display();
    let Some(script) = script else {
        return Some(format!(
            "{} has a policy table, but the package has no build script to read it: its \
             programs' enforce!() and check!() do not compile (the table would be ignored)",
            shown
        ));
    };
    let source = files::read_text(&script, "build script").ok()?;
    let code = without_comments(&source);
    if !code.contains("platform_guard") && !code.contains("Policy::") {
        return Some(format!(
            "{} has a policy table, but its build script {} does not run the guard: its \
             programs' enforce!() and check!() do not compile (the table would be ignored)",
            shown,
            script.display()
        ));
    }
    let squeezed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let reads = squeezed.match_indices("from_manifest").collect::<Vec<_>>();
    if reads.is_empty() {
        return Some(format!(
            "{}: its build script {} states a policy in code and does not read the table: the \
             build uses that policy, not the table this command reads",
            shown,
            script.display()
        ));
    }
    let changed = reads.iter().any(|(at, _)| {
        let rest = &squeezed[at + "from_manifest".len()..];
        let rest = rest
            .strip_prefix("()")
            .or_else(|| rest.strip_prefix("_path("))
            .or_else(|| rest.strip_prefix("_in("))
            .unwrap_or(rest);
        // Past the call's own arguments, if any.
        let rest = match rest.find(')') {
            Some(i) if !rest.starts_with('.') => &rest[i + 1..],
            _ => rest,
        };
        let rest = rest.trim_start_matches(".unwrap()").trim_start_matches('?');
        !PLAIN_ENDS.iter().any(|end| rest.starts_with(end))
    });
    changed.then(|| {
        format!(
            "{}: its build script {} may change the policy in code after reading the table \
             (more than `Policy::from_manifest().build()`): decided with the table as written; \
             the build says what it changes",
            shown,
            script.display()
        )
    })
}

/// `source` without `//` and `/* */` comments (strings are not told apart:
/// a heuristic).
fn without_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(build_rs: Option<&str>, toml_extra: &str) -> (tempdir::Dir, Option<String>) {
        let dir = tempdir::Dir::new();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            format!("[package]\nname = \"p\"\n{}\n", toml_extra),
        )
        .unwrap();
        if let Some(src) = build_rs {
            std::fs::write(dir.path().join("build.rs"), src).unwrap();
        }
        let note = note(&dir.path().join("Cargo.toml"), true);
        (dir, note)
    }

    mod tempdir {
        use std::path::{Path, PathBuf};
        use std::sync::atomic::{AtomicUsize, Ordering};

        /// A fresh directory under the system's temporary one, removed on drop.
        pub struct Dir(PathBuf);

        impl Dir {
            pub fn new() -> Dir {
                static N: AtomicUsize = AtomicUsize::new(0);
                let dir = std::env::temp_dir().join(format!(
                    "cpg-build-script-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::create_dir_all(&dir).unwrap();
                Dir(dir)
            }

            pub fn path(&self) -> &Path {
                &self.0
            }
        }

        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn the_plain_forms_say_nothing() {
        for src in [
            "fn main() { platform_guard::Policy::from_manifest().build(); }",
            "fn main() {\n    // the policy\n    platform_guard::Policy::from_manifest()\n        .build();\n}",
            "fn main() { let _ = platform_guard::Policy::from_manifest().try_build(); }",
        ] {
            assert_eq!(package(Some(src), "").1, None, "{}", src);
        }
    }

    #[test]
    fn what_the_command_cannot_see_is_said() {
        let changed = package(
            Some("fn main() { platform_guard::Policy::from_manifest().deny(platform_guard::Level::Unstable).build(); }"),
            "",
        )
        .1
        .unwrap();
        assert!(
            changed.contains("may change the policy in code"),
            "{}",
            changed
        );
        let code = package(
            Some("fn main() { platform_guard::Policy::etcd().build(); }"),
            "",
        )
        .1
        .unwrap();
        assert!(
            code.contains("states a policy in code and does not read the table"),
            "{}",
            code
        );
        let none = package(None, "").1.unwrap();
        assert!(none.contains("no build script to read it"), "{}", none);
        let other = package(
            Some("fn main() { println!(\"cargo:rerun-if-changed=x\"); }"),
            "",
        )
        .1
        .unwrap();
        assert!(other.contains("does not run the guard"), "{}", other);
        let off = package(Some("fn main() {}"), "build = false").1.unwrap();
        assert!(off.contains("no build script"), "{}", off);
        // Without platform-guard as a dependency there are no macros.
        let dir = tempdir::Dir::new();
        std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"p\"\n").unwrap();
        assert_eq!(note(&dir.path().join("Cargo.toml"), false), None);
    }
}

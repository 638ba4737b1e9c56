//! What the build script cannot change in silence: a policy table in
//! Cargo.toml that this build script's policy does not come from, or
//! changes in code after reading it (`cargo platform-guard` reads only the
//! table); and Cargo's rerun rule, which the guard's `rerun-if-env-changed`
//! lines change for a script that printed none of its own.

use std::path::Path;

use super::env::BuildEnv;
use crate::files::read_bytes;
use crate::manifest_scan;
use crate::policy::Policy;

/// What build.rs does that suggests it reads files whose changes should
/// rerun it.
const READS_FILES: [&str; 8] = [
    "fs::",
    "File::",
    "read_to_string",
    "read_dir",
    "include_str!",
    "include_bytes!",
    "OUT_DIR",
    "Command::new",
];

/// One sentence for each of them that applies (none when the manifest
/// directory cannot be read: the build goes on as it would without them).
pub(crate) fn warnings(policy: &Policy, env: &BuildEnv) -> Vec<String> {
    let mut warnings = Vec::new();
    let dir = match env.get("CARGO_MANIFEST_DIR") {
        Some(dir) => Path::new(dir).to_path_buf(),
        None => return warnings,
    };
    if !policy.changed_in_code().is_empty() {
        warnings.push(format!(
            "build.rs changes the policy it read from [package.metadata.platform-guard] in code \
             ({}): `cargo platform-guard`, which reads the table, decides without these changes; \
             state them in the table instead",
            policy.changed_in_code().join(", ")
        ));
    }
    let manifest = read_bytes(&dir.join("Cargo.toml")).ok();
    let has_table = manifest.as_deref().map_or(false, |m| {
        manifest_scan::defines(m, &["package", "metadata", "platform-guard"])
    });
    if policy.source_files().is_empty() && has_table {
        warnings.push(
            "Cargo.toml has a [package.metadata.platform-guard] table, but this build script's \
             policy does not come from it (it is built in code), so the table is not used here \
             while `cargo platform-guard` reads it: build the policy with \
             Policy::from_manifest(), or remove the table"
                .to_string(),
        );
    }
    // A build script at another path (`package.build`) is not read.
    let custom_path = manifest
        .as_deref()
        .map_or(true, |m| manifest_scan::defines(m, &["package", "build"]));
    if !custom_path {
        if let Ok(source) = read_bytes(&dir.join("build.rs")) {
            if let Some(note) = rerun_note(&String::from_utf8_lossy(&source)) {
                warnings.push(note);
            }
        }
    }
    warnings
}

/// Cargo reruns a build script that prints no `rerun-if-*` line whenever a
/// file of its package changes; once the script prints one, as the guard
/// does, only for what is listed. A script whose source prints none of its
/// own and reads files relied on the first rule: say so, with the line
/// that restores it. (A heuristic over the source text: what it cannot see,
/// a script in several files or one that reads files through another
/// crate, the README says.)
fn rerun_note(source: &str) -> Option<String> {
    if source.contains("rerun-if") {
        return None;
    }
    let uses: Vec<&str> = READS_FILES
        .iter()
        .copied()
        .filter(|m| source.contains(m))
        .collect();
    if uses.is_empty() {
        return None;
    }
    Some(format!(
        "build.rs prints no rerun-if directive of its own and reads files ({}), so Cargo reran \
         it whenever a file of the package changed; the guard's rerun-if-env-changed lines end \
         that, and Cargo now reruns it only when they change: print \
         `cargo:rerun-if-changed=<path>` for each file or directory it reads (a directory is \
         scanned whole)",
        uses.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_that_reads_files_and_prints_no_rerun_line_is_told() {
        let codegen = "fn main() {\n    let data = std::fs::read_to_string(\"data.txt\").unwrap();\n    \
                       std::fs::write(format!(\"{}/gen.rs\", std::env::var(\"OUT_DIR\").unwrap()), data).unwrap();\n    \
                       platform_guard::Policy::etcd().build();\n}\n";
        let note = rerun_note(codegen).unwrap();
        assert!(note.contains("(fs::, read_to_string, OUT_DIR)"), "{}", note);
        let managed = codegen.replace(
            "fn main() {",
            "fn main() {\n    println!(\"cargo:rerun-if-changed=data.txt\");",
        );
        assert_eq!(rerun_note(&managed), None);
        assert_eq!(
            rerun_note("fn main() { platform_guard::Policy::from_manifest().build(); }"),
            None
        );
    }
}

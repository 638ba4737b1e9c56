//! Which targets the active toolchain can install (`rustup target add`):
//! those whose `rust-std` component is `available = true` in the toolchain's
//! own rustup channel manifest, which rustup keeps beside it
//! (`<sysroot>/lib/rustlib/multirust-channel-manifest.toml`; no network),
//! else what `rustup target list --toolchain <name>` says for a toolchain
//! under rustup's `toolchains/` directory. A toolchain rustup did not
//! install (a Debian `rustc`, a linked build) has neither: "unknown".
//!
//! And each target's Rust tier, from the rustc book's "Platform Support"
//! page of the release in `tiers.rs` (a target that page does not list has
//! no tier here).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::context::{Context, Failure};
use crate::toml_doc::get;
use crate::toolchain::{on_path, Toolchain};
use crate::{files, tiers};

/// What is known about the installable targets.
pub enum Installable {
    Known {
        /// Where it was read: "the rustup channel manifest PATH (dated
        /// ...)" or "`rustup target list --toolchain <name>`".
        from: String,
        targets: HashSet<String>,
    },
    /// Why it cannot be known.
    Unknown(String),
}

impl Installable {
    /// Whether `target` can be installed; `None` when unknown.
    pub fn get(&self, target: &str) -> Option<bool> {
        match self {
            Installable::Known { targets, .. } => Some(targets.contains(target)),
            Installable::Unknown(_) => None,
        }
    }

    /// Where the answer came from, or why there is none.
    pub fn source(&self) -> &str {
        match self {
            Installable::Known { from, .. } => from,
            Installable::Unknown(why) => why,
        }
    }

    /// Finds out for the toolchain `toolchain`.
    pub fn of(ctx: &Context, toolchain: &Toolchain) -> Installable {
        let sysroot = match toolchain.sysroot() {
            Ok(s) => s,
            Err(f) => return Installable::Unknown(format!("unknown: {}", f)),
        };
        let manifest = sysroot
            .join("lib")
            .join("rustlib")
            .join("multirust-channel-manifest.toml");
        if manifest.is_file() {
            return match read_manifest(&manifest) {
                Ok(k) => k,
                Err(f) => Installable::Unknown(format!("unknown: {}", f)),
            };
        }
        match rustup_list(ctx, toolchain, &sysroot) {
            Some(Ok(k)) => k,
            Some(Err(f)) => Installable::Unknown(format!("unknown: {}", f)),
            None => Installable::Unknown(format!(
                "unknown: the toolchain at {} was not installed by rustup (it has no \
                 lib/rustlib/multirust-channel-manifest.toml)",
                sysroot.display()
            )),
        }
    }
}

/// The `[pkg.rust-std]` part of a channel manifest: the targets whose
/// component is available. Only that part is parsed (the whole file is
/// about 1 MB), with the `toml` parser; a part that does not parse is an
/// error naming the file.
pub fn read_manifest(path: &Path) -> Result<Installable, Failure> {
    let text = files::read_text(path, "rustup channel manifest")?;
    let bad = |why: &str| {
        Failure::error(format!(
            "{}: {}: expected rustup's channel manifest",
            path.display(),
            why
        ))
    };
    let head_end = text.find("\n[").map_or(text.len(), |i| i + 1);
    let head = DeTable::parse(&text[..head_end]).map_err(|e| bad(e.message()))?;
    let date = get(head.get_ref(), "date")
        .and_then(DeValue::as_str)
        .map(str::to_string);
    let start = text
        .find("\n[pkg.rust-std]\n")
        .ok_or_else(|| bad("it has no [pkg.rust-std] table"))?
        + 1;
    let mut end = text.len();
    let mut at = start + 1;
    while let Some(i) = text[at..].find("\n[") {
        let line_start = at + i + 1;
        if !text[line_start..].starts_with("[pkg.rust-std.") {
            end = line_start;
            break;
        }
        at = line_start;
    }
    let part = DeTable::parse(&text[start..end]).map_err(|e| bad(e.message()))?;
    let pkg = get(part.get_ref(), "pkg").ok_or_else(|| bad("no pkg table"))?;
    let std = pkg
        .as_table()
        .and_then(|t| get(t, "rust-std"))
        .ok_or_else(|| bad("no pkg.rust-std table"))?;
    let targets = std
        .as_table()
        .and_then(|t| get(t, "target"))
        .ok_or_else(|| bad("no pkg.rust-std.target table"))?;
    let mut available = HashSet::new();
    for (name, entry) in targets
        .as_table()
        .ok_or_else(|| bad("pkg.rust-std.target is not a table"))?
        .iter()
    {
        let on = entry
            .get_ref()
            .as_table()
            .and_then(|t| get(t, "available"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if on {
            available.insert(name.get_ref().to_string());
        }
    }
    Ok(Installable::Known {
        from: format!(
            "the rustup channel manifest {}{}",
            path.display(),
            date.map_or_else(String::new, |d| format!(" (dated {})", d))
        ),
        targets: available,
    })
}

/// `rustup target list --toolchain <name>` for a toolchain in rustup's
/// `toolchains/` directory; `None` when the toolchain is not rustup's or
/// there is no `rustup`.
fn rustup_list(
    ctx: &Context,
    toolchain: &Toolchain,
    sysroot: &Path,
) -> Option<Result<Installable, Failure>> {
    let parent = sysroot.parent()?;
    if parent.file_name()? != "toolchains" {
        return None;
    }
    let name = sysroot.file_name()?.to_str()?;
    let rustup: PathBuf = on_path(ctx, "rustup")?;
    let text = match toolchain.run_tool(&rustup, &["target", "list", "--toolchain", name]) {
        Ok(t) => t,
        Err(f) => return Some(Err(f)),
    };
    let targets: HashSet<String> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if targets.is_empty() {
        return Some(Err(Failure::error(format!(
            "`{} target list --toolchain {}` listed no targets",
            rustup.display(),
            name
        ))));
    }
    Some(Ok(Installable::Known {
        from: format!("`rustup target list --toolchain {}`", name),
        targets,
    }))
}

/// The target's tier (1, 2 or 3) per the page `tiers.rs` was read from.
pub fn tier(target: &str) -> Option<u8> {
    tiers::TIERS
        .binary_search_by(|(t, _)| (*t).cmp(target))
        .ok()
        .map(|i| tiers::TIERS[i].1)
}

/// Where the tiers come from, for messages and the JSON document.
pub fn tier_source() -> String {
    format!(
        "the rustc book's Platform Support page of Rust {} ({})",
        tiers::RELEASE,
        tiers::DATE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_sorted_and_known() {
        assert!(tiers::TIERS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(tier("x86_64-unknown-linux-gnu"), Some(1));
        assert_eq!(tier("x86_64-unknown-linux-none"), Some(3));
        assert_eq!(tier("no-such-target"), None);
    }
}

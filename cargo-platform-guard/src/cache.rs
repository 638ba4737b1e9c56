//! The warm cache: each target's `rustc --print cfg` output, keyed by the
//! exact `rustc -vV` output (and wrappers) and the rustflags that applied,
//! in the user's cache directory (`$XDG_CACHE_HOME/cargo-platform-guard`,
//! else the platform's: `~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`).
//!
//! One file per toolchain. It states its own key and ends with a checksum
//! of everything before it: a file that is damaged, truncated, written by
//! something else or for another key is ignored and rewritten, never
//! trusted. Writes go to a temporary file renamed into place, so a reader
//! never sees half a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::context::Context;
use crate::files;
use crate::rustflags::home_dir;

const HEADER: &str = "cargo-platform-guard cfg cache 2\n";
/// Entries kept at most (a few toolchains' worth of flag variations).
const MAX_ENTRIES: usize = 4096;

/// FNV-1a, 64 bits: the file name and the checksum (not a defence against
/// someone who can write to the user's cache directory, who could do
/// worse; a guard against damage and mix-ups).
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The directory for the command's cache files, if the platform has one.
pub fn dir(ctx: &Context) -> Option<PathBuf> {
    if let Some(x) = ctx.var("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        let x = PathBuf::from(x);
        // The XDG spec: a relative value is to be ignored.
        if x.is_absolute() {
            return Some(x.join("cargo-platform-guard"));
        }
    }
    if cfg!(windows) {
        return ctx
            .var("LOCALAPPDATA")
            .filter(|v| !v.is_empty())
            .map(|d| PathBuf::from(d).join("cargo-platform-guard").join("cache"));
    }
    let home = home_dir(ctx)?;
    if cfg!(target_os = "macos") {
        Some(home.join("Library/Caches/cargo-platform-guard"))
    } else {
        Some(home.join(".cache/cargo-platform-guard"))
    }
}

/// What one toolchain's file holds.
pub struct Cache {
    path: PathBuf,
    key: String,
    targets: Option<String>,
    /// `rustc --print sysroot`.
    sysroot: Option<String>,
    entries: Vec<(String, String, String)>,
    index: HashMap<(String, String), usize>,
    dirty: bool,
}

/// Flags joined for a key (`\x1f`, as Cargo encodes them).
pub fn flags_key(flags: &[String]) -> String {
    flags.join("\u{1f}")
}

impl Cache {
    /// A cache for `key` with nothing in it yet, kept in `path`.
    fn empty(path: PathBuf, key: &str) -> Cache {
        Cache {
            path,
            key: key.to_string(),
            targets: None,
            sysroot: None,
            entries: Vec::new(),
            index: HashMap::new(),
            dirty: false,
        }
    }

    /// The cache for `key` (the toolchain's identity), from its file when
    /// the file is intact and for that key, else empty (and written anew).
    pub fn open(ctx: &Context, key: &str) -> Option<Cache> {
        let path = dir(ctx)?.join(format!("cfg-{:016x}.cache", fnv64(key.as_bytes())));
        let mut cache = Cache::empty(path, key);
        match files::read(&cache.path, "cache file", true) {
            Ok(Some(text)) => {
                if cache.load(&text).is_none() {
                    // Damaged or foreign: start empty, rewrite at the end.
                    cache.targets = None;
                    cache.sysroot = None;
                    cache.entries.clear();
                    cache.index.clear();
                    cache.dirty = true;
                }
            }
            Ok(None) => {}
            Err(_) => cache.dirty = true,
        }
        Some(cache)
    }

    /// Reads a file's text; `None` when it is not an intact file for this
    /// key.
    fn load(&mut self, text: &str) -> Option<()> {
        let body_end = text.rfind("end ")?;
        let (body, end) = text.split_at(body_end);
        let sum = end.strip_prefix("end ")?.strip_suffix('\n')?;
        if sum.len() != 16 || u64::from_str_radix(sum, 16).ok()? != fnv64(body.as_bytes()) {
            return None;
        }
        let mut rest = body.strip_prefix(HEADER)?;
        let mut block = |name: &str| -> Option<Option<&str>> {
            let Some(after) = rest.strip_prefix(name) else {
                return Some(None);
            };
            let (len, after) = after.strip_prefix(' ')?.split_once('\n')?;
            let len: usize = len.parse().ok()?;
            let payload = after.get(..len)?;
            rest = after.get(len..)?.strip_prefix('\n')?;
            Some(Some(payload))
        };
        if block("key")?? != self.key {
            return None;
        }
        self.targets = block("targets")?.map(str::to_string);
        self.sysroot = block("sysroot")?.map(str::to_string);
        while let Some(payload) = block("cfg")? {
            let mut parts = payload.splitn(3, '\u{1e}');
            let (t, f, c) = (parts.next()?, parts.next()?, parts.next()?);
            self.insert_text(t, f, c);
        }
        self.dirty = false;
        rest.is_empty().then_some(())
    }

    fn insert_text(&mut self, target: &str, flags: &str, cfg: &str) {
        let k = (target.to_string(), flags.to_string());
        match self.index.get(&k) {
            Some(&i) => self.entries[i].2 = cfg.to_string(),
            None => {
                self.index.insert(k, self.entries.len());
                self.entries
                    .push((target.to_string(), flags.to_string(), cfg.to_string()));
            }
        }
    }

    /// The cached `--print cfg` output of `target` with `flags`.
    pub fn get(&self, target: &str, flags: &[String]) -> Option<&str> {
        self.index
            .get(&(target.to_string(), flags_key(flags)))
            .map(|&i| self.entries[i].2.as_str())
    }

    pub fn insert(&mut self, target: &str, flags: &[String], cfg: &str) {
        self.insert_text(target, &flags_key(flags), cfg);
        self.dirty = true;
    }

    /// The cached `--print target-list` output.
    pub fn target_list(&self) -> Option<&str> {
        self.targets.as_deref()
    }

    pub fn set_target_list(&mut self, text: &str) {
        self.targets = Some(text.to_string());
        self.dirty = true;
    }

    /// The cached `--print sysroot` output.
    pub fn sysroot(&self) -> Option<&str> {
        self.sysroot.as_deref()
    }

    pub fn set_sysroot(&mut self, text: &str) {
        self.sysroot = Some(text.to_string());
        self.dirty = true;
    }

    /// Writes the file when something changed; a cache that cannot be
    /// written is only a slower next run, so errors are ignored.
    pub fn save(&self) {
        if !self.dirty {
            return;
        }
        let block =
            |name: &str, payload: &str| format!("{} {}\n{}\n", name, payload.len(), payload);
        let mut body = String::from(HEADER);
        body.push_str(&block("key", &self.key));
        if let Some(t) = &self.targets {
            body.push_str(&block("targets", t));
        }
        if let Some(s) = &self.sysroot {
            body.push_str(&block("sysroot", s));
        }
        let skip = self.entries.len().saturating_sub(MAX_ENTRIES);
        for (t, f, c) in self.entries.iter().skip(skip) {
            body.push_str(&block("cfg", &format!("{}\u{1e}{}\u{1e}{}", t, f, c)));
        }
        let sum = fnv64(body.as_bytes());
        body.push_str(&format!("end {:016x}\n", sum));
        let _ = write_atomically(&self.path, body.as_bytes());
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("cache"),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_back_and_damage_is_refused() {
        let dir = std::env::temp_dir().join(format!("cpg-cache-unit-{}", std::process::id()));
        let path = dir.join("c.cache");
        let mut c = Cache::empty(path.clone(), "rustc 1.0\nhost: x\n");
        c.set_target_list("a\nb\n");
        c.insert(
            "a",
            &["-C".into(), "target-cpu=native".into()],
            "target_arch=\"x\"\n",
        );
        c.save();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut again = Cache::empty(path.clone(), "rustc 1.0\nhost: x\n");
        assert!(again.load(&text).is_some());
        assert_eq!(again.target_list(), Some("a\nb\n"));
        assert_eq!(
            again.get("a", &["-C".into(), "target-cpu=native".into()]),
            Some("target_arch=\"x\"\n")
        );
        assert_eq!(again.get("a", &[]), None);
        // Another key, one flipped byte, a truncation: all refused.
        assert!(Cache::empty(path.clone(), "rustc 2.0\n")
            .load(&text)
            .is_none());
        let flipped = text.replacen("target_arch", "target_arcH", 1);
        assert!(Cache::empty(path.clone(), "rustc 1.0\nhost: x\n")
            .load(&flipped)
            .is_none());
        let cut = &text[..text.len() - 5];
        assert!(Cache::empty(path, "rustc 1.0\nhost: x\n")
            .load(cut)
            .is_none());
        let _ = std::fs::remove_dir_all(dir);
    }
}

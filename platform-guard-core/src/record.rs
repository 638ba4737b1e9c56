//! The record a program that uses the guard carries: what it was built
//! for, in a named section a tool can find without running the program (as
//! `go version -m` reads Go's build information, and as cargo-auditable
//! embeds a dependency list).
//!
//! Every `enforce!()` and `check!()` puts one record in the ELF section
//! `.pguard` ([`SECTION`]), on Linux, Android, the BSDs, illumos and
//! Solaris, and in the Mach-O section `__pguard` of the segment `__TEXT`
//! ([`MACHO_SECTION`], [`MACHO_SEGMENT`]) on Apple's targets. It is a
//! `#[used]` static: ELF linkers keep its section through `--gc-sections`
//! as `SHF_GNU_RETAIN` (GNU ld 2.36 or later, lld 13 or later; an older
//! linker may drop it), and Mach-O linkers (ld64, zig's) keep it through
//! `-dead_strip` because the compiler marks its symbol `N_NO_DEAD_STRIP`.
//! PE (Windows) carries none: there `#[used]` only binds the compiler, and
//! MinGW's linker drops such a section.
//! The record is text, at most [`MAX`] bytes: a first line naming the format
//! and its version, `key=value` lines, and an empty line that ends it, so
//! records from several call sites or crates can follow each other in the
//! section:
//!
//! ```text
//! platform-guard record 1
//! target=x86_64-unknown-linux-gnu
//! level=stable
//! override-var=MYAPP_UNSUPPORTED_ARCH
//! override-value=x86_64
//! features=avx,avx2,bmi1,...
//! x86-64-level=3
//! cpu-gate=enforce
//! package=myapp 1.2.0
//! guard=0.1.0
//!
//! ```
//!
//! - `target`, `level`, `override-var`, `override-value`: the verdict the
//!   program enforces (the target triple, its support level, the variable
//!   that lifts a refusal and the value it must hold).
//! - `features`: the CPU features beyond the architecture's baseline that
//!   the compile assumes, comma-separated, among those platform-guard knows
//!   (x86_64 and aarch64; empty for a baseline build or another
//!   architecture).
//! - `x86-64-level`: x86_64 only, the microarchitecture level those
//!   features reach (1 to 4).
//! - `cpu-gate`: `enforce` or `check` when the program tests the CPU before
//!   `main` for those features, `none` when it does not (a baseline build,
//!   or a target the gate does not know).
//! - `package`: the package that expands the macro and its version;
//!   `guard`: platform-guard's version.
//!
//! Values never contain a newline. A reader splits the section at empty
//! lines, checks the first line, and reads the keys it knows (later
//! versions may add keys; a new first line means a format it cannot read).
//! A line that would take a record past [`MAX`] bytes is left out, and the
//! record then ends with a `cut` line before its empty line.

/// The largest a record may be, in bytes.
pub const MAX: usize = 512;

/// The ELF section that holds the records (the `__record!` macro's
/// `link_section`, which must be a literal: a test checks they agree).
#[cfg_attr(not(feature = "manifest"), allow(dead_code))]
pub const SECTION: &str = ".pguard";

/// The Mach-O segment of the section that holds the records on Apple's
/// targets: `__TEXT`, read-only as the ELF section is (the record is bytes
/// without a relocation), and in every Mach-O program, unlike
/// `__DATA_CONST`. The `__record!` macro's `link_section` is
/// `"__TEXT,__pguard"`; a test checks they agree.
#[cfg_attr(not(feature = "manifest"), allow(dead_code))]
pub const MACHO_SEGMENT: &str = "__TEXT";

/// The Mach-O section that holds the records, in [`MACHO_SEGMENT`]:
/// `__pguard`, the ELF name in Mach-O's `__` style (8 of the 16 bytes a
/// Mach-O section name may have).
#[cfg_attr(not(feature = "manifest"), allow(dead_code))]
pub const MACHO_SECTION: &str = "__pguard";

/// The first line, naming the format and its version.
pub(crate) const MAGIC: &str = "platform-guard record 1";

/// A record built at compile time.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Record {
    bytes: [u8; MAX],
    len: usize,
    cut: bool,
}

/// Room kept for `cut\n` and the final empty line.
const RESERVE: usize = 5;

impl Record {
    #[inline]
    pub(crate) const fn new() -> Record {
        let r = Record {
            bytes: [0; MAX],
            len: 0,
            cut: false,
        };
        r.line(&[MAGIC])
    }

    /// Appends one line made of `parts` and a newline, if it fits.
    #[inline]
    pub(crate) const fn line(mut self, parts: &[&str]) -> Record {
        let mut need = 1;
        let mut i = 0;
        while i < parts.len() {
            need += parts[i].len();
            i += 1;
        }
        if self.len + need > MAX - RESERVE {
            self.cut = true;
            return self;
        }
        let mut i = 0;
        while i < parts.len() {
            self = self.put(parts[i].as_bytes());
            i += 1;
        }
        self.put(b"\n")
    }

    #[inline]
    const fn put(mut self, bytes: &[u8]) -> Record {
        let mut i = 0;
        while i < bytes.len() {
            self.bytes[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// Ends the record: `cut` if a line was left out, then the empty line.
    #[inline]
    pub(crate) const fn end(mut self) -> Record {
        if self.cut {
            self = self.put(b"cut\n");
        }
        self.put(b"\n")
    }

    /// Its length in bytes.
    #[doc(hidden)]
    #[inline]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty (never: it has at least its first line).
    #[doc(hidden)]
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Its bytes, as an array of its exact length `N` (= [`Record::len`]).
    #[doc(hidden)]
    #[inline]
    pub const fn bytes<const N: usize>(&self) -> [u8; N] {
        let mut out = [0; N];
        let mut i = 0;
        while i < N && i < self.len {
            out[i] = self.bytes[i];
            i += 1;
        }
        out
    }

    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap()
    }
}

/// A record's `key=value` for a comma-separated list built at compile time
/// (the feature names): `names` joined by `,`, cut at `MAX`.
pub(crate) struct List {
    bytes: [u8; MAX],
    len: usize,
}

impl List {
    #[inline]
    pub(crate) const fn new() -> List {
        List {
            bytes: [0; MAX],
            len: 0,
        }
    }

    #[inline]
    pub(crate) const fn push(mut self, name: &str) -> List {
        let name = name.as_bytes();
        if self.len + name.len() + 1 > MAX {
            return self;
        }
        if self.len > 0 {
            self.bytes[self.len] = b',';
            self.len += 1;
        }
        let mut i = 0;
        while i < name.len() {
            self.bytes[self.len] = name[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    #[inline]
    pub(crate) const fn as_str(&self) -> &str {
        match core::str::from_utf8(crate::const_text::prefix(&self.bytes, self.len)) {
            Ok(s) => s,
            Err(_) => "",
        }
    }
}

/// One record read back from a program's `.pguard` section (feature
/// `manifest`): what `cargo platform-guard inspect` shows. Keys it does not
/// know are kept ([`EmbeddedRecord::get`]), as the format allows.
///
/// ```
/// # extern crate platform_guard_core as platform_guard;
/// use platform_guard::{EmbeddedRecord, Level};
///
/// let section = b"platform-guard record 1\ntarget=x86_64-unknown-linux-gnu\nlevel=stable\n\
///                 features=avx,avx2\nx86-64-level=1\ncpu-gate=enforce\n\n";
/// let records = EmbeddedRecord::parse_section(section)?;
/// assert_eq!(records[0].target(), Some("x86_64-unknown-linux-gnu"));
/// assert_eq!(records[0].level(), Some(Level::Stable));
/// assert_eq!(records[0].features(), ["avx", "avx2"]);
/// assert!(EmbeddedRecord::parse_section(b"platform-guard record 2\n\n").is_err());
/// # Ok::<(), platform_guard::Error>(())
/// ```
#[cfg(feature = "manifest")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedRecord {
    fields: Vec<(String, String)>,
    cut: bool,
}

#[cfg(feature = "manifest")]
impl EmbeddedRecord {
    /// Every record in a `.pguard` section's bytes, in order. Zero bytes
    /// between or after records (a linker's padding) are skipped. A record
    /// whose first line is not `platform-guard record 1` (another format
    /// version), a line that is not `key=value`, bytes that are not UTF-8,
    /// or a `level` or `x86-64-level` that is not one are errors naming the
    /// byte offset.
    pub fn parse_section(bytes: &[u8]) -> Result<Vec<EmbeddedRecord>, crate::Error> {
        let mut records = Vec::new();
        let mut offset = 0;
        for chunk in bytes.split(|&b| b == 0) {
            let text = core::str::from_utf8(chunk).map_err(|e| {
                record_error(offset + e.valid_up_to(), "bytes that are not UTF-8", "")
            })?;
            let mut at = offset;
            let mut current: Option<EmbeddedRecord> = None;
            for line in text.split_inclusive('\n') {
                let body = line.strip_suffix('\n').unwrap_or(line);
                current = read_line(current, body, at, &mut records)?;
                at += line.len();
            }
            if let Some(r) = current {
                records.push(r);
            }
            offset += chunk.len() + 1;
        }
        Ok(records)
    }

    /// The value of `key`, as written.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every `key=value`, in order.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The target triple the program was compiled for.
    pub fn target(&self) -> Option<&str> {
        self.get("target")
    }

    /// The support level the program enforces.
    pub fn level(&self) -> Option<Level> {
        self.get("level").and_then(|l| l.parse().ok())
    }

    /// The CPU features beyond the baseline that the compile assumes.
    pub fn features(&self) -> Vec<&str> {
        self.get("features")
            .map(|f| f.split(',').filter(|n| !n.is_empty()).collect())
            .unwrap_or_default()
    }

    /// The x86-64 level (1 to 4) the features reach, on x86_64.
    pub fn x86_64_level(&self) -> Option<u32> {
        self.get("x86-64-level").and_then(|l| l.parse().ok())
    }

    /// Whether the CPU gate tests the features: `enforce`, `check` or
    /// `none`.
    pub fn cpu_gate(&self) -> Option<&str> {
        self.get("cpu-gate")
    }

    /// The package that expands the macro and its version (`app 1.2.0`).
    pub fn package(&self) -> Option<&str> {
        self.get("package")
    }

    /// Whether a line was left out to keep the record within its 512
    /// bytes.
    pub fn is_cut(&self) -> bool {
        self.cut
    }
}

#[cfg(feature = "manifest")]
use crate::level::Level;

/// One line of a section (without its newline, at byte `at`): the first
/// line of a record, one of its lines, or the empty line that ends it.
#[cfg(feature = "manifest")]
fn read_line(
    current: Option<EmbeddedRecord>,
    line: &str,
    at: usize,
    done: &mut Vec<EmbeddedRecord>,
) -> Result<Option<EmbeddedRecord>, crate::Error> {
    let mut record = match current {
        None if line.is_empty() => return Ok(None),
        None if line == MAGIC => {
            return Ok(Some(EmbeddedRecord {
                fields: Vec::new(),
                cut: false,
            }))
        }
        None => {
            return Err(record_error(
                at,
                "a first line that is not `platform-guard record 1` (a format this version \
                 cannot read)",
                line,
            ))
        }
        Some(r) => r,
    };
    if line.is_empty() {
        done.push(record);
        return Ok(None);
    }
    if line == "cut" {
        record.cut = true;
        return Ok(Some(record));
    }
    let (key, value) = match line.split_once('=') {
        Some(kv) => kv,
        None => return Err(record_error(at, "a line that is not key=value", line)),
    };
    let valid = match key {
        "level" => value.parse::<Level>().is_ok(),
        "x86-64-level" => matches!(value, "1" | "2" | "3" | "4"),
        _ => true,
    };
    if !valid {
        return Err(record_error(at, "a value that is not one", line));
    }
    record.fields.push((key.to_string(), value.to_string()));
    Ok(Some(record))
}

#[cfg(feature = "manifest")]
fn record_error(at: usize, what: &'static str, line: &str) -> crate::Error {
    crate::error::Error::new(crate::error::Detail::InvalidRecord {
        at,
        what,
        line: line.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_do_not_fit_are_left_out_and_the_record_says_so() {
        let r = Record::new().line(&["a=", "b"]).end();
        assert_eq!(r.as_str(), "platform-guard record 1\na=b\n\n");
        assert_eq!(r.len(), r.as_str().len());
        let long = "x".repeat(600);
        let r = Record::new().line(&["k=", &long]).line(&["z=1"]).end();
        assert_eq!(r.as_str(), "platform-guard record 1\nz=1\ncut\n\n");
        let mut r = Record::new();
        for _ in 0..100 {
            r = r.line(&["key=value"]);
        }
        let r = r.end();
        assert!(r.len() <= MAX, "{}", r.len());
        assert!(r.as_str().ends_with("key=value\ncut\n\n"));
        const R: Record = Record::new().line(&["a=b"]).end();
        let bytes: [u8; R.len()] = R.bytes();
        assert_eq!(&bytes[..], b"platform-guard record 1\na=b\n\n");
    }

    #[cfg(feature = "manifest")]
    #[test]
    fn records_read_back_as_written() {
        let one = Record::new()
            .line(&["target=x86_64-unknown-linux-gnu"])
            .line(&["level=unstable"])
            .line(&["features="])
            .line(&["x86-64-level=1"])
            .end();
        let mut section = one.as_str().as_bytes().to_vec();
        section.extend_from_slice(b"\0\0");
        section.extend_from_slice(b"platform-guard record 1\nfuture=key\ncut\n\n\0");
        let records = EmbeddedRecord::parse_section(&section).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].level(), Some(Level::Unstable));
        assert!(records[0].features().is_empty());
        assert_eq!(records[0].x86_64_level(), Some(1));
        assert_eq!(records[1].get("future"), Some("key"));
        assert!(records[1].is_cut() && !records[0].is_cut());
        assert!(EmbeddedRecord::parse_section(b"").unwrap().is_empty());
        for (bad, message) in [
            (
                &b"platform-guard record 1\nlevel=Stable\n\n"[..],
                "the .pguard record at byte 24 has a value that is not one: \"level=Stable\"",
            ),
            (
                b"platform-guard record 1\nno equals\n\n",
                "the .pguard record at byte 24 has a line that is not key=value: \"no equals\"",
            ),
            (
                b"\xff",
                "the .pguard record at byte 0 has bytes that are not UTF-8: expected text lines",
            ),
        ] {
            let e = EmbeddedRecord::parse_section(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidRecord);
            assert_eq!(e.to_string(), message);
        }
    }

    #[test]
    fn lists_are_comma_separated() {
        assert_eq!(List::new().as_str(), "");
        assert_eq!(List::new().push("avx").push("avx2").as_str(), "avx,avx2");
    }
}

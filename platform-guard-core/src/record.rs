//! The record a program that uses the guard carries: what it was built
//! for, in a named section a tool can find without running the program (as
//! `go version -m` reads Go's build information, and as cargo-auditable
//! embeds a dependency list).
//!
//! Every `enforce!()` and `check!()` puts one record in the program: on
//! Linux, Android, the BSDs, illumos and Solaris as an ELF note in the
//! section `.note.pguard` ([`NOTE_SECTION`]), and as text in the Mach-O
//! section `__pguard` of the segment `__TEXT` ([`MACHO_SECTION`],
//! [`MACHO_SEGMENT`]) on Apple's targets. It is a `#[used]` static. LLVM
//! gives a section named `.note*` the type `SHT_NOTE`, and ELF linkers keep
//! note sections through `--gc-sections` whatever the compiler: with rustc
//! before 1.89, `#[used]` does not mark a section `SHF_GNU_RETAIN`, and a
//! plain section (the `.pguard` of earlier drafts) is dropped. Mach-O
//! linkers (ld64, zig's) keep it through `-dead_strip` because the compiler
//! marks its symbol `N_NO_DEAD_STRIP`. PE (Windows) carries none: there
//! `#[used]` only binds the compiler, and MinGW's linker drops such a
//! section.
//!
//! The ELF note, aligned to [`NOTE_ALIGN`] (4) bytes, at most [`NOTE_MAX`]
//! (512) bytes: `n_namesz` (15), `n_descsz` (the text's length) and
//! `n_type` ([`NOTE_TYPE`], 1), 32-bit words in the target's byte order;
//! the owner [`NOTE_OWNER`] (`platform-guard`) with its NUL, padded with
//! NUL to 16 bytes; the record's text, padded with NUL to 4 bytes. The
//! notes of several call sites or crates follow each other in the section.
//!
//! The record is text, at most [`MAX`] (484) bytes: a first line naming the
//! format and its version, `key=value` lines, and an empty line that ends
//! it, so records (in Mach-O, where they are not notes) can follow each
//! other in the section:
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

/// The largest a whole note may be, in bytes: its header, its owner and
/// its record with their padding.
pub const NOTE_MAX: usize = 512;

/// The ELF section that holds the records, one ELF note each. LLVM gives a
/// section whose name starts with `.note` the type `SHT_NOTE`, and ELF
/// linkers keep such sections through `--gc-sections`, with any rustc from
/// 1.63 on (a plain section such as `.pguard` survives only with rustc
/// 1.89 or later, whose `#[used]` marks it `SHF_GNU_RETAIN`). The
/// `__record!` macro's `link_section` must be a literal: a test checks they
/// agree.
#[cfg_attr(not(feature = "manifest"), allow(dead_code))]
pub const NOTE_SECTION: &str = ".note.pguard";

/// The owner of the notes (their name), written with its terminating NUL
/// (`n_namesz` 15) and padded to 16 bytes.
pub const NOTE_OWNER: &str = "platform-guard";

/// The notes' type (`n_type`): 1, a record of the text format version 1.
/// Types are per owner, so it clashes with no other owner's type 1.
pub const NOTE_TYPE: u32 = 1;

/// The alignment of a note, of its owner and of its record: 4 bytes, on
/// 32- and 64-bit targets alike (as the GNU and BSD notes), so the notes
/// of several call sites or crates follow each other without a gap.
pub const NOTE_ALIGN: usize = 4;

/// The bytes before the record in a note: `n_namesz`, `n_descsz`,
/// `n_type`, and the owner with its NUL, padded (28).
pub(crate) const NOTE_HEAD: usize = 12 + padded(NOTE_OWNER.len() + 1);

/// The largest a record's text may be, in bytes (484): what [`NOTE_MAX`]
/// leaves after the note's header and owner.
pub const MAX: usize = NOTE_MAX - NOTE_HEAD;

/// `len` rounded up to [`NOTE_ALIGN`], without overflow (the reader gives
/// it lengths from a file).
pub(crate) const fn padded(len: usize) -> usize {
    len.saturating_add(NOTE_ALIGN - 1) / NOTE_ALIGN * NOTE_ALIGN
}

/// The Mach-O segment of the section that holds the records on Apple's
/// targets: `__TEXT`, read-only as the ELF section is (the record is bytes
/// without a relocation), and in every Mach-O program, unlike
/// `__DATA_CONST`. The `__record!` macro's `link_section` is
/// `"__TEXT,__pguard"`; a test checks they agree. Mach-O carries the
/// record as text, not as a note.
#[cfg_attr(not(feature = "manifest"), allow(dead_code))]
pub const MACHO_SEGMENT: &str = "__TEXT";

/// The Mach-O section that holds the records, in [`MACHO_SEGMENT`]:
/// `__pguard`, in Mach-O's `__` style (8 of the 16 bytes a Mach-O section
/// name may have).
#[cfg_attr(not(feature = "manifest"), allow(dead_code))]
pub const MACHO_SECTION: &str = "__pguard";

/// One note as the program carries it: `N` bytes aligned to 4
/// ([`NOTE_ALIGN`]), the type of the `__record!` macro's static.
#[doc(hidden)]
#[repr(C, align(4))]
pub struct Note<const N: usize>(pub [u8; N]);

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

    /// The length of its ELF note: [`NOTE_HEAD`] and its text padded to
    /// [`NOTE_ALIGN`].
    #[doc(hidden)]
    #[inline]
    pub const fn note_len(&self) -> usize {
        NOTE_HEAD + padded(self.len)
    }

    /// Its ELF note, of its exact length `N` (= [`Record::note_len`]):
    /// `n_namesz`, `n_descsz` and `n_type` in the target's byte order, the
    /// owner with its NUL, the text, each padded with NUL to 4 bytes.
    #[doc(hidden)]
    #[inline]
    pub const fn note<const N: usize>(&self) -> Note<N> {
        let mut out = [0; N];
        out = word(out, 0, NOTE_OWNER.len() as u32 + 1);
        out = word(out, 4, self.len as u32);
        out = word(out, 8, NOTE_TYPE);
        out = copy(out, 12, NOTE_OWNER.as_bytes(), NOTE_OWNER.len());
        Note(copy(out, NOTE_HEAD, &self.bytes, self.len))
    }

    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap()
    }
}

/// `out` with `value` at `at`, in the target's byte order.
#[inline]
const fn word<const N: usize>(out: [u8; N], at: usize, value: u32) -> [u8; N] {
    let bytes = if cfg!(target_endian = "big") {
        value.to_be_bytes()
    } else {
        value.to_le_bytes()
    };
    copy(out, at, &bytes, 4)
}

/// `out` with the first `len` bytes of `from` at `at` (as far as `out`
/// reaches).
#[inline]
const fn copy<const N: usize>(mut out: [u8; N], at: usize, from: &[u8], len: usize) -> [u8; N] {
    let mut i = 0;
    while i < len && i < from.len() && at + i < N {
        out[at + i] = from[i];
        i += 1;
    }
    out
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

/// One record read back from a program (feature `manifest`): from the
/// notes of the ELF section `.note.pguard` ([`EmbeddedRecord::parse_notes`])
/// or from the text of the Mach-O section `__TEXT,__pguard`
/// ([`EmbeddedRecord::parse_section`]); what `cargo platform-guard inspect`
/// shows. Keys it does not know are kept ([`EmbeddedRecord::get`]), as the
/// format allows.
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
///
/// // The same record as an ELF note, little-endian: n_namesz 15, n_descsz,
/// // n_type 1, the owner padded to 16 bytes, the text padded to 4.
/// let mut note = Vec::new();
/// for word in [15, section.len() as u32, 1] {
///     note.extend_from_slice(&word.to_le_bytes());
/// }
/// note.extend_from_slice(b"platform-guard\0\0");
/// note.extend_from_slice(section);
/// note.resize((note.len() + 3) / 4 * 4, 0);
/// assert_eq!(EmbeddedRecord::parse_notes(&note, false)?, records);
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
    /// Every record in the bytes of a Mach-O `__TEXT,__pguard` section
    /// (records as text, one after the other), in order. Zero bytes between
    /// or after records (a linker's padding) are skipped. A record whose
    /// first line is not `platform-guard record 1` (another format
    /// version), a line that is not `key=value`, bytes that are not UTF-8,
    /// or a `level` or `x86-64-level` that is not one are errors naming the
    /// section and the byte offset.
    pub fn parse_section(bytes: &[u8]) -> Result<Vec<EmbeddedRecord>, crate::Error> {
        let mut records = Vec::new();
        parse_text(bytes, MACHO_NAME, 0, &mut records)?;
        Ok(records)
    }

    /// Every record in the bytes of an ELF `.note.pguard` section, in
    /// order: one note each, whose words are big-endian if `big_endian`.
    /// A note cut short, a note of another owner or type, padding that is
    /// not zero bytes, and the errors of [`EmbeddedRecord::parse_section`]
    /// in its record are errors naming the section and the byte offset.
    pub fn parse_notes(
        bytes: &[u8],
        big_endian: bool,
    ) -> Result<Vec<EmbeddedRecord>, crate::Error> {
        let mut records = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let (text, next) = read_note(bytes, at, big_endian)?;
            parse_text(text, NOTE_SECTION, at + NOTE_HEAD, &mut records)?;
            at = next;
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

/// The Mach-O section as `segment,section`, for the reader's errors (a
/// test checks it against [`MACHO_SEGMENT`] and [`MACHO_SECTION`]).
#[cfg(feature = "manifest")]
const MACHO_NAME: &str = "__TEXT,__pguard";

/// What is wrong with a note of `.note.pguard` (feature `manifest`).
#[cfg(feature = "manifest")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoteProblem {
    /// The note needs `need` bytes from its start, the section has `left`.
    Short { need: usize, left: usize },
    /// Its owner (name, without the NUL) is another.
    Owner(Vec<u8>),
    /// Its type is another.
    Type(u32),
    /// A padding byte is not zero.
    Padding(u8),
}

#[cfg(feature = "manifest")]
impl core::fmt::Display for NoteProblem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            NoteProblem::Short { need, left } => write!(
                f,
                "a note cut short: it needs {} bytes and {} are left",
                need, left
            ),
            NoteProblem::Owner(name) => write!(
                f,
                "a note whose owner is {:?}, not {:?}",
                String::from_utf8_lossy(name),
                NOTE_OWNER
            ),
            NoteProblem::Type(t) => {
                write!(f, "a note of type {}, not {}", t, NOTE_TYPE)
            }
            NoteProblem::Padding(b) => write!(f, "padding that is not zero: 0x{:02x}", b),
        }
    }
}

/// The record text of the note at `at` in `bytes` and where the next note
/// starts, or what is wrong with it.
#[cfg(feature = "manifest")]
fn read_note(bytes: &[u8], at: usize, big: bool) -> Result<(&[u8], usize), crate::Error> {
    let left = bytes.len() - at;
    let short = |need: usize| note_error(at, NoteProblem::Short { need, left });
    if left < 12 {
        return Err(short(12));
    }
    let word = |i: usize| {
        let mut w = [0; 4];
        w.copy_from_slice(&bytes[at + i..at + i + 4]);
        if big {
            u32::from_be_bytes(w)
        } else {
            u32::from_le_bytes(w)
        }
    };
    let (namesz, descsz, kind) = (word(0) as usize, word(4) as usize, word(8));
    let desc_at = 12usize.saturating_add(padded(namesz));
    let need = desc_at.saturating_add(padded(descsz));
    if left < need {
        return Err(short(need));
    }
    let name = &bytes[at + 12..at + 12 + namesz];
    let owner = name.strip_suffix(b"\0").unwrap_or(name);
    if name != [NOTE_OWNER.as_bytes(), b"\0"].concat() {
        return Err(note_error(at + 12, NoteProblem::Owner(owner.to_vec())));
    }
    if kind != NOTE_TYPE {
        return Err(note_error(at + 8, NoteProblem::Type(kind)));
    }
    let text = &bytes[at + desc_at..at + desc_at + descsz];
    let pads = (at + 12 + namesz..at + desc_at).chain(at + desc_at + descsz..at + need);
    for i in pads {
        if bytes[i] != 0 {
            return Err(note_error(i, NoteProblem::Padding(bytes[i])));
        }
    }
    Ok((text, at + need))
}

/// The records in `bytes`, text at byte `base` of `section`, appended to
/// `records`.
#[cfg(feature = "manifest")]
fn parse_text(
    bytes: &[u8],
    section: &'static str,
    base: usize,
    records: &mut Vec<EmbeddedRecord>,
) -> Result<(), crate::Error> {
    let mut offset = base;
    for chunk in bytes.split(|&b| b == 0) {
        let text = core::str::from_utf8(chunk).map_err(|e| {
            record_error(
                section,
                offset + e.valid_up_to(),
                "bytes that are not UTF-8",
                "",
            )
        })?;
        let mut at = offset;
        let mut current: Option<EmbeddedRecord> = None;
        for line in text.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            current = read_line(current, body, (section, at), records)?;
            at += line.len();
        }
        if let Some(r) = current {
            records.push(r);
        }
        offset += chunk.len() + 1;
    }
    Ok(())
}

/// One line of a section (without its newline, at byte `at`): the first
/// line of a record, one of its lines, or the empty line that ends it.
#[cfg(feature = "manifest")]
fn read_line(
    current: Option<EmbeddedRecord>,
    line: &str,
    (section, at): (&'static str, usize),
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
                section,
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
        None => {
            return Err(record_error(
                section,
                at,
                "a line that is not key=value",
                line,
            ))
        }
    };
    let valid = match key {
        "level" => value.parse::<Level>().is_ok(),
        "x86-64-level" => matches!(value, "1" | "2" | "3" | "4"),
        _ => true,
    };
    if !valid {
        return Err(record_error(section, at, "a value that is not one", line));
    }
    record.fields.push((key.to_string(), value.to_string()));
    Ok(Some(record))
}

#[cfg(feature = "manifest")]
fn note_error(at: usize, problem: NoteProblem) -> crate::Error {
    crate::error::Error::new(crate::error::Detail::InvalidNote {
        section: NOTE_SECTION,
        at,
        problem,
    })
}

#[cfg(feature = "manifest")]
fn record_error(section: &'static str, at: usize, what: &'static str, line: &str) -> crate::Error {
    crate::error::Error::new(crate::error::Detail::InvalidRecord {
        section,
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
                "the __TEXT,__pguard section at byte 24 has a value that is not one: \
                 \"level=Stable\"",
            ),
            (
                b"platform-guard record 1\nno equals\n\n",
                "the __TEXT,__pguard section at byte 24 has a line that is not key=value: \
                 \"no equals\"",
            ),
            (
                b"\xff",
                "the __TEXT,__pguard section at byte 0 has bytes that are not UTF-8: expected \
                 text lines",
            ),
        ] {
            let e = EmbeddedRecord::parse_section(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidRecord);
            assert_eq!(e.to_string(), message);
        }
    }

    /// A note as a reader outside the crate sees it: the three words, the
    /// owner and the text, each part's padding checked.
    fn split_note(note: &[u8], big: bool) -> (u32, u32, u32, &[u8], &[u8]) {
        let word = |i: usize| {
            let w = [note[i], note[i + 1], note[i + 2], note[i + 3]];
            if big {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            }
        };
        let (namesz, descsz) = (word(0) as usize, word(4) as usize);
        let desc = 12 + (namesz + 3) / 4 * 4;
        assert_eq!(note.len(), desc + (descsz + 3) / 4 * 4);
        assert!(note[12 + namesz..desc].iter().all(|&b| b == 0));
        assert!(note[desc + descsz..].iter().all(|&b| b == 0));
        let name = &note[12..12 + namesz];
        (word(0), word(4), word(8), name, &note[desc..desc + descsz])
    }

    #[test]
    fn a_record_is_an_elf_note_of_at_most_512_bytes() {
        const R: Record = Record::new().line(&["a=b"]).end();
        const N: Note<{ R.note_len() }> = R.note();
        let big = cfg!(target_endian = "big");
        let (namesz, descsz, kind, name, text) = split_note(&N.0, big);
        assert_eq!((namesz, descsz, kind), (15, R.len() as u32, 1));
        assert_eq!(name, b"platform-guard\0");
        assert_eq!(text, b"platform-guard record 1\na=b\n\n");
        assert_eq!(N.0.len(), 28 + 32);
        assert_eq!(core::mem::align_of::<Note<60>>(), NOTE_ALIGN);
        assert_eq!((NOTE_HEAD, MAX), (28, 484));
        // The longest record fills the note to 512 bytes at most.
        let mut long = Record::new();
        for _ in 0..100 {
            long = long.line(&["key=value"]);
        }
        let long = long.end();
        assert!(
            long.len() <= MAX && long.note_len() <= NOTE_MAX,
            "{}",
            long.len()
        );
        let note: Note<512> = long.note();
        let (_, descsz, _, _, text) = split_note(&note.0[..long.note_len()], big);
        assert_eq!(descsz as usize, long.len());
        assert!(text.ends_with(b"key=value\ncut\n\n"));
    }

    #[cfg(feature = "manifest")]
    fn note_bytes(name: &[u8], kind: u32, text: &[u8], big: bool) -> Vec<u8> {
        let mut note = Vec::new();
        for w in [name.len() as u32, text.len() as u32, kind] {
            note.extend_from_slice(&if big {
                w.to_be_bytes()
            } else {
                w.to_le_bytes()
            });
        }
        note.extend_from_slice(name);
        note.resize(padded(note.len()), 0);
        note.extend_from_slice(text);
        note.resize(padded(note.len()), 0);
        note
    }

    #[cfg(feature = "manifest")]
    #[test]
    fn notes_read_back_as_written_and_bad_ones_are_errors() {
        const A: Record = Record::new().line(&["target=a"]).end();
        const B: Record = Record::new().line(&["target=bb"]).line(&["x=1"]).end();
        let (a, b): (Note<{ A.note_len() }>, Note<{ B.note_len() }>) = (A.note(), B.note());
        let mut section = a.0.to_vec();
        section.extend_from_slice(&b.0);
        let big = cfg!(target_endian = "big");
        let records = EmbeddedRecord::parse_notes(&section, big).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].target(), Some("a"));
        assert_eq!(
            (records[1].target(), records[1].get("x")),
            (Some("bb"), Some("1"))
        );
        let owner = b"platform-guard\0";
        let text = b"platform-guard record 1\ntarget=x\n\n";
        // Big-endian words read with `big_endian`.
        let be = note_bytes(owner, 1, text, true);
        assert_eq!(
            EmbeddedRecord::parse_notes(&be, true).unwrap()[0].target(),
            Some("x")
        );
        let good = note_bytes(owner, 1, text, false);
        let mut bad_pad = good.clone();
        *bad_pad.last_mut().unwrap() = b'!';
        let mut two = good.clone();
        two.extend_from_slice(&note_bytes(b"GNU\0", 1, b"", false));
        for (bytes, message) in [
            (
                note_bytes(owner, 2, text, false),
                "the .note.pguard section at byte 8 has a note of type 2, not 1",
            ),
            (
                two,
                "the .note.pguard section at byte 76 has a note whose owner is \"GNU\", not \
                 \"platform-guard\"",
            ),
            (
                note_bytes(b"platform-guard", 1, text, false),
                "the .note.pguard section at byte 12 has a note whose owner is \
                 \"platform-guard\", not \"platform-guard\"",
            ),
            (
                good[..good.len() - 4].to_vec(),
                "the .note.pguard section at byte 0 has a note cut short: it needs 64 bytes \
                 and 60 are left",
            ),
            (
                good[..5].to_vec(),
                "the .note.pguard section at byte 0 has a note cut short: it needs 12 bytes \
                 and 5 are left",
            ),
            (
                bad_pad,
                "the .note.pguard section at byte 63 has padding that is not zero: 0x21",
            ),
            (
                note_bytes(owner, 1, b"platform-guard record 1\nno equals\n\n", false),
                "the .note.pguard section at byte 52 has a line that is not key=value: \
                 \"no equals\"",
            ),
        ] {
            let e = EmbeddedRecord::parse_notes(&bytes, false).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidRecord);
            assert_eq!(e.to_string(), message);
        }
        assert_eq!(MACHO_NAME, format!("{},{}", MACHO_SEGMENT, MACHO_SECTION));
    }

    /// Every prefix of two notes, and every byte of them changed, reads
    /// without a panic: a prefix is whole only at a note's end, and a change
    /// is an error or a record still read from notes.
    #[cfg(feature = "manifest")]
    #[test]
    fn cut_or_changed_notes_are_errors_never_a_panic() {
        let text = b"platform-guard record 1\ntarget=x\n\n";
        let one = note_bytes(b"platform-guard\0", 1, text, false);
        let two = [one.clone(), one.clone()].concat();
        for len in 0..=two.len() {
            let read = EmbeddedRecord::parse_notes(&two[..len], false);
            let whole = [0, one.len(), two.len()].contains(&len);
            assert_eq!(read.is_ok(), whole, "{} bytes: {:?}", len, read);
        }
        for at in 0..two.len() {
            for byte in [0x00, 0x0a, 0x3d, 0x7f, 0xff] {
                let mut changed = two.clone();
                changed[at] = byte;
                if let Ok(records) = EmbeddedRecord::parse_notes(&changed, false) {
                    assert!(records.len() <= 2, "byte {} = {}", at, byte);
                }
            }
        }
    }

    #[test]
    fn lists_are_comma_separated() {
        assert_eq!(List::new().as_str(), "");
        assert_eq!(List::new().push("avx").push("avx2").as_str(), "avx,avx2");
    }
}

//! ELF: the machine, class and byte order; the operating system from the
//! ABI byte, the interpreter (`ld-linux*`, `ld-musl*`, Android's linker,
//! the BSDs') and the ABI notes; the C library and the newest version of
//! each versioned library the program needs (`.gnu.version_r`, with the
//! dynamic symbols that need it); and the records, the notes of
//! `.note.pguard`.

use object::elf::{self, FileHeader32, FileHeader64};
use object::read::elf::{Dyn, FileHeader, ProgramHeader, SectionHeader, SectionTable};
use object::read::Result;
use object::{Endianness, FileKind, SymbolIndex};
use platform_guard::{EmbeddedRecord, RECORD_NOTE_SECTION};

use super::{text, Data, Facts, Libc, MinOs, Need};

/// The versioned libraries whose newest needed version is reported.
const PREFIXES: [&str; 4] = ["GLIBC", "GLIBCXX", "GCC", "CXXABI"];

pub fn read(data: Data<'_>, kind: FileKind) -> Result<Facts> {
    match kind {
        FileKind::Elf32 => read_as::<FileHeader32<Endianness>>(data),
        _ => read_as::<FileHeader64<Endianness>>(data),
    }
}

/// What the dynamic linking says: the interpreter, the libraries needed,
/// and the OS note.
struct Linking {
    interpreter: Option<String>,
    needed: Vec<String>,
    /// `(name, type, desc)` of the first ABI note: GNU, Android, the BSDs.
    note: Option<(String, u32, Vec<u8>)>,
    /// The file's byte order, for the notes' words.
    big: bool,
}

fn read_as<Elf: FileHeader<Endian = Endianness>>(data: Data<'_>) -> Result<Facts> {
    let header = Elf::parse(data)?;
    let endian = header.endian()?;
    let segments = header.program_headers(endian, data)?;
    let sections = header.sections(endian, data)?;
    let mut interpreter = None;
    for s in segments {
        if let Some(i) = s.interpreter(endian, data)? {
            interpreter = Some(text(i));
        }
    }
    let linking = Linking {
        interpreter,
        needed: needed(&sections, endian, data)?,
        note: abi_note(&sections, endian, data)?,
        big: header.is_big_endian(),
    };
    let machine = header.e_machine(endian);
    let bits = if header.is_class_64() { 64 } else { 32 };
    let big = header.is_big_endian();
    let (arch, prefixes, abi) = machine_of(machine, bits, big, header.e_flags(endian));
    let os = os_of(header.e_ident().os_abi, &linking);
    let libc = libc_of(os, &linking);
    let (candidates, mut clues) = triples(&prefixes, abi, os, &libc, &linking);
    clues.retain(|c| !c.is_empty());
    let records = match sections.section_by_name(endian, RECORD_NOTE_SECTION.as_bytes()) {
        Some((_, s)) => s
            .data(endian, data)
            .map(|bytes| EmbeddedRecord::parse_notes(bytes, big).map_err(|e| e.to_string()))?,
        None => Ok(Vec::new()),
    };
    Ok(Facts {
        format: "ELF",
        slice: None,
        kind: kind_of(header.e_type(endian), linking.interpreter.is_some()),
        arch,
        bits,
        endian: if big { "big" } else { "little" },
        candidates,
        clues,
        libc: Some(libc.clone()).filter(|_| os == Os::Linux || os == Os::Android),
        needs: version_needs(&sections, endian, data)?,
        min_os: min_os(&linking),
        records: records.as_ref().cloned().unwrap_or_default(),
        record_error: records
            .err()
            .map(|why| (RECORD_NOTE_SECTION.to_string(), why)),
    })
}

fn kind_of(e_type: u16, interpreter: bool) -> &'static str {
    match e_type {
        elf::ET_EXEC => "executable",
        elf::ET_DYN if interpreter => "executable",
        elf::ET_DYN => "shared library or static-pie executable",
        elf::ET_REL => "object file",
        elf::ET_CORE => "core dump",
        _ => "ELF file of another type",
    }
}

/// rustc's `target_arch`, the triples' first parts, and the ABI suffix of
/// Linux triples (`eabihf`, `abi64`, `x32`).
fn machine_of(
    machine: u16,
    bits: u8,
    big: bool,
    flags: u32,
) -> (String, Vec<&'static str>, &'static str) {
    let (arch, prefixes, abi): (&str, &[&'static str], &'static str) = match (machine, bits, big) {
        (elf::EM_X86_64, 64, _) => ("x86_64", &["x86_64"], ""),
        (elf::EM_X86_64, _, _) => ("x86_64", &["x86_64"], "x32"),
        (elf::EM_386, _, _) => ("x86", &["i686", "i586"], ""),
        (elf::EM_AARCH64, 64, false) => ("aarch64", &["aarch64"], ""),
        (elf::EM_AARCH64, 64, true) => ("aarch64", &["aarch64_be"], ""),
        (elf::EM_ARM, _, _) if flags & elf::EF_ARM_ABI_FLOAT_HARD != 0 => {
            ("arm", &["armv7", "arm"], "eabihf")
        }
        (elf::EM_ARM, _, _) => ("arm", &["arm", "armv7", "armv5te"], "eabi"),
        (elf::EM_PPC64, _, false) => ("powerpc64", &["powerpc64le"], ""),
        (elf::EM_PPC64, _, true) => ("powerpc64", &["powerpc64"], ""),
        (elf::EM_PPC, _, _) => ("powerpc", &["powerpc"], ""),
        (elf::EM_S390, 64, _) => ("s390x", &["s390x"], ""),
        (elf::EM_RISCV, 64, _) => ("riscv64", &["riscv64gc"], ""),
        (elf::EM_RISCV, _, _) => ("riscv32", &["riscv32gc"], ""),
        (elf::EM_MIPS, 64, true) => ("mips64", &["mips64"], "abi64"),
        (elf::EM_MIPS, 64, false) => ("mips64", &["mips64el"], "abi64"),
        (elf::EM_MIPS, _, true) => ("mips", &["mips"], ""),
        (elf::EM_MIPS, _, false) => ("mips", &["mipsel"], ""),
        (elf::EM_LOONGARCH, 64, _) => ("loongarch64", &["loongarch64"], ""),
        (elf::EM_SPARCV9, _, _) => ("sparc64", &["sparc64"], ""),
        _ => return (format!("unknown (ELF machine {})", machine), Vec::new(), ""),
    };
    (arch.to_string(), prefixes.to_vec(), abi)
}

/// The operating systems told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Os {
    Linux,
    Android,
    FreeBsd,
    NetBsd,
    OpenBsd,
    Unknown,
}

fn os_of(os_abi: u8, l: &Linking) -> Os {
    let interp = l.interpreter.as_deref().unwrap_or("");
    let note = l
        .note
        .as_ref()
        .map(|(n, t, d)| (n.as_str(), *t, d.first().copied()));
    match (os_abi, note) {
        (_, Some(("Android", ..))) => Os::Android,
        (elf::ELFOSABI_FREEBSD, _) | (_, Some(("FreeBSD", ..))) => Os::FreeBsd,
        (elf::ELFOSABI_NETBSD, _) | (_, Some(("NetBSD", ..))) => Os::NetBsd,
        (elf::ELFOSABI_OPENBSD, _) | (_, Some(("OpenBSD", ..))) => Os::OpenBsd,
        (_, Some(("GNU", elf::NT_GNU_ABI_TAG, Some(0)))) => Os::Linux,
        _ if interp.starts_with("/system/bin/linker") => Os::Android,
        _ if interp.contains("ld-linux")
            || interp.contains("ld-musl")
            || interp.contains("/ld64.so") =>
        {
            Os::Linux
        }
        _ if interp.contains("ld-elf.so") => Os::FreeBsd,
        _ if interp.contains("ld.elf_so") => Os::NetBsd,
        (elf::ELFOSABI_SYSV | elf::ELFOSABI_GNU, _) => Os::Linux,
        _ => Os::Unknown,
    }
}

fn libc_of(os: Os, l: &Linking) -> Libc {
    let interp = l.interpreter.as_deref().unwrap_or("");
    let dynamic = l.interpreter.is_some() || !l.needed.is_empty();
    let linking = if dynamic { "dynamic" } else { "static" };
    let gnu_note = matches!(&l.note, Some((n, elf::NT_GNU_ABI_TAG, _)) if n == "GNU");
    let name = if os == Os::Android {
        "bionic"
    } else if interp.contains("ld-musl") || l.needed.iter().any(|n| n.starts_with("libc.musl")) {
        "musl"
    } else if interp.contains("ld-linux")
        || interp.contains("/ld64.so")
        || l.needed.iter().any(|n| n == "libc.so.6")
        || (!dynamic && gnu_note)
    {
        "glibc"
    } else {
        "unknown"
    };
    Libc { name, linking }
}

/// The candidate triples, the likeliest first, and what they were told
/// from.
fn triples(
    prefixes: &[&str],
    abi: &str,
    os: Os,
    libc: &Libc,
    l: &Linking,
) -> (Vec<String>, Vec<String>) {
    let mut clues = vec![
        l.interpreter
            .as_ref()
            .map_or_else(String::new, |i| format!("interpreter {}", i)),
        l.note
            .as_ref()
            .map_or_else(String::new, |n| describe_note(n, l.big)),
    ];
    let envs: &[&str] = match (os, libc.name) {
        (Os::Linux, "glibc") => &["gnu"],
        (Os::Linux, "musl") => &["musl"],
        (Os::Linux, _) => {
            clues.push(
                "statically linked with no GNU ABI note: musl, or another static C library".into(),
            );
            &["musl", "gnu"]
        }
        _ => &[""],
    };
    let mut out = Vec::new();
    for prefix in prefixes {
        for env in envs {
            let triple = match os {
                Os::Linux if abi == "x32" && *env == "musl" => continue,
                Os::Linux => format!("{}-unknown-linux-{}{}", prefix, env, abi),
                Os::Android if *prefix == "armv7" => "armv7-linux-androideabi".to_string(),
                Os::Android => format!("{}-linux-android", prefix),
                Os::FreeBsd => format!("{}-unknown-freebsd", prefix),
                Os::NetBsd => format!("{}-unknown-netbsd", prefix),
                Os::OpenBsd => format!("{}-unknown-openbsd", prefix),
                Os::Unknown => continue,
            };
            out.push(triple);
        }
    }
    if os == Os::Linux && libc.linking == "static" && libc.name != "unknown" {
        clues.push(format!("statically linked ({})", libc.name));
    }
    (out, clues)
}

fn describe_note((name, kind, desc): &(String, u32, Vec<u8>), big: bool) -> String {
    match (name.as_str(), *kind) {
        ("GNU", elf::NT_GNU_ABI_TAG) => format!("GNU ABI note: {}", gnu_abi(desc, big).0),
        (other, _) => format!("{} note", other),
    }
}

/// The OS and version of a GNU ABI tag's description (four words).
fn gnu_abi(desc: &[u8], big: bool) -> (String, String) {
    let word = |i: usize| {
        desc.get(i * 4..i * 4 + 4).map_or(0, |b| {
            let b = [b[0], b[1], b[2], b[3]];
            if big {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        })
    };
    let os = match word(0) {
        0 => "Linux",
        1 => "Hurd",
        2 => "Solaris",
        3 => "FreeBSD",
        _ => "another system",
    };
    let version = format!("{}.{}.{}", word(1), word(2), word(3));
    (format!("{} {}", os, version), version)
}

fn min_os(l: &Linking) -> Option<MinOs> {
    match &l.note {
        Some((name, elf::NT_GNU_ABI_TAG, desc)) if name == "GNU" && desc.len() >= 16 => {
            Some(MinOs {
                os: "linux kernel".to_string(),
                version: gnu_abi(desc, l.big).1,
                from: "GNU ABI note".to_string(),
            })
        }
        _ => None,
    }
}

/// The libraries `DT_NEEDED` names.
fn needed<'a, Elf: FileHeader<Endian = Endianness>>(
    sections: &SectionTable<'a, Elf, Data<'a>>,
    endian: Endianness,
    data: Data<'a>,
) -> Result<Vec<String>> {
    let Some((dynamic, link)) = sections.dynamic(endian, data)? else {
        return Ok(Vec::new());
    };
    let strings = sections.strings(endian, data, link)?;
    let mut out = Vec::new();
    for d in dynamic {
        if d.tag32(endian) == Some(elf::DT_NEEDED) {
            if let Some(Ok(name)) = d.val32(endian).map(|at| strings.get(at)) {
                out.push(text(name));
            }
        }
    }
    Ok(out)
}

/// The first ABI note in a note section: GNU's, Android's or a BSD's.
fn abi_note<'a, Elf: FileHeader<Endian = Endianness>>(
    sections: &SectionTable<'a, Elf, Data<'a>>,
    endian: Endianness,
    data: Data<'a>,
) -> Result<Option<(String, u32, Vec<u8>)>> {
    for section in sections.iter() {
        // The records' notes are read, and their errors told, on their own.
        if sections.section_name(endian, section)? == RECORD_NOTE_SECTION.as_bytes() {
            continue;
        }
        let Some(mut notes) = section.notes(endian, data)? else {
            continue;
        };
        while let Some(note) = notes.next()? {
            let name = text(note.name());
            let abi = matches!(
                (name.as_str(), note.n_type(endian)),
                ("GNU", elf::NT_GNU_ABI_TAG) | ("Android" | "FreeBSD" | "NetBSD" | "OpenBSD", 1)
            );
            if abi {
                return Ok(Some((name, note.n_type(endian), note.desc().to_vec())));
            }
        }
    }
    Ok(None)
}

/// For each prefix in [`PREFIXES`], the newest version any library is
/// needed at, with the symbols that need it.
fn version_needs<'a, Elf: FileHeader<Endian = Endianness>>(
    sections: &SectionTable<'a, Elf, Data<'a>>,
    endian: Endianness,
    data: Data<'a>,
) -> Result<Vec<Need>> {
    let Some((mut verneeds, link)) = sections.gnu_verneed(endian, data)? else {
        return Ok(Vec::new());
    };
    let strings = sections.strings(endian, data, link)?;
    // Per prefix: the newest (version index, name, library).
    let mut newest: Vec<(usize, u16, String, String)> = Vec::new();
    while let Some((verneed, mut auxes)) = verneeds.next()? {
        let library = text(verneed.file(endian, strings)?);
        while let Some(aux) = auxes.next()? {
            let name = text(aux.name(endian, strings)?);
            let Some(p) = prefix_of(&name) else { continue };
            let index = aux.vna_other.get(endian);
            match newest.iter_mut().find(|(q, ..)| *q == p) {
                Some(e) if numbers(&name) > numbers(&e.2) => *e = (p, index, name, library.clone()),
                Some(_) => {}
                None => newest.push((p, index, name, library.clone())),
            }
        }
    }
    newest.sort_by_key(|e| e.0);
    let symbols = symbols_needing(sections, endian, data, &newest)?;
    Ok(newest
        .into_iter()
        .zip(symbols)
        .map(|((_, _, version, library), symbols)| Need {
            version,
            library,
            symbols,
        })
        .collect())
}

/// Up to three dynamic symbols needing each version index.
fn symbols_needing<'a, Elf: FileHeader<Endian = Endianness>>(
    sections: &SectionTable<'a, Elf, Data<'a>>,
    endian: Endianness,
    data: Data<'a>,
    wanted: &[(usize, u16, String, String)],
) -> Result<Vec<Vec<String>>> {
    let mut out = vec![Vec::new(); wanted.len()];
    let Some(versions) = sections.versions(endian, data)? else {
        return Ok(out);
    };
    let dynsym = sections.symbols(endian, data, elf::SHT_DYNSYM)?;
    for (i, sym) in dynsym.iter().enumerate() {
        let index = versions.version_index(endian, SymbolIndex(i)).index();
        if let Some(at) = wanted.iter().position(|w| w.1 == index) {
            if out[at].len() < 3 {
                out[at].push(text(dynsym.symbol_name(endian, sym)?));
            }
        }
    }
    Ok(out)
}

fn prefix_of(version: &str) -> Option<usize> {
    let (prefix, number) = version.rsplit_once('_')?;
    let numeric = !number.is_empty() && number.split('.').all(|p| p.parse::<u32>().is_ok());
    PREFIXES
        .iter()
        .position(|p| *p == prefix)
        .filter(|_| numeric)
}

/// `[2, 34]` of `GLIBC_2.34`.
pub fn numbers(version: &str) -> Vec<u32> {
    let number = version.rsplit_once('_').map_or(version, |(_, n)| n);
    number.split('.').filter_map(|p| p.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_numbers() {
        assert!(numbers("GLIBC_2.9") < numbers("GLIBC_2.28"));
        assert!(numbers("GLIBC_2.3.4") < numbers("GLIBC_2.14"));
        assert_eq!(prefix_of("GLIBCXX_3.4.29"), Some(1));
        assert_eq!(prefix_of("GLIBC_PRIVATE"), None);
        assert_eq!(prefix_of("OTHER_1.0"), None);
    }

    #[test]
    fn linux_triples_follow_the_libc() {
        let l = Linking {
            interpreter: Some("/lib/ld-musl-x86_64.so.1".into()),
            needed: vec![],
            note: None,
            big: false,
        };
        let libc = libc_of(Os::Linux, &l);
        assert_eq!((libc.name, libc.linking), ("musl", "dynamic"));
        let (t, _) = triples(&["x86_64"], "", Os::Linux, &libc, &l);
        assert_eq!(t, ["x86_64-unknown-linux-musl"]);
        let stat = Linking {
            interpreter: None,
            needed: vec![],
            note: None,
            big: false,
        };
        let libc = libc_of(Os::Linux, &stat);
        let (t, clues) = triples(&["x86_64"], "", Os::Linux, &libc, &stat);
        assert_eq!(t, ["x86_64-unknown-linux-musl", "x86_64-unknown-linux-gnu"]);
        assert!(clues.iter().any(|c| c.contains("statically linked")));
        let (t, _) = triples(
            &["armv7", "arm"],
            "eabihf",
            Os::Linux,
            &Libc {
                name: "glibc",
                linking: "dynamic",
            },
            &l,
        );
        assert_eq!(
            t,
            [
                "armv7-unknown-linux-gnueabihf",
                "arm-unknown-linux-gnueabihf"
            ]
        );
    }
}

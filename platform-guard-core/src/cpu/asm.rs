//! Writes the CPU gate: assembly that runs before `main` and uses only the
//! architecture's baseline instructions, for whichever target features a
//! compile assumes, with each feature's test (the bits `std_detect` reads).
//! Compiled only in the crate's tests: the crate holds its output as
//! `src/cpu/gate_<arch>.s`, which a test keeps equal to it, and
//! `src/cpu/mod.rs` assembles that with `global_asm!`, after the flags of the
//! features its compile assumes (so a build whose features do not exceed
//! the baseline compiles no gate, and nothing writes one at build time). It
//! declares the gate's three functions:
//!
//! - `<base>enforce()`: tests every feature; if one is missing, writes the
//!   one refusal line to stderr (fd 2) and exits the process with status 1
//!   (`exit_group`).
//! - `<base>check()`: tests every feature and records the missing ones; if
//!   one is missing, it also writes the refusal line into its buffer and
//!   installs a SIGILL handler that prints that line and exits with status 1
//!   (a program that meets a missing instruction before it has handled
//!   `check!()`'s refusal ends with the line, not a bare SIGILL).
//! - `<base>missing()`: the recorded missing features (bit i = entry i of the
//!   architecture's table).
//!
//! `enforce!()` and `check!()` put `enforce` or `check` in `.init_array`.
//! x86_64 reads `cpuid` and `xgetbv`; aarch64 calls `getauxval` for
//! `AT_HWCAP`/`AT_HWCAP2`. Both write and exit with raw Linux system calls.
//! Nothing here runs Rust code, which is compiled with the very features
//! under test.

use std::fmt::Write;

use super::table::{REFUSAL_MIDDLE, REFUSAL_START, X86_64_LEVELS};

/// The features of `arch`'s table with their tests, if the gate knows it.
pub(crate) fn features(arch: &str) -> Option<&'static [Feature]> {
    match arch {
        "x86_64" => Some(&X86_64),
        "aarch64" => Some(&AARCH64),
        _ => None,
    }
}

/// Where `name` is in `features`.
fn index(features: &[Feature], name: &str) -> Option<usize> {
    features.iter().position(|f| f.name == name)
}

/// The gate's assembly for `arch` (`target_arch`), for every possible set
/// of features: each feature's test is assembled only where its flag
/// `.Lpg_r<i>` (entry i of the table) is 1. `src/cpu/mod.rs` sets the flags
/// from the compile's `cfg(target_feature)` values before this text, and
/// names the functions after it (`PLATFORM_GUARD_CPU_GATE <base>`); the
/// crate holds the result as `src/cpu/gate_<arch>.s` (a test keeps it
/// equal to this). `None` for an architecture without a gate.
pub(crate) fn parametric(arch: &str) -> Option<String> {
    let features = features(arch)?;
    let mut o = String::from(
        "// The CPU gate (see src/cpu/mod.rs), written by src/cpu/asm.rs: do not edit.\n\
         // Expects .Lpg_r<i> = 1 for each feature i of the table the compile assumes\n\
         // (0 otherwise); assembled by `PLATFORM_GUARD_CPU_GATE <base>`.\n",
    );
    start_length(&mut o, arch, features);
    let _ = writeln!(o, ".macro PLATFORM_GUARD_CPU_GATE base");
    if arch == "x86_64" {
        x86_64(&mut o, features);
    } else {
        aarch64(&mut o, features);
    }
    let _ = writeln!(o, ".endm");
    Some(o)
}

/// Whether feature `i` of `features` has a test.
fn tested(features: &[Feature], i: usize) -> bool {
    !matches!(features[i].test, Test::Nothing)
}

/// `.Lpg_v2` .. `.Lpg_v4` (x86_64: 1 where the compile reaches that
/// level), and `.Lpg_start_len`, the length of the refusal line up to the
/// missing features, and `.Lpg_text_len`, the longest line.
fn start_length(o: &mut String, arch: &str, features: &[Feature]) {
    let mut covered: Vec<Option<usize>> = vec![None; features.len()];
    let mut len = format!(
        "{}",
        REFUSAL_START.len() + REFUSAL_MIDDLE.len() + arch.len()
    );
    if arch == "x86_64" {
        let mut before = String::new();
        for (n, (_, names, _)) in X86_64_LEVELS.iter().enumerate() {
            let level = n + 2;
            let mut all = before.clone();
            for name in names.iter() {
                let i = index(features, name).expect("a level's feature is in the table");
                covered[i] = Some(level);
                if !all.is_empty() {
                    all.push_str(" & ");
                }
                let _ = write!(all, ".Lpg_r{}", i);
            }
            let _ = writeln!(o, ".set .Lpg_v{}, {}", level, all);
            before = format!(".Lpg_v{}", level);
        }
        // "x86_64" is as long as "x86-64"; "x86-64-vN" is 3 longer.
        len.push_str(" + 3 * .Lpg_v2");
    }
    let mut text = String::from(".Lpg_start_len");
    for (i, f) in features.iter().enumerate() {
        if !tested(features, i) {
            continue;
        }
        let _ = write!(len, " + {} * {}", f.name.len() + 1, shown(i, covered[i]));
        let _ = write!(text, " + {} * .Lpg_r{}", f.name.len() + 2, i);
    }
    let _ = writeln!(o, ".set .Lpg_start_len, {}", len);
    let _ = writeln!(o, ".set .Lpg_text_len, {}", text);
}

/// The flag of `+name` in what the program was built for: required and not
/// covered by the x86-64 level reached.
fn shown(i: usize, level: Option<usize>) -> String {
    match level {
        Some(level) => format!(".Lpg_r{} * (1 - .Lpg_v{})", i, level),
        None => format!(".Lpg_r{}", i),
    }
}

/// `.ascii` text for the assembler (the table's names and fixed words only:
/// printable ASCII without quotes or backslashes).
fn ascii(text: &str) -> String {
    debug_assert!(text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\'));
    format!(".ascii \"{}\"", text)
}

/// The functions' common head: section, symbols and their types.
fn head(out: &mut String, section_flags: &str, align: u32) {
    let _ = writeln!(
        out,
        ".pushsection .text.\\base\\()gate,\"ax\",{}",
        section_flags
    );
    let _ = writeln!(out, ".p2align {}", align);
    let t = if section_flags.starts_with('@') {
        "@function"
    } else {
        "%function"
    };
    for name in ["enforce", "check", "missing"] {
        let _ = writeln!(out, ".globl \\base\\(){}", name);
        let _ = writeln!(out, ".hidden \\base\\(){}", name);
        let _ = writeln!(out, ".type \\base\\(){},{}", name, t);
    }
}

/// The end of the gate's code: a local symbol, so that a disassembler
/// (ci/check-cpu) shows the gate from `<base>enforce` to `<base>end`.
fn end(out: &mut String) {
    let _ = writeln!(out, "\\base\\()end:");
    let _ = writeln!(out, ".popsection");
}

/// The data: the recorded mask, the line's buffer and length, and its
/// pieces: the start (what the program was built for) and each feature's
/// name.
fn data(out: &mut String, arch: &str, features: &[Feature]) {
    let _ = writeln!(out, ".pushsection .bss.platform_guard_cpu,\"aw\",%nobits");
    let _ = writeln!(out, ".p2align 3");
    let _ = writeln!(out, ".Lpg_missing: .zero 8");
    let _ = writeln!(out, ".Lpg_len: .zero 8");
    let _ = writeln!(out, ".Lpg_text: .zero .Lpg_text_len + 16");
    let _ = writeln!(out, ".popsection");
    let _ = writeln!(
        out,
        ".pushsection .rodata.platform_guard_cpu,\"a\",%progbits"
    );
    let _ = writeln!(out, ".Lpg_start: {}", ascii(REFUSAL_START));
    let mut covered: Vec<Option<usize>> = vec![None; features.len()];
    if arch == "x86_64" {
        for (n, (name, names, _)) in X86_64_LEVELS.iter().enumerate().rev() {
            let level = n + 2;
            let word = if level == 4 { ".if" } else { ".elseif" };
            let _ = writeln!(out, "{} .Lpg_v{}\n{}", word, level, ascii(name));
            for f in names.iter() {
                covered[index(features, f).expect("in the table")] = Some(level);
            }
        }
        let _ = writeln!(out, ".else\n{}\n.endif", ascii("x86-64"));
    } else {
        let _ = writeln!(out, "{}", ascii(arch));
    }
    for (i, f) in features.iter().enumerate() {
        if tested(features, i) {
            let _ = writeln!(
                out,
                ".if {}\n{}\n.endif",
                shown(i, covered[i]),
                ascii(&format!("+{}", f.name))
            );
        }
    }
    let _ = writeln!(out, "{}", ascii(REFUSAL_MIDDLE));
    if arch == "aarch64" {
        let _ = writeln!(out, ".p2align 3\n.Lpg_start_size: .quad .Lpg_start_len");
    }
    for (i, f) in features.iter().enumerate() {
        if tested(features, i) {
            let _ = writeln!(
                out,
                ".if .Lpg_r{i}\n.Lpg_name_{i}: {}\n.endif",
                ascii(&format!("{}, ", f.name)),
                i = i
            );
        }
    }
    let _ = writeln!(out, ".popsection");
}

fn x86_64(o: &mut String, features: &[Feature]) {
    head(o, "@progbits", 4);
    o.push_str(
        r#"\base\()enforce:
    push %rbx
    call .Lpg_detect
    test %rax, %rax
    jz .Lpg_enforce_runs
    call .Lpg_message
    jmp .Lpg_refuse
.Lpg_enforce_runs:
    pop %rbx
    ret
.size \base\()enforce, . - \base\()enforce

\base\()check:
    push %rbx
    call .Lpg_detect
    mov %rax, .Lpg_missing(%rip)
    test %rax, %rax
    jz .Lpg_check_runs
    call .Lpg_message
    call .Lpg_backstop
.Lpg_check_runs:
    pop %rbx
    ret
.size \base\()check, . - \base\()check

\base\()missing:
    mov .Lpg_missing(%rip), %rax
    ret
.size \base\()missing, . - \base\()missing

# rax = missing features. r8: the mask; r9d, r10d: the highest basic and
# extended leaves; r11d: 1 = the OS saves AVX state, 2 = and AVX-512 state,
# 4 = BMI is trusted. Clobbers rbx (the callers save it), rcx, rdx, rsi, rdi.
.Lpg_detect:
    xor %r8d, %r8d
    xor %r11d, %r11d
    xor %esi, %esi
    xor %eax, %eax
    cpuid
    mov %eax, %r9d
    cmp $0x756e6547, %ebx
    jne .Lpg_not_intel
    cmp $0x49656e69, %edx
    jne .Lpg_not_intel
    cmp $0x6c65746e, %ecx
    jne .Lpg_not_intel
    mov $1, %esi
.Lpg_not_intel:
    mov $0x80000000, %eax
    cpuid
    mov %eax, %r10d
    mov $1, %eax
    xor %ecx, %ecx
    cpuid
    mov %ecx, %edi
    bt $27, %ecx
    jnc .Lpg_state_known
    xor %ecx, %ecx
    xgetbv
    mov %eax, %edx
    and $6, %edx
    cmp $6, %edx
    jne .Lpg_state_known
    or $1, %r11d
    and $0xe0, %eax
    cmp $0xe0, %eax
    jne .Lpg_state_known
    or $2, %r11d
.Lpg_state_known:
    test %esi, %esi
    jz .Lpg_bmi_trusted
    bt $28, %edi
    jnc .Lpg_bmi_known
    test $1, %r11d
    jz .Lpg_bmi_known
.Lpg_bmi_trusted:
    or $4, %r11d
.Lpg_bmi_known:
"#,
    );
    // One `cpuid` per leaf and subleaf that a required feature needs, then
    // its features.
    let mut leaves: Vec<((u32, u32), Vec<usize>)> = Vec::new();
    for (i, f) in features.iter().enumerate() {
        if let Test::Cpuid { leaf, sub, .. } = f.test {
            match leaves.iter_mut().find(|(key, _)| *key == (leaf, sub)) {
                Some((_, list)) => list.push(i),
                None => leaves.push(((leaf, sub), vec![i])),
            }
        }
    }
    for ((leaf, sub), list) in leaves {
        let any: Vec<String> = list.iter().map(|i| format!(".Lpg_r{}", i)).collect();
        let _ = writeln!(
            o,
            ".if {}\n    mov ${:#x}, %eax\n    mov ${:#x}, %ecx\n    call .Lpg_cpuid",
            any.join(" | "),
            leaf,
            sub
        );
        for i in list {
            let f = &features[i];
            let (reg, bits, state) = match f.test {
                Test::Cpuid {
                    reg, bits, state, ..
                } => (reg, bits, state),
                _ => continue,
            };
            let reg = match reg {
                Reg::Eax => "%eax",
                Reg::Ebx => "%ebx",
                Reg::Ecx => "%ecx",
                Reg::Edx => "%edx",
            };
            let _ = writeln!(o, ".if .Lpg_r{}\n    # {}", i, f.name);
            let _ = writeln!(
                o,
                "    mov {}, %edi\n    and ${:#x}, %edi\n    cmp ${:#x}, %edi",
                reg, bits, bits
            );
            let _ = writeln!(o, "    jne .Lpg_lacks_{}", i);
            let flags = state.flags();
            if flags != 0 {
                let _ = writeln!(
                    o,
                    "    mov %r11d, %edi\n    and ${}, %edi\n    cmp ${}, %edi",
                    flags, flags
                );
                let _ = writeln!(o, "    je .Lpg_has_{}", i);
            } else {
                let _ = writeln!(o, "    jmp .Lpg_has_{}", i);
            }
            let _ = writeln!(
                o,
                ".Lpg_lacks_{}:\n    bts ${}, %r8\n.Lpg_has_{}:\n.endif",
                i, i, i
            );
        }
        let _ = writeln!(o, ".endif");
    }
    o.push_str(
        r#"    mov %r8, %rax
    ret

# eax = leaf, ecx = subleaf: cpuid, or all zero beyond the highest leaf.
.Lpg_cpuid:
    cmp $0x80000000, %eax
    jae .Lpg_cpuid_extended
    cmp %r9d, %eax
    ja .Lpg_cpuid_none
    cpuid
    ret
.Lpg_cpuid_extended:
    cmp %r10d, %eax
    ja .Lpg_cpuid_none
    cpuid
    ret
.Lpg_cpuid_none:
    xor %eax, %eax
    xor %ebx, %ebx
    xor %ecx, %ecx
    xor %edx, %edx
    ret

# rax = missing features: the refusal line into .Lpg_text, its length
# into .Lpg_len.
.Lpg_message:
    cld
    mov %rax, %rdx
    lea .Lpg_text(%rip), %rdi
    lea .Lpg_start(%rip), %rsi
"#,
    );
    o.push_str("    mov $.Lpg_start_len, %ecx\n    rep movsb\n");
    for (i, f) in features.iter().enumerate() {
        if tested(features, i) {
            let _ = writeln!(
                o,
                ".if .Lpg_r{i}\n    bt ${i}, %rdx\n    jnc .Lpg_named_{i}\n    lea .Lpg_name_{i}(%rip), %rsi\n    mov ${len}, %ecx\n    rep movsb\n.Lpg_named_{i}:\n.endif",
                i = i,
                len = f.name.len() + 2
            );
        }
    }
    o.push_str(
        r#"    sub $2, %rdi
    movb $10, (%rdi)
    inc %rdi
    lea .Lpg_text(%rip), %rsi
    sub %rsi, %rdi
    mov %rdi, .Lpg_len(%rip)
    ret

# The line to stderr, however many writes it takes (EINTR retried; any
# other error, or a closed stderr, ends it quietly).
.Lpg_write:
    lea .Lpg_text(%rip), %rsi
    mov .Lpg_len(%rip), %rdx
.Lpg_write_more:
    test %rdx, %rdx
    jz .Lpg_written
    mov $1, %eax
    mov $2, %edi
    syscall
    cmp $-4, %rax
    je .Lpg_write_more
    test %rax, %rax
    jle .Lpg_written
    add %rax, %rsi
    sub %rax, %rdx
    jmp .Lpg_write_more
.Lpg_written:
    ret

# SIGPIPE ignored (a closed pipe on stderr fails the write instead of
# killing the process), the line, then exit_group(1). Also the SIGILL
# handler.
.Lpg_refuse:
    mov $13, %edi
    mov $1, %esi
    call .Lpg_sigaction
    call .Lpg_write
    mov $231, %eax
    mov $1, %edi
    syscall
    jmp .Lpg_refuse

# The line on SIGILL.
.Lpg_backstop:
    mov $4, %edi
    lea .Lpg_refuse(%rip), %rsi
    jmp .Lpg_sigaction

# rt_sigaction(edi, [rsi, SA_RESTORER, restorer, empty mask], NULL, 8).
.Lpg_sigaction:
    sub $40, %rsp
    mov %rsi, (%rsp)
    movq $0x04000000, 8(%rsp)
    lea .Lpg_restorer(%rip), %rax
    mov %rax, 16(%rsp)
    movq $0, 24(%rsp)
    mov $13, %eax
    mov %rsp, %rsi
    xor %edx, %edx
    mov $8, %r10d
    syscall
    add $40, %rsp
    ret
.Lpg_restorer:
    mov $15, %eax
    syscall
"#,
    );
    end(o);
    data(o, "x86_64", features);
}

fn aarch64(o: &mut String, features: &[Feature]) {
    head(o, "%progbits", 2);
    o.push_str(
        r#"\base\()enforce:
    stp x29, x30, [sp, #-16]!
    mov x29, sp
    bl .Lpg_detect
    cbz x0, .Lpg_enforce_runs
    bl .Lpg_message
    b .Lpg_refuse
.Lpg_enforce_runs:
    ldp x29, x30, [sp], #16
    ret
.size \base\()enforce, . - \base\()enforce

\base\()check:
    stp x29, x30, [sp, #-16]!
    mov x29, sp
    bl .Lpg_detect
    adrp x1, .Lpg_missing
    str x0, [x1, :lo12:.Lpg_missing]
    cbz x0, .Lpg_check_runs
    bl .Lpg_message
    bl .Lpg_backstop
.Lpg_check_runs:
    ldp x29, x30, [sp], #16
    ret
.size \base\()check, . - \base\()check

\base\()missing:
    adrp x0, .Lpg_missing
    ldr x0, [x0, :lo12:.Lpg_missing]
    ret
.size \base\()missing, . - \base\()missing

// x0 = missing features; x19 = AT_HWCAP, x20 = AT_HWCAP2.
.Lpg_detect:
    stp x29, x30, [sp, #-32]!
    mov x29, sp
    stp x19, x20, [sp, #16]
    mov x0, #16
    bl getauxval
    mov x19, x0
    mov x0, #26
    bl getauxval
    mov x20, x0
    mov x0, #0
"#,
    );
    for (i, f) in features.iter().enumerate() {
        let (word, bits) = match f.test {
            Test::Hwcap { word, bits } => (word, bits),
            _ => continue,
        };
        let _ = writeln!(o, ".if .Lpg_r{}\n    // {}", i, f.name);
        let _ = writeln!(
            o,
            "    movz x2, #{:#x}\n    movk x2, #{:#x}, lsl #16\n    movk x2, #{:#x}, lsl #32\n    movk x2, #{:#x}, lsl #48",
            bits & 0xffff,
            (bits >> 16) & 0xffff,
            (bits >> 32) & 0xffff,
            (bits >> 48) & 0xffff
        );
        let reg = if word == 1 { "x19" } else { "x20" };
        let _ = writeln!(
            o,
            "    and x1, {}, x2\n    cmp x1, x2\n    b.eq .Lpg_has_{}",
            reg, i
        );
        let _ = writeln!(
            o,
            "    orr x0, x0, #{:#x}\n.Lpg_has_{}:\n.endif",
            1u64 << i,
            i
        );
    }
    o.push_str(
        r#"    ldp x19, x20, [sp, #16]
    ldp x29, x30, [sp], #32
    ret

// x0 = missing features: the refusal line into .Lpg_text, its length
// into .Lpg_len. x1 = from, x2 = count, x3 = to, x4 = the mask.
.Lpg_message:
    mov x4, x0
    adrp x3, .Lpg_text
    add x3, x3, :lo12:.Lpg_text
    adrp x1, .Lpg_start
    add x1, x1, :lo12:.Lpg_start
"#,
    );
    let copy = |o: &mut String, label: &str| {
        let _ = writeln!(
            o,
            ".Lpg_copy_{l}:\n    ldrb w5, [x1], #1\n    strb w5, [x3], #1\n    subs x2, x2, #1\n    b.ne .Lpg_copy_{l}",
            l = label
        );
    };
    // The start's length is known only once the flags are: read from data.
    o.push_str("    adrp x2, .Lpg_start_size\n    ldr x2, [x2, :lo12:.Lpg_start_size]\n");
    copy(o, "start");
    for (i, f) in features.iter().enumerate() {
        if tested(features, i) {
            let _ = writeln!(
                o,
                ".if .Lpg_r{i}\n    tbz x4, #{i}, .Lpg_named_{i}\n    adrp x1, .Lpg_name_{i}\n    add x1, x1, :lo12:.Lpg_name_{i}\n    mov x2, #{len}",
                i = i,
                len = f.name.len() + 2
            );
            copy(o, &i.to_string());
            let _ = writeln!(o, ".Lpg_named_{}:\n.endif", i);
        }
    }
    o.push_str(
        r#"    sub x3, x3, #2
    mov w5, #10
    strb w5, [x3], #1
    adrp x1, .Lpg_text
    add x1, x1, :lo12:.Lpg_text
    sub x2, x3, x1
    adrp x1, .Lpg_len
    str x2, [x1, :lo12:.Lpg_len]
    ret

// The line to stderr, however many writes it takes (EINTR retried; any
// other error, or a closed stderr, ends it quietly).
.Lpg_write:
    adrp x1, .Lpg_text
    add x1, x1, :lo12:.Lpg_text
    adrp x2, .Lpg_len
    ldr x2, [x2, :lo12:.Lpg_len]
.Lpg_write_more:
    cbz x2, .Lpg_written
    mov x0, #2
    mov x8, #64
    svc #0
    cmn x0, #4
    b.eq .Lpg_write_more
    cmp x0, #0
    b.le .Lpg_written
    add x1, x1, x0
    sub x2, x2, x0
    b .Lpg_write_more
.Lpg_written:
    ret

// SIGPIPE ignored (a closed pipe on stderr fails the write instead of
// killing the process), the line, then exit_group(1). Also the SIGILL
// handler.
.Lpg_refuse:
    mov x0, #13
    mov x1, #1
    bl .Lpg_sigaction
    bl .Lpg_write
    mov x0, #1
    mov x8, #94
    svc #0
    b .Lpg_refuse

// The line on SIGILL.
.Lpg_backstop:
    mov x0, #4
    adrp x1, .Lpg_refuse
    add x1, x1, :lo12:.Lpg_refuse
    b .Lpg_sigaction

// rt_sigaction(x0, [x1, no flags, no restorer, empty mask], NULL, 8).
.Lpg_sigaction:
    sub sp, sp, #32
    stp x1, xzr, [sp]
    stp xzr, xzr, [sp, #16]
    mov x1, sp
    mov x2, #0
    mov x3, #8
    mov x8, #134
    svc #0
    add sp, sp, #32
    ret
"#,
    );
    end(o);
    data(o, "aarch64", features);
}

/// How a feature is tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Test {
    /// x86: every bit of `bits` set in register `reg` of `cpuid` leaf
    /// `leaf`, subleaf `sub` (all zero beyond the CPU's highest leaf), and
    /// the [`State`] the operating system must have enabled.
    Cpuid {
        leaf: u32,
        sub: u32,
        reg: Reg,
        bits: u32,
        state: State,
    },
    /// aarch64 Linux: every bit of `bits` set in `getauxval(AT_HWCAP)`
    /// (`word` 1) or `getauxval(AT_HWCAP2)` (`word` 2).
    Hwcap { word: u8, bits: u64 },
    /// Nothing to test: the feature adds no instruction a program runs at
    /// user level (aarch64 system features such as `pan` or `vh`).
    Nothing,
}

/// A `cpuid` output register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reg {
    Eax,
    Ebx,
    Ecx,
    Edx,
}

/// What else an x86 feature needs besides its `cpuid` bits, as Rust's own
/// run-time detection (`std_detect`) decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    None,
    /// The operating system saves AVX state: `OSXSAVE` and `XCR0` bits 1
    /// and 2.
    Avx,
    /// ... and AVX-512 state: also `XCR0` bits 5 to 7.
    Avx512,
    /// BMI1/BMI2 are trusted unless the CPU is Intel's and AVX is unusable
    /// (erratum SKL052: some Pentium and Celeron chips report BMI they do
    /// not have).
    Bmi,
}

impl State {
    /// The gate's flag bits that must all be set (see the assembly).
    // Used by the build script's `asm.rs` (and the crate's tests of it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) const fn flags(self) -> u32 {
        match self {
            State::None => 0,
            State::Avx => 1,
            State::Avx512 => 3,
            State::Bmi => 4,
        }
    }
}

/// One feature: its name as `-C target-feature` and `cfg(target_feature)`
/// spell it, and its test.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Feature {
    pub(crate) name: &'static str,
    pub(crate) test: Test,
}

const fn x86(name: &'static str, leaf: u32, sub: u32, reg: Reg, bit: u32, state: State) -> Feature {
    Feature {
        name,
        test: Test::Cpuid {
            leaf,
            sub,
            reg,
            bits: 1 << bit,
            state,
        },
    }
}

const fn hwcap(name: &'static str, word: u8, bits: u64) -> Feature {
    Feature {
        name,
        test: Test::Hwcap { word, bits },
    }
}

const fn nothing(name: &'static str) -> Feature {
    Feature {
        name,
        test: Test::Nothing,
    }
}

use Reg::{Eax, Ebx, Ecx, Edx};
use State::{Avx, Avx512, Bmi};

/// x86_64: every feature stable Rust reports in `cfg(target_feature)`
/// beyond the baseline (`fxsr`, `sse`, `sse2`), with the `cpuid` bits
/// `std_detect` reads for it; except Key Locker's `kl` and `widekl`, whose
/// names Rust 1.85 does not know (`cfg!(target_feature = "kl")` in the
/// macros would warn there).
pub(crate) const X86_64: [Feature; 51] = [
    x86("adx", 7, 0, Ebx, 19, State::None),
    x86("aes", 1, 0, Ecx, 25, State::None),
    x86("avx", 1, 0, Ecx, 28, Avx),
    x86("avx2", 7, 0, Ebx, 5, Avx),
    x86("avx512bf16", 7, 1, Eax, 5, Avx512),
    x86("avx512bitalg", 7, 0, Ecx, 12, Avx512),
    x86("avx512bw", 7, 0, Ebx, 30, Avx512),
    x86("avx512cd", 7, 0, Ebx, 28, Avx512),
    x86("avx512dq", 7, 0, Ebx, 17, Avx512),
    x86("avx512f", 7, 0, Ebx, 16, Avx512),
    x86("avx512fp16", 7, 0, Edx, 23, Avx512),
    x86("avx512ifma", 7, 0, Ebx, 21, Avx512),
    x86("avx512vbmi", 7, 0, Ecx, 1, Avx512),
    x86("avx512vbmi2", 7, 0, Ecx, 6, Avx512),
    x86("avx512vl", 7, 0, Ebx, 31, Avx512),
    x86("avx512vnni", 7, 0, Ecx, 11, Avx512),
    x86("avx512vp2intersect", 7, 0, Edx, 8, Avx512),
    x86("avx512vpopcntdq", 7, 0, Ecx, 14, Avx512),
    x86("avxifma", 7, 1, Eax, 23, Avx),
    x86("avxneconvert", 7, 1, Edx, 5, Avx),
    x86("avxvnni", 7, 1, Eax, 4, Avx),
    x86("avxvnniint16", 7, 1, Edx, 10, Avx),
    x86("avxvnniint8", 7, 1, Edx, 4, Avx),
    x86("bmi1", 7, 0, Ebx, 3, Bmi),
    x86("bmi2", 7, 0, Ebx, 8, Bmi),
    x86("cmpxchg16b", 1, 0, Ecx, 13, State::None),
    x86("f16c", 1, 0, Ecx, 29, Avx),
    x86("fma", 1, 0, Ecx, 12, Avx),
    x86("gfni", 7, 0, Ecx, 8, State::None),
    x86("lzcnt", 0x8000_0001, 0, Ecx, 5, State::None),
    x86("movbe", 1, 0, Ecx, 22, State::None),
    x86("pclmulqdq", 1, 0, Ecx, 1, State::None),
    x86("popcnt", 1, 0, Ecx, 23, State::None),
    x86("rdrand", 1, 0, Ecx, 30, State::None),
    x86("rdseed", 7, 0, Ebx, 18, State::None),
    x86("sha", 7, 0, Ebx, 29, State::None),
    x86("sha512", 7, 1, Eax, 0, Avx),
    x86("sm3", 7, 1, Eax, 1, Avx),
    x86("sm4", 7, 1, Eax, 2, Avx),
    x86("sse3", 1, 0, Ecx, 0, State::None),
    x86("sse4.1", 1, 0, Ecx, 19, State::None),
    x86("sse4.2", 1, 0, Ecx, 20, State::None),
    x86("sse4a", 0x8000_0001, 0, Ecx, 6, State::None),
    x86("ssse3", 1, 0, Ecx, 9, State::None),
    x86("tbm", 0x8000_0001, 0, Ecx, 21, State::None),
    x86("vaes", 7, 0, Ecx, 9, Avx),
    x86("vpclmulqdq", 7, 0, Ecx, 10, Avx),
    x86("xsave", 1, 0, Ecx, 26, Avx),
    x86("xsavec", 0xd, 1, Eax, 1, Avx),
    x86("xsaveopt", 0xd, 1, Eax, 0, Avx),
    x86("xsaves", 0xd, 1, Eax, 3, Avx),
];

/// Linux's `HWCAP_*` bits for aarch64 (`arch/arm64/include/uapi/asm/hwcap.h`).
const fn cap(bit: u32) -> u64 {
    1 << bit
}

/// aarch64: every feature stable Rust reports in `cfg(target_feature)`
/// beyond the baseline (`neon`, with `fp`), with the Linux hardware
/// capabilities `std_detect` reads for it.
pub(crate) const AARCH64: [Feature; 42] = [
    hwcap("aes", 1, cap(3) | cap(4)),
    hwcap("bf16", 2, cap(14)),
    hwcap("bti", 2, cap(17)),
    hwcap("crc", 1, cap(7)),
    hwcap("dit", 1, cap(24)),
    hwcap("dotprod", 1, cap(20)),
    hwcap("dpb", 1, cap(16)),
    hwcap("dpb2", 2, cap(0)),
    hwcap("f32mm", 2, cap(10)),
    hwcap("f64mm", 2, cap(11)),
    hwcap("fcma", 1, cap(14)),
    hwcap("fhm", 1, cap(23)),
    hwcap("flagm", 1, cap(27)),
    hwcap("fp16", 1, cap(9) | cap(10)),
    hwcap("frintts", 2, cap(8)),
    hwcap("i8mm", 2, cap(13)),
    hwcap("jsconv", 1, cap(13)),
    nothing("lor"),
    hwcap("lse", 1, cap(8)),
    hwcap("mte", 2, cap(18)),
    hwcap("paca", 1, cap(30)),
    hwcap("pacg", 1, cap(31)),
    nothing("pan"),
    nothing("pmuv3"),
    hwcap("rand", 2, cap(16)),
    nothing("ras"),
    hwcap("rcpc", 1, cap(15)),
    hwcap("rcpc2", 1, cap(26)),
    hwcap("rdm", 1, cap(12)),
    hwcap("sb", 1, cap(29)),
    hwcap("sha2", 1, cap(5) | cap(6)),
    hwcap("sha3", 1, cap(17) | cap(21)),
    hwcap("sm4", 1, cap(18) | cap(19)),
    nothing("spe"),
    hwcap("ssbs", 1, cap(28)),
    hwcap("sve", 1, cap(22)),
    hwcap("sve2", 2, cap(1)),
    hwcap("sve2-aes", 2, cap(2) | cap(3)),
    hwcap("sve2-bitperm", 2, cap(4)),
    hwcap("sve2-sha3", 2, cap(5)),
    hwcap("sve2-sm4", 2, cap(6)),
    nothing("vh"),
];

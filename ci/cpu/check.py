#!/usr/bin/env python3
"""The CPU gate, proven where it runs (ci/check-cpu calls this; see there).

usage: check.py <repository copy> [<markdown table to write>]

Builds tests/fixtures/cpu-gate for every (build, opt-level) below, runs its
three programs (`cpu-gate`: enforce!(); `cpu-gate-check`: check!(), which
prints `handled: <refusal>` and exits 3 when it gets the refusal;
`cpu-gate-bare`: the same work unguarded) under qemu-user with every CPU
model of its architecture, and compares each outcome with what the model's
features say (ci/cpu/oracle.rs, built for the baseline and run on the same
model: Rust's own run-time detection). It also disassembles the gate in
every guarded program and fails if the gate itself uses an instruction
beyond the architecture's baseline.
"""

import os
import re
import subprocess
import sys
import time

X86 = "x86_64-unknown-linux-gnu"
ARM = "aarch64-unknown-linux-gnu"
OPT_LEVELS = ["0", "1", "2", "3", "s", "z"]
# (name, target, rustflags, what the program was built for)
BUILDS = [
    ("x86-64", X86, "", None),
    ("x86-64-v2", X86, "-C target-cpu=x86-64-v2", "x86-64-v2"),
    ("x86-64-v3", X86, "-C target-cpu=x86-64-v3", "x86-64-v3"),
    ("x86-64-v4", X86, "-C target-cpu=x86-64-v4", "x86-64-v4"),
    ("aarch64+lse", ARM, "-C target-feature=+lse,+crt-static", "aarch64+lse"),
    ("aarch64+sve", ARM, "-C target-feature=+sve,+crt-static", "aarch64+sve"),
]
MODELS = {
    X86: ["Conroe", "Nehalem", "Haswell", "max"],
    ARM: ["cortex-a53", "neoverse-n1", "a64fx", "max"],
}
QEMU = {X86: "qemu-x86_64", ARM: "qemu-aarch64"}
OBJDUMP = {X86: "objdump", ARM: "aarch64-linux-gnu-objdump"}
BASELINE = {X86: {"fxsr", "sse", "sse2"}, ARM: {"neon", "crt-static"}}
START = "platform-guard: refusing to run on this CPU: the program was built for "

failures = []


def log(msg):
    print("check-cpu: " + msg, flush=True)


def fail(msg):
    failures.append(msg)
    log("FAIL " + msg)


def run(argv, env=None, cwd=None, timeout=600):
    full = dict(os.environ)
    for var in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "PLATFORM_GUARD_DENY",
                "CPU_GATE_UNSUPPORTED_ARCH", "DOCS_RS"):
        full.pop(var, None)
    full.update(env or {})
    return subprocess.run(argv, env=full, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)


def text(b):
    return b.decode("utf-8", "replace")


def features_of(target, rustflags):
    """The target features a compile with `rustflags` assumes beyond the
    baseline, as `rustc --print cfg` reports them."""
    p = run(["rustc", "--print", "cfg", "--target", target] + rustflags.split())
    if p.returncode != 0:
        raise SystemExit("rustc --print cfg --target %s %s failed: %s"
                         % (target, rustflags, text(p.stderr)))
    found = re.findall(r'^target_feature="([^"]+)"$', text(p.stdout), re.M)
    return sorted(set(found) - BASELINE[target])


def oracle(copy, target, models):
    """Each model's answer for every feature ci/cpu/oracle.rs asks about."""
    binary = os.path.join(copy, "target", "cpu-oracle-" + target)
    argv = ["rustc", "-O", "--edition", "2021", "--target", target,
            os.path.join(copy, "ci", "cpu", "oracle.rs"), "-o", binary]
    if target == ARM:
        argv += ["-C", "linker=aarch64-linux-gnu-gcc", "-C", "target-feature=+crt-static"]
    p = run(argv)
    if p.returncode != 0:
        raise SystemExit("building the oracle for %s failed:\n%s" % (target, text(p.stderr)))
    answers = {}
    for model in models:
        p = run([QEMU[target], "-cpu", model, binary], timeout=60)
        if p.returncode != 0:
            raise SystemExit("the oracle failed under %s -cpu %s: %s"
                             % (QEMU[target], model, text(p.stderr)))
        answers[model] = dict(l.split() for l in text(p.stdout).splitlines())
    return answers


def build(copy, name, target, rustflags, opt):
    fixture = os.path.join(copy, "tests", "fixtures", "cpu-gate")
    tdir = os.path.join(copy, "target", "cpu-%s-%s" % (name, opt))
    env = {"RUSTFLAGS": rustflags, "CARGO_PROFILE_RELEASE_OPT_LEVEL": opt,
           "CARGO_TARGET_DIR": tdir,
           "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER": "aarch64-linux-gnu-gcc"}
    p = run(["cargo", "build", "--quiet", "--release", "--target", target], env, fixture, 900)
    if p.returncode != 0:
        fail("building %s at opt-level %s: %s" % (name, opt, text(p.stderr)[-2000:]))
        return None
    return os.path.join(tdir, target, "release")


def outcome(target, model, binary):
    """(kind, exit status as a shell shows it, first line of output)."""
    p = run([QEMU[target], "-cpu", model, binary], timeout=60)
    err = [l for l in text(p.stderr).splitlines()
           if "TCG doesn't support requested feature" not in l]
    out = text(p.stdout).splitlines()
    status = 128 - p.returncode if p.returncode < 0 else p.returncode
    first = (out + err + [""])[0] if p.returncode >= 0 else (err + [""])[0]
    if p.returncode == -4:
        return "SIGILL", status, first
    if p.returncode == 0 and out and out[0].startswith("ran: "):
        return "ran", status, out[0]
    if p.returncode == 1 and err and err[0].startswith(START) and not out:
        return "refused", status, err[0]
    if p.returncode == 3 and out and out[0].startswith("handled: " + START):
        return "handled", status, out[0]
    return "other", status, (out + err + [""])[0]


# Instructions beyond each baseline (objdump's spelling).
X86_V2 = set("""popcnt cmpxchg16b lahf sahf crc32 addsubpd addsubps haddpd haddps hsubpd
hsubps lddqu movddup movshdup movsldup fisttp pabsb pabsw pabsd palignr phaddw phaddd
phaddsw phsubw phsubd phsubsw pmaddubsw pmulhrsw pshufb psignb psignw psignd blendpd
blendps blendvpd blendvps dppd dpps extractps insertps movntdqa mpsadbw packusdw pblendvb
pblendw pcmpeqq pextrb pextrd pextrq phminposuw pinsrb pinsrd pinsrq pmaxsb pmaxsd pmaxud
pmaxuw pminsb pminsd pminud pminuw pmovsxbw pmovsxbd pmovsxbq pmovsxwd pmovsxwq pmovsxdq
pmovzxbw pmovzxbd pmovzxbq pmovzxwd pmovzxwq pmovzxdq pmuldq pmulld ptest roundpd roundps
roundsd roundss pcmpestri pcmpestrm pcmpistri pcmpistrm pcmpgtq""".split())
X86_V3 = {"lzcnt", "tzcnt", "movbe"}
LSE = re.compile(r"^(ld(add|clr|eor|set|smax|smin|umax|umin)|swp|casp?|"
                 r"st(add|clr|eor|set|smax|smin|umax|umin))(a|al|l)?(b|h)?$")
SVE = re.compile(r"\bz\d+\.|\bp\d+(/[zm]|\.[bhsd])|^(ptrue|pfalse|whilel[ot]|rdvl|addvl|addpl)$")


def beyond(target, raw, mnemonic, operands):
    """What an instruction needs beyond its architecture's baseline, or None."""
    if target == X86:
        prefix = [b for b in raw.split() if b not in ("66", "f2", "f3", "f0", "2e", "3e", "26", "64", "65", "36")]
        if prefix and prefix[0] == "62":
            return "EVEX"
        if prefix and prefix[0] in ("c4", "c5"):
            return "VEX"
        m = mnemonic.split(".")[0]
        if m in X86_V3 or m in X86_V2 or m.rstrip("bwlq") in X86_V2:
            return m
        return None
    if LSE.match(mnemonic):
        return "LSE " + mnemonic
    if SVE.search(mnemonic) or SVE.search(operands):
        return "SVE " + mnemonic
    return None


def gate_code(target, binary):
    """The gate's instructions in `binary`: from <base>enforce to <base>end."""
    nm = text(run(["nm", binary]).stdout)
    start = [l.split() for l in nm.splitlines() if re.search(r"platform_guard_cpu_[0-9a-f]+_enforce$", l)]
    end = [l.split() for l in nm.splitlines() if re.search(r"platform_guard_cpu_[0-9a-f]+_end$", l)]
    if len(start) != 1 or len(end) != 1:
        return None
    p = run([OBJDUMP[target], "-d", "--start-address=0x" + start[0][0],
             "--stop-address=0x" + end[0][0], binary])
    insns = []
    for line in text(p.stdout).splitlines():
        m = re.match(r"^\s+[0-9a-f]+:\s+((?:[0-9a-f]{2,8} )+)\s*(\S+)\s*(.*)$", line)
        if m:
            insns.append((m.group(1), m.group(2), m.group(3)))
    return insns


def main():
    copy = sys.argv[1]
    table_out = sys.argv[2] if len(sys.argv) > 2 else None
    begun = time.time()
    answers = {}
    for target, models in MODELS.items():
        answers[target] = oracle(copy, target, models)
        for model in models:
            lacks = sorted(f for f, a in answers[target][model].items() if a == "no")
            log("%s -cpu %s lacks: %s" % (QEMU[target], model, ", ".join(lacks) or "nothing asked"))
    cells = []  # (build, opt, model, expected, [(kind, status, first) x 3])
    gate_sizes = {}
    for name, target, rustflags, built_for in BUILDS:
        needs = features_of(target, rustflags)
        log("%s: %s" % (name, ", ".join(needs) or "baseline"))
        for opt in OPT_LEVELS:
            out = build(copy, name, target, rustflags, opt)
            if out is None:
                continue
            code = gate_code(target, os.path.join(out, "cpu-gate"))
            if built_for is None:
                if code is not None:
                    fail("%s at opt-level %s: a baseline build has the gate" % (name, opt))
            elif code is None:
                fail("%s at opt-level %s: no gate (platform_guard_cpu_*_enforce .. _end) in cpu-gate" % (name, opt))
            else:
                gate_sizes[name] = len(code)
                for raw, mnemonic, operands in code:
                    what = beyond(target, raw, mnemonic, operands)
                    if what:
                        fail("%s at opt-level %s: the gate itself uses %s (%s %s)" % (name, opt, what, mnemonic, operands))
            for model in MODELS[target]:
                lacks = sorted(f for f in needs if answers[target][model].get(f, "no") == "no")
                if built_for and lacks:
                    expected = ("refused", START + built_for + ", and the CPU lacks " + ", ".join(lacks))
                else:
                    expected = ("ran", None)
                got = [outcome(target, model, os.path.join(out, b))
                       for b in ("cpu-gate", "cpu-gate-check", "cpu-gate-bare")]
                cells.append((name, opt, model, expected, got))
                where = "%s at opt-level %s on %s" % (name, opt, model)
                kind, status, first = got[0]
                if expected[0] == "refused":
                    if kind != "refused" or first != expected[1]:
                        fail("%s: enforce!() should refuse with '%s'; got %s (exit %d) '%s'"
                             % (where, expected[1], kind, status, first))
                    ck, cs, cf = got[1]
                    if not ((ck == "refused" and cf == expected[1]) or
                            (ck == "handled" and cf == "handled: " + expected[1])):
                        fail("%s: check!() should return or print the refusal; got %s (exit %d) '%s'"
                             % (where, ck, cs, cf))
                else:
                    for (k, s, f), which in zip(got[:2], ("enforce!()", "check!()")):
                        if k != "ran":
                            fail("%s: %s should run; got %s (exit %d) '%s'" % (where, which, k, s, f))
    log("%d cells in %.0f s; the gate's code: %s" % (
        len(cells), time.time() - begun,
        ", ".join("%s %d instructions" % kv for kv in sorted(gate_sizes.items()))))
    table = render(cells)
    print(table)
    if table_out:
        with open(table_out, "w") as f:
            f.write(table)
    if failures:
        log("%d failure(s)" % len(failures))
        sys.exit(1)
    log("ok")


def render(cells):
    """The README's table: one row per build and CPU model, each program's
    outcomes over the opt-levels (grouped when they agree), then the first
    lines."""
    rows = []
    lines = []
    by = {}
    for name, opt, model, expected, got in cells:
        by.setdefault((name, model), []).append((opt, got))
    order = []
    for name, opt, model, expected, got in cells:
        if (name, model) not in order:
            order.append((name, model))
    out = ["| Build | CPU model | `enforce!()` | `check!()` | unguarded |", "|---|---|---|---|---|"]
    for name, model in order:
        runs = by[(name, model)]
        row = ["`%s`" % name, model]
        for i in range(3):
            groups = []
            for opt, got in runs:
                kind, status, first = got[i]
                label = "%s, exit %d" % (kind, status)
                if first and kind in ("refused", "handled", "other") and first not in lines:
                    lines.append(first)
                for g in groups:
                    if g[0] == label:
                        g[1].append(opt)
                        break
                else:
                    groups.append((label, [opt]))
            if len(groups) == 1:
                row.append(groups[0][0])
            else:
                row.append("; ".join("%s (O%s)" % (label, ",".join(opts)) for label, opts in groups))
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append("First lines:")
    out.append("")
    for l in lines:
        out.append("- `%s`" % l)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()

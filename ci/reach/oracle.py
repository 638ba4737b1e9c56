#!/usr/bin/env python3
"""An independent expectation of what platform-guard's build script emits.

It shares no code with the crate: the policies are written out here as
Python data (not parsed from cfg text), a target's cfg comes straight from
`rustc --print cfg --target T`, and the rules are evaluated, rendered and
turned into the expected directives by the few lines below. ci/check-targets
compares the result with what the fixture consumers under
tests/fixtures/reach-targets really emitted, for every target rustc knows.

Usage as a tool: oracle.py <etcd|default|custom|zero-setup> <target> [rustc]
prints the directives expected for that target.
"""

import subprocess
import sys

# A cfg predicate: ("name", n) | ("eq", n, v) | ("all", [..]) | ("any", [..])
# | ("not", p).


def eq(name, value):
    return ("eq", name, value)


def name(n):
    return ("name", n)


def all_(*ps):
    return ("all", list(ps))


def any_(*ps):
    return ("any", list(ps))


def not_(p):
    return ("not", p)


LEVELS = ["stable", "experimental", "unstable", "unsupported"]


def policy(var, go_names, rules, deny=None, zero_setup=False):
    return {"var": var, "go": go_names, "rules": rules, "deny": deny, "zero_setup": zero_setup}


# A Linux userland with glibc or musl, from the general-purpose vendor: Go's
# `linux` as etcd releases run on it (not OpenHarmony, the Unikraft
# unikernel or Linux without a libc).
LINUX_USERLAND = [
    eq("target_os", "linux"),
    any_(eq("target_env", "gnu"), eq("target_env", "musl")),
    eq("target_vendor", "unknown"),
]


# etcd v3.3 "Supported systems". amd64 = x86_64 with 64-bit pointers;
# ppc64le = little-endian powerpc64 with 64-bit pointers; Darwin = macOS;
# Linux = LINUX_USERLAND.
ETCD = policy(
    "ETCD_UNSUPPORTED_ARCH",
    True,
    [
        (
            "experimental",
            all_(eq("target_arch", "x86_64"), eq("target_pointer_width", "64"), eq("target_os", "macos")),
        ),
        (
            "stable",
            all_(eq("target_arch", "x86_64"), eq("target_pointer_width", "64"), *LINUX_USERLAND),
        ),
        (
            "stable",
            all_(
                eq("target_arch", "powerpc64"),
                eq("target_endian", "little"),
                eq("target_pointer_width", "64"),
                *LINUX_USERLAND,
            ),
        ),
    ],
)

# DESIGN.md: stable = 64-bit x86_64 or aarch64 on Linux, macOS or Windows;
# experimental = any other 64-bit target; everything else unsupported.
DEFAULT = policy(
    "REACH_DEFAULT_UNSUPPORTED_ARCH",
    False,
    [
        (
            "stable",
            all_(
                eq("target_pointer_width", "64"),
                any_(eq("target_arch", "x86_64"), eq("target_arch", "aarch64")),
                any_(eq("target_os", "linux"), eq("target_os", "macos"), eq("target_os", "windows")),
            ),
        ),
        ("experimental", eq("target_pointer_width", "64")),
    ],
)

# Keep in step with tests/fixtures/reach-targets/custom/build.rs.
CUSTOM = policy(
    "REACH_CUSTOM_UNSUPPORTED_ARCH",
    False,
    [
        ("unsupported", all_(eq("target_os", "none"), not_(eq("target_has_atomic", "ptr")))),
        (
            "stable",
            all_(
                eq("target_family", "unix"),
                eq("target_pointer_width", "64"),
                any_(eq("target_env", "gnu"), eq("target_env", "musl")),
                not_(any_(eq("target_endian", "big"), eq("target_os", "android"))),
            ),
        ),
        (
            "experimental",
            any_(
                all_(eq("target_vendor", "apple"), eq("target_abi", "")),
                all_(name("windows"), eq("target_env", "msvc"), not_(eq("target_arch", "x86"))),
            ),
        ),
        (
            "unstable",
            any_(
                eq("target_family", "wasm"),
                all_(eq("target_arch", "x86_64"), eq("target_feature", "ssse3")),
                all_(eq("target_os", "none"), eq("panic", "abort"), eq("target_abi", "eabihf")),
            ),
        ),
        ("experimental", all_(eq("target_pointer_width", "64"), not_(eq("target_env", "")))),
        ("unstable", all_(name("unix"), eq("target_endian", "big"))),
    ],
    deny="unsupported",
)

# Zero setup: platform-guard's own build script classifies the target with
# the default policy. It only sets the cfg and its own rustc-env values (no
# warning: the consumer chose no policy), always in the `cargo:` dialect
# (the crate's rust-version is 1.63).
ZERO_SETUP = policy("", False, DEFAULT["rules"], zero_setup=True)

POLICIES = {"etcd": ETCD, "default": DEFAULT, "custom": CUSTOM, "zero-setup": ZERO_SETUP}


def parse_cfg(text):
    """`rustc --print cfg` output -> (set of names, set of (name, value))."""
    names, pairs = set(), set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if "=" in line:
            key, _, value = line.partition("=")
            if not (value.startswith('"') and value.endswith('"') and len(value) >= 2):
                raise ValueError("unexpected rustc --print cfg line: %r" % line)
            pairs.add((key, value[1:-1]))
        else:
            names.add(line)
    return names, pairs


def holds(p, cfg):
    names, pairs = cfg
    kind = p[0]
    if kind == "name":
        return p[1] in names
    if kind == "eq":
        return (p[1], p[2]) in pairs
    if kind == "all":
        return all(holds(q, cfg) for q in p[1])
    if kind == "any":
        return any(holds(q, cfg) for q in p[1])
    if kind == "not":
        return not holds(p[1], cfg)
    raise ValueError(p)


def render(p):
    """Cargo's cfg syntax, as the crate displays a rule."""
    kind = p[0]
    if kind == "name":
        return p[1]
    if kind == "eq":
        return '%s = "%s"' % (p[1], p[2])
    if kind in ("all", "any"):
        return "%s(%s)" % (kind, ", ".join(render(q) for q in p[1]))
    return "not(%s)" % render(p[1])


# Names a compile's own flags can change without its build script seeing
# them (the build script warns about rules on them).
UNSEEN_FLAGS = {"contract_checks", "emscripten_wasm_eh", "fmt_debug", "overflow_checks", "relocation_model",
                "sanitize", "sanitizer_cfi_generalize_pointers", "sanitizer_cfi_normalize_integers",
                "target_feature", "ub_checks"}


def names_tested(rules):
    """Every cfg name the rules test, once each, in the order they first
    appear (outer expressions first)."""
    found = []

    def walk(p):
        if p[0] in ("name", "eq"):
            if p[1] not in found:
                found.append(p[1])
        elif p[0] in ("all", "any"):
            for q in p[1]:
                walk(q)
        elif p[0] == "not":
            walk(p[1])

    for _, pred in rules:
        walk(pred)
    return found


def value(pairs, key):
    found = [v for (k, v) in pairs if k == key]
    return found[0] if len(found) == 1 else None


# Go's GOARCH names (go/build's list: 386 amd64 amd64p32 arm armbe arm64
# arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64
# ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm), chosen from Rust's
# architecture, endianness and pointer width. Go has no name for the rest
# (nor for ILP32 aarch64); they keep Rust's.
def go_arch(pairs):
    arch = value(pairs, "target_arch")
    big = value(pairs, "target_endian") == "big"
    bits = value(pairs, "target_pointer_width")
    table = {
        "x86": "386",
        "x86_64": "amd64p32" if bits == "32" else "amd64",
        "arm": "armbe" if big else "arm",
        "aarch64": "arm64be" if big else "arm64",
        "loongarch64": "loong64",
        "mips": "mips" if big else "mipsle",
        "mips32r6": "mips" if big else "mipsle",
        "powerpc": "ppc",
        "powerpc64": "ppc64" if big else "ppc64le",
        "riscv32": "riscv",
        "riscv64": "riscv64",
        "s390x": "s390x",
        "sparc": "sparc",
        "sparc64": "sparc64",
        "wasm32": "wasm",
    }
    # Go's arm64 is LP64: the ILP32 aarch64 targets have no Go name.
    if arch == "aarch64" and bits == "32":
        return arch
    if arch in ("mips64", "mips64r6"):
        suffix = "p32" if bits == "32" else ""
        return "mips64" + suffix + ("" if big else "le")
    return table.get(arch, arch)


def expect(pol, triple, cfg_text, prefix="cargo::", error_directive=True, manifest_dir=""):
    """The target-dependent directives the build script should write, in
    order, and the lines it should write to stderr.

    A consumer's script (Policy::build): `PLATFORM_GUARD_RUN=<manifest
    dir>#<out>#<run>` first (always `cargo:`, written before the toolchain
    is known; the caller replaces the OUT_DIR by `<out>` and the run's id by
    `<run>`), the warnings about what the build script cannot know (a rule
    on `panic`, then one per rule name a compile's own flags can change),
    the cfg, the rustc-env values (with `PLATFORM_GUARD_ASSUMED`, the
    per-compile values the rules test: `panic=<value>`), the non-stable
    warning, the no-environment warning (WebAssembly without an OS, at a
    refusing level), then the error of a denial, or else
    `PLATFORM_GUARD_DONE=<manifest dir>#<out>#<run>`. Without the
    `cargo::error` directive (before Cargo 1.84, or in the `cargo:` dialect)
    a denial is an `error: ...` line on stderr instead.

    Zero setup (platform-guard's own build.rs, `cargo:`): the cfg, and the
    rustc-env values OWN_TARGET, OWN_RULE (the rule's index), OWN_VALUE and,
    with no PLATFORM_GUARD_DENY, empty OWN_DENIED_BY, OWN_LIFTS and
    OWN_BAD_DENY."""
    cfg = parse_cfg(cfg_text)
    level, rule, index = "unsupported", None, None
    for i, (lvl, pred) in enumerate(pol["rules"]):
        if holds(pred, cfg):
            level, rule, index = lvl, render(pred), i
            break
    var = pol["var"]
    val = go_arch(cfg[1]) if pol["go"] else value(cfg[1], "target_arch")
    why = "rule `%s`" % rule if rule is not None else "no rule matched"
    if pol["zero_setup"]:
        out = [
            'rustc-cfg=platform_support="%s"' % level,
            "rustc-env=PLATFORM_GUARD_OWN_TARGET=%s" % triple,
            "rustc-env=PLATFORM_GUARD_OWN_RULE=%s" % ("" if index is None else index),
            "rustc-env=PLATFORM_GUARD_OWN_VALUE=%s" % val,
            "rustc-env=PLATFORM_GUARD_OWN_DENIED_BY=",
            "rustc-env=PLATFORM_GUARD_OWN_LIFTS=",
            "rustc-env=PLATFORM_GUARD_OWN_BAD_DENY=",
        ]
        return level, ["cargo:" + line for line in out], []
    tested = names_tested(pol["rules"])
    panic = value(cfg[1], "panic") or ""
    out = []
    if "panic" in tested:
        out.append("warning=platform-guard: a rule tests `panic`: decided with panic = \"%s\", the "
                   "strategy Cargo tells build scripts (the target's, with the rustflags), which is not "
                   "the profile's `panic`; enforce!() and check!() stop a compile whose strategy "
                   "differs" % panic)
    for n in tested:
        if n in UNSEEN_FLAGS:
            out.append("warning=platform-guard: a rule tests `%s`: decided with the rustflags Cargo "
                       "gives this build script; flags only one compile gets (a profile setting, "
                       "`cargo rustc -- ...`, a profile's `rustflags`) are not seen, and its programs "
                       "may differ" % n)
    assumed = ["panic=%s" % panic] if "panic" in tested else []
    out += [
        'rustc-cfg=platform_support="%s"' % level,
        "rustc-env=PLATFORM_GUARD_LEVEL=%s" % level,
        "rustc-env=PLATFORM_GUARD_TARGET=%s" % triple,
        "rustc-env=PLATFORM_GUARD_RULE_INDEX=%s" % ("" if index is None else index),
        "rustc-env=PLATFORM_GUARD_RULE=%s" % (rule or ""),
        "rustc-env=PLATFORM_GUARD_OVERRIDE_VAR=%s" % var,
        "rustc-env=PLATFORM_GUARD_OVERRIDE_VALUE=%s" % val,
        "rustc-env=PLATFORM_GUARD_ASSUMED=%s" % ",".join(assumed),
    ]
    refuses = level in ("unstable", "unsupported")
    if level != "stable":
        if refuses:
            then = "its programs refuse to run unless %s=%s is set" % (var, val)
        else:
            then = "it is not fully supported"
        out.append("warning=platform-guard: target %s is %s (%s); %s" % (triple, level, why, then))
    if refuses and value(cfg[1], "target_arch") in ("wasm32", "wasm64") and value(cfg[1], "target_os") == "unknown":
        out.append("warning=platform-guard: programs for %s have no environment and no stderr: their "
                   "enforce!() would refuse and could never be lifted, so it does not compile there; "
                   "use check!()" % triple)
    deny = pol["deny"]
    stderr = []
    if deny is not None and LEVELS.index(level) >= LEVELS.index(deny):
        denial = "platform-guard: building for %s target %s (%s) is denied by this crate's " \
            "policy (deny %s and worse); set %s=%s to build anyway" % (level, triple, why, deny, var, val)
        if error_directive:
            out.append("error=" + denial)
        else:
            stderr.append("error: " + denial)
    else:
        out.append("rustc-env=PLATFORM_GUARD_DONE=%s#<out>#<run>" % manifest_dir)
    lines = ["cargo:rustc-env=PLATFORM_GUARD_RUN=%s#<out>#<run>" % manifest_dir] + [prefix + line for line in out]
    return level, lines, stderr


def main(argv):
    if len(argv) not in (3, 4) or argv[1] not in POLICIES:
        sys.stderr.write("usage: oracle.py <etcd|default|custom|zero-setup> <target> [rustc]\n")
        return 2
    rustc = argv[3] if len(argv) == 4 else "rustc"
    cfg = subprocess.run([rustc, "--print", "cfg", "--target", argv[2]], capture_output=True, text=True)
    if cfg.returncode != 0:
        sys.stderr.write("rustc --print cfg --target %s failed: %s" % (argv[2], cfg.stderr))
        return 1
    level, lines, stderr = expect(POLICIES[argv[1]], argv[2], cfg.stdout)
    print("\n".join(lines + ["(stderr) " + l for l in stderr]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

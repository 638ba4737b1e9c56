#!/usr/bin/env python3
"""The driver behind ci/bench: measures platform-guard's cost and writes
BENCHMARKS.md. Every number is a ratio against a baseline measured in the
same run. See ci/bench for the environment variables."""

import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "ci", "bench-fixtures")

# (key, fixture directory, description) for the clean-build comparison.
VARIANTS = [
    ("a", "a-none", "no build dependency"),
    ("a2", "a2-build-script", "a trivial build script of its own, no dependency"),
    ("b", "b-rustc-version", "`rustc_version` build-dep calling `version()` + `cfg-if`"),
    ("c", "c-autocfg", "`autocfg` probing one version"),
    ("d", "d-guard", "platform-guard build-dep (`build`) + dep: `Policy::etcd().build()`, `enforce!()`"),
    ("e", "e-zero-setup", "platform-guard plain dependency only (zero setup)"),
]
# The variants that depend on platform-guard: built once per mode.
GUARDED = ("d", "e")
# How the consumers get platform-guard: from a registry (the `cargo package`
# output served as crates.io, what users get) or as a path dependency.
MODES = ("registry", "path")
# Goals, judged in registry mode: (numerator, denominator, debug, release).
# (d)/(b) is issue 9's; (e)/(a2) is issue 19's (issue 9 asked 1.50/1.60).
GOALS = [("d", "b", 1.35, 1.50), ("e", "a2", 1.80, 2.10)]
# Reported beside the goals, for scale.
RATIOS = GOALS + [("e", "a", None, None)]
GOAL_OWN_WORK_MS = 1.0


def die(msg):
    sys.stderr.write("ci/bench: error: %s\n" % msg)
    sys.exit(1)


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        die("%s=%r: expected a positive whole number" % (name, raw))
    return int(raw)


QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RUNS = env_int("BENCH_RUNS", 5 if QUICK else 15)
SCRIPT_RUNS = env_int("BENCH_SCRIPT_RUNS", 30 if QUICK else 200)
MATRIX_RUNS = env_int("BENCH_MATRIX_RUNS", 1 if QUICK else 3)
OUT = os.environ.get("BENCH_OUT") or os.path.join(ROOT, "BENCHMARKS.md")
KEEP = os.environ.get("BENCH_KEEP", "") not in ("", "0")
REV = os.environ.get("BENCH_REV", "")
# Set in main(): the temporary work directory, the platform-guard source the
# fixtures depend on, the staged copies of the fixtures (one directory per
# mode under it), and the package: {"version", "file", "dir", ...}.
TMP = CRATE = STAGED = PACKAGE = None


def log(msg):
    sys.stderr.write("[bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def base_env():
    """The caller's environment without what would redirect or wrap builds."""
    env = dict(os.environ)
    for k in ("CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR", "RUSTC_WRAPPER",
              "CARGO_BUILD_RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER",
              "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER", "CARGO_BUILD_TARGET"):
        env.pop(k, None)
    env["CARGO_TERM_COLOR"] = "never"
    env["CARGO_TERM_PROGRESS_WHEN"] = "never"
    return env


ENV = base_env()


def run(cmd, cwd=None, env=None, check=True, what=None):
    p = subprocess.run(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if check and p.returncode != 0:
        die("%s failed (exit %d): %s\n%s" % (what or " ".join(cmd), p.returncode,
                                             " ".join(cmd), p.stderr[-4000:]))
    return p


def cargo_build(fixture, target_dir, release, extra=(), mode="registry"):
    """One cargo build of the fixture staged for `mode` (see MODES); returns
    (seconds, completed process)."""
    env = dict(ENV)
    env["CARGO_TARGET_DIR"] = target_dir
    cmd = ["cargo", "build", "--offline"] + (["--release"] if release else []) + list(extra)
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=os.path.join(STAGED, mode, fixture), env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        die("`%s` in (a %s-mode copy of) ci/bench-fixtures/%s failed (exit %d):\n%s"
            % (" ".join(cmd), mode, fixture, p.returncode, p.stderr[-4000:]))
    return elapsed, p


def fmt_s(x):
    return "%.2f s" % x


def fmt_ms(x):
    return "%.2f ms" % x


def fmt_n(n):
    return "{:,}".format(n)


def verdict(ok):
    return "**met**" if ok else "**missed**"


# ---------------------------------------------------------------- machine


def machine_info():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    rustc = run(["rustc", "-vV"]).stdout
    meta = dict(l.split(": ", 1) for l in rustc.splitlines() if ": " in l)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "rustc": rustc.splitlines()[0],
        "host": meta.get("host", "?"),
        "llvm": meta.get("LLVM version", "?"),
        "cargo": run(["cargo", "-V"]).stdout.strip(),
        "hyperfine": run(["hyperfine", "--version"]).stdout.strip(),
        "valgrind": run(["valgrind", "--version"]).stdout.strip(),
    }


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


# --------------------------------------------------------------- staging


def crate_source(tmp):
    """The platform-guard tree to measure and a description of it."""
    if REV:
        p = run(["git", "-C", ROOT, "rev-parse", "--verify", "--quiet", REV + "^{commit}"],
                check=False)
        if p.returncode != 0:
            die("BENCH_REV=%r: not a commit of the repository at %s" % (REV, ROOT))
        sha = p.stdout.strip()
        dest = os.path.join(tmp, "src")
        os.makedirs(dest)
        archive = subprocess.Popen(["git", "-C", ROOT, "archive", "--format=tar", sha],
                                   stdout=subprocess.PIPE)
        untar = subprocess.run(["tar", "-x", "-C", dest], stdin=archive.stdout)
        archive.stdout.close()
        if archive.wait() != 0 or untar.returncode != 0:
            die("could not export BENCH_REV=%r (%s) with git archive" % (REV, sha))
        return dest, "commit `%s` (`BENCH_REV=%s`, exported with `git archive`)" % (sha[:12], REV)
    p = run(["git", "-C", ROOT, "rev-parse", "HEAD"], check=False)
    if p.returncode != 0:
        return ROOT, "the directory %s (not a git checkout)" % ROOT
    # GIT_OPTIONAL_LOCKS=0: git status must not refresh the repository's index.
    quiet_git = dict(ENV, GIT_OPTIONAL_LOCKS="0")
    dirty = run(["git", "-C", ROOT, "status", "--porcelain", "--", "Cargo.toml", "build.rs",
                 "src", "cargo-platform-guard"], env=quiet_git).stdout.split("\n")
    dirty = sorted(l[3:] for l in dirty if l.strip())
    desc = "the working tree at commit `%s`" % p.stdout.strip()[:12]
    if dirty:
        desc += " with uncommitted changes to %s" % ", ".join("`%s`" % d for d in dirty)
    return ROOT, desc


def cargo_offline_first(args, cwd, what):
    """A cargo command that may need crates.io: offline first (the local
    registry cache is usually enough), online if that fails."""
    p = run(["cargo"] + args + ["--offline"], cwd=cwd, check=False)
    if p.returncode != 0:
        p = run(["cargo"] + args, cwd=cwd, what=what)
    return p


# The packages that are platform-guard: the one users depend on, and its
# implementation (the measured tree may predate the split).
OURS = ("platform-guard", "platform-guard-core")


def package_source(tmp, crate):
    """A directory to run `cargo package` in without writing to the
    repository: the exported commit itself, or a copy of the working tree's
    files that `cargo package` would see (tracked or untracked, not ignored)."""
    if crate != ROOT:
        return crate
    dest = os.path.join(tmp, "package-src")
    p = run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            check=False)
    if p.returncode != 0:
        shutil.copytree(ROOT, dest, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "target"))
        return dest
    for rel in sorted(set(f for f in p.stdout.split("\0") if f)):
        src = os.path.join(ROOT, rel)
        if not os.path.lexists(src) or os.path.isdir(src):
            continue  # deleted in the working tree, or a submodule
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)
    return dest


def package_crate(tmp, crate):
    """`cargo package` of platform-guard from the measured tree, the way it
    would be published. The root manifest may be a workspace with other
    members, hence `-p`."""
    src = package_source(tmp, crate)
    manifest = os.path.join(src, "Cargo.toml")
    meta = run(["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1",
                "--manifest-path", manifest], what="cargo metadata of the measured tree")
    versions = [pk["version"] for pk in json.loads(meta.stdout)["packages"]
                if pk["name"] == "platform-guard"]
    if len(versions) != 1:
        die("the measured tree's workspace (%s) has no package platform-guard" % manifest)
    version = versions[0]
    target = os.path.join(tmp, "package-target")
    # platform-guard and the packages of the workspace it depends on (its
    # implementation, platform-guard-core, where the tree has one).
    names = [pk["name"] for pk in json.loads(meta.stdout)["packages"]
             if pk["name"] in ("platform-guard", "platform-guard-core")]
    args = ["package", "--no-verify", "--allow-dirty", "--quiet"]
    for name in names:
        args += ["-p", name]
    cargo_offline_first(args + ["--manifest-path", manifest, "--target-dir", target],
                        src, "cargo package -p platform-guard")
    crates = []
    for name in sorted(names, key=lambda n: n != "platform-guard"):
        path = os.path.join(target, "package", "%s-%s.crate" % (name, version))
        if not os.path.isfile(path):
            die("`cargo package` did not write %s" % path)
        crates.append(path)
    files = 0
    for path in crates:
        with tarfile.open(path, "r:gz") as tar:
            files += sum(1 for m in tar.getmembers() if m.isfile())
    return {"version": version, "file": crates[0], "files": files, "crates": crates,
            "bytes": sum(os.path.getsize(path) for path in crates)}


def stage_fixtures(tmp, crate, version):
    """Copies the fixtures once per mode, so that neither Cargo.lock updates
    nor target directories touch the repo, and points their platform-guard
    dependency (`path = "../../.."` in the repo) at `crate` (path mode) or
    at the packaged version (registry mode)."""
    dest = os.path.join(tmp, "fixtures")
    spec = {"path": "path = %s" % json.dumps(crate), "registry": "version = %s" % json.dumps(version)}
    for mode in MODES:
        shutil.copytree(FIXTURES, os.path.join(dest, mode), ignore=shutil.ignore_patterns(
            "target", "__pycache__", "*.py", "*.md", ".gitignore"))
        for name in fixture_names(os.path.join(dest, mode)):
            manifest = os.path.join(dest, mode, name, "Cargo.toml")
            with open(manifest) as f:
                text = f.read()
            uses = text.count('path = "../../.."')
            if name in ("d-guard", "e-zero-setup", "refuse") and uses == 0:
                die("ci/bench-fixtures/%s/Cargo.toml no longer depends on platform-guard "
                    "through `path = \"../../..\"`" % name)
            with open(manifest, "w") as f:
                f.write(text.replace('path = "../../.."', spec[mode]))
    return dest


def fixture_names(d):
    return sorted(n for n in os.listdir(d) if os.path.isfile(os.path.join(d, n, "Cargo.toml")))


def checksum_dir(d, package_sha):
    """Writes the `.cargo-checksum.json` a directory source needs."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(d):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, d)] = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(d, ".cargo-checksum.json"), "w") as f:
        json.dump({"files": files, "package": package_sha}, f)


def setup_registry(tmp, package):
    """The offline registry: a directory source that replaces crates.io for
    the staged fixtures (`.cargo/config.toml` in their parent directory),
    holding the crates.io dependencies of every fixture (`cargo vendor` from
    the local cache; `cargo fetch` first downloads what is missing) and the
    unpacked platform-guard package."""
    path_dir = os.path.join(STAGED, "path")
    names = fixture_names(path_dir)
    for name in names:
        cargo_offline_first(["fetch"], os.path.join(path_dir, name),
                            "cargo fetch in ci/bench-fixtures/%s" % name)
    vendor = os.path.join(tmp, "registry")
    # Path dependencies (platform-guard here) are not vendored.
    cmd = ["cargo", "vendor", "--offline", "--quiet",
           "--manifest-path", os.path.join(path_dir, names[0], "Cargo.toml")]
    for name in names[1:]:
        cmd += ["--sync", os.path.join(path_dir, name, "Cargo.toml")]
    run(cmd + [vendor], cwd=tmp, what="cargo vendor of the fixtures' dependencies")
    os.makedirs(vendor, exist_ok=True)
    dirs = []
    for crate in package["crates"]:
        dest = os.path.join(vendor, os.path.basename(crate)[:-len(".crate")])
        if os.path.exists(dest):
            die("cargo vendor already wrote %s" % dest)
        with tarfile.open(crate, "r:gz") as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(vendor, filter="data")
            else:
                tar.extractall(vendor)
        if not os.path.isfile(os.path.join(dest, "Cargo.toml")):
            die("%s does not unpack to %s" % (crate, dest))
        with open(crate, "rb") as f:
            checksum_dir(dest, hashlib.sha256(f.read()).hexdigest())
        dirs.append(dest)
    os.makedirs(os.path.join(STAGED, ".cargo"))
    with open(os.path.join(STAGED, ".cargo", "config.toml"), "w") as f:
        f.write("# Written by ci/bench: crates.io is this directory, offline.\n"
                "[source.crates-io]\nreplace-with = \"bench-registry\"\n\n"
                "[source.bench-registry]\ndirectory = %s\n" % json.dumps(vendor))
    # Resolve every staged fixture against it now (registry mode: the
    # lockfile's platform-guard entry becomes a registry one), untimed.
    for mode in MODES:
        for name in fixture_names(os.path.join(STAGED, mode)):
            run(["cargo", "fetch", "--offline"], cwd=os.path.join(STAGED, mode, name),
                what="cargo fetch --offline in the %s-mode copy of ci/bench-fixtures/%s"
                % (mode, name))
    package["dirs"] = dirs
    ours = [os.path.basename(d) for d in dirs]
    package["vendored"] = sorted(n for n in os.listdir(vendor) if n not in ours)


def incremental_expected():
    """Whether Cargo's defaults for incremental compilation are in force."""
    return (os.environ.get("CARGO_INCREMENTAL", "") in ("", "1")
            and os.environ.get("CARGO_PROFILE_DEV_INCREMENTAL", "") in ("", "true"))


def under(path, d):
    return os.path.realpath(path).startswith(os.path.realpath(d).rstrip("/") + "/")


def cargo_commands(stderr):
    """The words of each command Cargo shows as "Running `...`" in `-v`
    output (environment assignments first, with `-vv`)."""
    for line in stderr.splitlines():
        line = line.strip()
        if not (line.startswith("Running `") and line.endswith("`")):
            continue
        try:
            yield shlex.split(line[len("Running `"):-1])
        except ValueError:
            continue


def check_mode(p, mode, prof, what):
    """Dies unless `cargo build -v` (output in p) compiled platform-guard
    the way `mode` means: in registry mode from the replaced crates.io
    source, with `--cap-lints allow` and without incremental compilation;
    in path mode from the measured tree, lints on, incremental in debug
    builds (with Cargo's defaults). Returns the number of rustc runs checked."""
    units = []
    for words in cargo_commands(p.stderr):
        if "--crate-name" not in words:
            continue
        for w in words:
            if w.endswith(".rs") and os.path.isabs(w):
                if any(under(w, d) for d in PACKAGE["dirs"]):
                    units.append(("registry", words))
                elif under(w, CRATE):
                    units.append(("path", words))
                break
    if not units:
        die("%s: `cargo build -v` shows no rustc run for platform-guard" % what)
    for where, words in units:
        capped = "--cap-lints" in words
        incremental = any(w.startswith("incremental=") for w in words)
        cmd = " ".join(words)
        if where != mode:
            die("%s: Cargo compiled platform-guard from the %s (expected %s mode):\n%s"
                % (what, "replaced crates.io source" if where == "registry" else "measured tree",
                   mode, cmd))
        if mode == "registry" and (not capped or incremental):
            die("%s: Cargo did not compile platform-guard as a registry dependency "
                "(expected --cap-lints and no -C incremental):\n%s" % (what, cmd))
        if mode == "path" and capped:
            die("%s: Cargo capped platform-guard's lints in path mode:\n%s" % (what, cmd))
        if (mode == "path" and prof == "debug" and incremental_expected()
                and not incremental):
            die("%s: Cargo did not compile the path dependency platform-guard incrementally:\n%s"
                % (what, cmd))
    compiling = [l.strip() for l in p.stderr.splitlines()
                 if l.strip().startswith("Compiling platform-guard ")]
    expect = "Compiling platform-guard v%s" % PACKAGE["version"]
    if not compiling or any((c == expect) != (mode == "registry") for c in compiling):
        die("%s: unexpected %r for %s mode" % (what, compiling, mode))
    return len(units)


# ------------------------------------------------------- part 1: builds


def parse_timings(target_dir):
    """Units from the HTML report of `cargo build --timings`."""
    d = os.path.join(target_dir, "cargo-timings", "cargo-timing.html")
    try:
        with open(d) as f:
            html = f.read()
    except OSError as e:
        return None, "no timing report: %s" % e
    m = re.search(r"const UNIT_DATA = (\[.*?\n\]);", html, re.S)
    if not m:
        return None, "timing report has no UNIT_DATA (cargo's format changed?)"
    try:
        units = json.loads(m.group(1))
    except ValueError as e:
        return None, "timing report's UNIT_DATA is not JSON: %s" % e
    out = []
    for u in units:
        target = u.get("target", "").strip()
        if u.get("mode") == "run-custom-build":
            kind = "build script (run)"
        elif "build-script" in target:
            kind = "build script (compile)"
        elif target.endswith('"bin"'):
            kind = "bin"
        else:
            kind = "lib"
        feats = u.get("features") or []
        out.append({
            "name": u.get("name", "?"),
            "kind": kind,
            "features": ",".join(feats),
            "start": float(u.get("start", 0)),
            "duration": float(u.get("duration", 0)),
        })
    return out, None


def builds():
    """(build id, variant key, fixture, mode) of each clean build in a round:
    the baselines once, the platform-guard variants once per mode."""
    out = []
    for k, fixture, _ in VARIANTS:
        for mode in (MODES if k in GUARDED else ("registry",)):
            out.append((bid(k, mode), k, fixture, mode))
    return out


def bid(k, mode):
    return "%s/%s" % (k, mode) if k in GUARDED else k


def part1(tmp):
    root = os.path.join(tmp, "p1")
    order0 = builds()
    times = {(b, prof): [] for b, _, _, _ in order0 for prof in ("debug", "release")}
    crates = {}
    checked = {mode: [0, 0] for mode in MODES}  # builds, rustc runs
    n = len(order0)
    for r in range(RUNS):
        # Rotate the order every round and alternate which profile goes
        # first, so a slow stretch on the machine hits every variant and
        # both modes.
        order = order0[r % n:] + order0[:r % n]
        profiles = ("debug", "release") if r % 2 == 0 else ("release", "debug")
        for b, k, fixture, mode in order:
            for prof in profiles:
                td = os.path.join(root, b.replace("/", "-"))
                shutil.rmtree(td, ignore_errors=True)
                secs, p = cargo_build(fixture, td, prof == "release", ["-v"], mode)
                times[(b, prof)].append(secs)
                crates[(b, prof)] = sum(1 for l in p.stderr.splitlines()
                                        if l.strip().startswith("Compiling "))
                if k in GUARDED:
                    checked[mode][0] += 1
                    checked[mode][1] += check_mode(p, mode, prof, "%s (%s)" % (fixture, prof))
        log("part 1: round %d/%d done (load %s)" % (r + 1, RUNS, loadavg()))
    # Where the time goes: one untimed --timings build per variant/profile
    # (path mode: only the platform-guard variants, for their total).
    timings = {}
    for b, k, fixture, mode in order0:
        if k not in ("b",) + GUARDED:
            continue
        for prof in ("debug", "release"):
            td = os.path.join(root, "timings-" + b.replace("/", "-"))
            shutil.rmtree(td, ignore_errors=True)
            cargo_build(fixture, td, prof == "release", ["--timings"], mode)
            timings[(b, prof)] = parse_timings(td)
    log("part 1: timing reports done")
    return times, crates, timings, checked


def paired_ratio(times, num, den, prof):
    """Median over rounds of num/den measured in the same round."""
    a, b = times[(num, prof)], times[(den, prof)]
    return statistics.median(x / y for x, y in zip(a, b))


# ------------------------------------------- part 2: build-script run time


def script_invocations(stderr):
    """(env, argv) of each build-script run from `cargo build -vv` output."""
    found = []
    for words in cargo_commands(stderr):
        env = {}
        i = 0
        while i < len(words) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[i]):
            key, val = words[i].split("=", 1)
            env[key] = val
            i += 1
        argv = words[i:]
        if argv and os.path.basename(argv[0]).startswith("build-script-"):
            found.append((env, argv))
    return found


def pick(invocations, package, what):
    for env, argv in invocations:
        if env.get("CARGO_PKG_NAME") == package:
            return env, argv
    die("could not find the build script run of %s in `cargo build -vv` output (%s)"
        % (package, what))


def hyperfine(cmd, env, cwd, runs, warmup, name):
    """Wall times (seconds) of cmd (an argv list), run without a shell."""
    out = os.path.join(TMP, "hf-%s.json" % re.sub(r"[^A-Za-z0-9]+", "-", name))
    hcmd = ["hyperfine", "-N", "--style", "none", "--warmup", str(warmup),
            "--runs", str(runs), "--export-json", out,
            " ".join(shlex.quote(c) for c in cmd)]
    run(hcmd, cwd=cwd, env=env, what="hyperfine %s" % name)
    with open(out) as f:
        return json.load(f)["results"][0]["times"]


def wall_stats(times):
    return {"median": statistics.median(times), "mean": statistics.mean(times),
            "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
            "min": min(times), "runs": len(times)}


def callgrind(cmd, env, cwd, name, expect_status=0):
    """Instructions executed by cmd's own process (children not traced)."""
    out = os.path.join(TMP, "cg-%s.out" % name)
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd,
                       cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != expect_status:
        die("callgrind run of %s exited %d (expected %d):\n%s"
            % (name, p.returncode, expect_status, p.stderr[-3000:]))
    with open(out) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1]), p
    die("callgrind output %s has no totals line" % out)



def same_but_run_id(text):
    """A build script's output with each run mark's id (`#<pid>.<nanos>`)
    replaced by `#<run id>`."""
    return re.sub(r"^(cargo::?rustc-env=PLATFORM_GUARD_(?:RUN|DONE)=.*)#[0-9]+\.[0-9]+$",
                  r"\1#<run id>", text, flags=re.M)

def part2(tmp):
    root = os.path.join(tmp, "aux")
    runs_by = {}
    for fixture in ("d-guard", "e-zero-setup", "b-rustc-version"):
        td = os.path.join(root, fixture)
        shutil.rmtree(td, ignore_errors=True)
        _, p = cargo_build(fixture, td, False, ["-vv"])
        runs_by[fixture] = script_invocations(p.stderr)
    cargo_build("empty-main", os.path.join(root, "empty-main"), False)
    empty_debug = os.path.join(root, "empty-main", "debug", "bench-empty-main")

    subjects = [
        ("d", "consumer (d) build script: `Policy::etcd().build()`",
         pick(runs_by["d-guard"], "bench-d-guard", "fixture d-guard")),
        ("own", "platform-guard's own build.rs (zero setup, fixture e)",
         pick(runs_by["e-zero-setup"], "platform-guard", "fixture e-zero-setup")),
        ("b", "baseline (b) build script: `rustc_version::version()` only",
         pick(runs_by["b-rustc-version"], "bench-b-rustc-version", "fixture b-rustc-version")),
    ]
    rustc = subjects[0][2][0].get("RUSTC", "rustc")
    plain = dict(ENV)
    # The stand-in for `rustc -vV`: prints the real compiler's answer.
    cargo_build("fake-rustc", os.path.join(root, "fake-rustc"), True)
    fake = os.path.join(root, "fake-rustc", "release", "bench-fake-rustc")
    answer = os.path.join(tmp, "rustc-vV.txt")
    with open(answer, "w") as f:
        f.write(run([rustc, "-vV"]).stdout)
    plain["BENCH_FAKE_RUSTC_OUTPUT"] = answer
    if run([fake], env=plain).stdout != run([rustc, "-vV"]).stdout:
        die("the rustc stand-in does not print what `%s -vV` prints" % rustc)
    prepared = []
    results = {}
    for key, label, (senv, argv) in subjects:
        env = dict(ENV)
        env.update(senv)
        cwd = senv.get("CARGO_MANIFEST_DIR", ROOT)
        p = run(argv, cwd=cwd, env=env, what="build script %s" % key)
        if key in ("d", "own") and "platform_support" not in p.stdout:
            die("the %s printed no platform_support cfg:\n%s" % (label, p.stdout))
        env_fake = dict(env)
        env_fake["RUSTC"] = fake
        env_fake["BENCH_FAKE_RUSTC_OUTPUT"] = answer
        q = run(argv, cwd=cwd, env=env_fake, what="build script %s with the rustc stand-in" % key)
        # The run marks (PLATFORM_GUARD_RUN and _DONE) end in an id that is
        # new on every run (process id and time): compare without it.
        if same_but_run_id(q.stdout) != same_but_run_id(p.stdout):
            die("the %s prints something else with the rustc stand-in:\n%s\n---\n%s"
                % (label, p.stdout, q.stdout))
        prepared.append((key, argv, env, cwd))
        prepared.append((key + "+fake", argv, env_fake, cwd))
        results[key] = {"label": label, "stdout": p.stdout,
                        "arch": senv.get("CARGO_CFG_TARGET_ARCH", "")}
    prepared.append(("rustc", [rustc, "-vV"], plain, ROOT))
    results["rustc"] = {"label": "`$RUSTC -vV` alone (`%s`)" % rustc}
    prepared.append(("rustc+fake", [fake], plain, ROOT))
    prepared.append(("empty", [empty_debug], plain, ROOT))
    results["empty"] = {"label": "`fn main() {}` (debug, like a build script): process start-up"}
    # Wall time in chunks, the subjects alternating, so that a busy moment
    # on the machine does not land on one subject only.
    chunks = 2 if QUICK else 5
    per_chunk = max(1, -(-SCRIPT_RUNS // chunks))
    times = {key: [] for key, _, _, _ in prepared}
    for c in range(chunks):
        for key, argv, env, cwd in prepared:
            times[key] += hyperfine(argv, env, cwd, per_chunk, 3, "%s-%d" % (key, c))
    for key, argv, env, cwd in prepared:
        base, _, variant = key.partition("+")
        field = "wall_fake" if variant else "wall"
        results[base][field] = wall_stats(times[key])
        if not variant:
            results[base]["ir"] = callgrind(argv, env, cwd, "script-" + key)[0]
        log("part 2: %s: %.2f ms" % (key, results[base][field]["median"] * 1e3))
    log("part 2: done")
    return results


# ---------------------------------------------------- part 3: runtime check


def symbols(binary):
    p = run(["nm", "-C", "--defined-only", binary])
    return p.stdout.splitlines()


def disassemble_main(binary, crate):
    """The instructions of `<crate>::main` in the optimised binary."""
    raw = run(["nm", "--defined-only", binary]).stdout.splitlines()
    dem = run(["nm", "-C", "--defined-only", binary]).stdout.splitlines()
    mangled = None
    for r, d in zip(raw, dem):
        parts = d.split(None, 2)
        if len(parts) == 3 and re.match(r"^%s::main(::h[0-9a-f]+)?$" % crate, parts[2]):
            mangled = r.split(None, 2)[2]
            break
    if mangled is None:
        return None
    p = run(["objdump", "-d", "--no-show-raw-insn", "--disassemble=" + mangled, binary])
    insns = []
    started = False
    for line in p.stdout.splitlines():
        if line.endswith(">:"):
            started = True
            continue
        if started and re.match(r"^\s+[0-9a-f]+:\s", line):
            insns.append(re.sub(r"\s+", " ", line.split(":", 1)[1]).strip())
    return insns


def part3(tmp, p2):
    # The stable case needs a host the etcd preset calls stable; the
    # override needs the host's architecture (Rust's name, as the refusal
    # fixture's policy uses).
    if 'platform_support="stable"' not in p2["d"]["stdout"]:
        die("part 3 needs a host that Policy::etcd() calls stable (x86_64 or powerpc64le "
            "Linux); fixture d's build script said:\n%s" % p2["d"]["stdout"])
    arch = p2["d"]["arch"]
    root = os.path.join(tmp, "aux")
    bins = {}
    for key, fixture, crate in (("empty", "empty-main", "bench-empty-main"),
                                ("stable", "d-guard", "bench-d-guard"),
                                ("refuse", "refuse", "bench-refuse")):
        td = os.path.join(root, fixture)
        cargo_build(fixture, td, True)
        # Same path length for every subject: the loader's work depends on it.
        dest = os.path.join(tmp, "rt", key.ljust(6, "_"), "prog")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(os.path.join(td, "release", crate), dest)
        bins[key] = (dest, crate.replace("-", "_"))
    clean = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    res = {}
    cases = [
        ("empty", "empty", {}, 0, "`fn main() {}`"),
        ("stable", "stable", {}, 0, "`enforce!()`, stable target (etcd policy, fixture d)"),
        ("refuse", "refuse", {}, 1, "`enforce!()`, refusal path (host unsupported)"),
        ("override", "refuse", {"BENCH_UNSUPPORTED_ARCH": arch}, 0,
         "`enforce!()`, unsupported but overridden (`BENCH_UNSUPPORTED_ARCH=%s`)" % arch),
    ]
    for name, b, extra, status, label in cases:
        env = dict(clean)
        env.update(extra)
        ir, p = callgrind([bins[b][0]], env, os.path.dirname(bins[b][0]), "rt-" + name, status)
        ir2, _ = callgrind([bins[b][0]], env, os.path.dirname(bins[b][0]), "rt-" + name, status)
        msg = [l for l in p.stderr.splitlines() if l.startswith("platform-guard")]
        res[name] = {"label": label, "ir": ir, "repeat_ir": ir2, "status": status,
                     "message": msg[0] if msg else ""}
    for key in bins:
        path, crate = bins[key]
        res["syms-" + key] = [s for s in symbols(path) if "platform_guard" in s]
        res["main-" + key] = disassemble_main(path, crate)
    log("part 3: done")
    return res


# ------------------------------------------------------ part 4: matrix speed


def part4(tmp):
    td = os.path.join(tmp, "cli")
    env = dict(ENV)
    env["CARGO_TARGET_DIR"] = td
    # The command-line tool: its own package `cargo-platform-guard/` if the
    # tree has one, else the root package's `cli` feature.
    if os.path.isfile(os.path.join(CRATE, "cargo-platform-guard", "Cargo.toml")):
        cmd = ["cargo", "build", "--release", "--manifest-path",
               os.path.join("cargo-platform-guard", "Cargo.toml")]
    else:
        cmd = ["cargo", "build", "--release", "--features", "cli", "--bin", "cargo-platform-guard"]
    p = subprocess.run(cmd, cwd=CRATE, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != 0:
        errs = [l for l in p.stderr.splitlines() if l.startswith("error")]
        return {"available": False,
                "why": "`%s` failed: %s" % (" ".join(cmd), errs[0] if errs else "exit %d" % p.returncode)}
    bindir = os.path.join(td, "release")
    if not os.path.isfile(os.path.join(bindir, "cargo-platform-guard")):
        return {"available": False,
                "why": "`%s` built no `cargo-platform-guard` binary" % " ".join(cmd)}
    built_with = " ".join(cmd)
    env = dict(ENV)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    # The command's cache goes to a directory of this run (never the user's).
    cache = os.path.join(tmp, "cli-cache")
    env["XDG_CACHE_HOME"] = cache
    targets = run(["rustc", "--print", "target-list"]).stdout.split()
    matrix = ["cargo", "platform-guard", "matrix", "--preset", "etcd"]
    p = run(matrix, cwd=CRATE, env=env, check=False)
    if p.returncode != 0:
        return {"available": False,
                "why": "`%s` exited %d: %s" % (
                    " ".join(matrix), p.returncode,
                    ((p.stderr + p.stdout).strip().splitlines() or ["(no output)"])[-1])}
    words = set(re.findall(r"[A-Za-z0-9_.\-]+", p.stdout))
    listed = sum(1 for t in targets if t in words)
    # The loop as a user would type it (`rustc` on PATH, a rustup proxy
    # here) and with the toolchain's own binary, as the CLI calls it.
    sysroot = run(["rustc", "--print", "sysroot"]).stdout.strip()
    direct = os.path.join(sysroot, "bin", "rustc")
    loops = {}
    for name, rustc in (("loop", "rustc"), ("loop_direct", direct)):
        path = os.path.join(tmp, "rustc-cfg-%s.sh" % name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\nfor t in %s; do %s --print cfg --target \"$t\" >/dev/null || exit 1; done\n"
                    % (" ".join(shlex.quote(t) for t in targets), shlex.quote(rustc)))
        os.chmod(path, 0o755)
        loops[name] = path
    res = {"available": True, "targets": len(targets), "listed": listed, "cmd": " ".join(matrix),
           "built_with": built_with}
    # The command keeps each target's cfg in a cache (XDG_CACHE_HOME): cold
    # runs start from an empty cache directory, warm runs from the one the
    # previous run wrote. Both print the same table (checked).
    cold_out = warm_out = None

    def cold_run(cmd):
        shutil.rmtree(cache, ignore_errors=True)
        s = time.perf_counter()
        p = run(cmd, cwd=CRATE, env=env, what=" ".join(cmd))
        return time.perf_counter() - s, p.stdout

    matrix1 = matrix + ["--jobs", "1"]
    mt, m1, wt, lt, ld = [], [], [], [], []
    # Alternate them so load changes hit all.
    for _ in range(MATRIX_RUNS):
        t, cold_out = cold_run(matrix)
        mt.append(t)
        # Warm: the cache the cold run just wrote.
        for _ in range(3):
            s = time.perf_counter()
            p = run(matrix, cwd=CRATE, env=env, what=" ".join(matrix))
            wt.append(time.perf_counter() - s)
            warm_out = p.stdout
        t, _ = cold_run(matrix1)
        m1.append(t)
        for cmd, acc in (([loops["loop"]], lt), ([loops["loop_direct"]], ld)):
            s = time.perf_counter()
            run(cmd, cwd=CRATE, env=env, what=" ".join(cmd))
            acc.append(time.perf_counter() - s)
    if warm_out != cold_out:
        die("part 4: the warm matrix printed something else than the cold one")
    res["matrix"] = statistics.median(mt)
    res["matrix_warm"] = statistics.median(wt)
    res["warm_runs"] = len(wt)
    res["matrix1"] = statistics.median(m1)
    res["cmd1"] = " ".join(matrix1)
    res["loop"] = statistics.median(lt)
    res["loop_direct"] = statistics.median(ld)
    res["direct"] = direct
    res["proxied"] = os.path.realpath(shutil.which("rustc", path=env["PATH"]) or "rustc") != os.path.realpath(direct)
    res["runs"] = MATRIX_RUNS
    log("part 4: done")
    return res


# -------------------------------------------------------------- the report


def report(info, load0, load1, elapsed, p1, p2, p3, p4):
    times, crates, timings, checked = p1
    L = []
    w = L.append
    w("# Benchmarks")
    w("")
    w("Measured by `ci/bench` (rerun it after any change that could matter; "
      "`BENCH_QUICK=1 ci/bench` for a faster, rougher run). Every ratio compares "
      "measurements taken in the same run, on the same machine.")
    w("")
    w("| | |")
    w("|---|---|")
    w("| Date | %s |" % info["date"])
    w("| Machine | %s cores (`nproc`), %s, Linux %s |" % (info["nproc"], info["cpu"], info["kernel"]))
    w("| Load average (start / end) | %s / %s |" % (load0, load1))
    w("| platform-guard measured | %s; packaged as `%s` |" % (info["source"],
                                                            " + ".join(os.path.basename(c) for c in PACKAGE["crates"])))
    w("| Toolchain | %s, %s, LLVM %s, host %s |" % (info["rustc"], info["cargo"], info["llvm"], info["host"]))
    w("| Tools | %s, %s |" % (info["hyperfine"], info["valgrind"]))
    flags = ["%s=%s" % (k, os.environ[k]) for k in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS",
                                                   "CARGO_INCREMENTAL", "CARGO_BUILD_JOBS")
             if k in os.environ]
    w("| Build settings from the environment | %s |" % (", ".join("`%s`" % f for f in flags)
                                                       or "none (Cargo's defaults)"))
    w("| Repetitions | %d interleaved rounds of clean builds%s; %d runs per build-script timing |"
      % (RUNS, " (**BENCH_QUICK: rough numbers**)" if QUICK else "", SCRIPT_RUNS))
    w("| Duration of the run | %.0f s |" % elapsed)
    w("")

    # Part 1
    pkg = PACKAGE
    w("## 1. Clean build cost")
    w("")
    w("Each fixture in `ci/bench-fixtures/` is built from scratch (`rm -rf` of its own "
      "target directory, then `cargo build -v --offline`). The variants that use "
      "platform-guard, (d) and (e), are built in two modes:")
    w("")
    w("- **registry** (what users get from crates.io; the goals are judged here): the "
      "`cargo package` output of the measured tree (`%s`, %d files, %.1f KiB) unpacked into "
      "a local directory source that replaces crates.io for the fixtures, and the fixtures "
      "ask for `platform-guard = \"%s\"`. Cargo compiles it like any registry dependency: "
      "its lints capped (`--cap-lints allow`), no incremental compilation."
      % (" + ".join(os.path.basename(c) for c in pkg["crates"]), pkg["files"], pkg["bytes"] / 1024.0, pkg["version"]))
    w("- **path** (a local checkout): `platform-guard = { path = \"…\" }` pointing at the "
      "measured tree. Cargo compiles it as a local package: lints on, and incremental "
      "compilation in debug builds.")
    w("")
    w("Both are checked on every timed build from Cargo's `-v` output (registry: %d builds, "
      "%d rustc runs of platform-guard, all from the replaced source with `--cap-lints allow` "
      "and no `-C incremental`; path: %d builds, %d rustc runs, all from the measured tree "
      "without `--cap-lints`%s); the run stops otherwise. In both modes every other crates.io "
      "dependency (%s) comes from the same directory source, made with `cargo vendor`."
      % (checked["registry"][0], checked["registry"][1], checked["path"][0], checked["path"][1],
         ", the debug ones with `-C incremental`" if incremental_expected() else "",
         ", ".join("`%s`" % v for v in pkg["vendored"]) or "none"))
    w("")
    w("The builds are interleaved: every round builds each baseline once and (d) and (e) once "
      "per mode, each in both profiles, in a rotated order. Times are medians; ratios are the "
      "median of the per-round ratios (each against the baseline built in the same round).")
    w("")
    w("| Variant | Mode | Crates compiled | `cargo build`: median (fastest) | ratio to (a) | `cargo build --release`: median (fastest) | ratio to (a) |")
    w("|---|---|---|---|---|---|---|")
    for b, k, fixture, mode in builds():
        cells = []
        for prof in ("debug", "release"):
            t = times[(b, prof)]
            cells += ["%s (%s)" % (fmt_s(statistics.median(t)), fmt_s(min(t))),
                      "%.2f×" % paired_ratio(times, b, "a", prof)]
        desc = dict((kk, d) for kk, _, d in VARIANTS)[k]
        w("| (%s) %s | %s | %d | %s |" % (k, desc, mode if k in GUARDED else "",
                                          crates[(b, "debug")], " | ".join(cells)))
    w("")
    w("| Ratio (median of per-round ratios; fastest runs in parentheses) | Goal in registry mode (`cargo build` / `--release`) | `cargo build`: registry | path | `cargo build --release`: registry | path |")
    w("|---|---|---|---|---|---|")
    goals = {}
    for num, den, goal_debug, goal_release in RATIOS:
        cells = []
        for prof, goal in (("debug", goal_debug), ("release", goal_release)):
            for mode in MODES:
                n_, d_ = bid(num, mode), bid(den, mode)
                r = paired_ratio(times, n_, d_, prof)
                fastest = min(times[(n_, prof)]) / min(times[(d_, prof)])
                cell = "%.2f× (%.2f×)" % (r, fastest)
                if goal is not None and mode == "registry":
                    ok = r <= goal
                    goals[("%s/%s" % (num, den), prof)] = ok
                    cell += " %s" % verdict(ok)
                cells.append(cell)
        goal = ("≤ %.2f× / ≤ %.2f×" % (goal_debug, goal_release) if goal_debug is not None
                else "none (for scale)")
        w("| (%s) / (%s) | %s | %s |" % (num, den, goal, " | ".join(cells)))
    w("")
    w("What path mode costs over registry mode (median of per-round ratios): %s." % "; ".join(
        "(%s) %.2f× `cargo build`, %.2f× `--release`" % (
            k, paired_ratio(times, bid(k, "path"), bid(k, "registry"), "debug"),
            paired_ratio(times, bid(k, "path"), bid(k, "registry"), "release"))
        for k in GUARDED))
    w("")
    w("Crates compiled counts Cargo's `Compiling` lines (one per package). "
      "Raw times (s), debug then release, in round order:")
    w("")
    for b, k, _, mode in builds():
        w("- (%s)%s %s; %s" % (k, " %s" % mode if k in GUARDED else "",
                               " ".join("%.2f" % t for t in times[(b, "debug")]),
                               " ".join("%.2f" % t for t in times[(b, "release")])))
    w("")
    w("### Where the time goes")
    w("")
    w("Per compilation unit, from one extra `cargo build --timings` of each fixture, registry "
      "mode (durations are the unit's own time; units run up to %s at a time)." % info["nproc"])
    w("")

    def pg_sum(units):
        return sum(u["duration"] for u in units if u["name"] in OURS)
    for k in ("b",) + GUARDED:
        for prof in ("debug", "release"):
            units, err = timings[(bid(k, "registry"), prof)]
            desc = dict((kk, d) for kk, _, d in VARIANTS)[k]
            w("**(%s) %s, %s:**" % (k, desc, "`cargo build`" if prof == "debug" else "`cargo build --release`"))
            w("")
            if units is None:
                w("not available: %s" % err)
                w("")
                continue
            end = max(u["start"] + u["duration"] for u in units) if units else 0
            w("| Unit | Features | Start | Duration |")
            w("|---|---|---|---|")
            for u in sorted(units, key=lambda u: u["start"]):
                w("| %s %s | %s | %.2f s | %.2f s |" % (u["name"], u["kind"], u["features"] or "",
                                                        u["start"], u["duration"]))
            pg = [u for u in units if u["name"] in OURS]
            w("| **total** (%d units, %d of them platform-guard: %.2f s) | | | %.2f s wall, %.2f s summed |"
              % (len(units), len(pg), pg_sum(units), end,
                 sum(u["duration"] for u in units)))
            w("")
    w("platform-guard's units, summed, in the same kind of `--timings` build per mode:")
    w("")
    w("| Variant | `cargo build`: registry | path | `cargo build --release`: registry | path |")
    w("|---|---|---|---|---|")
    for k in GUARDED:
        cells = []
        for prof in ("debug", "release"):
            for mode in MODES:
                units, err = timings[(bid(k, mode), prof)]
                cells.append("n/a" if units is None else fmt_s(pg_sum(units)))
        w("| (%s) | %s |" % (k, " | ".join(cells)))
    w("")

    # Part 2
    w("## 2. Build-script run time")
    w("")
    w("Each build script is run directly, outside Cargo, with exactly the environment "
      "Cargo gave it (parsed from `cargo build -vv`) and in its package directory. Wall "
      "time: `hyperfine -N`, median of %d runs in alternating chunks. Instructions: `valgrind --tool=callgrind` "
      "without `--trace-children`, so only the script's own process is counted, not "
      "the `rustc -vV` it spawns." % p2["d"]["wall"]["runs"])
    w("")
    w("Each is timed twice: with the real compiler as `RUSTC`, and with `RUSTC` set to a "
      "stand-in (`ci/bench-fixtures/fake-rustc`, a small Rust program that prints the real "
      "`rustc -vV` output it was given), which takes the ~10 ms and the noise of the "
      "compiler out. The scripts' output is checked to be identical either way.")
    w("")
    w("| Program | Wall, real `rustc`: median ± σ (fastest) | Wall, stand-in `rustc`: median ± σ (fastest) | Instructions (own process) |")
    w("|---|---|---|---|")

    def ms(st):
        return "%s ± %s (%s)" % (fmt_ms(st["median"] * 1e3), fmt_ms(st["stddev"] * 1e3),
                                 fmt_ms(st["min"] * 1e3))
    for key in ("d", "own", "b", "rustc", "empty"):
        r = p2[key]
        w("| %s | %s | %s | %s |" % (r["label"], ms(r["wall"]),
                                      ms(r["wall_fake"]) if "wall_fake" in r else "",
                                      fmt_n(r["ir"])))
    w("")

    def med(key, field):
        return p2[key][field]["median"] * 1e3
    w("The guard's own work is what its build script does beyond the baseline (b), "
      "whose script only runs `rustc_version::version()`: same process start-up, same one "
      "`rustc -vV` spawned and read. It is measured with the stand-in, so that the "
      "compiler's own time and noise drop out, and judged on the fastest run of each "
      "script (on a shared machine the least disturbed one; the difference of the medians "
      "is shown too). The difference with the real compiler and the instruction counts "
      "are a cross-check.")
    w("")
    w("| Build script | Own work: − (b), stand-in, fastest runs | medians | − (b), real rustc, medians | Own instructions: − (b) | − `fn main() {}` | Goal: own work < %.0f ms |" % GOAL_OWN_WORK_MS)
    w("|---|---|---|---|---|---|---|")
    for key in ("d", "own"):
        r = p2[key]
        own = (p2[key]["wall_fake"]["min"] - p2["b"]["wall_fake"]["min"]) * 1e3
        ok = own < GOAL_OWN_WORK_MS
        goals[("script", key)] = ok
        w("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["label"], fmt_ms(own), fmt_ms(med(key, "wall_fake") - med("b", "wall_fake")),
            fmt_ms(med(key, "wall") - med("b", "wall")),
            "{:+,}".format(r["ir"] - p2["b"]["ir"]),
            "{:+,}".format(r["ir"] - p2["empty"]["ir"]), verdict(ok)))
    w("")
    w("For scale (medians): spawning and reading the stand-in costs the baseline (b) %s "
      "over an empty process (%s vs %s); the real `rustc -vV` takes %s on its own." % (
          fmt_ms(med("b", "wall_fake") - med("empty", "wall")), fmt_ms(med("b", "wall_fake")),
          fmt_ms(med("empty", "wall")), fmt_ms(med("rustc", "wall"))))
    w("")
    w("Output of the consumer's build script (d):")
    w("")
    w("```text")
    w(p2["d"]["stdout"].rstrip())
    w("```")
    w("")

    # Part 3
    w("## 3. Runtime check")
    w("")
    w("Release binaries (`cargo build --release`), each run under callgrind with "
      "`PATH=/usr/bin:/bin LC_ALL=C` only, from paths of equal length; the count is the "
      "whole process (loader, runtime start-up, main, exit), measured twice.")
    w("")
    w("| Program | Exit status | Instructions | − `fn main() {}` |")
    w("|---|---|---|---|")
    for key in ("empty", "stable", "refuse", "override"):
        r = p3[key]
        rep = "" if r["repeat_ir"] == r["ir"] else " (repeat: %s)" % fmt_n(r["repeat_ir"])
        w("| %s | %d | %s%s | %s |" % (r["label"], r["status"], fmt_n(r["ir"]), rep,
                                      "{:+,}".format(r["ir"] - p3["empty"]["ir"])))
    w("")
    same = p3["stable"]["ir"] == p3["empty"]["ir"]
    no_syms = not p3["syms-stable"]
    main_same = p3["main-stable"] is not None and p3["main-stable"] == p3["main-empty"]
    goals["runtime"] = same and no_syms and main_same
    w("- Goal (stable target: identical to an empty main): %s — instruction counts %s; "
      "%s; `main` %s." % (
          verdict(goals["runtime"]),
          "identical" if same else "differ by %s" % "{:+,}".format(p3["stable"]["ir"] - p3["empty"]["ir"]),
          "`nm -C` finds no `platform_guard` symbol in the stable binary" if no_syms else
          "`nm -C` finds %d `platform_guard` symbols in the stable binary: %s" % (
              len(p3["syms-stable"]), "; ".join(s.split(None, 2)[-1] for s in p3["syms-stable"][:5])),
          "disassembles to the same instructions as the empty main's" if main_same else
          "differs from the empty main's"))
    w("- The same search finds %d `platform_guard` symbols in the refusal binary "
      "(so an absence above is meaningful), e.g. `%s`." % (
          len(p3["syms-refuse"]),
          p3["syms-refuse"][0].split(None, 2)[-1] if p3["syms-refuse"] else "none"))
    for key, label in (("empty", "`fn main() {}`"), ("stable", "`enforce!()` on a stable target"),
                       ("refuse", "`enforce!()` on the refusal path")):
        insns = p3["main-" + key]
        w("- `main` of %s: %s" % (label, "not found" if insns is None else
                                    "instructions: %d (`%s`)" % (len(insns), "; ".join(insns[:12]) +
                                                                 (" …" if len(insns) > 12 else ""))))
    w("- Refusal message: `%s`" % p3["refuse"]["message"])
    w("")

    # Part 4
    w("## 4. Matrix speed")
    w("")
    if not p4["available"]:
        w("Not available: %s" % p4["why"])
        goals["matrix"] = None
    else:
        w("`%s` (built with `%s`) cold and warm, against a sequential `rustc --print cfg "
          "--target <t>` loop over the same %d targets (`rustc --print target-list`), "
          "alternated; medians of %d cold runs, %d warm runs and %d loop runs." % (
              p4["cmd"], p4["built_with"], p4["targets"], p4["runs"], p4["warm_runs"], p4["runs"]))
        w("")
        w("Cold: an empty cache directory (`XDG_CACHE_HOME`), so the command asks the compiler "
          "about every target, in parallel (`--jobs`, default 2 × CPUs), calling the toolchain's "
          "own binary (`%s`) rather than a rustup proxy, and writes its cache. Warm: the cache "
          "that run wrote, so the command asks the compiler only for `rustc -vV` (the cache's "
          "key). Both print the same table (checked). The loop is timed both with `rustc` from "
          "PATH%s and with that binary; ratios are against the loop over the same binary." % (
              p4["direct"], " (a rustup proxy here)" if p4["proxied"] else ""))
        w("")
        w("| Command | Wall time | Ratio |")
        w("|---|---|---|")
        base = p4["loop_direct"]
        w("| `%s`, cold (names %d of the %d targets) | %s | %.2f× |" % (
            p4["cmd"], p4["listed"], p4["targets"], fmt_s(p4["matrix"]), p4["matrix"] / base))
        w("| `%s`, warm | %s | %.3f× |" % (p4["cmd"], fmt_s(p4["matrix_warm"]), p4["matrix_warm"] / base))
        w("| `%s`, cold (one rustc at a time) | %s | %.2f× |" % (
            p4["cmd1"], fmt_s(p4["matrix1"]), p4["matrix1"] / base))
        w("| sequential loop, `%s --print cfg --target <t>` | %s | 1.00× |" % (
            p4["direct"], fmt_s(base)))
        w("| sequential loop, `rustc --print cfg --target <t>` (`rustc` from PATH) | %s | %.2f× |" % (
            fmt_s(p4["loop"]), p4["loop"] / base))
        w("")
        share = p4["matrix_warm"] / p4["matrix"]
        ok = p4["matrix_warm"] <= 0.1 and share <= 0.05
        goals["matrix"] = ok
        w("Warm against cold: %s against %s, %.1f%% of it. Goal (issue 11): a warm matrix over "
          "every target takes at most 0.1 s and at most 5%% of a cold one: %s." % (
              fmt_s(p4["matrix_warm"]), fmt_s(p4["matrix"]), 100 * share, verdict(ok)))
    w("")
    return "\n".join(L), goals


def main():
    global TMP, CRATE, STAGED, PACKAGE
    for tool in ("cargo", "rustc", "hyperfine", "valgrind", "nm", "objdump"):
        if shutil.which(tool) is None:
            die("%s is not installed (ci/bench installs it when run as root with apt)" % tool)
    TMP = tempfile.mkdtemp(prefix="platform-guard-bench-")
    started = time.perf_counter()
    load0 = loadavg()
    log("work directory %s; %d rounds%s" % (TMP, RUNS, " (quick)" if QUICK else ""))
    info = machine_info()
    try:
        CRATE, info["source"] = crate_source(TMP)
        log("measuring %s" % info["source"])
        PACKAGE = package_crate(TMP, CRATE)
        STAGED = stage_fixtures(TMP, CRATE, PACKAGE["version"])
        setup_registry(TMP, PACKAGE)
        log("registry mode: %s, with %s" % (" + ".join(os.path.basename(c) for c in PACKAGE["crates"]),
                                            ", ".join(PACKAGE["vendored"])))
        p1 = part1(TMP)
        p2 = part2(TMP)
        p3 = part3(TMP, p2)
        p4 = part4(TMP)
        text, goals = report(info, load0, loadavg(), time.perf_counter() - started, p1, p2, p3, p4)
        with open(OUT, "w") as f:
            f.write(text + "\n")
        log("wrote %s" % OUT)
        summary = ", ".join("%s: %s" % ("/".join(str(x) for x in k) if isinstance(k, tuple) else k,
                                        {True: "met", False: "missed", None: "n/a"}[v])
                            for k, v in goals.items())
        log("goals: " + summary)
    finally:
        if KEEP:
            log("kept %s" % TMP)
        else:
            shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()

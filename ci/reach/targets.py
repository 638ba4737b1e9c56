#!/usr/bin/env python3
"""ci/check-targets: every target rustc knows, through the real build script.

For each target in `rustc --print target-list`, runs
`cargo check -vv --workspace --keep-going --target T` on the fixture
workspace tests/fixtures/reach-targets (three consumers: the etcd preset,
the default policy, a rich custom policy that denies unsupported targets).
The build scripts run even where the target's standard library is missing
(only the fixture's empty library then fails for lack of `core`). Cargo's
`-vv` echoes every line a build script prints, `[reach-etcd 0.1.0] ...`,
also when the script fails the build, so the denial is seen too. The
target-dependent directives (rustc-cfg, rustc-env, warning, error) are
compared, line for line, with ci/reach/oracle.py's expectation from
`rustc --print cfg --target T`.

Environment: REACH_JOBS (default 2) parallel Cargo runs, REACH_TARGETS
(space-separated) to check only some targets, REACH_REPORT a file for the
per-target table. For an old toolchain (ci/check-targets runs Debian's 1.63
this way): REACH_CARGO and REACH_RUSTC (paths), REACH_FIXTURE (a vendored
copy of the fixture workspace), REACH_OFFLINE=1, and REACH_OLD_CARGO=1 for
Cargo before 1.77: `cargo:` directives, a denial on stderr, and one Cargo
run per package (no `--keep-going` before 1.74, and the first library that
fails for lack of `core` would stop the other packages' build scripts).
"""

import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.environ.get("REACH_FIXTURE") or os.path.join(REPO, "tests", "fixtures", "reach-targets")
CARGO = os.environ.get("REACH_CARGO") or "cargo"
RUSTC = os.environ.get("REACH_RUSTC") or "rustc"
OFFLINE = ["--offline"] if os.environ.get("REACH_OFFLINE") == "1" else []
OLD = os.environ.get("REACH_OLD_CARGO") == "1"
LABEL = os.environ.get("REACH_LABEL", "")
PACKAGES = {"etcd": "reach-etcd", "default": "reach-default", "custom": "reach-custom",
            "zero-setup": "reach-zero-setup"}
# Whose build script speaks for each package: zero setup's is platform-guard's.
SCRIPT = dict(PACKAGES, **{"zero-setup": "platform-guard"})
KEPT = re.compile(r"^cargo::?(rustc-cfg|rustc-env|warning|error)=")
# `<manifest dir>#<OUT_DIR>#<run id>`: the OUT_DIR and the id are the run's.
RUN_MARK = re.compile(r"^(cargo::?rustc-env=PLATFORM_GUARD_(?:RUN|DONE)=[^#]*)#(.*/out)#([0-9]+\.[0-9]+)$")
# Variables that would change what the build scripts do or see.
SCRUB = ["PLATFORM_GUARD_DENY", "DOCS_RS", "ETCD_UNSUPPORTED_ARCH", "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS",
         "CARGO_BUILD_TARGET", "CARGO_BUILD_RUSTFLAGS", "PLATFORM_GUARD_UNSUPPORTED_ARCH"] + \
    ["%s_UNSUPPORTED_ARCH" % p.upper().replace("-", "_") for p in PACKAGES.values()]
TIMEOUT = 300


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def check_target(triple, target_dir, env):
    """-> (per-policy result dict, refusal text or None)."""
    cfg = run([RUSTC, "--print", "cfg", "--target", triple])
    if cfg.returncode != 0:
        return None, "rustc --print cfg failed: " + cfg.stderr.strip().splitlines()[0]
    if OLD:
        runs = [["-p", pkg] for pkg in PACKAGES.values()]
    else:
        runs = [["--workspace", "--keep-going"]]
    text, codes = "", []
    for selection in runs:
        try:
            out = run([CARGO, "check", "-vv"] + OFFLINE + selection + ["--target", triple],
                      cwd=FIXTURE, env=dict(env, CARGO_TARGET_DIR=target_dir), timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "cargo check timed out after %ss" % TIMEOUT
        text += out.stdout + "\n" + out.stderr + "\n"
        codes.append(out.returncode)
    emitted = {p: [] for p in PACKAGES}
    stderr = {p: [] for p in PACKAGES}
    seen = {p: False for p in PACKAGES}
    runs = {p: set() for p in PACKAGES}
    for line in text.splitlines():
        for pol, pkg in SCRIPT.items():
            tag = "[%s 0.1.0] " % pkg
            if line.startswith(tag):
                seen[pol] = True
                body = line[len(tag):]
                if KEPT.match(body):
                    # The OUT_DIR and the run's id differ every run: the two
                    # marks must carry the same ones.
                    m = RUN_MARK.match(body)
                    if m:
                        runs[pol].add((m.group(2), m.group(3)))
                        body = m.group(1) + "#<out>#<run>"
                    emitted[pol].append(body)
                elif not body.startswith("cargo:"):
                    stderr[pol].append(body)
    if not any(seen.values()):
        first = next((l for l in text.splitlines() if l.startswith("error")), "no error line")
        return None, "Cargo ran no build script (exit %s): %s" % (codes, first)
    results = {}
    for pol in PACKAGES:
        level, want, want_err = oracle.expect(oracle.POLICIES[pol], triple, cfg.stdout,
                                              prefix="cargo:" if OLD else "cargo::", error_directive=not OLD,
                                              manifest_dir=os.path.join(FIXTURE, pol))
        if not seen[pol]:
            results[pol] = (level, False, ["the build script of %s did not run" % SCRIPT[pol]])
        elif len(runs[pol]) > 1:
            results[pol] = (level, False, ["  PLATFORM_GUARD_RUN and _DONE carry other runs' ids: %r" % runs[pol]])
        elif emitted[pol] != want or sorted(stderr[pol]) != sorted(want_err):
            diff = ["  want: " + l for l in want if l not in emitted[pol]] + \
                   ["  got:  " + l for l in emitted[pol] if l not in want] + \
                   ["  want on stderr: " + l for l in want_err if l not in stderr[pol]] + \
                   ["  got on stderr:  " + l for l in stderr[pol] if l not in want_err]
            results[pol] = (level, False, diff or ["  same lines, different order: %r" % emitted[pol]])
        else:
            results[pol] = (level, True, [])
    return results, None


def main():
    start = time.time()
    targets = os.environ.get("REACH_TARGETS", "").split() or \
        run([RUSTC, "--print", "target-list"]).stdout.split()
    if not targets:
        sys.exit("check-targets: rustc --print target-list printed no targets")
    jobs = max(1, int(os.environ.get("REACH_JOBS", "2")))
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    env["CARGO_TERM_COLOR"] = "never"
    work = tempfile.mkdtemp(prefix="platform-guard-targets.")
    # Resolve once (network, lock), so the parallel runs only read.
    fetch = run([CARGO, "fetch"] + OFFLINE, cwd=FIXTURE, env=env)
    if fetch.returncode != 0:
        sys.exit("check-targets: cargo fetch in %s failed:\n%s" % (FIXTURE, fetch.stderr))

    results, refused, lock = {}, {}, threading.Lock()

    def worker(i):
        target_dir = os.path.join(work, "w%d" % i)
        mine = targets[i::jobs]
        if not mine:
            return
        # Build the host side (build scripts, the guard with `build`) once,
        # and forget the target side: otherwise the first target's output
        # would also hold platform-guard's build script run for the host.
        check_target(mine[0], target_dir, env)
        subprocess.run(["rm", "-rf", os.path.join(target_dir, mine[0])])
        for triple in mine:
            r, why = check_target(triple, target_dir, env)
            with lock:
                if why:
                    refused[triple] = why
                else:
                    results[triple] = r

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    failed = False
    report = []
    for pol in PACKAGES:
        agree = [t for t in results if results[t][pol][1]]
        bad = sorted(t for t in results if not results[t][pol][1])
        levels = {}
        for t in results:
            levels[results[t][pol][0]] = levels.get(results[t][pol][0], 0) + 1
        spread = ", ".join("%d %s" % (levels[l], l) for l in oracle.LEVELS if l in levels)
        print("check-targets: %s%-10s %d of %d targets agree (%s)" % (LABEL, pol, len(agree), len(results), spread))
        for t in bad:
            failed = True
            print("check-targets: DISAGREE %s %s:\n%s" % (pol, t, "\n".join(results[t][pol][2])))
        for t in sorted(results):
            report.append("%s\t%s\t%s\t%s" % (t, pol, results[t][pol][0], "agree" if results[t][pol][1] else "DISAGREE"))
    for t in sorted(refused):
        print("check-targets: not checked %s: %s" % (t, refused[t]))
        report.append("%s\t-\t-\tnot checked: %s" % (t, refused[t]))
    if os.environ.get("REACH_REPORT"):
        with open(os.environ["REACH_REPORT"], "w") as f:
            f.write("\n".join(report) + "\n")
    # A target Cargo refuses before any build script runs cannot be compared;
    # it is named above. More than a handful means the setup is broken.
    limit = max(1, len(targets) // 20)
    if len(refused) > limit:
        failed = True
        print("check-targets: FAIL: %d of %d targets could not be checked (limit %d)" % (len(refused), len(targets), limit))
    print("check-targets: %d targets from rustc %s, %d checked, %d not checked, %d policies, %ds" % (
        len(targets), run([RUSTC, "-V"]).stdout.split()[1], len(results), len(refused), len(PACKAGES),
        time.time() - start))
    subprocess.run(["rm", "-rf", work])
    if failed:
        print("check-targets: FAIL")
        sys.exit(1)
    print("check-targets: OK")


if __name__ == "__main__":
    main()

# Shared helpers for the ci/check-* reach scripts. Source it, do not run it.
#
# Toolchains other than rustup's are Debian packages fetched with
# `apt-get download` and unpacked with `dpkg -x` into a private root each
# (one per version), so that several Rust versions live side by side, the
# system's /usr/bin stays untouched and rustup's `cargo`/`rustc` stay the
# default. Only the plain libraries those packages link against (libLLVM,
# libgit2, ...) and the cross tools are installed with apt.

set -euo pipefail

REACH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
REACH_CACHE=${PLATFORM_GUARD_REACH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/platform-guard-reach}
mkdir -p "$REACH_CACHE"
export CARGO_TERM_COLOR=never

reach_log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
reach_die() { printf '[%s] FAIL: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# Runs as root (CI) or through sudo when available.
reach_sudo() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    reach_die "need root (or sudo) to run: $*"
  fi
}

# `apt-get update` with retries. It may exit 100 transiently (a "File has
# unexpected size" index mismatch right after `dpkg --add-architecture`);
# that is not fatal as long as the packages we need then install.
REACH_APT_UPDATED=${REACH_APT_UPDATED:-}
reach_apt_update() {
  [ -n "$REACH_APT_UPDATED" ] && return 0
  local i
  for i in 1 2 3; do
    if reach_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>"$REACH_CACHE/apt-update.err"; then
      REACH_APT_UPDATED=1
      return 0
    fi
    reach_log "apt-get update failed (attempt $i): $(tail -n 2 "$REACH_CACHE/apt-update.err" | tr '\n' ' ')"
    sleep $((i * 2))
  done
  reach_log "apt-get update kept failing; going on with the indexes we have"
  REACH_APT_UPDATED=1
}

reach_installed() { dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# Installs the packages that are not installed yet, with retries.
reach_apt_install() {
  local missing=() p i
  for p in "$@"; do reach_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  reach_apt_update
  for i in 1 2 3; do
    if reach_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >"$REACH_CACHE/apt-install.log" 2>&1; then
      return 0
    fi
    reach_log "apt-get install ${missing[*]} failed (attempt $i): $(tail -n 3 "$REACH_CACHE/apt-install.log" | tr '\n' ' ')"
    REACH_APT_UPDATED=
    reach_apt_update
  done
  reach_die "cannot install ${missing[*]} with apt-get (see $REACH_CACHE/apt-install.log)"
}

# Adds a foreign dpkg architecture (i386, arm64) if it is not there yet.
reach_add_arch() {
  if ! dpkg --print-foreign-architectures | grep -qx "$1"; then
    reach_sudo dpkg --add-architecture "$1"
    REACH_APT_UPDATED=
  fi
}

# Every version apt knows of a package, newest first.
reach_versions() { apt-cache madison "$1" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -Vru; }

# Downloads and unpacks Debian's Rust <release> (`1.63` = the `rustc` and
# `cargo` packages; anything else = the `rustc-web`/`cargo-web` packages of
# that release) into a private root; `extra_archs` (i386 arm64 ...) adds the
# standard library for those architectures. Prints the root. Reuses an
# earlier unpack. Installs the shared libraries the binaries need.
reach_debian_rust() {
  local release=$1; shift
  local archs=("$@")
  local suffix=
  [ ${#archs[@]} -eq 0 ] || suffix=-$(IFS=-; echo "${archs[*]}")
  local root="$REACH_CACHE/debian-rust-$release$suffix"
  local stamp="$root/.complete"
  if [ -e "$stamp" ]; then echo "$root"; return 0; fi
  reach_apt_update
  local arch pkgs=() rust_pkgs
  for arch in "${archs[@]}"; do reach_add_arch "$arch"; done
  reach_apt_update
  if [ "$release" = 1.63 ]; then
    local v; v=$(reach_versions rustc | grep -m1 '^1\.63\.') || reach_die "apt knows no rustc 1.63.x (apt-cache madison rustc)"
    local cv; cv=$(reach_versions cargo | grep -m1 '^0\.66\.') || reach_die "apt knows no cargo 0.66.x (Cargo 1.65)"
    pkgs=("rustc=$v" "libstd-rust-1.63=$v" "libstd-rust-dev=$v" "cargo=$cv")
    for arch in "${archs[@]}"; do pkgs+=("libstd-rust-dev:$arch=$v" "libstd-rust-1.63:$arch=$v"); done
  else
    local v; v=$(reach_versions rustc-web | grep -m1 "^${release//./\\.}\.") ||
      reach_die "apt knows no rustc-web $release.x (apt-cache madison rustc-web lists: $(reach_versions rustc-web | tr '\n' ' '))"
    pkgs=("rustc-web=$v" "libstd-rust-web-$release=$v" "libstd-rust-web-dev=$v" "cargo-web=$v")
    for arch in "${archs[@]}"; do pkgs+=("libstd-rust-web-dev:$arch=$v"); done
  fi
  local debs="$REACH_CACHE/debs-$release"
  rm -rf "$debs" "$root"
  mkdir -p "$debs" "$root"
  local i ok=
  for i in 1 2 3; do
    # `_apt` cannot write to private folders: download as the current user.
    if (cd "$debs" && apt-get download -o APT::Sandbox::User="$(id -un)" "${pkgs[@]}" >"$debs/download.log" 2>&1); then ok=1; break; fi
    reach_log "apt-get download ${pkgs[*]} failed (attempt $i): $(tail -n 2 "$debs/download.log" | tr '\n' ' ')"
    REACH_APT_UPDATED=
    reach_apt_update
  done
  [ -n "$ok" ] || reach_die "cannot download ${pkgs[*]}"
  local deb libs=()
  for deb in "$debs"/*.deb; do
    dpkg -x "$deb" "$root"
    # The plain libraries (libLLVM, libgit2, libcurl, ...) and tools (gcc,
    # binutils) the toolchain needs; the Rust packages themselves are
    # unpacked above instead.
    local dep
    for dep in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g'); do
      case "$dep" in
        rustc | rustc-web | cargo | cargo-web | libstd-rust*) ;;
        libc-dev) libs+=(libc6-dev) ;;
        *) libs+=("$dep") ;;
      esac
    done
  done
  rm -rf "$debs"
  # shellcheck disable=SC2046
  reach_apt_install $(printf '%s\n' "${libs[@]}" | sort -u)
  touch "$stamp"
  echo "$root"
}

# Sets RUST_ROOT, RUSTC_BIN, CARGO_BIN, RUSTDOC_BIN and a LD_LIBRARY_PATH for
# a private Debian root; `reach_run_debian` runs a command with that
# toolchain first in PATH (so `rustc` inside build scripts and tests is it).
reach_use_debian() {
  RUST_ROOT=$1
  RUSTC_BIN=$RUST_ROOT/usr/bin/rustc
  CARGO_BIN=$RUST_ROOT/usr/bin/cargo
  RUSTDOC_BIN=$RUST_ROOT/usr/bin/rustdoc
  REACH_LD=$RUST_ROOT/usr/lib/x86_64-linux-gnu
}
reach_run_debian() {
  env LD_LIBRARY_PATH="$REACH_LD${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    PATH="$RUST_ROOT/usr/bin:$PATH" RUSTC="$RUSTC_BIN" RUSTDOC="$RUSTDOC_BIN" CARGO="$CARGO_BIN" \
    RUSTUP_TOOLCHAIN= "$@"
}

# A copy of the repository's source (the working tree stays untouched), in a
# fresh temporary folder: the files git tracks plus new ones it does not
# ignore (so no build output, fuzz corpus or fixture lockfile). Prints its
# path.
reach_repo_copy() {
  local dest; dest=$(mktemp -d "${TMPDIR:-/tmp}/platform-guard-reach.XXXXXX")
  if git -C "$REACH_REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # A file listed but deleted meanwhile is skipped (--ignore-failed-read).
    (cd "$REACH_REPO" && git ls-files -z -co --exclude-standard |
      tar --null --ignore-failed-read -T - -cf - 2>/dev/null || true) | tar -xf - -C "$dest"
  else
    (cd "$REACH_REPO" && tar --exclude=./target --exclude='./*/target' --exclude='./tests/fixtures/*/target' \
      --exclude='./fuzz' --exclude=./.git -cf - .) | tar -xf - -C "$dest"
  fi
  [ -f "$dest/Cargo.toml" ] || reach_die "copying $REACH_REPO to $dest failed (no Cargo.toml there)"
  echo "$dest"
}

# In a crate folder (of a repository copy): resolves its dependencies for
# the compiler `$1` with the current (rustup) Cargo, lockfile version 3,
# and vendors them into the folder `$2`, writing the source replacement to
# `<crate>/.cargo/config.toml`, so that an old Cargo that cannot reach the
# registry builds it with `--offline`. The resolver falls back to versions
# whose `rust-version` the compiler `$1` satisfies (for example `semver`
# 1.0.27 rather than 1.0.28, which needs Rust 1.68).
reach_vendor_for() {
  local rustc=$1 vendor=$2 dir=${3:-.}
  (
    cd "$dir"
    rm -f Cargo.lock
    env -u RUSTUP_TOOLCHAIN LD_LIBRARY_PATH="${REACH_LD:-}" RUSTC="$rustc" \
      CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo generate-lockfile -q
    sed -i 's/^version = 4$/version = 3/' Cargo.lock
    mkdir -p .cargo
    cargo vendor --locked --versioned-dirs "$vendor" 2>/dev/null >.cargo/config.toml
  )
}

# Adds the rustup targets ($@) that the active toolchain (rustup's default
# `cargo`/`rustc`) lacks, with retries; dies naming them if it cannot.
reach_rustup_targets() {
  command -v rustup >/dev/null || reach_die "rustup is not installed: cannot add the targets $*"
  local installed missing=() t i
  installed=$(rustup target list --installed 2>/dev/null || true)
  for t in "$@"; do grep -qx "$t" <<<"$installed" || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  for i in 1 2 3; do
    if rustup target add "${missing[@]}" >"$REACH_CACHE/rustup-target.log" 2>&1; then return 0; fi
    reach_log "rustup target add ${missing[*]} failed (attempt $i): $(tail -n 2 "$REACH_CACHE/rustup-target.log" | tr '\n' ' ')"
    sleep $((i * 5))
  done
  reach_die "cannot add the rustup targets ${missing[*]} (see $REACH_CACHE/rustup-target.log)"
}

reach_elapsed() { echo $(($(date +%s) - REACH_START)); }
REACH_START=$(date +%s)

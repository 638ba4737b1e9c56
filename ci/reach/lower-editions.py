#!/usr/bin/env python3
"""Lets Cargo 1.65 read a vendor directory that holds edition-2024 crates.

When the crate itself is the root package, its lockfile (and so the vendor
directory) holds every optional dependency, also those of features that need
a newer Rust (`toml` for `manifest`). Cargo 1.65 parses every vendored
manifest and stops at `edition = "2024"` even for crates it will never
compile. This rewrites those manifests to edition 2021 and drops their
Cargo.toml checksum, and prints the names of the crates it touched, so that
the caller can verify that none of them is compiled (`cargo tree`).

Usage: lower-editions.py <vendor-dir>
"""

import json
import os
import re
import sys

EDITION = re.compile(r'^(\s*edition\s*=\s*)"2024"', re.M)


def main(vendor):
    touched = []
    for name in sorted(os.listdir(vendor)):
        manifest = os.path.join(vendor, name, "Cargo.toml")
        if not os.path.isfile(manifest):
            continue
        with open(manifest) as f:
            text = f.read()
        new = EDITION.sub(r'\1"2021"', text)
        if new == text:
            continue
        with open(manifest, "w") as f:
            f.write(new)
        checksum = os.path.join(vendor, name, ".cargo-checksum.json")
        with open(checksum) as f:
            sums = json.load(f)
        sums["files"].pop("Cargo.toml", None)
        with open(checksum, "w") as f:
            json.dump(sums, f)
        m = re.search(r'^name\s*=\s*"([^"]+)"', text, re.M)
        touched.append(m.group(1) if m else name)
    print("\n".join(touched))


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: lower-editions.py <vendor-dir> (a directory made by cargo vendor)")
    main(sys.argv[1])

//! A job's `strategy.matrix`, expanded into the combinations GitHub runs,
//! and the targets its values name.

use super::job::JobReader;
use crate::yaml::{self, Node};

/// Matrix keys whose values are meant to be targets (a value there that
/// rustc does not know is reported).
const TARGET_KEYS: &[&str] = &["target", "targets", "rust-target", "triple", "rust_target"];

/// The most combinations a matrix is expanded to; a larger one is read
/// as one combination per value.
const MAX_COMBOS: usize = 4096;

/// One matrix combination: key, value and the value's line.
pub type Combo = Vec<(String, String, usize)>;

/// A matrix's parts: each key's values (with their lines), and the
/// `include` and `exclude` entries.
#[derive(Default)]
struct Parts {
    dims: Vec<(String, Vec<(String, usize)>)>,
    include: Vec<Combo>,
    exclude: Vec<Combo>,
}

/// The targets the combinations' values name, pushed to the job: a known
/// triple under any key, an unknown name under a target-like key. For each
/// combination, whether it names one.
pub fn mentions(r: &mut JobReader<'_>, combos: &[Combo]) -> Vec<bool> {
    let mut named = Vec::new();
    for c in combos {
        let mut has = false;
        for (k, v, line) in c {
            if r.knows(v) {
                r.push(v, *line, "matrix");
                has = true;
            } else if TARGET_KEYS.contains(&k.as_str()) && !v.contains("${{") && !v.is_empty() {
                r.push(v, *line, &format!("matrix {}", k));
                has = true;
            }
        }
        named.push(has);
    }
    named
}

/// The combinations of a `strategy.matrix` mapping, as GitHub builds them:
/// the product of its keys' values, `exclude` removed, then each `include`
/// entry added to every combination whose original values it does not
/// change, or as a combination of its own. None for a matrix (or a key of
/// it) that is an expression: the line and the reason go to `opaque`.
pub fn combos(matrix: &Node, opaque: &mut Vec<(usize, String)>) -> Vec<Combo> {
    if let Some(s) = matrix.as_str() {
        opaque.push((
            matrix.line,
            format!(
                "the matrix is computed when the workflow runs (`{}`)",
                s.trim()
            ),
        ));
        return Vec::new();
    }
    let parts = parts(matrix, opaque);
    let mut product = product(&parts.dims);
    product.retain(|c| {
        !parts.exclude.iter().any(|ex| {
            !ex.is_empty()
                && ex
                    .iter()
                    .all(|(k, v, _)| c.iter().any(|(ck, cv, _)| ck == k && cv == v))
        })
    });
    let originals: Vec<&str> = parts.dims.iter().map(|(k, _)| k.as_str()).collect();
    include(&mut product, parts.include, &originals);
    product
}

/// "matrix KEY is computed when the workflow runs", for a value that is
/// an expression.
fn computed(key: &str, value: &Node, text: &str) -> (usize, String) {
    (
        value.line,
        format!(
            "matrix {} is computed when the workflow runs (`{}`)",
            key,
            text.trim()
        ),
    )
}

/// The matrix's keys, `include` and `exclude`.
fn parts(matrix: &Node, opaque: &mut Vec<(usize, String)>) -> Parts {
    let mut parts = Parts::default();
    for (k, v) in matrix.entries() {
        let key = k.as_str().unwrap_or_default().to_string();
        if key == "include" || key == "exclude" {
            if let Some(s) = v.as_str() {
                opaque.push(computed(&key, v, s));
            }
            let list = if key == "include" {
                &mut parts.include
            } else {
                &mut parts.exclude
            };
            list.extend(v.items().iter().map(entry));
            continue;
        }
        if let Some(s) = v.as_str().filter(|s| s.contains("${{")) {
            opaque.push(computed(&key, v, s));
            continue;
        }
        let mut vals = Vec::new();
        for item in v.items() {
            scalars(item, &mut vals);
        }
        if let Some(s) = v.as_str() {
            vals.push((s.to_string(), v.line));
        }
        parts.dims.push((key, vals));
    }
    parts
}

/// One `include` or `exclude` entry (a mapping: each key with its
/// scalars).
fn entry(item: &Node) -> Combo {
    let mut combo: Combo = Vec::new();
    for (ik, iv) in item.entries() {
        let mut vals = Vec::new();
        scalars(iv, &mut vals);
        for (val, line) in vals {
            combo.push((ik.as_str().unwrap_or_default().to_string(), val, line));
        }
    }
    combo
}

/// The value's text for a combination (a mapping or sequence value is
/// opaque: its scalars are still searched for targets).
fn scalars(node: &Node, out: &mut Vec<(String, usize)>) {
    match &node.kind {
        yaml::Kind::Scalar { value } => out.push((value.clone(), node.line)),
        yaml::Kind::Seq(items) => items.iter().for_each(|i| scalars(i, out)),
        yaml::Kind::Map(entries) => entries.iter().for_each(|(_, v)| scalars(v, out)),
    }
}

/// The product of the keys' values (a key with none is left out); past
/// [`MAX_COMBOS`], one combination per value. None when no key has a
/// value.
fn product(dims: &[(String, Vec<(String, usize)>)]) -> Vec<Combo> {
    if dims.iter().all(|(_, v)| v.is_empty()) {
        return Vec::new();
    }
    let total = dims
        .iter()
        .try_fold(1usize, |n, (_, v)| n.checked_mul(v.len().max(1)));
    if total.is_none_or(|n| n > MAX_COMBOS) {
        return dims
            .iter()
            .flat_map(|(k, vals)| {
                vals.iter()
                    .map(move |(v, l)| vec![(k.clone(), v.clone(), *l)])
            })
            .collect();
    }
    let mut product: Vec<Combo> = vec![Vec::new()];
    for (key, vals) in dims {
        if vals.is_empty() {
            continue;
        }
        let mut next = Vec::new();
        for combo in &product {
            for (val, line) in vals {
                let mut c = combo.clone();
                c.push((key.clone(), val.clone(), *line));
                next.push(c);
            }
        }
        product = next;
    }
    product
}

/// Each `include` entry added to every combination (of those the product
/// made) whose `originals` values it matches, its other keys replacing
/// theirs; an entry that matches none is a combination of its own.
fn include(product: &mut Vec<Combo>, include: Vec<Combo>, originals: &[&str]) {
    let base = product.len();
    for inc in include {
        let mut added = false;
        for c in product.iter_mut().take(base) {
            let fits = inc.iter().all(|(k, v, _)| {
                !originals.contains(&k.as_str()) || c.iter().any(|(ck, cv, _)| ck == k && cv == v)
            });
            if fits {
                for (k, v, l) in &inc {
                    if !originals.contains(&k.as_str()) {
                        c.retain(|(ck, _, _)| ck != k);
                        c.push((k.clone(), v.clone(), *l));
                    }
                }
                added = true;
            }
        }
        if !added {
            product.push(inc);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(c: &[Combo]) -> Vec<String> {
        c.iter()
            .map(|c| {
                c.iter()
                    .map(|(k, v, _)| format!("{}={}", k, v))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn matrices_expand_as_github_expands_them() {
        let doc = yaml::parse(
            "os: [a, b]\ntarget: [x, y]\nexclude:\n  - os: b\n    target: y\ninclude:\n  - os: a\n    extra: e\n  - target: z\n",
        )
        .unwrap();
        let mut opaque = Vec::new();
        let c = combos(&doc, &mut opaque);
        assert_eq!(
            shown(&c),
            [
                "os=a target=x extra=e",
                "os=a target=y extra=e",
                "os=b target=x",
                "target=z"
            ]
        );
        assert!(opaque.is_empty());
    }

    #[test]
    fn a_huge_matrix_is_read_value_by_value() {
        // 20 keys of 16 values: 16^20 combinations, more than a usize holds.
        let text: String = (0..20)
            .map(|k| {
                let vals: Vec<String> = (0..16).map(|v| format!("v{}", v)).collect();
                format!("k{}: [{}]\n", k, vals.join(", "))
            })
            .collect();
        let doc = yaml::parse(&text).unwrap();
        let c = combos(&doc, &mut Vec::new());
        assert_eq!(c.len(), 20 * 16);
        assert_eq!(shown(&c[..2]), ["k0=v0", "k0=v1"]);
    }
}

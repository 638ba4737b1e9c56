//! A job's `strategy.matrix`, expanded into the combinations GitHub runs:
//! the product of its keys' values (any value: a string, a mapping, a
//! list), `exclude` removed (a partial match), then each `include` entry
//! added to every combination whose original values it does not change, or
//! as a combination of its own. A matrix, a key, or an `include` given by an
//! expression is evaluated (`fromJSON('[...]')` of a literal is read); one
//! whose value is known only when the workflow runs makes the matrix
//! computed or partial, and says why once.

use super::expr::{eval, whole};
use super::scope::Scope;
use super::value::{Unknown, Value};
use crate::yaml::{self, Node};

/// The most combinations a matrix is expanded to; a larger one is read
/// as one combination per value.
const MAX_COMBOS: usize = 4096;

/// A job's matrix.
#[derive(Debug, Default)]
pub struct Matrix {
    /// The combinations, each an object (none: the job has no matrix, or
    /// it is all computed).
    pub combos: Vec<Value>,
    /// Part of the matrix is computed when the workflow runs: a key a
    /// combination lacks is not known.
    pub partial: bool,
    /// All of it is: no combination is known.
    pub computed: bool,
    /// What could not be evaluated, and where.
    pub unknown: Vec<(usize, Unknown)>,
}

/// The keys' values, `include` and `exclude`.
#[derive(Default)]
struct Parts {
    dims: Vec<(String, Vec<Value>)>,
    include: Vec<Value>,
    exclude: Vec<Value>,
}

/// Reads `strategy.matrix` (`scope`: the workflow's, for expressions).
pub fn read(node: Option<&Node>, scope: &Scope<'_>) -> Matrix {
    let mut m = Matrix::default();
    let Some(node) = node else { return m };
    let parts = match node.as_str() {
        Some(s) => match evaluated(s, node.line, scope, &mut m) {
            Some(Value::Object(entries)) => parts_of_object(entries),
            _ => {
                m.computed = true;
                return m;
            }
        },
        None => parts_of_node(node, scope, &mut m),
    };
    let mut combos = product(&parts.dims);
    combos.retain(|c| !parts.exclude.iter().any(|ex| matches(ex, c)));
    let originals: Vec<&str> = parts.dims.iter().map(|(k, _)| k.as_str()).collect();
    include(&mut combos, parts.include, &originals);
    if combos.is_empty() && m.partial {
        m.computed = true;
    }
    m.combos = combos;
    m
}

/// The value of a scalar that may be an expression; `None` (and the reason
/// kept) when it is not known.
fn evaluated(s: &str, line: usize, scope: &Scope<'_>, m: &mut Matrix) -> Option<Value> {
    let v = match whole(s) {
        Some(src) => eval(src, scope),
        None => return Some(Value::str(s)),
    };
    match v {
        Value::Unknown(mut u) => {
            if u.expr.is_empty() {
                u.expr = s.trim().to_string();
            }
            m.unknown.push((line, u));
            m.partial = true;
            None
        }
        v => Some(v),
    }
}

fn parts_of_node(node: &Node, scope: &Scope<'_>, m: &mut Matrix) -> Parts {
    let mut parts = Parts::default();
    for (k, v) in node.entries() {
        let key = k.as_str().unwrap_or_default().to_string();
        let values = match v.as_str() {
            Some(s) if whole(s).is_some() => match evaluated(s, v.line, scope, m) {
                Some(Value::Array(items)) => items,
                Some(other) => vec![other],
                None => continue,
            },
            _ => match &v.kind {
                yaml::NodeKind::Seq(items) => items.iter().map(|i| item(i, scope, m)).collect(),
                _ => vec![Value::from_node(v)],
            },
        };
        add(&mut parts, key, values);
    }
    parts
}

fn parts_of_object(entries: Vec<(String, Value)>) -> Parts {
    let mut parts = Parts::default();
    for (key, v) in entries {
        let values = match v {
            Value::Array(items) => items,
            other => vec![other],
        };
        add(&mut parts, key, values);
    }
    parts
}

/// One item of a key's list (an expression item is evaluated).
fn item(node: &Node, scope: &Scope<'_>, m: &mut Matrix) -> Value {
    match node.as_str() {
        Some(s) if whole(s).is_some() => evaluated(s, node.line, scope, m).unwrap_or(
            Value::Unknown(Unknown::new(super::value::Why::ComputedMatrix, s.trim())),
        ),
        _ => Value::from_node(node),
    }
}

fn add(parts: &mut Parts, key: String, values: Vec<Value>) {
    match key.as_str() {
        "include" => parts.include.extend(values),
        "exclude" => parts.exclude.extend(values),
        _ => parts.dims.push((key, values)),
    }
}

/// Whether `entry` (an `exclude` entry) matches combination `c`: each of
/// its keys has the combination's value (a mapping value matches in
/// part).
fn matches(entry: &Value, c: &Value) -> bool {
    let Value::Object(keys) = entry else {
        return false;
    };
    !keys.is_empty() && keys.iter().all(|(k, v)| part_of(v, &c.get(k)))
}

fn part_of(part: &Value, whole: &Value) -> bool {
    match (part, whole) {
        (Value::Object(keys), Value::Object(_)) => {
            keys.iter().all(|(k, v)| part_of(v, &whole.get(k)))
        }
        _ => part.same(whole),
    }
}

/// The product of the keys' values (a key with none is left out); past
/// [`MAX_COMBOS`], one combination per value.
fn product(dims: &[(String, Vec<Value>)]) -> Vec<Value> {
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
                    .map(move |v| Value::Object(vec![(k.clone(), v.clone())]))
            })
            .collect();
    }
    let mut product: Vec<Vec<(String, Value)>> = vec![Vec::new()];
    for (key, vals) in dims {
        if vals.is_empty() {
            continue;
        }
        let mut next = Vec::with_capacity(product.len() * vals.len());
        for combo in &product {
            for v in vals {
                let mut c = combo.clone();
                c.push((key.clone(), v.clone()));
                next.push(c);
            }
        }
        product = next;
    }
    product.into_iter().map(Value::Object).collect()
}

/// Each `include` entry added to every combination (of those the product
/// made) whose `originals` values it does not change, its other keys
/// replacing theirs; an entry that fits none is a combination of its own.
fn include(combos: &mut Vec<Value>, include: Vec<Value>, originals: &[&str]) {
    let base = combos.len();
    for inc in include {
        let Value::Object(keys) = inc else { continue };
        let mut added = false;
        for c in combos.iter_mut().take(base) {
            let Value::Object(entries) = c else { continue };
            let fits = keys.iter().all(|(k, v)| {
                !originals.contains(&k.as_str())
                    || entries.iter().any(|(ck, cv)| ck == k && cv.same(v))
            });
            if fits {
                for (k, v) in &keys {
                    if !originals.contains(&k.as_str()) {
                        entries.retain(|(ck, _)| ck != k);
                        entries.push((k.clone(), v.clone()));
                    }
                }
                added = true;
            }
        }
        if !added && combos.len() < MAX_COMBOS * 2 {
            combos.push(Value::Object(keys));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::value::Why;
    use super::*;

    fn shown(m: &Matrix) -> Vec<String> {
        m.combos
            .iter()
            .map(|c| match c {
                Value::Object(e) => e
                    .iter()
                    .map(|(k, v)| format!("{}={}", k, v.to_text().s))
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            })
            .collect()
    }

    fn read_text(text: &str) -> Matrix {
        let doc = yaml::parse(text).unwrap();
        read(Some(&doc), &Scope::empty())
    }

    #[test]
    fn matrices_expand_as_github_expands_them() {
        let m = read_text(
            "os: [a, b]\ntarget: [x, y]\nexclude:\n  - os: b\n    target: y\ninclude:\n  - os: a\n    extra: e\n  - target: z\n",
        );
        assert_eq!(
            shown(&m),
            [
                "os=a target=x extra=e",
                "os=a target=y extra=e",
                "os=b target=x",
                "target=z"
            ]
        );
        assert!(m.unknown.is_empty() && !m.partial);
        // Object values, and an exclude matching part of one.
        let m = read_text(
            "job:\n  - { target: t1, os: o1 }\n  - { target: t2, os: o2, cross: true }\nexclude:\n  - job: { target: t2 }\n",
        );
        assert_eq!(m.combos.len(), 1);
        assert_eq!(
            m.combos[0].get("job").get("target").to_text().line(),
            Some(2)
        );
        // fromJSON of a literal is read.
        let m = read_text("target: ${{ fromJSON('[\"a-b-c\", \"d-e-f\"]') }}\n");
        assert_eq!(shown(&m), ["target=a-b-c", "target=d-e-f"]);
    }

    #[test]
    fn computed_matrices_say_why_once() {
        let m = read_text("include: ${{ fromJson(needs.plan.outputs.matrix) }}\n");
        assert!(m.computed && m.combos.is_empty());
        assert_eq!(m.unknown.len(), 1);
        assert_eq!(m.unknown[0].1.why, Why::JobOutput);
        let doc = yaml::parse("x: ${{ fromJSON(needs.a.outputs.m) }}").unwrap();
        let m = read(doc.get("x"), &Scope::empty());
        assert!(m.computed);
        let m = read_text("os: [a]\ninclude: ${{ fromJson(needs.plan.outputs.extra) }}\n");
        assert!(m.partial && !m.computed);
        assert_eq!(shown(&m), ["os=a"]);
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
        let m = read_text(&text);
        assert_eq!(m.combos.len(), 20 * 16);
        assert_eq!(shown(&m)[..2], ["k0=v0", "k0=v1"]);
    }
}

//! GitHub expressions in a workflow's text, evaluated for one matrix
//! combination. Today only `${{ matrix.KEY }}` (with or without the inner
//! spaces) is replaced; any other expression is left as written, and the
//! readers skip a name that still holds `${{`.

use super::matrix::Combo;

/// `${{ matrix.KEY }}` replaced by the combination's values.
pub fn substitute(text: &str, combo: &Combo) -> String {
    let mut out = text.to_string();
    for (k, v, _) in combo {
        for form in [
            format!("${{{{ matrix.{} }}}}", k),
            format!("${{{{matrix.{}}}}}", k),
        ] {
            out = out.replace(&form, v);
        }
    }
    out
}

//! The cfg parser and the classifier: no panic; parse -> display -> parse
//! gives the same expression; a policy with the rule classifies as the
//! expression evaluates; every error is one bounded line naming the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use platform_guard::{CfgExpr, ErrorKind, Level, Policy};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let policy = Policy::new("FUZZ_UNSUPPORTED_ARCH").unstable(input);
    match CfgExpr::parse(input) {
        Ok(expr) => {
            let text = expr.to_string();
            let again = CfgExpr::parse(&text)
                .unwrap_or_else(|e| panic!("display {:?} does not parse back: {}", text, e));
            assert_eq!(
                again, expr,
                "display {:?} parses to another expression",
                text
            );
            assert_eq!(again.to_string(), text, "display is not canonical");
            assert!(!text.chars().any(|c| c.is_control()), "{:?}", text);
            // A name rustc does not set (a typo), or one whose value
            // differs between the compiles of one package (`test`), makes
            // the policy invalid: it fails closed, with one line naming
            // the name.
            if let Err(e) = policy.validate() {
                assert!(
                    matches!(e.kind(), ErrorKind::UnknownCfgName | ErrorKind::InvalidPolicy),
                    "{}",
                    e
                );
                assert!(expr.names().contains(&e.input()), "{}", e);
                common::check_error(&e, e.input());
                for t in common::targets() {
                    let v = policy.classify(t);
                    assert_eq!((v.level(), v.rule()), (Level::Unsupported, None));
                }
                return;
            }
            for w in policy.warnings() {
                assert!(!w.to_string().contains('\n'), "{}", w);
            }
            for t in common::targets() {
                let v = policy.classify(t);
                if expr.matches(t) {
                    assert_eq!(v.level(), Level::Unstable);
                    assert_eq!(v.rule(), Some(text.as_str()));
                } else {
                    assert_eq!(v.level(), Level::Unsupported);
                    assert_eq!(v.rule(), None);
                }
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::CfgSyntax);
            assert_eq!(e.input(), input);
            assert!(e.to_string().starts_with("invalid cfg expression "));
            common::check_error(&e, input);
            // The policy keeps the mistake and fails closed.
            assert!(policy.validate().is_err());
            for t in common::targets() {
                let v = policy.classify(t);
                assert_eq!((v.level(), v.rule()), (Level::Unsupported, None));
            }
        }
    }
});

//! Stage-name rules and the `# check=` directive grammar.

use crate::syntax::Span;

use super::parse_go_bool;

/// Stage names BuildKit warns about (ReservedStageName): `scratch` is the empty image and
/// `context` the build context, so a stage with that name would shadow them.
pub const RESERVED_STAGE_NAMES: [&str; 2] = ["scratch", "context"];

/// Stage names are lower-cased by BuildKit, so `Scratch` is reserved too.
pub fn is_reserved_stage_name(name: &str) -> bool {
    RESERVED_STAGE_NAMES
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
}

/// BuildKit's check on `FROM … AS name`: after lower-casing, the name must match
/// `^[a-z][a-z0-9-_.]*$`. So `Builder` is valid (StageNameCasing only warns) and `1st` or
/// `my stage` are not.
pub fn is_valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars().map(|c| c.to_ascii_lowercase());
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// The options of a `# check=` directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOptionKey {
    /// `skip=Rule,Rule` or `skip=all`.
    Skip,
    /// `error=true`: fail the build when a check reports something.
    Error,
    /// `experimental=Rule,Rule` or `experimental=all`: turn on experimental checks.
    Experimental,
}

impl CheckOptionKey {
    pub const ALL: [CheckOptionKey; 3] = [
        CheckOptionKey::Skip,
        CheckOptionKey::Error,
        CheckOptionKey::Experimental,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CheckOptionKey::Skip => "skip",
            CheckOptionKey::Error => "error",
            CheckOptionKey::Experimental => "experimental",
        }
    }

    /// Case-sensitive, like BuildKit.
    pub fn from_name(name: &str) -> Option<CheckOptionKey> {
        CheckOptionKey::ALL
            .into_iter()
            .find(|key| key.name() == name)
    }
}

/// One list item or value; the span is relative to the directive's value text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckValue {
    /// Trimmed; may be empty (`skip=A,` has an empty second item, where completion goes).
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOption {
    /// `None` for a key BuildKit does not know.
    pub key: Option<CheckOptionKey>,
    /// Trimmed.
    pub key_text: String,
    pub key_span: Span,
    /// The values: the comma-separated items for `skip` and `experimental`, the one value for
    /// `error` and unknown keys. Empty when the option has no `=`.
    pub values: Vec<CheckValue>,
}

impl CheckOption {
    /// `skip=all` / `experimental=all`: BuildKit only honours `all` as the whole value.
    pub fn is_all(&self) -> bool {
        matches!(self.values.as_slice(), [only] if only.text == "all")
    }
}

/// A parsed `# check=` value: options in order plus BuildKit's errors for malformed ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckDirective {
    pub options: Vec<CheckOption>,
    /// Each malformed option with BuildKit's message (BuildKit stops at the first and fails
    /// the build with "failed to parse check options").
    pub errors: Vec<(Span, String)>,
}

impl CheckDirective {
    /// The option `key` in effect: when repeated, the last one wins, as in BuildKit.
    pub fn option(&self, key: CheckOptionKey) -> Option<&CheckOption> {
        self.options
            .iter()
            .rev()
            .find(|option| option.key == Some(key))
    }

    pub fn skips_all(&self) -> bool {
        self.option(CheckOptionKey::Skip)
            .is_some_and(CheckOption::is_all)
    }

    /// The rule names listed under `skip` (empty items left out; `all` is not a rule).
    pub fn skipped_rules(&self) -> Vec<&CheckValue> {
        self.listed_rules(CheckOptionKey::Skip)
    }

    pub fn experimental_all(&self) -> bool {
        self.option(CheckOptionKey::Experimental)
            .is_some_and(CheckOption::is_all)
    }

    pub fn experimental_rules(&self) -> Vec<&CheckValue> {
        self.listed_rules(CheckOptionKey::Experimental)
    }

    /// `error=<bool>`; `None` when absent or not a boolean.
    pub fn error_on_violation(&self) -> Option<bool> {
        let option = self.option(CheckOptionKey::Error)?;
        parse_go_bool(&option.values.first()?.text)
    }

    fn listed_rules(&self, key: CheckOptionKey) -> Vec<&CheckValue> {
        self.option(key)
            .filter(|option| !option.is_all())
            .map(|option| {
                option
                    .values
                    .iter()
                    .filter(|value| !value.text.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Parses the text after `check=` the way BuildKit's `parseLintOptions` does: up to three
/// `;`-separated options (a fourth `;` stays inside the third value), each `key=value` with
/// blanks around keys and values trimmed, keys case-sensitive, list items split at `,`.
///
/// For the per-instruction form (`# check=skip=Rule // why`) pass only the text before the
/// first blank; BuildKit ignores the rest.
pub fn parse_check_directive(value: &str) -> CheckDirective {
    let mut directive = CheckDirective::default();
    if value.trim().is_empty() {
        return directive;
    }
    for (part, part_start) in split_n(value, ';', 3, 0) {
        let Some(eq) = part.find('=') else {
            directive.errors.push((
                trimmed_span(part, part_start),
                format!("invalid check option {part:?}"),
            ));
            continue;
        };
        let (key_raw, value_raw) = (&part[..eq], &part[eq + 1..]);
        let value_start = part_start + eq + 1;
        let key_text = key_raw.trim().to_string();
        let key_span = trimmed_span(key_raw, part_start);
        let key = CheckOptionKey::from_name(&key_text);
        let values = match key {
            Some(CheckOptionKey::Skip | CheckOptionKey::Experimental) => {
                split_n(value_raw, ',', usize::MAX, value_start)
                    .into_iter()
                    .map(|(item, start)| check_value(item, start))
                    .collect()
            }
            _ => vec![check_value(value_raw, value_start)],
        };
        match key {
            None => directive
                .errors
                .push((key_span, format!("invalid check option {key_text:?}"))),
            Some(CheckOptionKey::Error) => {
                let flag = value_raw.trim();
                if parse_go_bool(flag).is_none() {
                    directive.errors.push((
                        trimmed_span(value_raw, value_start),
                        format!(
                            "failed to parse check option {part:?}: strconv.ParseBool: parsing {flag:?}: invalid syntax"
                        ),
                    ));
                }
            }
            Some(_) => {}
        }
        directive.options.push(CheckOption {
            key,
            key_text,
            key_span,
            values,
        });
    }
    directive
}

fn check_value(raw: &str, start: usize) -> CheckValue {
    CheckValue {
        text: raw.trim().to_string(),
        span: trimmed_span(raw, start),
    }
}

/// Like Go's `strings.SplitN`: at most `limit` pieces of `text`, each with its offset, for `text`
/// starting at offset `base`.
fn split_n(text: &str, separator: char, limit: usize, base: usize) -> Vec<(&str, usize)> {
    let mut start = base;
    text.splitn(limit, separator)
        .map(|piece| {
            let piece_start = start;
            start += piece.len() + separator.len_utf8();
            (piece, piece_start)
        })
        .collect()
}

/// The span of `raw` without surrounding blanks, for `raw` starting at `start`; an empty span
/// after the leading blanks when `raw` is all blanks.
fn trimmed_span(raw: &str, start: usize) -> Span {
    let leading = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    Span::new(start + leading, start + leading + trimmed.len())
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    #[test]
    fn stage_names() {
        let valid: Vec<bool> = [
            "builder",
            "Builder",
            "build-2.0_x",
            "a",
            "1st",
            "my stage",
            "",
            "-x",
            "é",
        ]
        .into_iter()
        .map(is_valid_stage_name)
        .collect();
        assert_eq!(
            valid,
            [true, true, true, true, false, false, false, false, false]
        );
        assert!(is_reserved_stage_name("scratch"));
        assert!(is_reserved_stage_name("Context"));
        assert!(!is_reserved_stage_name("builder"));
    }

    fn check(value: &str, expect: Expect) {
        let directive = parse_check_directive(value);
        let slice = |span: Span| value.get(span.start..span.end).unwrap_or("<bad span>");
        let mut out = String::new();
        for option in &directive.options {
            out.push_str(&format!("{:?} {:?}:", option.key, slice(option.key_span)));
            for item in &option.values {
                out.push_str(&format!(" {:?}@{}", item.text, item.span.start));
                assert_eq!(slice(item.span), item.text);
            }
            out.push('\n');
        }
        for (span, message) in &directive.errors {
            out.push_str(&format!("error {:?}: {message}\n", slice(*span)));
        }
        out.push_str(&format!(
            "skip_all={} skipped={:?} error={:?} experimental_all={}\n",
            directive.skips_all(),
            directive
                .skipped_rules()
                .iter()
                .map(|v| &v.text)
                .collect::<Vec<_>>(),
            directive.error_on_violation(),
            directive.experimental_all(),
        ));
        expect.assert_eq(&out);
    }

    #[test]
    fn parses_skip_lists_and_error() {
        check(
            "skip=JSONArgsRecommended, StageNameCasing ;error=true",
            expect![[r#"
                Some(Skip) "skip": "JSONArgsRecommended"@5 "StageNameCasing"@26
                Some(Error) "error": "true"@49
                skip_all=false skipped=["JSONArgsRecommended", "StageNameCasing"] error=Some(true) experimental_all=false
            "#]],
        );
    }

    #[test]
    fn parses_all_and_empty_items() {
        check(
            "skip=all;experimental=all",
            expect![[r#"
                Some(Skip) "skip": "all"@5
                Some(Experimental) "experimental": "all"@22
                skip_all=true skipped=[] error=None experimental_all=true
            "#]],
        );
        check(
            "skip=A,",
            expect![[r#"
                Some(Skip) "skip": "A"@5 ""@7
                skip_all=false skipped=["A"] error=None experimental_all=false
            "#]],
        );
    }

    #[test]
    fn reports_buildkit_errors() {
        check(
            "Skip=A;error=maybe;oops",
            expect![[r#"
                None "Skip": "A"@5
                Some(Error) "error": "maybe"@13
                error "Skip": invalid check option "Skip"
                error "maybe": failed to parse check option "error=maybe": strconv.ParseBool: parsing "maybe": invalid syntax
                error "oops": invalid check option "oops"
                skip_all=false skipped=[] error=None experimental_all=false
            "#]],
        );
    }

    #[test]
    fn keeps_a_fourth_part_inside_the_third() {
        check(
            "skip=A;error=false;skip=B;C",
            expect![[r#"
                Some(Skip) "skip": "A"@5
                Some(Error) "error": "false"@13
                Some(Skip) "skip": "B;C"@24
                skip_all=false skipped=["B;C"] error=Some(false) experimental_all=false
            "#]],
        );
        check(
            "  ",
            expect![[r#"
                skip_all=false skipped=[] error=None experimental_all=false
            "#]],
        );
    }
}

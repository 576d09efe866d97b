//! Variable references: `$name`, `${name}` and `${name<op>word}` with every modifier BuildKit's
//! lexer knows (`:-` `-` `:+` `+` `:?` `?` `#` `##` `%` `%%` `/` `//`).

use super::tree::Span;

/// Who expands a reference; decides which definitions are visible and which checks apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expansion {
    /// The builder, while reading the Dockerfile (FROM, COPY, ENV, WORKDIR, …).
    Builder,
    /// The shell of a RUN step at build time (sees ARG and ENV).
    BuildShell,
    /// The shell of the container at run time (CMD, ENTRYPOINT, HEALTHCHECK: sees only ENV).
    RuntimeShell,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    pub name_span: Span,
    /// `$name` or `${…}` as a whole.
    pub span: Span,
    pub modifier: Option<VarModifier>,
    pub expansion: Expansion,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarModifier {
    pub operator: &'static str,
    /// The word after the operator (may itself hold references).
    pub word: Span,
}

const OPERATORS: [&str; 12] = [
    ":-", ":+", ":?", "##", "%%", "//", "-", "+", "?", "#", "%", "/",
];

/// References in a standalone piece of text (as the builder expands it), spans relative to it.
pub fn scan_text(text: &str, escape: char, out: &mut Vec<VarRef>) {
    scan(
        text,
        escape,
        Expansion::Builder,
        &|s, e| Span::new(s, e),
        out,
    );
}

/// Finds references in `text`; `map` turns an offset of `text` into a source span.
/// Single quotes suppress expansion and the escape character makes the next character literal.
pub(super) fn scan(
    text: &str,
    escape: char,
    expansion: Expansion,
    map: &dyn Fn(usize, usize) -> Span,
    out: &mut Vec<VarRef>,
) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_single = false;
    let mut in_double = false;
    while i < bytes.len() {
        let Some(ch) = text[i..].chars().next() else {
            break;
        };
        if in_single {
            if ch == '\'' {
                in_single = false;
            }
            i += ch.len_utf8();
            continue;
        }
        match ch {
            '\'' if !in_double => in_single = true,
            '"' => in_double = !in_double,
            c if c == escape => {
                i += c.len_utf8();
                if let Some(next) = text[i..].chars().next() {
                    i += next.len_utf8();
                }
                continue;
            }
            '$' => {
                if let Some(end) = reference_at(text, i, escape, expansion, map, out) {
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += ch.len_utf8();
    }
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn name_end(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    while bytes.get(end).copied().is_some_and(is_name_char) {
        end += 1;
    }
    end
}

/// A reference starting at the `$` at `dollar`; returns the offset after it.
fn reference_at(
    text: &str,
    dollar: usize,
    escape: char,
    expansion: Expansion,
    map: &dyn Fn(usize, usize) -> Span,
    out: &mut Vec<VarRef>,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let next = *bytes.get(dollar + 1)?;
    if is_name_start(next) {
        let end = name_end(bytes, dollar + 1);
        out.push(VarRef {
            name: text[dollar + 1..end].to_string(),
            name_span: map(dollar + 1, end),
            span: map(dollar, end),
            modifier: None,
            expansion,
        });
        return Some(end);
    }
    if next != b'{' {
        return None;
    }
    let name_start = dollar + 2;
    if !bytes.get(name_start).copied().is_some_and(is_name_start) {
        return None;
    }
    let name_stop = name_end(bytes, name_start);
    let close = matching_brace(text, name_stop, escape)?;
    let operator = OPERATORS
        .into_iter()
        .find(|op| text[name_stop..close].starts_with(op));
    if operator.is_none() && name_stop != close {
        return None;
    }
    let index = out.len();
    out.push(VarRef {
        name: text[name_start..name_stop].to_string(),
        name_span: map(name_start, name_stop),
        span: map(dollar, close + 1),
        modifier: None,
        expansion,
    });
    if let Some(operator) = operator {
        let word_start = name_stop + operator.len();
        if let Some(reference) = out.get_mut(index) {
            reference.modifier = Some(VarModifier {
                operator,
                word: map(word_start, close),
            });
        }
        let word_map = |start: usize, end: usize| map(word_start + start, word_start + end);
        scan(&text[word_start..close], escape, expansion, &word_map, out);
    }
    Some(close + 1)
}

/// The `}` closing a `${`, skipping nested `${…}` and escaped characters.
fn matching_brace(text: &str, from: usize, escape: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text[from..].char_indices();
    while let Some((offset, ch)) = chars.next() {
        match ch {
            c if c == escape => {
                chars.next();
            }
            '$' if text[from + offset + 1..].starts_with('{') => {
                depth += 1;
                chars.next();
            }
            '}' if depth == 0 => return Some(from + offset),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn refs(text: &str) -> String {
        let mut out = Vec::new();
        scan(
            text,
            '\\',
            Expansion::Builder,
            &|s, e| Span::new(s, e),
            &mut out,
        );
        out.iter()
            .map(|r| {
                let modifier = r
                    .modifier
                    .as_ref()
                    .map(|m| format!(" {} {:?}", m.operator, m.word))
                    .unwrap_or_default();
                format!("{} {:?} {:?}{}\n", r.name, r.name_span, r.span, modifier)
            })
            .collect()
    }

    #[test]
    fn all_forms() {
        expect![[r#"
            a 1..2 0..2
            b 5..6 3..7
            c 10..11 8..16 :- 13..15
            d 19..20 17..28 / 21..27
            e 23..24 21..25
        "#]]
        .assert_eq(&refs("$a ${b} ${c:-xy} ${d/${e}/z}"));
    }

    #[test]
    fn quotes_and_escapes() {
        expect![[r#"
            c 17..18 16..18
        "#]]
        .assert_eq(&refs(r#"'$a' \$b "${1}" $c $$ ${"#));
    }
}

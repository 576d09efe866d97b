//! The JSON (exec) form: a strict JSON array validator with Go's `encoding/json` semantics, that
//! keeps the span of every top-level string.
//!
//! Iterative on purpose: deeply nested input must not exhaust the stack.

/// A string item of the array, decoded, with its byte range (quotes included) in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct JsonItem {
    pub value: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum JsonArray {
    /// Not valid JSON, or not an array: BuildKit silently falls back to the shell form.
    Invalid,
    /// Valid JSON array with an element that is not a string: a parse error in BuildKit.
    NotStrings,
    /// Valid array of strings; `end` is just after the closing bracket.
    Strings { items: Vec<JsonItem>, end: usize },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    ValueOrClose,
    Key,
    KeyOrClose,
    Colon,
    CommaOrClose,
    End,
}

pub(super) fn parse_json_array(text: &str) -> JsonArray {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'[') {
        return JsonArray::Invalid;
    }
    let mut stack: Vec<u8> = Vec::new();
    let mut items = Vec::new();
    let mut all_strings = true;
    let mut array_end = 0;
    let mut expect = Expect::Value;
    let mut i = 0;
    loop {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        let Some(&byte) = bytes.get(i) else {
            return if expect == Expect::End {
                finish(all_strings, items, array_end)
            } else {
                JsonArray::Invalid
            };
        };
        match expect {
            Expect::End => return JsonArray::Invalid,
            Expect::Value | Expect::ValueOrClose => {
                if expect == Expect::ValueOrClose && byte == b']' {
                    stack.pop();
                    i += 1;
                    expect = after_value(&stack, i, &mut array_end);
                    continue;
                }
                let top_level_item = stack.len() == 1;
                match byte {
                    b'[' | b'{' => {
                        all_strings &= !top_level_item;
                        stack.push(byte);
                        i += 1;
                        expect = if byte == b'[' {
                            Expect::ValueOrClose
                        } else {
                            Expect::KeyOrClose
                        };
                        continue;
                    }
                    b'"' => {
                        let Some((value, end)) = scan_string(text, i) else {
                            return JsonArray::Invalid;
                        };
                        if top_level_item {
                            items.push(JsonItem {
                                value,
                                start: i,
                                end,
                            });
                        }
                        i = end;
                    }
                    _ => {
                        let Some(end) = scan_literal(bytes, i) else {
                            return JsonArray::Invalid;
                        };
                        all_strings &= !top_level_item;
                        i = end;
                    }
                }
                expect = after_value(&stack, i, &mut array_end);
            }
            Expect::Key | Expect::KeyOrClose => {
                if expect == Expect::KeyOrClose && byte == b'}' {
                    stack.pop();
                    i += 1;
                    expect = after_value(&stack, i, &mut array_end);
                    continue;
                }
                if byte != b'"' {
                    return JsonArray::Invalid;
                }
                let Some((_, end)) = scan_string(text, i) else {
                    return JsonArray::Invalid;
                };
                i = end;
                expect = Expect::Colon;
            }
            Expect::Colon => {
                if byte != b':' {
                    return JsonArray::Invalid;
                }
                i += 1;
                expect = Expect::Value;
            }
            Expect::CommaOrClose => {
                let open = stack.last().copied();
                match (byte, open) {
                    (b',', Some(b'[')) => expect = Expect::Value,
                    (b',', Some(b'{')) => expect = Expect::Key,
                    (b']', Some(b'[')) | (b'}', Some(b'{')) => {
                        stack.pop();
                        expect = after_value(&stack, i + 1, &mut array_end);
                    }
                    _ => return JsonArray::Invalid,
                }
                i += 1;
            }
        }
    }
}

fn finish(all_strings: bool, items: Vec<JsonItem>, end: usize) -> JsonArray {
    if all_strings {
        JsonArray::Strings { items, end }
    } else {
        JsonArray::NotStrings
    }
}

fn after_value(stack: &[u8], offset: usize, array_end: &mut usize) -> Expect {
    if stack.is_empty() {
        *array_end = offset;
        Expect::End
    } else {
        Expect::CommaOrClose
    }
}

/// `true`, `false`, `null` or a number; returns the end offset.
fn scan_literal(bytes: &[u8], start: usize) -> Option<usize> {
    for word in [&b"true"[..], b"false", b"null"] {
        if bytes[start..].starts_with(word) {
            return Some(start + word.len());
        }
    }
    scan_number(bytes, start)
}

fn scan_number(bytes: &[u8], start: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        let from = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > from).then_some(i)
    };
    let mut i = start;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match bytes.get(i) {
        Some(b'0') => i + 1,
        Some(b'1'..=b'9') => digits(i)?,
        _ => return None,
    };
    if bytes.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i)?;
    }
    Some(i)
}

/// A JSON string starting at the quote at `start`: its decoded value and the offset after the
/// closing quote.
fn scan_string(text: &str, start: usize) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return Some((value, start + 1 + index + 1)),
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    '"' | '\\' | '/' => value.push(escaped),
                    'b' => value.push('\u{8}'),
                    'f' => value.push('\u{c}'),
                    'n' => value.push('\n'),
                    'r' => value.push('\r'),
                    't' => value.push('\t'),
                    'u' => {
                        let unit = hex4(&mut chars)?;
                        value.push(decode_unit(unit, &mut chars)?);
                    }
                    _ => return None,
                }
            }
            c if (c as u32) < 0x20 => return None,
            c => value.push(c),
        }
    }
    None
}

fn hex4(chars: &mut std::str::CharIndices<'_>) -> Option<u32> {
    let mut unit = 0;
    for _ in 0..4 {
        let (_, c) = chars.next()?;
        unit = unit * 16 + c.to_digit(16)?;
    }
    Some(unit)
}

/// A `\uXXXX` unit, joined with a following low surrogate; lone surrogates become U+FFFD as in Go.
fn decode_unit(unit: u32, chars: &mut std::str::CharIndices<'_>) -> Option<char> {
    if !(0xD800..0xDC00).contains(&unit) {
        return Some(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    let mut lookahead = chars.clone();
    if let (Some((_, '\\')), Some((_, 'u'))) = (lookahead.next(), lookahead.next())
        && let Some(low) = hex4(&mut lookahead)
        && (0xDC00..0xE000).contains(&low)
    {
        *chars = lookahead;
        let combined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        return Some(char::from_u32(combined).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    Some(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Option<Vec<String>> {
        match parse_json_array(text) {
            JsonArray::Strings { items, .. } => Some(items.into_iter().map(|i| i.value).collect()),
            _ => None,
        }
    }

    #[test]
    fn arrays_of_strings() {
        assert_eq!(values("[]"), Some(vec![]));
        assert_eq!(
            values("[ \"a\", \"b\" ] "),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            values(r#"["\u2665", "\ud83d\ude00", "\ud800"]"#),
            Some(vec!["♥".into(), "😀".into(), "\u{fffd}".into()])
        );
    }

    #[test]
    fn invalid_and_non_string() {
        assert_eq!(parse_json_array("['a']"), JsonArray::Invalid);
        assert_eq!(parse_json_array("[\"a\""), JsonArray::Invalid);
        assert_eq!(parse_json_array("[\"a\"] x"), JsonArray::Invalid);
        assert_eq!(parse_json_array("[1]"), JsonArray::NotStrings);
        assert_eq!(parse_json_array("[\"a\", [\"b\"]]"), JsonArray::NotStrings);
        assert_eq!(
            parse_json_array("[{\"a\": [1, 2e5, -0.5]}]"),
            JsonArray::NotStrings
        );
        assert_eq!(parse_json_array("[01]"), JsonArray::Invalid);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = "[".repeat(200_000);
        assert_eq!(parse_json_array(&deep), JsonArray::Invalid);
    }
}

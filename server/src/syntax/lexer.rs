//! Physical lines and the character classes BuildKit's parser uses.

use super::tree::Span;

/// One physical line: `content` excludes the line break and any `\r` before it (BuildKit's
/// `trimNewline`), `end` includes the line break.
#[derive(Debug, Clone, Copy)]
pub(super) struct PhysicalLine {
    pub start: usize,
    pub content_end: usize,
    pub end: usize,
}

impl PhysicalLine {
    pub fn content(self) -> Span {
        Span::new(self.start, self.content_end)
    }

    pub fn newline(self) -> Span {
        Span::new(self.content_end, self.end)
    }
}

/// The physical line starting at `start`, split like Go's `bufio.ScanLines`: only `\n` ends a
/// line; trailing `\r`s are not content. `None` at the end of the text.
pub(super) fn physical_line_at(text: &str, start: usize) -> Option<PhysicalLine> {
    let bytes = text.as_bytes();
    let rest = bytes.get(start..).filter(|rest| !rest.is_empty())?;
    let end = match rest.iter().position(|&b| b == b'\n') {
        Some(index) => start + index + 1,
        None => bytes.len(),
    };
    let mut content_end = end;
    while content_end > start && matches!(bytes.get(content_end - 1), Some(b'\n' | b'\r')) {
        content_end -= 1;
    }
    Some(PhysicalLine {
        start,
        content_end,
        end,
    })
}

/// Go's `unicode.IsSpace`, which is the Unicode White_Space property.
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]`.
pub(super) fn is_split_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// A line that is a comment once leading white space is skipped.
pub(super) fn is_comment(line: &str) -> bool {
    line.trim_start_matches(is_space).starts_with('#')
}

/// BuildKit's `lineContinuationRegex` (`([^\\])\\[ \t]*$|^\\[ \t]*$` with the escape character):
/// returns the length of the text that stays when the line continues.
pub(super) fn continuation_cut(line: &str, escape: char) -> Option<usize> {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let before = trimmed.strip_suffix(escape)?;
    match before.chars().next_back() {
        None => Some(0),
        Some(previous) if previous != escape => Some(before.len()),
        Some(_) => None,
    }
}

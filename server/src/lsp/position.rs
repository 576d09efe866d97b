//! Conversion between byte offsets (`syntax::Span`) and LSP positions in the negotiated encoding.
//!
//! LSP counts columns in UTF-8 bytes, UTF-16 code units or code points, and lines broken only by
//! `\n`, `\r\n` and `\r` — exactly the line breaks of ropey with only the `cr_lines` feature.
//! Every conversion clamps: a column past the line's end means the end of the line (before its
//! line break), a line past the file's end means the end of the file, and a column inside a
//! multi-unit character means that character's start.

use ropey::{Rope, RopeSlice};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl PositionEncoding {
    /// The client's most preferred encoding we support; UTF-16 when it offers none (the LSP default).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(PositionEncoding::from_kind)
            .unwrap_or_default()
    }

    fn from_kind(kind: &PositionEncodingKind) -> Option<PositionEncoding> {
        match kind.as_str() {
            "utf-8" => Some(PositionEncoding::Utf8),
            "utf-16" => Some(PositionEncoding::Utf16),
            "utf-32" => Some(PositionEncoding::Utf32),
            _ => None,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// Units of this encoding in `line` up to char index `char_idx`.
    fn units_before(self, line: RopeSlice<'_>, char_idx: usize) -> usize {
        match self {
            PositionEncoding::Utf8 => line.char_to_byte(char_idx),
            PositionEncoding::Utf16 => line.char_to_utf16_cu(char_idx),
            PositionEncoding::Utf32 => char_idx,
        }
    }

    /// The char index in `line` at `units` of this encoding; a unit inside a char means that char.
    fn char_at_units(self, line: RopeSlice<'_>, units: usize) -> usize {
        match self {
            PositionEncoding::Utf8 => line.byte_to_char(units.min(line.len_bytes())),
            PositionEncoding::Utf16 => line.utf16_cu_to_char(units.min(line.len_utf16_cu())),
            PositionEncoding::Utf32 => units.min(line.len_chars()),
        }
    }
}

/// The document's text viewed through one position encoding.
#[derive(Debug, Clone, Copy)]
pub struct LineIndex<'a> {
    rope: &'a Rope,
    encoding: PositionEncoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(rope: &'a Rope, encoding: PositionEncoding) -> LineIndex<'a> {
        LineIndex { rope, encoding }
    }

    pub fn encoding(&self) -> PositionEncoding {
        self.encoding
    }

    /// The position of byte `offset`; offsets past the end or inside a char are clamped.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.rope.len_bytes());
        let char_idx = self.rope.byte_to_char(offset);
        let line = self.rope.char_to_line(char_idx);
        let line_start = self.rope.line_to_char(line);
        let column = self
            .encoding
            .units_before(self.rope.line(line), char_idx - line_start);
        Position::new(saturate_u32(line), saturate_u32(column))
    }

    /// The byte offset of `position`, clamped to the line's content and to the file.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let content = line_without_break(self.rope.line(line));
        let char_in_line = self
            .encoding
            .char_at_units(content, position.character as usize);
        self.rope
            .char_to_byte(self.rope.line_to_char(line) + char_in_line)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The span of `range`; a reversed range is read as the span between its two ends.
    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        let end = self.offset(range.end);
        Span::new(start.min(end), start.max(end))
    }
}

/// Positions of many offsets in one pass over the text, for results with a position per syntax
/// token (semantic tokens): a rope lookup per offset made encoding slower than computing them.
/// Offsets should come in increasing order; an earlier one costs a rescan from the line start
/// (or the file start), so any order is correct. Agrees with `LineIndex::position`.
pub struct PositionCursor<'a> {
    text: &'a str,
    encoding: PositionEncoding,
    line: u32,
    line_start: usize,
    /// The scan has reached this byte offset, at `column` in `line`.
    scanned: usize,
    column: u32,
}

impl<'a> PositionCursor<'a> {
    pub fn new(text: &'a str, encoding: PositionEncoding) -> PositionCursor<'a> {
        PositionCursor {
            text,
            encoding,
            line: 0,
            line_start: 0,
            scanned: 0,
            column: 0,
        }
    }

    pub fn position(&mut self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.scanned {
            if offset < self.line_start {
                (self.line, self.line_start) = (0, 0);
            }
            (self.scanned, self.column) = (self.line_start, 0);
        }
        let bytes = self.text.as_bytes();
        let mut at = self.scanned;
        while let Some(&byte) = bytes.get(at).filter(|_| at < offset) {
            // ASCII is one unit in every encoding; only other characters need decoding.
            let (units, len) = if byte.is_ascii() {
                (1, 1)
            } else {
                let ch = self.text.get(at..).and_then(|rest| rest.chars().next());
                let len = ch.map_or(1, char::len_utf8);
                let units = match (self.encoding, ch) {
                    (PositionEncoding::Utf8, _) => len,
                    (PositionEncoding::Utf16, Some(ch)) => ch.len_utf16(),
                    (PositionEncoding::Utf16 | PositionEncoding::Utf32, _) => 1,
                };
                (units, len)
            };
            let breaks_line = byte == b'\n' || (byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
            if breaks_line {
                self.line = self.line.saturating_add(1);
                self.line_start = at + 1;
                self.column = 0;
            } else {
                self.column = self.column.saturating_add(saturate_u32(units));
            }
            at += len;
        }
        self.scanned = offset;
        Position::new(self.line, self.column)
    }
}

fn line_without_break(line: RopeSlice<'_>) -> RopeSlice<'_> {
    let len = line.len_chars();
    let break_len = match (
        len.checked_sub(2).map(|i| line.char(i)),
        len.checked_sub(1).map(|i| line.char(i)),
    ) {
        (Some('\r'), Some('\n')) => 2,
        (_, Some('\n' | '\r')) => 1,
        _ => 0,
    };
    line.slice(..len - break_len)
}

fn saturate_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
pub(crate) mod tests {
    use expect_test::{Expect, expect};
    use proptest::prelude::*;

    use super::*;

    const ENCODINGS: [PositionEncoding; 3] = [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ];

    /// Shows the position of every char boundary of `text`, one encoding per line.
    fn check_positions(text: &str, expect: Expect) {
        let rope = Rope::from_str(text);
        let mut out = String::new();
        for encoding in ENCODINGS {
            let index = LineIndex::new(&rope, encoding);
            let positions: Vec<String> = text
                .char_indices()
                .map(|(offset, _)| offset)
                .chain([text.len()])
                .map(|offset| {
                    let position = index.position(offset);
                    format!("{}:{}", position.line, position.character)
                })
                .collect();
            out.push_str(&format!("{encoding:?}: {}\n", positions.join(" ")));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn emoji_cjk_and_line_breaks() {
        check_positions(
            "a😀b\r\n漢字\rx\ny",
            expect![[r#"
                Utf8: 0:0 0:1 0:5 0:6 0:7 1:0 1:3 1:6 2:0 2:1 3:0 3:1
                Utf16: 0:0 0:1 0:3 0:4 0:5 1:0 1:1 1:2 2:0 2:1 3:0 3:1
                Utf32: 0:0 0:1 0:2 0:3 0:4 1:0 1:1 1:2 2:0 2:1 3:0 3:1
            "#]],
        );
    }

    #[test]
    fn unicode_separators_are_not_line_breaks() {
        check_positions(
            "a\u{2028}b\u{85}c\u{c}d",
            expect![[r#"
                Utf8: 0:0 0:1 0:4 0:5 0:7 0:8 0:9 0:10
                Utf16: 0:0 0:1 0:2 0:3 0:4 0:5 0:6 0:7
                Utf32: 0:0 0:1 0:2 0:3 0:4 0:5 0:6 0:7
            "#]],
        );
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let rope = Rope::from_str("ab\r\ncd😀\n");
        let index = LineIndex::new(&rope, PositionEncoding::Utf16);
        let clamp = |line, character| index.offset(Position::new(line, character));
        assert_eq!(clamp(0, 99), 2, "column past line end stops before CRLF");
        assert_eq!(
            clamp(1, 3),
            6,
            "column inside a surrogate pair means the emoji's start"
        );
        assert_eq!(clamp(1, u32::MAX), 10);
        assert_eq!(clamp(2, 5), 11, "the empty last line");
        assert_eq!(clamp(u32::MAX, u32::MAX), 11);
        assert_eq!(index.position(usize::MAX), Position::new(2, 0));
        assert_eq!(index.position(8), Position::new(1, 2), "inside the emoji");
    }

    #[test]
    fn negotiation_prefers_the_clients_order() {
        let offer = |kinds: &[&'static str]| {
            let kinds: Vec<PositionEncodingKind> = kinds
                .iter()
                .map(|kind| PositionEncodingKind::new(kind))
                .collect();
            PositionEncoding::negotiate(Some(&kinds))
        };
        assert_eq!(offer(&["utf-32", "utf-8"]), PositionEncoding::Utf32);
        assert_eq!(offer(&["utf-7", "utf-8"]), PositionEncoding::Utf8);
        assert_eq!(offer(&["latin1"]), PositionEncoding::Utf16);
        assert_eq!(offer(&[]), PositionEncoding::Utf16);
        assert_eq!(PositionEncoding::negotiate(None), PositionEncoding::Utf16);
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("a"),
            Just(" "),
            Just("😀"),
            Just("漢"),
            Just("é"),
            Just("\r\n"),
            Just("\r"),
            Just("\n"),
            Just("\u{2028}"),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    pub(crate) fn encoding_strategy() -> impl Strategy<Value = PositionEncoding> {
        prop_oneof![
            Just(PositionEncoding::Utf8),
            Just(PositionEncoding::Utf16),
            Just(PositionEncoding::Utf32),
        ]
    }

    proptest! {
        #[test]
        fn the_cursor_agrees_with_the_rope(
            text in text_strategy(),
            encoding in encoding_strategy(),
            offsets in proptest::collection::vec(0usize..200, 0..40),
        ) {
            let rope = Rope::from_str(&text);
            let index = LineIndex::new(&rope, encoding);
            let mut cursor = PositionCursor::new(&text, encoding);
            let mut sorted = offsets.clone();
            sorted.sort_unstable();
            for offset in sorted.into_iter().chain(offsets) {
                prop_assert_eq!(cursor.position(offset), index.position(offset));
            }
        }

        #[test]
        fn offset_position_offset_round_trips(text in text_strategy(), encoding in encoding_strategy()) {
            let rope = Rope::from_str(&text);
            let index = LineIndex::new(&rope, encoding);
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let position = index.position(offset);
                // Between `\r` and `\n` is not a position LSP can name; it maps to the line's end.
                let expected = if offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    offset - 1
                } else {
                    offset
                };
                prop_assert_eq!(index.offset(position), expected);
            }
        }

        #[test]
        fn any_position_converts_to_a_char_boundary_and_back(
            text in text_strategy(),
            encoding in encoding_strategy(),
            line in 0u32..50,
            character in 0u32..50,
        ) {
            let rope = Rope::from_str(&text);
            let index = LineIndex::new(&rope, encoding);
            let offset = index.offset(Position::new(line, character));
            prop_assert!(text.is_char_boundary(offset));
            let position = index.position(offset);
            prop_assert_eq!(index.offset(position), offset);
            prop_assert!(position.line <= line);
        }
    }
}

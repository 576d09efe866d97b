//! Byte offsets to the 1-based line and column that people and CI tools read.
//!
//! Lines end at `\n` only, as in BuildKit's scanner and in the snippet renderer, so a `\r\n` file
//! gets the same numbers and a lone `\r` stays inside its line. Columns count Unicode scalar values
//! (what SARIF calls `unicodeCodePoints`), never bytes, so a `é` before a token moves it one column.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LineColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

impl LineColumn {
    /// The position of byte `offset` in `text`, for a one-off lookup; use a [`LineIndex`] for many.
    pub fn of(text: &str, offset: usize) -> LineColumn {
        LineIndex::new(text).position(offset)
    }
}

/// Where each line starts, so many lookups in one text cost a binary search each.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line; the first is always 0.
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(newline, _)| newline + 1))
            .collect();
        LineIndex { text, line_starts }
    }

    /// The position of byte `offset`. An offset past the end means the end; an offset inside a
    /// multi-byte character means that character, so damaged spans still land somewhere real.
    pub fn position(&self, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(self.text, offset);
        let line = self.line_of(offset);
        let line_start = self.line_start(line);
        LineColumn {
            line,
            column: self
                .text
                .get(line_start..offset)
                .map_or(0, |before| before.chars().count())
                + 1,
        }
    }

    /// The 1-based line that holds byte `offset` (clamped into the text).
    pub fn line_of(&self, offset: usize) -> usize {
        // Line starts are sorted and the first is 0, so at least one start is <= any offset.
        self.line_starts
            .partition_point(|&start| start <= offset.min(self.text.len()))
    }

    /// Byte offset where 1-based `line` starts; past the last line, the end of the text.
    pub fn line_start(&self, line: usize) -> usize {
        line.checked_sub(1)
            .and_then(|index| self.line_starts.get(index))
            .copied()
            .unwrap_or(self.text.len())
    }
}

/// `offset` moved back onto the start of the character it falls in, and into the text.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{LineColumn, LineIndex};

    fn at(text: &str, offset: usize) -> String {
        LineColumn::of(text, offset).to_string()
    }

    #[test]
    fn first_character_is_line_one_column_one() {
        assert_eq!(at("FROM alpine\n", 0), "1:1");
        assert_eq!(at("", 0), "1:1");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "LABEL é=\"ü\" x=1";
        let x = text.find("x=").unwrap();
        assert_eq!(at(text, x), "1:13");
        let emoji = "RUN echo 🐳 done";
        assert_eq!(at(emoji, emoji.find("done").unwrap()), "1:12");
    }

    #[test]
    fn lines_end_at_newline_only() {
        let text = "FROM a\r\nRUN b\rc\nCMD d";
        assert_eq!(at(text, text.find("RUN").unwrap()), "2:1");
        assert_eq!(at(text, text.find('c').unwrap()), "2:7");
        assert_eq!(at(text, text.find("CMD").unwrap()), "3:1");
        // The `\r` of a CRLF is the last column of its line, the `\n` right after it.
        assert_eq!(at(text, 6), "1:7");
        assert_eq!(at(text, 7), "1:8");
    }

    #[test]
    fn offsets_out_of_range_or_inside_a_character_are_clamped() {
        assert_eq!(at("ab\ncd", 99), "2:3");
        // Byte 1 is inside the two-byte `é`: it means the `é` itself.
        assert_eq!(at("é", 1), "1:1");
        assert_eq!(at("\n", 1), "2:1");
    }

    #[test]
    fn line_starts() {
        let index = LineIndex::new("a\nbc\n");
        assert_eq!(
            (
                index.line_of(0),
                index.line_of(2),
                index.line_of(5),
                index.line_of(99)
            ),
            (1, 2, 3, 3)
        );
        assert_eq!(
            (
                index.line_start(1),
                index.line_start(2),
                index.line_start(3),
                index.line_start(4)
            ),
            (0, 2, 5, 5)
        );
        assert_eq!(index.line_start(0), 5);
    }

    proptest! {
        /// Any offset into any text gives a real position, and positions never go backwards.
        #[test]
        fn positions_are_total_and_ordered(text in "[a\\r\\né🐳\\t]{0,40}", offset in 0usize..200) {
            let position = LineColumn::of(&text, offset);
            prop_assert!(position.line >= 1 && position.column >= 1);
            prop_assert!(position <= LineColumn::of(&text, offset + 1));
            let lines = text.matches('\n').count() + 1;
            prop_assert!(position.line <= lines);
            // The index agrees with a plain count from the start of the text.
            let clamped = super::floor_char_boundary(&text, offset);
            let before = &text[..clamped];
            let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
            prop_assert_eq!(position.line, before.matches('\n').count() + 1);
            prop_assert_eq!(position.column, before[line_start..].chars().count() + 1);
        }
    }
}

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
    /// The position of byte `offset` in `text`. An offset past the end means the end; an offset
    /// inside a multi-byte character means that character, so damaged spans still land somewhere real.
    pub fn of(text: &str, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(text, offset);
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        LineColumn {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
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

    use super::LineColumn;

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

    proptest! {
        /// Any offset into any text gives a real position, and positions never go backwards.
        #[test]
        fn positions_are_total_and_ordered(text in "[a\\r\\né🐳\\t]{0,40}", offset in 0usize..200) {
            let position = LineColumn::of(&text, offset);
            prop_assert!(position.line >= 1 && position.column >= 1);
            prop_assert!(position <= LineColumn::of(&text, offset + 1));
            let lines = text.matches('\n').count() + 1;
            prop_assert!(position.line <= lines);
        }
    }
}

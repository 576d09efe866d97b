//! Formatting: upper-case keywords and `AS`, one space after the keyword, no indentation before
//! instructions, continuation lines indented by four spaces, `["a", "b"]` exec-form spacing, no
//! trailing blanks, exactly one blank line before each stage after the first.
//!
//! Only white space at safe places and keyword/`AS` casing change: heredoc bodies and
//! terminators, comment text, quoted text and shell content are left as they are, so the
//! formatted file means the same to BuildKit. Idempotent: formatting twice equals formatting once.

use crate::ide::{TextEdit, apply_edits};
use crate::syntax::{Args, Instruction, InstructionKind, Span, SyntaxTree};

const CONTINUATION_INDENT: &str = "    ";

/// The edits that format the whole document, sorted and non-overlapping.
pub fn format(tree: &SyntaxTree) -> Vec<TextEdit> {
    let mut formatter = Formatter {
        tree,
        text: tree.text(),
        edits: Vec::new(),
    };
    formatter.run();
    merge_touching(formatter.edits)
}

/// The edits of [`format`] that touch `range`.
pub fn format_range(tree: &SyntaxTree, range: Span) -> Vec<TextEdit> {
    format(tree)
        .into_iter()
        .filter(|edit| edit.span.start <= range.end && range.start <= edit.span.end)
        .collect()
}

/// The formatted text.
pub fn format_text(tree: &SyntaxTree) -> String {
    apply_edits(tree.text(), &format(tree))
}

struct Formatter<'a> {
    tree: &'a SyntaxTree,
    text: &'a str,
    edits: Vec<TextEdit>,
}

impl Formatter<'_> {
    fn run(&mut self) {
        let protected = self.protected_lines();
        for (index, instruction) in self.tree.instructions.iter().enumerate() {
            self.instruction_indent(instruction);
            self.instruction(instruction);
            self.continuation_indents(instruction);
            if instruction.kind == InstructionKind::From && index > 0 {
                self.blank_line_before(instruction);
            }
        }
        for comment in self.tree.comments.iter().filter(|c| c.inside_instruction) {
            let line_start = self.line_start(comment.span.start);
            self.replace_indent(line_start, comment.span.start, CONTINUATION_INDENT);
        }
        self.trailing_blanks(&protected);
    }

    fn instruction(&mut self, instruction: &Instruction) {
        if instruction.kind != InstructionKind::Unknown {
            let written = &self.text[instruction.keyword.start..instruction.keyword.end];
            let upper = instruction.kind.name();
            if written != upper && written.eq_ignore_ascii_case(upper) {
                self.edits
                    .push(TextEdit::replace(instruction.keyword, upper));
            }
        }
        self.space_after_keyword(instruction);
        if instruction.kind == InstructionKind::From
            && let [_, keyword, _] = instruction.words()
            && keyword.text.eq_ignore_ascii_case("as")
            && keyword.text != "AS"
            && self.text.get(keyword.span.start..keyword.span.end) == Some(keyword.text.as_str())
        {
            self.edits.push(TextEdit::replace(keyword.span, "AS"));
        }
        self.exec_spacing(&instruction.args);
        if let Args::Onbuild(inner) = &instruction.args {
            self.instruction(inner);
        }
    }

    /// Instructions start at the beginning of their line.
    fn instruction_indent(&mut self, instruction: &Instruction) {
        let line_start = self.line_start(instruction.span.start);
        self.replace_indent(line_start, instruction.span.start, "");
    }

    fn replace_indent(&mut self, from: usize, to: usize, indent: &str) {
        if from <= to && self.text.get(from..to).is_some_and(|ws| ws != indent) {
            self.edits
                .push(TextEdit::replace(Span::new(from, to), indent.to_string()));
        }
    }

    /// `RUN    x` → `RUN x`, when the keyword and what follows share the line.
    fn space_after_keyword(&mut self, instruction: &Instruction) {
        let after = instruction.keyword.end;
        let rest = &self.text[after..];
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let next = rest[blanks..].chars().next();
        let continues = instruction
            .continuations
            .iter()
            .any(|span| span.start == after + blanks);
        if blanks > 0
            && &rest[..blanks] != " "
            && next.is_some_and(|c| c != '\n' && c != '\r')
            && !continues
            && instruction.span.contains(after + blanks)
        {
            self.edits
                .push(TextEdit::replace(Span::new(after, after + blanks), " "));
        }
    }

    /// `["a","b"]` → `["a", "b"]` when the array sits on one line.
    fn exec_spacing(&mut self, args: &Args) {
        let exec = match args {
            Args::Exec(exec) => exec,
            Args::Healthcheck { command, .. } => match command.as_ref() {
                Args::Exec(exec) => exec,
                _ => return,
            },
            _ => return,
        };
        let Some(written) = self.text.get(exec.span.start..exec.span.end) else {
            return;
        };
        if written.contains('\n') {
            return;
        }
        let items: Vec<&str> = exec
            .items
            .iter()
            .map(|item| self.text.get(item.span.start..item.span.end).unwrap_or(""))
            .collect();
        let canonical = format!("[{}]", items.join(", "));
        if canonical != written {
            self.edits.push(TextEdit::replace(exec.span, canonical));
        }
    }

    /// Continuation lines that start with blanks outside quotes get four spaces.
    fn continuation_indents(&mut self, instruction: &Instruction) {
        let logical = &instruction.logical;
        let escape = self.tree.escape;
        let boundaries: Vec<(usize, usize)> = logical.segments().iter().skip(1).copied().collect();
        if boundaries.is_empty() {
            return;
        }
        let mut quote: Option<char> = None;
        let mut chars = logical.text.char_indices().peekable();
        for (logical_start, source_start) in boundaries {
            while let Some(&(offset, c)) = chars.peek() {
                if offset >= logical_start {
                    break;
                }
                chars.next();
                match (quote, c) {
                    (Some('\''), '\'') => quote = None,
                    (Some('\''), _) => {}
                    (_, c) if c == escape => {
                        chars.next();
                    }
                    (None, '"' | '\'') => quote = Some(c),
                    (Some('"'), '"') => quote = None,
                    _ => {}
                }
            }
            if quote.is_some() {
                continue;
            }
            let line = &self.text[source_start..];
            let blanks = line.len() - line.trim_start_matches([' ', '\t']).len();
            if blanks > 0 {
                self.replace_indent(source_start, source_start + blanks, CONTINUATION_INDENT);
            }
        }
    }

    /// Exactly one blank line before a stage (before the comments that sit right above it).
    fn blank_line_before(&mut self, from: &Instruction) {
        let mut block_start = self.line_start(from.span.start);
        loop {
            let Some(previous) = self.previous_line(block_start) else {
                return;
            };
            let content = self.text[previous.start..previous.end].trim();
            if content.starts_with('#') && !self.in_directive_block(previous.start) {
                block_start = previous.start;
            } else {
                break;
            }
        }
        let mut blank_start = block_start;
        while let Some(previous) = self.previous_line(blank_start) {
            if !self.text[previous.start..previous.end].trim().is_empty() {
                break;
            }
            blank_start = previous.start;
        }
        if blank_start == 0
            && self
                .tree
                .instructions
                .first()
                .is_some_and(|i| i.span.start >= block_start)
        {
            return;
        }
        let newline = if self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let current = &self.text[blank_start..block_start];
        if current != newline {
            self.edits.push(TextEdit::replace(
                Span::new(blank_start, block_start),
                newline.to_string(),
            ));
        }
    }

    fn in_directive_block(&self, offset: usize) -> bool {
        self.tree
            .directives
            .iter()
            .any(|directive| directive.span.touches(offset))
    }

    /// Trailing spaces and tabs, except in heredoc bodies and terminator lines.
    fn trailing_blanks(&mut self, protected: &[Span]) {
        let mut line_start = 0;
        for line in self.text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim_end_matches([' ', '\t']);
            let span = Span::new(line_start + trimmed.len(), line_start + content.len());
            let is_protected = protected
                .iter()
                .any(|p| p.start <= line_start && line_start < p.end.max(p.start + 1));
            if !span.is_empty() && !is_protected {
                self.edits.push(TextEdit::delete(span));
            }
            line_start += line.len();
        }
    }

    /// Heredoc bodies and terminators: never touched.
    fn protected_lines(&self) -> Vec<Span> {
        let mut spans = Vec::new();
        for instruction in &self.tree.instructions {
            for heredoc in &instruction.heredocs {
                let end = heredoc.terminator.map_or(heredoc.body.end, |t| t.end);
                spans.push(Span::new(heredoc.body.start, end));
            }
        }
        spans
    }

    fn line_start(&self, offset: usize) -> usize {
        let start = self.text[..offset.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        if start == 0 && self.text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            start
        }
    }

    /// The line before the one starting at `line_start`, without its line break.
    fn previous_line(&self, line_start: usize) -> Option<Span> {
        let before = line_start.checked_sub(1)?;
        if self.text.as_bytes().get(before) != Some(&b'\n') {
            return None;
        }
        let start = self.line_start(before);
        let end = self.text[..before]
            .strip_suffix('\r')
            .map_or(before, str::len);
        Some(Span::new(start, end.max(start)))
    }
}

/// Sorts edits and joins those that touch, so clients get non-overlapping ranges.
fn merge_touching(mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut merged: Vec<TextEdit> = Vec::with_capacity(edits.len());
    for edit in edits {
        match merged.last_mut() {
            Some(last) if edit.span.start <= last.span.end => {
                if edit.span.end > last.span.end {
                    last.span.end = edit.span.end;
                    last.new_text.push_str(&edit.new_text);
                } else if edit.span.is_empty() {
                    last.new_text.push_str(&edit.new_text);
                }
            }
            _ => merged.push(edit),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::syntax::parse;

    fn check(before: &str, after: Expect) {
        let formatted = format_text(&parse(before).tree);
        after.assert_eq(&formatted);
        assert_eq!(
            format_text(&parse(&formatted).tree),
            formatted,
            "not idempotent"
        );
    }

    #[test]
    fn keywords_spacing_and_stages() {
        check(
            "from  node:20 as build\n  run   npm ci   \ncopy . .\n# the runner\nfrom node:20-alpine\ncmd [\"node\",\"dist/index.js\"]\n\n\n\nfrom scratch\n",
            expect![[r#"
                FROM node:20 AS build
                RUN npm ci
                COPY . .

                # the runner
                FROM node:20-alpine
                CMD ["node", "dist/index.js"]

                FROM scratch
            "#]],
        );
    }

    #[test]
    fn continuations_outside_quotes_only() {
        check(
            "FROM alpine\nRUN apk add \\\n  curl \\\n\t\tgit && echo \"a \\\n   b\"\nRUN echo hello\\\nworld\n",
            expect![[r#"
                FROM alpine
                RUN apk add \
                    curl \
                    git && echo "a \
                   b"
                RUN echo hello\
                world
            "#]],
        );
    }

    #[test]
    fn heredocs_and_comments_untouched() {
        check(
            "FROM alpine\nrun <<EOF   \n  indented  \nEOF\n# comment   text  \n",
            expect![[r#"
                FROM alpine
                RUN <<EOF
                  indented  
                EOF
                # comment   text
            "#]],
        );
    }

    #[test]
    fn crlf_is_kept() {
        let formatted = format_text(&parse("from a\r\nfrom b\r\n").tree);
        assert_eq!(formatted, "FROM a\r\n\r\nFROM b\r\n");
    }
}

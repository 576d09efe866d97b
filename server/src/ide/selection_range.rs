//! Selection ranges: from the word under the cursor outwards through the variable reference, the
//! flag or argument, the instruction and the stage to the whole file.

use crate::model::Model;
use crate::syntax::{Args, Instruction, Span, SyntaxTree};

/// Nested spans around `offset`, innermost first, each strictly containing the previous one.
pub fn selection_ranges(tree: &SyntaxTree, model: &Model, offset: usize) -> Vec<Span> {
    let mut candidates = vec![Span::new(0, tree.text().len())];
    if let Some(stage) = model.stage_at(offset) {
        candidates.push(stage.span);
    }
    candidates.extend(
        tree.comments
            .iter()
            .map(|comment| comment.span)
            .chain(tree.directives.iter().map(|directive| directive.span))
            .filter(|span| span.touches(offset)),
    );
    if let Some((_, instruction)) = tree.instruction_at(offset) {
        candidates.push(instruction.span);
        instruction_parts(tree, instruction, &mut candidates);
        candidates.extend(
            instruction
                .vars
                .iter()
                .flat_map(|var| [var.span, var.name_span])
                .filter(|span| span.touches(offset)),
        );
    }
    candidates.retain(|span| span.touches(offset));
    if let Some(innermost) = candidates.iter().min_by_key(|span| span.len()) {
        candidates.push(word_around(tree, *innermost, offset));
    }
    candidates.sort_by_key(|span| (span.len(), std::cmp::Reverse(span.start)));
    let mut chain: Vec<Span> = Vec::new();
    for span in candidates {
        match chain.last() {
            Some(last) if *last == span || !span.contains_span(*last) => {}
            _ => chain.push(span),
        }
    }
    chain
}

/// The flags and argument pieces of `instruction` (and of an ONBUILD trigger) under the cursor.
fn instruction_parts(tree: &SyntaxTree, instruction: &Instruction, out: &mut Vec<Span>) {
    for flag in &instruction.flags {
        out.push(flag.span);
        out.push(flag.name_span);
        if let Some(value) = &flag.value {
            out.push(value.span);
            if flag.name.eq_ignore_ascii_case("mount") {
                out.extend(comma_fields(tree, value.span, &value.text));
            }
        }
    }
    out.extend(instruction.heredocs.iter().flat_map(|heredoc| {
        [heredoc.marker, heredoc.body]
            .into_iter()
            .chain(heredoc.terminator)
    }));
    out.push(instruction.keyword);
    if let Some(args) = instruction.args_span() {
        out.push(args);
    }
    match &instruction.args {
        Args::Exec(exec) => out.extend(exec.items.iter().map(|item| item.span)),
        Args::Words(words) => out.extend(words.iter().map(|word| word.span)),
        Args::Text(word) => out.push(word.span),
        Args::Pairs(pairs) => {
            for pair in pairs {
                out.push(pair.span);
                out.push(pair.key.span);
                out.extend(pair.value.as_ref().map(|value| value.span));
            }
        }
        Args::Healthcheck { kind, command } => {
            out.push(kind.span);
            out.extend(command.span());
            if let Args::Exec(exec) = command.as_ref() {
                out.extend(exec.items.iter().map(|item| item.span));
            }
        }
        Args::Onbuild(inner) => {
            out.push(inner.span);
            instruction_parts(tree, inner, out);
        }
        Args::None | Args::Ignored(_) => {}
    }
}

/// The `key=value` fields of a `--mount` value, when it is written on one piece of source
/// (quotes or continuations make the text differ from the source, and then it is not split).
fn comma_fields(tree: &SyntaxTree, span: Span, text: &str) -> Vec<Span> {
    if tree.slice(span) != text {
        return Vec::new();
    }
    let mut fields = Vec::new();
    let mut start = span.start;
    for field in text.split(',') {
        fields.push(Span::new(start, start + field.len()));
        start += field.len() + 1;
    }
    fields
}

/// The run of non-blank characters around `offset`, kept inside `within`.
fn word_around(tree: &SyntaxTree, within: Span, offset: usize) -> Span {
    let text = tree.text();
    let is_blank = |c: char| c.is_whitespace();
    let before = text.get(within.start..offset).unwrap_or_default();
    let after = text.get(offset..within.end).unwrap_or_default();
    let start = offset - (before.len() - before.trim_end_matches(|c| !is_blank(c)).len());
    let end = offset + (after.len() - after.trim_start_matches(|c| !is_blank(c)).len());
    Span::new(start, end)
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    fn check(fixture: &str, expect: Expect) {
        let f = Fixture::with_cursor(fixture);
        let actual: String = selection_ranges(&f.tree, &f.model, f.offset)
            .iter()
            .map(|span| format!("{}\n", f.describe(*span)))
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn mount_value() {
        check(
            "FROM golang AS build\nRUN --mount=type=cache,tar$0get=/root/.cache go build\n",
            expect![[r#"
                2:24 "target=/root/.cache"
                2:13 "type=cache,target=/root/.cache"
                2:5 "--mount=type=cache,target=/root/.cache"
                2:1 "RUN --mount=type=cache,target=/root/.cache go build"
                1:1 "FROM golang AS build\nRUN --mount=type=cache,target=/root/.cache go build"
                1:1 "FROM golang AS build\nRUN --mount=type=cache,target=/root/.cache go build\n"
            "#]],
        );
    }

    #[test]
    fn shell_word() {
        check(
            "FROM node\nRUN npm c$0i && npm run build\nCMD [\"node\"]\n",
            expect![[r#"
                2:9 "ci"
                2:5 "npm ci && npm run build"
                2:1 "RUN npm ci && npm run build"
                1:1 "FROM node\nRUN npm ci && npm run build\nCMD [\"node\"]"
                1:1 "FROM node\nRUN npm ci && npm run build\nCMD [\"node\"]\n"
            "#]],
        );
    }

    #[test]
    fn variable_in_pair() {
        check(
            "FROM alpine\nENV PATH=/app/bin:$PA$0TH\n",
            expect![[r#"
                2:20 "PATH"
                2:19 "$PATH"
                2:10 "/app/bin:$PATH"
                2:5 "PATH=/app/bin:$PATH"
                2:1 "ENV PATH=/app/bin:$PATH"
                1:1 "FROM alpine\nENV PATH=/app/bin:$PATH"
                1:1 "FROM alpine\nENV PATH=/app/bin:$PATH\n"
            "#]],
        );
    }

    #[test]
    fn from_name_and_comment() {
        check(
            "# base\nFROM alpine AS ba$0se\n",
            expect![[r##"
                2:16 "base"
                2:6 "alpine AS base"
                2:1 "FROM alpine AS base"
                1:1 "# base\nFROM alpine AS base\n"
            "##]],
        );
        check(
            "# ba$0se\nFROM alpine AS base\n",
            expect![[r##"
                1:3 "base"
                1:1 "# base"
                1:1 "# base\nFROM alpine AS base\n"
            "##]],
        );
    }

    #[test]
    fn half_typed_mount() {
        check(
            "FROM alpine\nRUN --mount=type=$0\n",
            expect![[r#"
            2:13 "type="
            2:5 "--mount=type="
            2:1 "RUN --mount=type="
            1:1 "FROM alpine\nRUN --mount=type="
            1:1 "FROM alpine\nRUN --mount=type=\n"
        "#]],
        );
    }
}

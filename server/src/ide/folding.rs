//! Folding ranges: each stage, each instruction spread over several lines, heredoc bodies, and
//! runs of comment lines. Only ranges that cross a line break are worth folding.

use crate::model::Model;
use crate::syntax::{Span, SyntaxTree};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    Stage,
    Instruction,
    Heredoc,
    Comment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub span: Span,
    pub kind: FoldKind,
}

pub fn folding_ranges(tree: &SyntaxTree, model: &Model) -> Vec<Fold> {
    let mut folds = Vec::new();
    folds.extend(model.stages.iter().map(|stage| Fold {
        span: stage.span,
        kind: FoldKind::Stage,
    }));
    for instruction in &tree.instructions {
        folds.push(Fold {
            span: instruction.span,
            kind: FoldKind::Instruction,
        });
        folds.extend(instruction.effective().heredocs.iter().map(|heredoc| Fold {
            span: heredoc_span(heredoc.body, heredoc.terminator),
            kind: FoldKind::Heredoc,
        }));
    }
    let mut block: Option<Span> = None;
    for comment in tree.comments.iter().filter(|c| !c.inside_instruction) {
        block = match block {
            Some(open) if only_line_break_between(tree, open.end, comment.span.start) => {
                Some(open.cover(comment.span))
            }
            Some(open) => {
                folds.push(Fold {
                    span: open,
                    kind: FoldKind::Comment,
                });
                Some(comment.span)
            }
            None => Some(comment.span),
        };
    }
    folds.extend(block.map(|span| Fold {
        span,
        kind: FoldKind::Comment,
    }));
    // A body ends with its line break; the fold ends on the last line with text.
    for fold in &mut folds {
        let text = tree.slice(fold.span);
        fold.span.end = fold.span.start + text.trim_end_matches(['\n', '\r']).len();
    }
    folds.retain(|fold| tree.slice(fold.span).contains('\n'));
    folds.sort_by_key(|fold| (fold.span.start, std::cmp::Reverse(fold.span.end)));
    folds
}

/// The body with its terminator line, when there is one.
fn heredoc_span(body: Span, terminator: Option<Span>) -> Span {
    terminator.map_or(body, |terminator| body.cover(terminator))
}

fn only_line_break_between(tree: &SyntaxTree, end: usize, start: usize) -> bool {
    matches!(tree.slice(Span::new(end, start)), "\n" | "\r\n" | "\r")
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    fn check(text: &str, expect: Expect) {
        let f = Fixture::without_cursor(text);
        let actual: String = folding_ranges(&f.tree, &f.model)
            .iter()
            .map(|fold| {
                format!(
                    "{:?} {}-{}\n",
                    fold.kind,
                    f.position(fold.span.start),
                    f.position(fold.span.end)
                )
            })
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn stages_instructions_heredocs_comments() {
        check(
            "\
# syntax=docker/dockerfile:1
# Build stage:
# compiles the app
FROM golang AS build
RUN go build \\
    -o /out/app .
# single comment
RUN <<EOF
set -e
echo hi
EOF
FROM scratch
COPY --from=build /out/app /app
",
            expect![[r#"
                Comment 2:1-3:19
                Stage 4:1-11:4
                Instruction 5:1-6:18
                Instruction 8:1-11:4
                Heredoc 9:1-11:4
                Stage 12:1-13:32
            "#]],
        );
    }

    #[test]
    fn unterminated_heredoc_and_half_typed() {
        check(
            "FROM alpine\nRUN <<EOF\necho a\necho b\n",
            expect![[r#"
                Stage 1:1-4:7
                Instruction 2:1-4:7
                Heredoc 3:1-4:7
            "#]],
        );
    }

    #[test]
    fn half_typed_continuation_at_end_of_file() {
        check(
            "FROM alpine AS\nRUN --mount=type= \\\n",
            expect![[r#"
            Stage 1:1-2:20
        "#]],
        );
    }
}

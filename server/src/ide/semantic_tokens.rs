//! Semantic tokens: keywords, flags and their values, stage names (declaration or reference),
//! variables, strings, comments, directives, heredocs, JSON punctuation and operators.
//!
//! Tokens are collected from the tree and the model as possibly nested spans (a variable inside
//! a flag value, a stage reference that is a whole flag value), then flattened so the innermost
//! token wins, and cut at line breaks: the result is sorted, non-overlapping, single-line byte
//! spans that the LSP layer only has to delta-encode. Work is linear in the size of the file
//! (plus one sort of the nearly sorted token list).

use std::cmp::Reverse;

use crate::model::{Model, Resolution, VarResolution};
use crate::syntax::{Args, Instruction, Span, SyntaxTree};

/// Token types, in legend order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    Keyword,
    /// `--name` of a flag.
    Flag,
    FlagValue,
    /// A stage name, declared by `AS` or referenced.
    Stage,
    Variable,
    String,
    Comment,
    /// A parser directive line (`# syntax=…`).
    Directive,
    /// Heredoc bodies.
    Heredoc,
    /// JSON brackets and commas, `=`, variable modifiers, heredoc markers, line continuations.
    Operator,
}

impl TokenType {
    pub const ALL: [TokenType; 10] = [
        TokenType::Keyword,
        TokenType::Flag,
        TokenType::FlagValue,
        TokenType::Stage,
        TokenType::Variable,
        TokenType::String,
        TokenType::Comment,
        TokenType::Directive,
        TokenType::Heredoc,
        TokenType::Operator,
    ];

    /// The legend name: standard LSP token types where one fits, so themes colour them.
    pub fn legend_name(self) -> &'static str {
        match self {
            TokenType::Keyword => "keyword",
            TokenType::Flag => "parameter",
            TokenType::FlagValue => "enumMember",
            TokenType::Stage => "namespace",
            TokenType::Variable => "variable",
            TokenType::String => "string",
            TokenType::Comment => "comment",
            TokenType::Directive => "macro",
            TokenType::Heredoc => "regexp",
            TokenType::Operator => "operator",
        }
    }

    /// Position in the legend.
    pub fn index(self) -> u32 {
        self as u32
    }
}

/// Token modifiers, as bits in legend order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenModifier {
    /// A stage's `AS name`, an ARG/ENV name.
    Declaration,
    /// A predefined ARG (`TARGETARCH`, proxies…).
    DefaultLibrary,
}

impl TokenModifier {
    pub const ALL: [TokenModifier; 2] = [TokenModifier::Declaration, TokenModifier::DefaultLibrary];

    pub fn legend_name(self) -> &'static str {
        match self {
            TokenModifier::Declaration => "declaration",
            TokenModifier::DefaultLibrary => "defaultLibrary",
        }
    }

    pub fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    /// A single-line byte span.
    pub span: Span,
    pub token_type: TokenType,
    /// `TokenModifier::bit`s.
    pub modifiers: u32,
}

/// Tokens of the whole file, or of the instructions, comments and directives that touch `range`.
pub fn semantic_tokens(
    tree: &SyntaxTree,
    model: &Model,
    range: Option<Span>,
) -> Vec<SemanticToken> {
    let wanted = |span: Span| range.is_none_or(|r| span.start < r.end && r.start < span.end);
    let mut raw = Vec::new();
    for directive in tree.directives.iter().filter(|d| wanted(d.span)) {
        push(&mut raw, directive.span, TokenType::Directive, 0);
    }
    for comment in tree.comments.iter().filter(|c| wanted(c.span)) {
        push(&mut raw, comment.span, TokenType::Comment, 0);
    }
    let first = range.map_or(0, |r| {
        tree.instructions.partition_point(|i| i.span.end <= r.start)
    });
    let instructions = tree.instructions.get(first..).unwrap_or_default();
    for instruction in instructions.iter().take_while(|i| wanted(i.span)) {
        instruction_tokens(tree, instruction, &mut raw);
    }
    for stage in &model.stages {
        if let Some(name) = stage.name.as_ref().filter(|n| wanted(n.span)) {
            push(
                &mut raw,
                name.span,
                TokenType::Stage,
                TokenModifier::Declaration.bit(),
            );
        }
    }
    for reference in model.stage_refs.iter().filter(|r| wanted(r.span)) {
        if let Resolution::Stage(_) = reference.resolution {
            push(&mut raw, reference.span, TokenType::Stage, 0);
        }
    }
    for var_use in model.var_uses.iter().filter(|u| wanted(u.reference.span)) {
        variable_tokens(var_use, &mut raw);
    }
    for def in model.var_defs.iter().filter(|d| wanted(d.name_span)) {
        push(
            &mut raw,
            def.name_span,
            TokenType::Variable,
            TokenModifier::Declaration.bit(),
        );
    }
    let mut tokens = Vec::with_capacity(raw.len());
    for token in flatten(raw) {
        split_lines(tree, token, &mut tokens);
    }
    if let Some(range) = range {
        tokens.retain(|token| wanted(token.span) && range.contains_span(token.span));
    }
    tokens
}

fn push(raw: &mut Vec<SemanticToken>, span: Span, token_type: TokenType, modifiers: u32) {
    if span.start < span.end {
        raw.push(SemanticToken {
            span,
            token_type,
            modifiers,
        });
    }
}

fn instruction_tokens(tree: &SyntaxTree, instruction: &Instruction, raw: &mut Vec<SemanticToken>) {
    push(raw, instruction.keyword, TokenType::Keyword, 0);
    for continuation in &instruction.continuations {
        push(raw, *continuation, TokenType::Operator, 0);
    }
    for flag in &instruction.flags {
        push(raw, flag.name_span, TokenType::Flag, 0);
        if let Some(value) = &flag.value {
            push(
                raw,
                Span::new(flag.name_span.end, value.span.start),
                TokenType::Operator,
                0,
            );
            push(raw, value.span, TokenType::FlagValue, 0);
        }
    }
    for heredoc in &instruction.heredocs {
        push(raw, heredoc.marker, TokenType::Operator, 0);
        push(raw, heredoc.body, TokenType::Heredoc, 0);
        if let Some(terminator) = heredoc.terminator {
            push(raw, terminator, TokenType::Operator, 0);
        }
    }
    args_tokens(tree, instruction, &instruction.args, raw);
}

fn args_tokens(
    tree: &SyntaxTree,
    instruction: &Instruction,
    args: &Args,
    raw: &mut Vec<SemanticToken>,
) {
    match args {
        Args::Exec(exec) => {
            let mut gap_start = exec.span.start;
            for item in &exec.items {
                punctuation(tree, Span::new(gap_start, item.span.start), raw);
                push(raw, item.span, TokenType::String, 0);
                gap_start = item.span.end;
            }
            punctuation(tree, Span::new(gap_start, exec.span.end), raw);
        }
        Args::Words(words) if instruction.kind == crate::syntax::InstructionKind::From => {
            if let [_, keyword, ..] = words.as_slice()
                && keyword.text.eq_ignore_ascii_case("as")
            {
                push(raw, keyword.span, TokenType::Keyword, 0);
            }
        }
        Args::Pairs(pairs) => {
            for pair in pairs {
                if let Some(value) = &pair.value {
                    push(
                        raw,
                        Span::new(pair.key.span.end, value.span.start),
                        TokenType::Operator,
                        0,
                    );
                    if value.text.starts_with(['"', '\'']) {
                        push(raw, value.span, TokenType::String, 0);
                    }
                }
            }
        }
        Args::Healthcheck { kind, command } => {
            push(raw, kind.span, TokenType::Keyword, 0);
            args_tokens(tree, instruction, command, raw);
        }
        Args::Onbuild(inner) => instruction_tokens(tree, inner, raw),
        Args::Words(_) | Args::Text(_) | Args::None | Args::Ignored(_) => {}
    }
}

/// `[`, `]` and `,` of an exec form between its strings.
fn punctuation(tree: &SyntaxTree, gap: Span, raw: &mut Vec<SemanticToken>) {
    for (offset, byte) in tree.slice(gap).bytes().enumerate() {
        if matches!(byte, b'[' | b']' | b',') {
            let at = gap.start + offset;
            push(raw, Span::new(at, at + 1), TokenType::Operator, 0);
        }
    }
}

/// `$NAME`, or `${NAME` + operator + (the word, left to its own tokens) + `}`.
fn variable_tokens(var_use: &crate::model::VarUse, raw: &mut Vec<SemanticToken>) {
    let reference = &var_use.reference;
    let modifiers = match var_use.resolution {
        VarResolution::Predefined(_) => TokenModifier::DefaultLibrary.bit(),
        VarResolution::Defined(_) | VarResolution::Undefined => 0,
    };
    let Some(modifier) = &reference.modifier else {
        push(raw, reference.span, TokenType::Variable, modifiers);
        return;
    };
    let name = Span::new(reference.span.start, reference.name_span.end);
    push(raw, name, TokenType::Variable, modifiers);
    push(
        raw,
        Span::new(reference.name_span.end, modifier.word.start),
        TokenType::Operator,
        0,
    );
    push(
        raw,
        Span::new(modifier.word.end, reference.span.end),
        TokenType::Variable,
        modifiers,
    );
}

/// Nested spans to disjoint ones: an inner token cuts the token around it into the parts before
/// and after it. Of two tokens with the same span, the one pushed later wins.
fn flatten(mut raw: Vec<SemanticToken>) -> Vec<SemanticToken> {
    raw.sort_by_key(|token| (token.span.start, Reverse(token.span.end)));
    let mut out = Vec::with_capacity(raw.len());
    let mut open: Vec<SemanticToken> = Vec::new();
    let mut cursor = 0;
    let emit = |out: &mut Vec<SemanticToken>, token: &SemanticToken, from: usize, to: usize| {
        let start = from.max(token.span.start);
        if start < to {
            out.push(SemanticToken {
                span: Span::new(start, to),
                ..*token
            });
        }
    };
    for mut token in raw {
        while let Some(top) = open.last() {
            if top.span.end > token.span.start {
                break;
            }
            emit(&mut out, top, cursor, top.span.end);
            cursor = cursor.max(top.span.end);
            open.pop();
        }
        if let Some(top) = open.last() {
            emit(&mut out, top, cursor, token.span.start);
            token.span.end = token.span.end.min(top.span.end);
        }
        cursor = cursor.max(token.span.start);
        if token.span.end > cursor {
            open.push(token);
        }
    }
    while let Some(top) = open.pop() {
        emit(&mut out, &top, cursor, top.span.end);
        cursor = cursor.max(top.span.end);
    }
    out
}

/// LSP tokens cannot cross lines: one token per line piece, line breaks left out. LSP ends a
/// line at `\n`, `\r\n` and a lone `\r` (which a heredoc body or a quoted value may hold).
fn split_lines(tree: &SyntaxTree, token: SemanticToken, out: &mut Vec<SemanticToken>) {
    let text = tree.slice(token.span);
    let mut start = token.span.start;
    for piece in text.split(['\n', '\r']) {
        if !piece.is_empty() {
            out.push(SemanticToken {
                span: Span::new(start, start + piece.len()),
                ..token
            });
        }
        // Every separator is one byte.
        start += piece.len() + 1;
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    fn render(f: &Fixture, tokens: &[SemanticToken]) -> String {
        tokens
            .iter()
            .map(|token| {
                let modifiers: Vec<&str> = TokenModifier::ALL
                    .iter()
                    .filter(|m| token.modifiers & m.bit() != 0)
                    .map(|m| m.legend_name())
                    .collect();
                format!(
                    "{} {:?}{}\n",
                    f.describe(token.span),
                    token.token_type,
                    if modifiers.is_empty() {
                        String::new()
                    } else {
                        format!(" [{}]", modifiers.join(","))
                    }
                )
            })
            .collect()
    }

    fn check(text: &str, expect: Expect) {
        let f = Fixture::without_cursor(text);
        let tokens = semantic_tokens(&f.tree, &f.model, None);
        assert_sorted_disjoint(&tokens);
        expect.assert_eq(&render(&f, &tokens));
    }

    fn assert_sorted_disjoint(tokens: &[SemanticToken]) {
        for pair in tokens.windows(2) {
            assert!(pair[0].span.end <= pair[1].span.start, "overlap: {pair:?}");
        }
    }

    #[test]
    fn multi_stage_file() {
        check(
            "\
# syntax=docker/dockerfile:1
ARG NODE=20
# build stage
FROM --platform=$BUILDPLATFORM node:${NODE:-20} AS build
ENV PATH=\"/app/bin:$PATH\" A=1
FROM alpine
RUN --mount=type=cache,from=build,target=/root \\
    npm ci
COPY --from=build /app /app
CMD [\"node\", \"dist/main.js\"]
",
            expect![[r##"
                1:1 "# syntax=docker/dockerfile:1" Directive
                2:1 "ARG" Keyword
                2:5 "NODE" Variable [declaration]
                2:9 "=" Operator
                3:1 "# build stage" Comment
                4:1 "FROM" Keyword
                4:6 "--platform" Flag
                4:16 "=" Operator
                4:17 "$BUILDPLATFORM" Variable [defaultLibrary]
                4:37 "${NODE" Variable
                4:43 ":-" Operator
                4:47 "}" Variable
                4:49 "AS" Keyword
                4:52 "build" Stage [declaration]
                5:1 "ENV" Keyword
                5:5 "PATH" Variable [declaration]
                5:9 "=" Operator
                5:10 "\"/app/bin:" String
                5:20 "$PATH" Variable
                5:25 "\"" String
                5:27 "A" Variable [declaration]
                5:28 "=" Operator
                6:1 "FROM" Keyword
                7:1 "RUN" Keyword
                7:5 "--mount" Flag
                7:12 "=" Operator
                7:13 "type=cache,from=" FlagValue
                7:29 "build" Stage
                7:34 ",target=/root" FlagValue
                7:48 "\\" Operator
                9:1 "COPY" Keyword
                9:6 "--from" Flag
                9:12 "=" Operator
                9:13 "build" Stage
                10:1 "CMD" Keyword
                10:5 "[" Operator
                10:6 "\"node\"" String
                10:12 "," Operator
                10:14 "\"dist/main.js\"" String
                10:28 "]" Operator
            "##]],
        );
    }

    #[test]
    fn heredoc_onbuild_healthcheck() {
        check(
            "\
from alpine as base
run <<EOT bash
  echo $HOME
EOT
onbuild copy --from=base /a /b
healthcheck --interval=5s cmd [\"true\"]
",
            expect![[r#"
                1:1 "from" Keyword
                1:13 "as" Keyword
                1:16 "base" Stage [declaration]
                2:1 "run" Keyword
                2:5 "<<EOT" Operator
                3:1 "  echo " Heredoc
                3:8 "$HOME" Variable
                4:1 "EOT" Operator
                5:1 "onbuild" Keyword
                5:9 "copy" Keyword
                5:14 "--from" Flag
                5:20 "=" Operator
                5:21 "base" FlagValue
                6:1 "healthcheck" Keyword
                6:13 "--interval" Flag
                6:23 "=" Operator
                6:24 "5s" FlagValue
                6:27 "cmd" Keyword
                6:31 "[" Operator
                6:32 "\"true\"" String
                6:38 "]" Operator
            "#]],
        );
    }

    #[test]
    fn half_typed_lines() {
        check(
            "FROM alpine AS\nCOPY --from=\nRUN --mount=type=\nENV A=\nFRO\n",
            expect![[r#"
                1:1 "FROM" Keyword
                1:13 "AS" Keyword
                2:1 "COPY" Keyword
                2:6 "--from" Flag
                2:12 "=" Operator
                3:1 "RUN" Keyword
                3:5 "--mount" Flag
                3:12 "=" Operator
                3:13 "type=" FlagValue
                4:1 "ENV" Keyword
                4:5 "A" Variable [declaration]
                4:6 "=" Operator
                5:1 "FRO" Keyword
            "#]],
        );
    }

    #[test]
    fn range_keeps_only_tokens_inside() {
        let f = Fixture::with_cursor("FROM alpine AS a\n$0RUN echo $HOME\nFROM a\n");
        let tokens = semantic_tokens(&f.tree, &f.model, Some(Span::new(f.offset, f.offset + 15)));
        expect![[r#"
            2:1 "RUN" Keyword
            2:10 "$HOME" Variable
        "#]]
        .assert_eq(&render(&f, &tokens));
    }

    #[test]
    fn large_file_is_flat_and_sorted() {
        let mut text = String::from("ARG BASE=alpine\n");
        for stage in 0..100 {
            text.push_str(&format!("FROM ${{BASE}} AS s{stage}\n"));
            for line in 0..49 {
                text.push_str(&format!(
                    "RUN --mount=type=cache,from=s{},target=/c echo ${{HOME}} {line} \\\n  && true\n",
                    stage.max(1) - 1
                ));
            }
        }
        let f = Fixture::without_cursor(&text);
        let tokens = semantic_tokens(&f.tree, &f.model, None);
        assert_sorted_disjoint(&tokens);
        assert!(tokens.len() > 20_000);
    }
}

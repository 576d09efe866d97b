//! Document symbols: the global ARGs, then each stage (its name or `stage-N`, with the base image
//! as detail) holding its instructions.

use crate::model::{Model, VarDefKind};
use crate::syntax::{Instruction, InstructionKind, Span, SyntaxTree};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A build stage.
    Stage,
    /// A global ARG.
    Variable,
    Instruction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// Everything the symbol covers.
    pub span: Span,
    /// The part an editor highlights when the symbol is picked.
    pub focus: Span,
    pub children: Vec<Symbol>,
}

/// Instructions shown in the outline get their arguments as detail, cut to this many characters.
const DETAIL_CHARS: usize = 60;

pub fn document_symbols(tree: &SyntaxTree, model: &Model) -> Vec<Symbol> {
    let mut symbols: Vec<Symbol> = model
        .var_defs
        .iter()
        .filter(|def| def.kind == VarDefKind::GlobalArg)
        .filter_map(|def| {
            let instruction = tree.instructions.get(def.instruction)?;
            Some(Symbol {
                name: def.name.clone(),
                detail: def.value.as_ref().map(|value| format!("= {}", value.raw)),
                kind: SymbolKind::Variable,
                span: instruction.span,
                focus: def.name_span,
                children: Vec::new(),
            })
        })
        .collect();
    for stage in &model.stages {
        let Some(from) = tree.instructions.get(stage.from_instruction) else {
            continue;
        };
        let children = tree
            .instructions
            .get(stage.instructions.start + 1..stage.instructions.end)
            .unwrap_or_default()
            .iter()
            .map(instruction_symbol)
            .collect();
        symbols.push(Symbol {
            name: stage.display_name(),
            detail: stage.base.as_ref().map(|base| base.text.clone()),
            kind: SymbolKind::Stage,
            span: stage.span,
            focus: stage.name.as_ref().map_or(from.keyword, |name| name.span),
            children,
        });
    }
    symbols
}

fn instruction_symbol(instruction: &Instruction) -> Symbol {
    let name = match instruction.kind {
        InstructionKind::Unknown => instruction.keyword_text.to_uppercase(),
        kind => kind.name().to_string(),
    };
    let arguments = instruction
        .logical
        .text
        .get(instruction.keyword_text.len()..)
        .unwrap_or_default()
        .trim();
    Symbol {
        name,
        detail: (!arguments.is_empty()).then(|| shorten(arguments)),
        kind: SymbolKind::Instruction,
        span: instruction.span,
        focus: instruction.keyword,
        children: Vec::new(),
    }
}

/// `text` on one line with blank runs collapsed (continuations leave indentation in the logical
/// line), cut to `DETAIL_CHARS` characters with an ellipsis.
fn shorten(text: &str) -> String {
    let mut out = String::new();
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    match out.char_indices().nth(DETAIL_CHARS) {
        Some((cut, _)) => format!("{}…", &out[..cut]),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    fn check(text: &str, expect: Expect) {
        let f = Fixture::without_cursor(text);
        let mut out = String::new();
        fn render(f: &Fixture, symbol: &Symbol, depth: usize, out: &mut String) {
            out.push_str(&format!(
                "{}{:?} {} [{}] {} focus {}\n",
                "  ".repeat(depth),
                symbol.kind,
                symbol.name,
                symbol.detail.as_deref().unwrap_or("-"),
                f.position(symbol.span.start) + "-" + &f.position(symbol.span.end),
                f.describe(symbol.focus),
            ));
            for child in &symbol.children {
                render(f, child, depth + 1, out);
            }
        }
        for symbol in document_symbols(&f.tree, &f.model) {
            render(&f, &symbol, 0, &mut out);
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn globals_then_stages() {
        check(
            "\
# syntax=docker/dockerfile:1
ARG NODE=20 DEBUG
FROM node:${NODE}-alpine AS build
WORKDIR /app
RUN npm ci && \\
    npm run build
FROM nginx:alpine
COPY --from=build /app/dist /usr/share/nginx/html
",
            expect![[r#"
                Variable NODE [= 20] 2:1-2:18 focus 2:5 "NODE"
                Variable DEBUG [-] 2:1-2:18 focus 2:13 "DEBUG"
                Stage build [node:${NODE}-alpine] 3:1-6:18 focus 3:29 "build"
                  Instruction WORKDIR [/app] 4:1-4:13 focus 4:1 "WORKDIR"
                  Instruction RUN [npm ci && npm run build] 5:1-6:18 focus 5:1 "RUN"
                Stage stage-1 [nginx:alpine] 7:1-8:50 focus 7:1 "FROM"
                  Instruction COPY [--from=build /app/dist /usr/share/nginx/html] 8:1-8:50 focus 8:1 "COPY"
            "#]],
        );
    }

    #[test]
    fn half_typed_and_long_lines() {
        check(
            &format!("FROM alpine AS\nFRO\nRUN {}\n", "x".repeat(80)),
            expect![[r#"
                Stage stage-0 [alpine] 1:1-3:85 focus 1:1 "FROM"
                  Instruction FRO [-] 2:1-2:4 focus 2:1 "FRO"
                  Instruction RUN [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…] 3:1-3:85 focus 3:1 "RUN"
            "#]],
        );
    }
}

//! Inlay hints: the resolved default of each ARG used in a FROM line (`FROM node:${NODE_VERSION}`
//! shows `= 20`), and the index after a FROM whose stage has no name (`#2`).

use crate::model::{Model, VarResolution};
use crate::syntax::{Span, SyntaxTree};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown (after this byte).
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

pub fn inlay_hints(tree: &SyntaxTree, model: &Model, range: Span) -> Vec<InlayHint> {
    let mut hints = Vec::new();
    for stage in &model.stages {
        let Some(from) = tree.instructions.get(stage.from_instruction) else {
            continue;
        };
        if !(from.span.start <= range.end && range.start <= from.span.end) {
            continue;
        }
        for usage in model
            .var_uses
            .iter()
            .filter(|u| u.instruction == stage.from_instruction)
        {
            let VarResolution::Defined(index) = usage.resolution else {
                continue;
            };
            let Some(def) = model.var_defs.get(index) else {
                continue;
            };
            if let Some(value) = def.effective_value(model) {
                hints.push(InlayHint {
                    offset: usage.reference.span.end,
                    label: format!("= {}", value.unquoted),
                    tooltip: Some(format!("default of ARG {}", def.name)),
                });
            }
        }
        if stage.name.is_none() {
            hints.push(InlayHint {
                offset: from.span.end,
                label: format!("#{}", stage.index),
                tooltip: Some(format!(
                    "stage index {}: `COPY --from={}` refers to it",
                    stage.index, stage.index
                )),
            });
        }
    }
    hints.sort_by_key(|hint| hint.offset);
    hints
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::syntax::parse;

    #[test]
    fn arg_defaults_and_indexes() {
        let text = "ARG NODE_VERSION=20\nARG DISTRO\nFROM node:${NODE_VERSION}-${DISTRO} AS build\nFROM alpine:3\n";
        let tree = parse(text).tree;
        let model = Model::build(&tree);
        let hints = inlay_hints(&tree, &model, Span::new(0, text.len()));
        let rendered: String = hints
            .iter()
            .map(|h| format!("{} {:?}\n", h.offset, h.label))
            .collect();
        expect![[r##"
            56 "= 20"
            89 "#1"
        "##]]
        .assert_eq(&rendered);
    }
}

//! Convert shell form ↔ exec form for CMD, ENTRYPOINT and RUN.
//!
//! ```text
//! CMD node dist/server.js      ↔     CMD ["node", "dist/server.js"]
//! RUN make && make install     →     RUN ["/bin/sh", "-c", "make && make install"]
//! ```
//!
//! A shell-form line that is one plain command becomes its argv; one that needs a shell
//! (operators, variables, globs) becomes an explicit `sh -c` (or the stage's SHELL). Exec form
//! becomes shell form with each item quoted for the shell, and `sh -c "script"` becomes the
//! script itself.

use super::facts;
use super::{Assist, AssistContext, AssistKind};
use crate::ide::{SourceChange, TextEdit};
use crate::model::Model;
use crate::model::outputs::shell_quote;
use crate::syntax::{Args, InstructionKind, SyntaxTree};

pub(super) fn convert_command_form(ctx: &AssistContext<'_>, acc: &mut Vec<Assist>) -> Option<()> {
    let (index, instruction) = ctx.tree.instruction_at(ctx.offset())?;
    if !matches!(
        instruction.kind,
        InstructionKind::Cmd | InstructionKind::Entrypoint | InstructionKind::Run
    ) || !instruction.heredocs.is_empty()
        || ctx.tree.escape != '\\'
    {
        return None;
    }
    let (span, replacement, label) = match &instruction.args {
        Args::Exec(exec) => {
            let items: Vec<&str> = exec.items.iter().map(|w| w.text.as_str()).collect();
            let shell = match items.as_slice() {
                ["/bin/sh" | "sh" | "/bin/bash" | "bash", "-c", script] => (*script).to_string(),
                _ => items
                    .iter()
                    .map(|item| shell_quote(item))
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            if shell.is_empty() || shell.contains('\n') {
                return None;
            }
            (exec.span, shell, "Convert to shell form")
        }
        Args::Text(word) => {
            let items = match facts::shell_to_exec_items(&word.text) {
                Some(items) => items,
                None => {
                    let mut shell = stage_shell(ctx.tree, ctx.model, index);
                    shell.push(word.text.clone());
                    shell
                }
            };
            (word.span, facts::exec_form(&items), "Convert to exec form")
        }
        _ => return None,
    };
    acc.push(Assist {
        id: "convert_command_form",
        label: label.to_string(),
        kind: AssistKind::RefactorRewrite,
        change: SourceChange::from_edits(vec![TextEdit::replace(span, replacement)]),
    });
    Some(())
}

/// The shell a shell-form line runs in: the stage's last SHELL before `index`, else `/bin/sh -c`.
fn stage_shell(tree: &SyntaxTree, model: &Model, index: usize) -> Vec<String> {
    let stage = model
        .stage_of_instruction(index)
        .and_then(|s| model.stages.get(s));
    stage
        .and_then(|stage| {
            (stage.instructions.start..index).rev().find_map(|i| {
                let instruction = tree.instructions.get(i)?;
                (instruction.kind == InstructionKind::Shell)
                    .then(|| instruction.exec_items())
                    .flatten()
                    .map(|items| items.iter().map(|w| w.text.clone()).collect::<Vec<_>>())
            })
        })
        .unwrap_or_else(|| vec!["/bin/sh".to_string(), "-c".to_string()])
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::convert_command_form;
    use crate::ide::assists::test_support::{check, check_allowing, check_not_applicable};

    #[test]
    fn exec_to_shell_and_back() {
        check_allowing(
            convert_command_form,
            "FROM node:20\nCMD [\"node\", \"dist/server.js\", \"--title\", \"my app\"]$0\n",
            &["JSONArgsRecommended"],
            expect![[r#"
                Convert to shell form (refactor.rewrite)
                FROM node:20
                CMD node dist/server.js --title 'my app'
            "#]],
        );
        check(
            convert_command_form,
            "FROM node:20\nENTRYPOINT exec node \"dist/server.js\"$0\n",
            expect![[r#"
                Convert to exec form (refactor.rewrite)
                FROM node:20
                ENTRYPOINT ["node", "dist/server.js"]
            "#]],
        );
    }

    #[test]
    fn shell_features_keep_a_shell() {
        check(
            convert_command_form,
            "FROM alpine\nRUN --mount=type=cache,target=/c make \\\n  && make install$0\n",
            expect![[r#"
                Convert to exec form (refactor.rewrite)
                FROM alpine
                RUN --mount=type=cache,target=/c ["/bin/sh", "-c", "make   && make install"]
            "#]],
        );
        check(
            convert_command_form,
            "FROM alpine\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nCMD echo $HOME$0\n",
            expect![[r#"
                Convert to exec form (refactor.rewrite)
                FROM alpine
                SHELL ["/bin/bash", "-o", "pipefail", "-c"]
                CMD ["/bin/bash", "-o", "pipefail", "-c", "echo $HOME"]
            "#]],
        );
        check(
            convert_command_form,
            "FROM alpine\nRUN [\"sh\", \"-c\", \"echo a && echo b\"]$0\n",
            expect![[r#"
                Convert to shell form (refactor.rewrite)
                FROM alpine
                RUN echo a && echo b
            "#]],
        );
    }

    #[test]
    fn not_applicable() {
        check_not_applicable(convert_command_form, "FROM alpine\nCOPY a b$0\n");
        check_not_applicable(
            convert_command_form,
            "FROM alpine\nRUN <<EOF$0\necho\nEOF\n",
        );
        check_not_applicable(convert_command_form, "FROM alpine\nCMD []$0\n");
    }
}

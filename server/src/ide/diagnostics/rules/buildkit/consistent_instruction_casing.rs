use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags an instruction keyword in mixed case (`Run`), or in a case other than the one most
    /// keywords of the file use.
    ///
    /// ## Why is this bad?
    /// Keywords are case-insensitive, so nothing breaks, but a file that mixes `RUN` and `run`
    /// is harder to read and to search. Ties count as upper case.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine
    /// Run echo hello
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine
    /// RUN echo hello
    /// ```
    ///
    /// ## References
    /// - BuildKit check `ConsistentInstructionCasing`: <https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/>
    name: "ConsistentInstructionCasing",
    severity: Warning,
    enabled_by_default: true,
    summary: "Instruction keywords should be consistently upper or lower case",
    hadolint: [],
    check: check,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    // Like BuildKit, only instructions of stages count: global ARGs are neither counted nor
    // checked.
    let first_stage = ctx
        .model
        .stages
        .first()
        .map_or(usize::MAX, |s| s.from_instruction);
    let in_stages = || ctx.tree.instructions.iter().skip(first_stage);
    let keywords = || in_stages().map(|i| &i.keyword_text);
    let is_lower = |k: &str| k == k.to_lowercase();
    let is_upper = |k: &str| k == k.to_uppercase();
    let lower = keywords().filter(|k| is_lower(k) && !is_upper(k)).count();
    let upper = keywords().filter(|k| is_upper(k) && !is_lower(k)).count();
    let majority_lower = lower > upper;
    for instruction in in_stages() {
        let keyword = &instruction.keyword_text;
        let (casing, wanted) = if majority_lower {
            ("lowercase", keyword.to_lowercase())
        } else {
            ("uppercase", keyword.to_uppercase())
        };
        if *keyword == wanted {
            continue;
        }
        let mut diagnostic = warning(
            NAME,
            instruction.keyword,
            format!("Command '{keyword}' should match the case of the command majority ({casing})"),
        );
        if ctx.tree.slice(instruction.keyword) == keyword {
            diagnostic.fixes.push(Fix {
                title: format!("Write '{wanted}'"),
                change: SourceChange::from_edits(vec![TextEdit::replace(
                    instruction.keyword,
                    wanted,
                )]),
                preferred: true,
            });
        }
        out.push(diagnostic);
    }
}

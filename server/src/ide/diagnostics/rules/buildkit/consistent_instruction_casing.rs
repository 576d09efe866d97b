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
    check: document check,
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
    // Without allocating: a lint looks at every keyword of the file three times.
    let is_lower = |k: &str| k.chars().all(|c| c.to_lowercase().eq([c]));
    let is_upper = |k: &str| k.chars().all(|c| c.to_uppercase().eq([c]));
    let lower = keywords().filter(|k| is_lower(k) && !is_upper(k)).count();
    let upper = keywords().filter(|k| is_upper(k) && !is_lower(k)).count();
    let majority_lower = lower > upper;
    for instruction in in_stages() {
        let keyword = &instruction.keyword_text;
        let (casing, matches, wanted): (_, _, fn(&str) -> String) = if majority_lower {
            ("lowercase", is_lower(keyword), str::to_lowercase)
        } else {
            ("uppercase", is_upper(keyword), str::to_uppercase)
        };
        if matches {
            continue;
        }
        let wanted = wanted(keyword);
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

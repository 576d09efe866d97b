use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::Instruction;

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
    check: model check,
    reads: reads,
}

/// Every keyword counts, but an upper-case keyword that stays upper case changes no count; a
/// finding on it lies in the bytes the change rebuilt, which makes the engine run the rule again.
fn reads(instruction: &Instruction) -> bool {
    casing(&instruction.keyword_text) != (false, true)
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
    let (mut lower, mut upper, mut mixed) = (0usize, 0usize, 0usize);
    for instruction in in_stages() {
        match casing(&instruction.keyword_text) {
            (true, false) => lower += 1,
            (false, true) => upper += 1,
            (false, false) => mixed += 1,
            (true, true) => {}
        }
    }
    // The usual file is consistent: nothing to report, no second pass.
    if mixed == 0 && lower.min(upper) == 0 {
        return;
    }
    let majority_lower = lower > upper;
    for instruction in in_stages() {
        let keyword = &instruction.keyword_text;
        let (is_lower, is_upper) = casing(keyword);
        let (majority, matches, wanted): (_, _, fn(&str) -> String) = if majority_lower {
            ("lowercase", is_lower, str::to_lowercase)
        } else {
            ("uppercase", is_upper, str::to_uppercase)
        };
        if matches {
            continue;
        }
        let wanted = wanted(keyword);
        let mut diagnostic = warning(
            NAME,
            instruction.keyword,
            format!(
                "Command '{keyword}' should match the case of the command majority ({majority})"
            ),
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

/// `(is lower case, is upper case)`: whether lower- or upper-casing leaves `keyword` as it is
/// (both for a keyword without letters). Keywords are ASCII but for typos, so that case is
/// decided on bytes; a lint looks at every keyword of the file.
fn casing(keyword: &str) -> (bool, bool) {
    if keyword.is_ascii() {
        let bytes = keyword.as_bytes();
        return (
            !bytes.iter().any(u8::is_ascii_uppercase),
            !bytes.iter().any(u8::is_ascii_lowercase),
        );
    }
    (
        keyword.chars().all(|c| c.to_lowercase().eq([c])),
        keyword.chars().all(|c| c.to_uppercase().eq([c])),
    )
}

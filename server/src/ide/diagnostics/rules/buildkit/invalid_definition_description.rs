use crate::ide::diagnostics::RuleContext;
use crate::syntax::{Args, InstructionKind, Span};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Off by default (experimental in BuildKit; turn it on with
    /// `# check=experimental=InvalidDefinitionDescription` or in the configuration). Flags a
    /// comment directly above `FROM … AS name` or `ARG name` that does not start with that name.
    ///
    /// ## Why is this bad?
    /// `docker buildx build --call=outline` and `--call=targets` show such comments as the
    /// description of build targets and arguments, but only when they start with the name.
    ///
    /// ## Example
    /// ```dockerfile
    /// # compiles the server
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # build compiles the server
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// ## References
    /// - BuildKit check `InvalidDefinitionDescription`: <https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/>
    name: "InvalidDefinitionDescription",
    severity: Warning,
    enabled_by_default: false,
    summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`",
    hadolint: [],
    check: document check,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut previous_end = 0;
    for instruction in &ctx.tree.instructions {
        let block_start = previous_end;
        previous_end = instruction.span.end;
        let (keyword, names): (&str, Vec<&str>) = match (&instruction.kind, &instruction.args) {
            (InstructionKind::Arg, Args::Pairs(pairs)) => {
                ("ARG", pairs.iter().map(|p| p.key.text.as_str()).collect())
            }
            (InstructionKind::From, _) => match instruction.words() {
                [_, _, name] => ("FROM", vec![name.text.as_str()]),
                _ => continue,
            },
            _ => continue,
        };
        let Some(comment) = description(ctx, block_start, instruction.span.start) else {
            continue;
        };
        let first_word = ctx
            .tree
            .slice(comment)
            .trim_start_matches('#')
            .split_whitespace()
            .next()
            .unwrap_or("");
        if names.contains(&first_word) {
            continue;
        }
        let example = match names.as_slice() {
            [single] => *single,
            _ => "<arg_key>",
        };
        out.push(warning(
            NAME,
            comment,
            format!("Comment for {keyword} should follow the format: `# {example} <description>`"),
        ));
    }
}

/// The last line of the comment block between `start` and `end` (BuildKit's comment block: an
/// empty `#` line starts it over; pragmas are not descriptions).
fn description(ctx: &RuleContext<'_>, start: usize, end: usize) -> Option<Span> {
    let mut last = None;
    for comment in ctx
        .tree
        .comments
        .iter()
        .filter(|c| !c.inside_instruction && c.span.start >= start && c.span.end <= end)
    {
        let text = ctx.tree.slice(comment.span).trim_start_matches('#').trim();
        if text.is_empty() {
            last = None;
        } else if !is_pragma(text) {
            last = Some(comment.span);
        }
    }
    last
}

fn is_pragma(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("check=") || lower.starts_with("check =") || lower.starts_with("hadolint ")
}

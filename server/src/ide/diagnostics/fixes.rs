//! The fixes every suppressible diagnostic gets: "Ignore <Rule> for this instruction" and
//! "Ignore <Rule> in this file". Both merge into an existing `# check=` line rather than adding a
//! second one (BuildKit reads only the first), and the file-level one stays in the leading
//! directive block, where BuildKit looks for parser directives.

use crate::ide::{SourceChange, TextEdit};
use crate::syntax::SyntaxTree;

use super::suppress::{CheckOptions, Suppressions};
use super::{Diagnostic, Fix};

pub(super) fn ignore_fixes(
    tree: &SyntaxTree,
    suppressions: &Suppressions,
    diagnostic: &Diagnostic,
) -> Vec<Fix> {
    let rule = diagnostic.code;
    let mut fixes = Vec::new();
    if let Some(edit) = instruction_edit(tree, suppressions, diagnostic) {
        fixes.push(Fix {
            title: format!("Ignore {rule} for this instruction"),
            change: SourceChange::from_edits(vec![edit]),
            preferred: false,
        });
    }
    // `experimental=` wins over `skip=` in BuildKit: a file-level skip could not switch off a
    // rule the file turns on that way.
    if !suppressions.enables_experimental(rule) {
        fixes.push(Fix {
            title: format!("Ignore {rule} in this file"),
            change: SourceChange::from_edits(vec![file_edit(suppressions, rule)]),
            preferred: false,
        });
    }
    fixes
}

/// Adds `rule` to the skip list of an existing `check=` value, or a `skip=` option to it.
fn merge_into(options: &CheckOptions, rule: &str) -> TextEdit {
    match &options.skip {
        Some(skip) => TextEdit::insert(skip.end, format!(",{rule}")),
        None => TextEdit::insert(options.end, format!(";skip={rule}")),
    }
}

fn file_edit(suppressions: &Suppressions, rule: &str) -> TextEdit {
    if let Some(file) = &suppressions.file {
        return merge_into(file, rule);
    }
    let insert = suppressions.directive_insert;
    let line = format!("# check=skip={rule}");
    if insert.needs_leading_newline {
        TextEdit::insert(insert.offset, format!("\n{line}"))
    } else {
        TextEdit::insert(insert.offset, format!("{line}\n"))
    }
}

/// `None` when a comment above the instruction would be read as a parser directive (nothing but
/// directives above it): then only the file-level fix is honest.
fn instruction_edit(
    tree: &SyntaxTree,
    suppressions: &Suppressions,
    diagnostic: &Diagnostic,
) -> Option<TextEdit> {
    let index = suppressions.instruction_index(diagnostic.span.start)?;
    let instruction = tree.instructions.get(index)?;
    let check = suppressions
        .pragmas(index)
        .and_then(|pragmas| pragmas.check.as_ref());
    let line_start = tree.line_start(instruction.span.start);
    if line_start <= suppressions.directive_insert.offset {
        return None;
    }
    if let Some(check) = check {
        let is_the_file_directive = check.end <= suppressions.directive_insert.offset;
        return (!is_the_file_directive).then(|| merge_into(check, diagnostic.code));
    }
    let indent = tree.text().get(line_start..instruction.span.start)?;
    Some(TextEdit::insert(
        line_start,
        format!("{indent}# check=skip={}\n", diagnostic.code),
    ))
}

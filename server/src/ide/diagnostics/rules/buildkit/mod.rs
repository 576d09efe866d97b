//! BuildKit build checks and the errors BuildKit raises that can be known statically.
//!
//! Checks keep BuildKit's names, triggers and message wording; hard errors keep the wording of
//! BuildKit's parser and converter.

mod consistent_instruction_casing;
mod copy_ignored_file;
mod duplicate_directive;
mod duplicate_stage_name;
mod empty_file;
mod expose_invalid_format;
mod expose_proto_casing;
mod from_argument_count;
mod from_as_casing;
mod from_platform_flag_const_disallowed;
mod instruction_before_from;
mod invalid_default_arg_in_from;
mod invalid_definition_description;
mod invalid_escape_token;
mod invalid_expose;
mod invalid_flag;
mod invalid_healthcheck;
mod invalid_json_array;
mod invalid_key_value;
mod invalid_mount;
mod invalid_onbuild_trigger;
mod invalid_stage_name;
mod invalid_stage_reference;
mod json_args_recommended;
mod legacy_key_value_format;
mod maintainer_deprecated;
mod multiple_instructions_disallowed;
mod no_empty_continuation;
mod redundant_target_platform;
mod reserved_stage_name;
mod secrets_used_in_arg_or_env;
mod shell_not_json;
mod stage_name_casing;
mod undefined_arg_in_from;
mod undefined_var;
mod unknown_instruction;
mod unterminated_heredoc;
mod workdir_relative_path;

use crate::ide::TextEdit;
use crate::ide::diagnostics::{Diagnostic, RuleContext, RuleDef, Severity};
use crate::knowledge::suggest;
use crate::model::{Model, Resolution};
use crate::syntax::{Instruction, Span, SyntaxTree};

pub(super) static RULES: &[RuleDef] = &[
    empty_file::RULE,
    duplicate_directive::RULE,
    invalid_escape_token::RULE,
    unterminated_heredoc::RULE,
    invalid_json_array::RULE,
    invalid_key_value::RULE,
    unknown_instruction::RULE,
    instruction_before_from::RULE,
    from_argument_count::RULE,
    invalid_stage_name::RULE,
    invalid_stage_reference::RULE,
    invalid_onbuild_trigger::RULE,
    shell_not_json::RULE,
    invalid_healthcheck::RULE,
    invalid_flag::RULE,
    invalid_mount::RULE,
    invalid_expose::RULE,
    stage_name_casing::RULE,
    from_as_casing::RULE,
    no_empty_continuation::RULE,
    consistent_instruction_casing::RULE,
    duplicate_stage_name::RULE,
    reserved_stage_name::RULE,
    json_args_recommended::RULE,
    maintainer_deprecated::RULE,
    multiple_instructions_disallowed::RULE,
    undefined_arg_in_from::RULE,
    workdir_relative_path::RULE,
    undefined_var::RULE,
    legacy_key_value_format::RULE,
    redundant_target_platform::RULE,
    secrets_used_in_arg_or_env::RULE,
    invalid_default_arg_in_from::RULE,
    from_platform_flag_const_disallowed::RULE,
    copy_ignored_file::RULE,
    expose_proto_casing::RULE,
    expose_invalid_format::RULE,
    invalid_definition_description::RULE,
];

/// The parser errors that rules report under their own codes.
const SYNTAX_ERROR_RULES: [fn(&str) -> bool; 6] = [
    empty_file::claims,
    duplicate_directive::claims,
    invalid_escape_token::claims,
    unterminated_heredoc::claims,
    invalid_json_array::claims,
    invalid_key_value::claims,
];

/// True when one of the syntax-error rules reports this parser error.
pub(super) fn syntax_error_has_rule(message: &str) -> bool {
    SYNTAX_ERROR_RULES.iter().any(|claims| claims(message))
}

/// Reports the parser errors `claims` picks, once each, under `code`.
fn report_syntax_errors(
    ctx: &RuleContext<'_>,
    out: &mut Vec<Diagnostic>,
    code: &'static str,
    claims: fn(&str) -> bool,
) {
    for syntax_error in ctx.syntax_errors.iter().filter(|e| claims(&e.message)) {
        out.push(error(code, syntax_error.span, syntax_error.message.clone()));
    }
}

/// A BuildKit check's finding (the engine applies the configured severity).
fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(code, Severity::Warning, span, message)
}

/// A BuildKit hard error.
fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(code, Severity::Error, span, message)
}

/// Each stage's instructions, FROM included, with their indices.
fn stage_instructions<'a>(
    ctx: &'a RuleContext<'_>,
    stage: usize,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    let range = ctx
        .model
        .stages
        .get(stage)
        .map_or(0..0, |stage| stage.instructions.clone());
    range.filter_map(|index| ctx.tree.instructions.get(index).map(|i| (index, i)))
}

/// `stage`, then the stage it is built FROM, and so on (BuildKit's image config inheritance).
fn stage_chain(model: &Model, stage: usize) -> Vec<usize> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(parent) = model
        .stages
        .get(current)
        .and_then(|s| s.parent_stage(model))
        .filter(|&parent| parent < current)
    {
        chain.push(parent);
        current = parent;
    }
    chain
}

/// The base image at the root of `stage`'s chain, as written (`None` for a bare FROM).
fn root_base(model: &Model, stage: usize) -> Option<&str> {
    let root = *stage_chain(model, stage).last()?;
    let base = model.stages.get(root)?.base.as_ref()?;
    let reference = model.stage_refs.get(base.reference)?;
    match reference.resolution {
        Resolution::Stage(_) => None,
        _ => Some(base.text.as_str()),
    }
}

/// The whole lines of `span` with their final line break, for deleting an instruction.
fn whole_lines(tree: &SyntaxTree, span: Span) -> Span {
    let text = tree.text();
    let start = text
        .get(..span.start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |newline| newline + 1);
    let end = text
        .get(span.end..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |newline| span.end + newline + 1);
    Span::new(start, end)
}

/// Edits that rename stage `stage` to `new_name` at its definition and every reference to it.
fn rename_stage_edits(model: &Model, stage: usize, new_name: &str) -> Vec<TextEdit> {
    let Some(name) = model.stages.get(stage).and_then(|s| s.name.as_ref()) else {
        return Vec::new();
    };
    std::iter::once(name.span)
        .chain(model.references_to(stage).map(|reference| reference.span))
        .map(|span| TextEdit::replace(span, new_name))
        .collect()
}

#[cfg(test)]
mod tests;

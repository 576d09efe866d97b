//! The rule engine: runs the enabled rules, applies what the file suppresses, the configured
//! severities and the ignore fixes, and between two versions of a document reuses what the
//! instruction rules found in the instructions an edit left alone.

use crate::config::{Config, RuleLevel};
use crate::model::Model;
use crate::syntax::{Instruction, Parse, TreeEdit};

use super::{Check, Diagnostic, LintContext, RuleContext, RuleDef, RuleMeta, Severity};
use super::{fixes, rules, suppress};

/// What the instruction rules found in each instruction of a document, as the rules reported it:
/// suppressions, severities and ignore fixes depend on the rest of the file and are applied on
/// every lint. Reused only under the inputs it was computed with.
#[derive(Debug, Clone, Default)]
pub struct LintCache {
    inputs: CacheInputs,
    /// Per instruction, `(index in rules::ALL, finding)` in rule order.
    findings: Vec<Vec<(usize, Diagnostic)>>,
}

/// Everything besides the instruction itself that an instruction rule may read, and which of
/// those rules ran.
#[derive(Debug, Clone, Default, PartialEq)]
struct CacheInputs {
    config: Config,
    dockerignore: Option<String>,
    escape: char,
    /// Per rule of `rules::ALL`: an instruction rule that is on.
    ran: Vec<bool>,
}

/// Every diagnostic for a parsed document: each enabled rule's findings at its configured
/// severity, minus what `# check=skip=…` and hadolint pragmas suppress, sorted by position.
pub fn diagnostics(parse: &Parse, model: &Model, context: &LintContext<'_>) -> Vec<Diagnostic> {
    diagnostics_incremental(parse, model, context, None).0
}

/// `diagnostics`, reusing `previous`: the cache of the document `edit` turned into `parse`.
/// Instruction rules run only on the instructions the edit rebuilt (and on any whose findings
/// reach into the rebuilt bytes); document rules run on the whole file. The result equals
/// `diagnostics(parse, model, context)`; the cache returned is the one for the next edit.
pub fn diagnostics_incremental(
    parse: &Parse,
    model: &Model,
    context: &LintContext<'_>,
    previous: Option<(&LintCache, &TreeEdit)>,
) -> (Vec<Diagnostic>, LintCache) {
    let tree = &parse.tree;
    let rule_context = RuleContext::new(tree, model, context, &parse.errors);
    let suppressions = suppress::Suppressions::collect(tree);
    let severities: Vec<Option<Severity>> = rules::ALL
        .iter()
        .map(|rule| effective_severity(&rule.meta, context.config, &suppressions))
        .collect();
    let inputs = CacheInputs {
        config: context.config.clone(),
        dockerignore: context.dockerignore.map(str::to_string),
        escape: tree.escape,
        ran: rules::ALL
            .iter()
            .zip(&severities)
            .map(|(rule, severity)| severity.is_some() && !matches!(rule.check, Check::Document(_)))
            .collect(),
    };
    let previous = previous.filter(|(cache, edit)| {
        cache.inputs == inputs && describes(edit, cache.findings.len(), tree.instructions.len())
    });
    let findings: Vec<Vec<(usize, Diagnostic)>> = tree
        .instructions
        .iter()
        .enumerate()
        .map(|(index, instruction)| {
            previous
                .and_then(|(cache, edit)| carried_over(cache, edit, index))
                .unwrap_or_else(|| {
                    run_instruction_rules(&rule_context, &inputs.ran, index, instruction)
                })
        })
        .collect();

    let mut per_rule: Vec<Vec<Diagnostic>> = vec![Vec::new(); rules::ALL.len()];
    for (index, found) in findings.iter().enumerate() {
        for (rule, diagnostic) in found {
            let applies = match rules::ALL.get(*rule).map(|rule| rule.check) {
                Some(Check::InstructionWhere { applies, .. }) => applies(&rule_context, index),
                _ => true,
            };
            if let (true, Some(list)) = (applies, per_rule.get_mut(*rule)) {
                list.push(diagnostic.clone());
            }
        }
    }

    let mut out = Vec::new();
    for ((rule, severity), from_instructions) in rules::ALL.iter().zip(&severities).zip(per_rule) {
        let Some(severity) = *severity else {
            continue;
        };
        let found = match rule.check {
            Check::Document(check) => {
                let mut found = Vec::new();
                check(&rule_context, &mut found);
                found
            }
            Check::Instruction(_) | Check::InstructionWhere { .. } => from_instructions,
        };
        out.extend(finish(parse, &suppressions, rule, severity, found));
    }
    out.extend(
        parse
            .errors
            .iter()
            .filter(|error| !rules::syntax_error_has_rule(&error.message))
            .map(|error| {
                Diagnostic::new(
                    "SyntaxError",
                    Severity::Error,
                    error.span,
                    error.message.clone(),
                )
            }),
    );
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    out.dedup_by(|later, earlier| {
        later.span == earlier.span && later.code == earlier.code && later.message == earlier.message
    });
    (out, LintCache { inputs, findings })
}

/// A rule's findings as the user sees them: suppressed ones dropped, the severity set, the
/// ignore fixes added.
fn finish<'a>(
    parse: &'a Parse,
    suppressions: &'a suppress::Suppressions,
    rule: &'a RuleDef,
    severity: Severity,
    found: Vec<Diagnostic>,
) -> impl Iterator<Item = Diagnostic> + 'a {
    let buildkit = rules::is_buildkit(rule.meta.name);
    let hard_error = buildkit && rule.meta.default_severity == Severity::Error;
    found.into_iter().filter_map(move |mut diagnostic| {
        if !hard_error && suppressions.suppresses(&rule.meta, diagnostic.span) {
            return None;
        }
        diagnostic.severity = severity;
        if buildkit && suppressions.checks_are_errors() && severity == Severity::Warning {
            diagnostic.severity = Severity::Error;
        }
        if !hard_error {
            diagnostic
                .fixes
                .extend(fixes::ignore_fixes(&parse.tree, suppressions, &diagnostic));
        }
        Some(diagnostic)
    })
}

/// What the instruction rules that are on find in one instruction.
fn run_instruction_rules(
    context: &RuleContext<'_>,
    ran: &[bool],
    index: usize,
    instruction: &Instruction,
) -> Vec<(usize, Diagnostic)> {
    let mut findings = Vec::new();
    let mut found = Vec::new();
    for (rule_index, rule) in rules::ALL.iter().enumerate() {
        let check = match rule.check {
            Check::Instruction(check) | Check::InstructionWhere { check, .. } => check,
            Check::Document(_) => continue,
        };
        if !ran.get(rule_index).copied().unwrap_or(false) {
            continue;
        }
        check(context, index, instruction, &mut found);
        findings.extend(found.drain(..).map(|diagnostic| (rule_index, diagnostic)));
    }
    findings
}

/// Whether `edit` turns a tree of `old_count` instructions into one of `new_count`.
fn describes(edit: &TreeEdit, old_count: usize, new_count: usize) -> bool {
    let (old, new) = (&edit.old_instructions, &edit.new_instructions);
    old.start == new.start
        && old.start <= old.end
        && new.start <= new.end
        && old.end <= old_count
        && new.end <= new_count
        && old_count - old.end == new_count - new.end
}

/// The cached findings of the instruction now at `index`, moved to where the edit put it;
/// `None` when the edit rebuilt it, or one of its findings reaches into the rebuilt bytes.
fn carried_over(
    cache: &LintCache,
    edit: &TreeEdit,
    index: usize,
) -> Option<Vec<(usize, Diagnostic)>> {
    let old_index = if index < edit.new_instructions.start {
        index
    } else if index >= edit.new_instructions.end {
        (index - edit.new_instructions.end).checked_add(edit.old_instructions.end)?
    } else {
        return None;
    };
    cache
        .findings
        .get(old_index)?
        .iter()
        .map(|(rule, diagnostic)| Some((*rule, moved(diagnostic, edit)?)))
        .collect()
}

/// `diagnostic` with every span moved by `edit`; `None` when one reaches into what it rebuilt.
fn moved(diagnostic: &Diagnostic, edit: &TreeEdit) -> Option<Diagnostic> {
    let mut moved = diagnostic.clone();
    moved.span = edit.map_span(diagnostic.span)?;
    for related in &mut moved.related {
        related.span = edit.map_span(related.span)?;
    }
    for fix in &mut moved.fixes {
        for text_edit in &mut fix.change.edits {
            text_edit.span = edit.map_span(text_edit.span)?;
        }
    }
    Some(moved)
}

/// The severity a rule runs at, or `None` when it is off: the configuration wins, then
/// `# check=experimental=…` (which turns on off-by-default rules even under `skip=all`), then
/// the rule's default.
fn effective_severity(
    meta: &RuleMeta,
    config: &Config,
    suppressions: &suppress::Suppressions,
) -> Option<Severity> {
    let default = if rules::is_buildkit(meta.name) && suppressions.enables_experimental(meta.name) {
        RuleLevel::On(meta.default_severity)
    } else {
        RuleLevel::default_for(meta)
    };
    match config.effective_level(meta.name, default) {
        RuleLevel::Off => None,
        RuleLevel::On(severity) => Some(severity),
    }
}

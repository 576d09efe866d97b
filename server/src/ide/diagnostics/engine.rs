//! The rule engine: runs the enabled rules, applies what the file suppresses, the configured
//! severities and the ignore fixes, and between two versions of a document reuses what the
//! instruction rules found in the instructions an edit left alone, and what the model rules found
//! when the edit changed nothing they read.

use crate::config::{Config, RuleLevel};
use crate::model::Model;
use crate::syntax::{Instruction, Parse, TreeEdit};

use super::{
    Check, Diagnostic, DocumentCheck, InstructionCheck, Kinds, LintContext, RuleContext, RuleDef,
    RuleMeta, Severity,
};
use super::{fixes, rules, suppress};

/// What the instruction rules found in each instruction of a document and what the model rules
/// found, as the rules reported it: suppressions, severities and ignore fixes depend on the rest
/// of the file and are applied on every lint. Reused only under the inputs it was computed with.
#[derive(Debug, Clone, Default)]
pub struct LintCache {
    inputs: CacheInputs,
    /// Per instruction, `(index in rules::ALL, finding)` in rule order.
    findings: Vec<Vec<(usize, Diagnostic)>>,
    /// Per rule of `rules::ALL`: a model rule's findings (empty for the other rules).
    model_findings: Vec<Vec<Diagnostic>>,
}

/// Everything besides the document that an instruction or model rule may read, and which of
/// those rules ran.
#[derive(Debug, Clone, Default, PartialEq)]
struct CacheInputs {
    config: Config,
    dockerignore: Option<String>,
    escape: char,
    /// Per rule of `rules::ALL`: an instruction or model rule that is on.
    ran: Vec<bool>,
}

/// What a lint may take over from the previous version's: its cache, how the tree changed since,
/// and whether the model is the previous one carried over (`Model::after_change`).
#[derive(Debug, Clone, Copy)]
pub struct Reuse<'a> {
    pub cache: &'a LintCache,
    pub edit: &'a TreeEdit,
    /// The previous version's instructions of `edit.old_instructions`.
    pub replaced: &'a [Instruction],
    pub model_carried_over: bool,
}

/// Every diagnostic for a parsed document: each enabled rule's findings at its configured
/// severity, minus what `# check=skip=…` and hadolint pragmas suppress, sorted by position.
pub fn diagnostics(parse: &Parse, model: &Model, context: &LintContext<'_>) -> Vec<Diagnostic> {
    diagnostics_incremental(parse, model, context, None).0
}

/// `diagnostics`, reusing what `previous` allows. Instruction rules run only on the instructions
/// the edit rebuilt (and on any whose findings reach into the rebuilt bytes); model rules only
/// when the edit touched what they read; document rules on the whole file. The result equals
/// `diagnostics(parse, model, context)`; the cache returned is the one for the next edit.
pub fn diagnostics_incremental(
    parse: &Parse,
    model: &Model,
    context: &LintContext<'_>,
    previous: Option<Reuse<'_>>,
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
    let previous = previous.filter(|reuse| {
        reuse.cache.inputs == inputs
            && describes(
                reuse.edit,
                reuse.cache.findings.len(),
                tree.instructions.len(),
            )
    });
    let instruction_checks: Vec<(usize, InstructionCheck, Kinds)> = rules::ALL
        .iter()
        .enumerate()
        .zip(&inputs.ran)
        .filter_map(|((index, rule), ran)| match rule.check {
            Check::Instruction { check, on } if *ran => Some((index, check, on)),
            Check::InstructionWhere { check, .. } if *ran => Some((index, check, Kinds::Every)),
            _ => None,
        })
        .collect();
    let findings: Vec<Vec<(usize, Diagnostic)>> = tree
        .instructions
        .iter()
        .enumerate()
        .map(|(index, instruction)| {
            previous
                .and_then(|reuse| carried_over(reuse.cache, reuse.edit, index))
                .unwrap_or_else(|| {
                    run_instruction_checks(&rule_context, &instruction_checks, index, instruction)
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
    let mut model_findings = vec![Vec::new(); rules::ALL.len()];
    let rules = rules::ALL.iter().zip(&severities).zip(per_rule);
    for (index, (((rule, severity), from_instructions), kept)) in
        rules.zip(&mut model_findings).enumerate()
    {
        let Some(severity) = *severity else {
            continue;
        };
        let run = |check: DocumentCheck| {
            let mut found = Vec::new();
            check(&rule_context, &mut found);
            found
        };
        let found = match rule.check {
            Check::Document(check) => run(check),
            Check::Model { check, reads } => {
                *kept = previous
                    .and_then(|reuse| model_rule_carried_over(reuse, index, reads, tree))
                    .unwrap_or_else(|| run(check));
                kept.clone()
            }
            Check::Instruction { .. } | Check::InstructionWhere { .. } => from_instructions,
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
    let cache = LintCache {
        inputs,
        findings,
        model_findings,
    };
    (out, cache)
}

/// A model rule's previous findings, moved by the edit, when they still hold: the model was
/// carried over, the edit rebuilt nothing the rule reads, and no finding reaches into what it
/// rebuilt.
fn model_rule_carried_over(
    reuse: Reuse<'_>,
    rule: usize,
    reads: fn(&Instruction) -> bool,
    tree: &crate::syntax::SyntaxTree,
) -> Option<Vec<Diagnostic>> {
    let rebuilt = tree.instructions.get(reuse.edit.new_instructions.clone())?;
    let untouched = reuse.model_carried_over
        && reuse.replaced.len() == reuse.edit.old_instructions.len()
        && !reuse.replaced.iter().chain(rebuilt).any(reads);
    if !untouched {
        return None;
    }
    reuse
        .cache
        .model_findings
        .get(rule)?
        .iter()
        .map(|diagnostic| moved(diagnostic, reuse.edit))
        .collect()
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

/// What `checks` (`(index in rules::ALL, check, what it is called on)`) find in one instruction.
fn run_instruction_checks(
    context: &RuleContext<'_>,
    checks: &[(usize, InstructionCheck, Kinds)],
    index: usize,
    instruction: &Instruction,
) -> Vec<(usize, Diagnostic)> {
    let mut findings = Vec::new();
    let mut found = Vec::new();
    for &(rule, check, on) in checks {
        let Some(selected) = on.select(instruction) else {
            continue;
        };
        check(context, index, selected, &mut found);
        findings.extend(found.drain(..).map(|diagnostic| (rule, diagnostic)));
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
    cache
        .findings
        .get(edit.old_instruction(index)?)?
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::syntax::{Span, parse, reparse};

    /// The `.dockerignore` the tests lint with, so that CopyIgnoredFile has something to find.
    const DOCKERIGNORE: &str = "node_modules\n*.env\n.git\n";

    fn context() -> LintContext<'static> {
        static CONFIG: std::sync::LazyLock<Config> = std::sync::LazyLock::new(Config::default);
        LintContext {
            config: &CONFIG,
            dockerignore: Some(DOCKERIGNORE),
        }
    }

    fn lint(text: &str, previous: Option<Reuse<'_>>) -> (Vec<Diagnostic>, LintCache) {
        let parse = parse(text);
        let model = Model::build(&parse.tree);
        diagnostics_incremental(&parse, &model, &context(), previous)
    }

    fn inserted_text() -> impl Strategy<Value = String> {
        "([a-zA-Z \\n\\\\$=\"#-]|<<EOF|RUN |FROM |COPY |AS |sudo |apt-get install |cd |\\| |--mount=type=cache ){0,8}"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// A lint that reuses the previous version's findings across a random edit of a real
        /// Dockerfile, after the reparse and model carry-over the server does, reports exactly
        /// what a fresh lint of the new text does.
        #[test]
        fn incremental_lint_equals_a_fresh_one(
            file in proptest::sample::select(crate::test_corpus::real_files()),
            start in any::<proptest::sample::Index>(),
            length in 0usize..60,
            inserted in inserted_text(),
        ) {
            let old_text = crate::test_corpus::read(&file);
            let (start, end) = crate::test_corpus::edit_range(&old_text, &start, length);
            let mut new_text = old_text.clone();
            new_text.replace_range(start..end, &inserted);
            let old = parse(&old_text);
            let old_model = Model::build(&old.tree);
            let (_, cache) = diagnostics_incremental(&old, &old_model, &context(), None);
            let (new, change) = reparse(old, new_text.clone());
            let carried = old_model.after_change(&new.tree, &change);
            let reuse = Reuse {
                cache: &cache,
                edit: &change.edit,
                replaced: &change.replaced,
                model_carried_over: carried.is_some(),
            };
            let model = carried.unwrap_or_else(|| Model::build(&new.tree));
            let (incremental, _) = diagnostics_incremental(&new, &model, &context(), Some(reuse));
            let (fresh, _) = lint(&new_text, None);
            prop_assert_eq!(incremental, fresh);
        }
    }

    /// The contract of instruction rules that makes their findings reusable: every span they
    /// report lies inside the instruction they report on.
    #[test]
    fn instruction_findings_stay_inside_their_instruction() {
        for path in crate::test_corpus::real_files() {
            let text = crate::test_corpus::read(&path);
            let tree = parse(&text).tree;
            let (_, cache) = lint(&text, None);
            for (instruction, findings) in tree.instructions.iter().zip(&cache.findings) {
                for (_, diagnostic) in findings {
                    let spans = std::iter::once(diagnostic.span)
                        .chain(diagnostic.related.iter().map(|related| related.span))
                        .chain(
                            diagnostic
                                .fixes
                                .iter()
                                .flat_map(|fix| fix.change.edits.iter().map(|edit| edit.span)),
                        );
                    for span in spans {
                        assert!(
                            instruction.span.contains_span(span),
                            "{}: {} reports {span:?} outside {:?}",
                            path.display(),
                            diagnostic.code,
                            instruction.span
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn findings_after_an_edit_move_with_it() {
        let old = "FROM alpine:3.20\nRUN sudo make\nRUN cd /x\n";
        let new = "FROM alpine:3.20\nRUN sudo make install\nRUN cd /x\n";
        let (_, cache) = lint(old, None);
        let edit = TreeEdit {
            old_instructions: 1..2,
            new_instructions: 1..2,
            old_bytes: 17..30,
            new_bytes: 17..38,
        };
        let replaced = parse(old)
            .tree
            .instructions
            .get(1..2)
            .unwrap_or_default()
            .to_vec();
        let reuse = Reuse {
            cache: &cache,
            edit: &edit,
            replaced: &replaced,
            model_carried_over: false,
        };
        let (incremental, next) = lint(new, Some(reuse));
        assert_eq!(incremental, lint(new, None).0);
        let moved = next
            .findings
            .get(2)
            .map(|found| found.iter().map(|(_, d)| d.span).collect::<Vec<_>>());
        assert_eq!(moved, Some(vec![Span::new(43, 48)]));
    }

    /// The findings of each model rule after `old` became `new`, when they were kept, and
    /// whether the model was carried over.
    fn kept_model_findings(old: &str, new: &str) -> (Vec<(&'static str, Vec<Span>)>, bool) {
        let old = parse(old);
        let old_model = Model::build(&old.tree);
        let (_, cache) = diagnostics_incremental(&old, &old_model, &context(), None);
        let (new_parse, change) = reparse(old, new.to_string());
        let carried = old_model.after_change(&new_parse.tree, &change).is_some();
        let reuse = Reuse {
            cache: &cache,
            edit: &change.edit,
            replaced: &change.replaced,
            model_carried_over: carried,
        };
        let kept = rules::ALL
            .iter()
            .enumerate()
            .filter_map(|(index, rule)| {
                let Check::Model { reads, .. } = rule.check else {
                    return None;
                };
                let found = model_rule_carried_over(reuse, index, reads, &new_parse.tree)?;
                Some((rule.meta.name, found.iter().map(|d| d.span).collect()))
            })
            .collect();
        (kept, carried)
    }

    #[test]
    fn model_rules_keep_their_findings_unless_the_edit_touches_what_they_read() {
        let old = "FROM alpine AS x\nWORKDIR /a\nFROM alpine AS x\nCOPY --from=x / /\n";
        let (kept, carried) = kept_model_findings(
            old,
            "FROM alpine AS x\nWORKDIR /abc\nFROM alpine AS x\nCOPY --from=x / /\n",
        );
        assert!(carried);
        let of = |name: &str| kept.iter().find(|(rule, _)| *rule == name).cloned();
        assert_eq!(
            of("DuplicateStageName"),
            Some(("DuplicateStageName", vec![Span::new(45, 46)]))
        );
        assert_eq!(
            of("CopyWholeStageFilesystem"),
            Some(("CopyWholeStageFilesystem", vec![Span::new(61, 62)]))
        );
        assert_eq!(of("WorkdirRelativePath").map(|(_, spans)| spans), None);

        let (kept, carried) = kept_model_findings(
            old,
            "FROM alpine AS x\nWORKDIR /a\nFROM alpine AS x\nCOPY --from=x / /z\n",
        );
        assert!(carried);
        let names: Vec<&str> = kept.iter().map(|(name, _)| *name).collect();
        assert!(names.contains(&"DuplicateStageName"));
        assert!(!names.contains(&"CopyWholeStageFilesystem"));

        let (kept, carried) = kept_model_findings(
            old,
            "FROM alpine AS x\nWORKDIR /a\nFROM alpine AS y\nCOPY --from=x / /\n",
        );
        assert!(!carried && kept.is_empty());
    }

    #[test]
    fn an_env_value_edit_keeps_the_model_but_reruns_the_rules_that_read_values() {
        let old = "FROM node:20 AS build\nRUN npm ci\nFROM node:20\nENV NODE_ENV=production\nRUN npm ci\n";
        let new = "FROM node:20 AS build\nRUN npm ci\nFROM node:20\nENV NODE_ENV=development\nRUN npm ci\n";
        let (kept, carried) = kept_model_findings(old, new);
        assert!(carried);
        let names: Vec<&str> = kept.iter().map(|(name, _)| *name).collect();
        assert!(names.contains(&"UnusedStage"));
        assert!(!names.contains(&"DevDependenciesInFinalStage"));
        let fresh = lint(new, None).0;
        assert!(
            fresh
                .iter()
                .any(|d| d.code == "DevDependenciesInFinalStage")
        );
    }
}

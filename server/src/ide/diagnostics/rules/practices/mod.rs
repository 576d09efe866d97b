//! Curated best practices (hadolint-inspired, our names; each rule's doc names its hadolint code).

mod add_instead_of_copy;
mod apk_add_without_no_cache;
mod apt_get_install_recommends;
mod apt_get_install_without_yes;
mod apt_instead_of_apt_get;
mod apt_lists_not_removed;
mod cd_in_run;
mod copy_sources_to_file;
mod invalid_expose_port;
mod pip_install_with_cache;
mod pipe_without_pipefail;
mod sudo_in_run;
mod unpinned_base_image;

use crate::ide::diagnostics::{Diagnostic, Fix, RuleContext, RuleDef};
use crate::ide::shell::{Command, DependencyInstall, PackageManager, dependency_install};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Instruction, InstructionKind};

use super::multistage::facts;

pub(super) static RULES: &[RuleDef] = &[
    unpinned_base_image::RULE,
    apt_get_install_without_yes::RULE,
    apt_get_install_recommends::RULE,
    apt_lists_not_removed::RULE,
    apt_instead_of_apt_get::RULE,
    cd_in_run::RULE,
    sudo_in_run::RULE,
    add_instead_of_copy::RULE,
    pipe_without_pipefail::RULE,
    pip_install_with_cache::RULE,
    apk_add_without_no_cache::RULE,
    invalid_expose_port::RULE,
    copy_sources_to_file::RULE,
];

/// The commands instruction `index` runs when it is a RUN (ONBUILD triggers excluded: they run
/// in another build).
fn run_commands<'c>(
    context: &'c RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
) -> &'c [Command] {
    if instruction.kind == InstructionKind::Run {
        context.run_commands(index)
    } else {
        &[]
    }
}

/// The installs by `manager` among `commands`, except those `exempt` accepts (they already
/// carry the option a rule asks for, or an equivalent).
fn installs_lacking<'c>(
    commands: &'c [Command],
    manager: PackageManager,
    exempt: impl Fn(&Command) -> bool,
) -> Vec<DependencyInstall<'c>> {
    commands
        .iter()
        .filter_map(|command| {
            let install = dependency_install(command)?;
            (install.manager == manager && !exempt(command)).then_some(install)
        })
        .collect()
}

/// `rule`'s finding on `install`, with the fix that writes ` option` right after its
/// subcommand.
fn missing_option(
    rule: &RuleDef,
    install: &DependencyInstall<'_>,
    option: &str,
    message: &str,
) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        rule.meta.name,
        rule.meta.default_severity,
        install.words_span,
        message,
    );
    diagnostic.fixes.push(Fix {
        title: format!("Add `{option}`"),
        change: SourceChange::from_edits(vec![TextEdit::insert(
            install.words_span.end,
            format!(" {option}"),
        )]),
        preferred: true,
    });
    diagnostic
}

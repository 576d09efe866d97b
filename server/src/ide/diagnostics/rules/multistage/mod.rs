//! Multi-stage rules of our own: stage references, final-stage hygiene, layer caching.

mod build_tools_in_final_stage;
mod cache_busting_copy_before_install;
mod copy_everything_into_final_stage;
mod copy_whole_stage_filesystem;
mod dev_dependencies_in_final_stage;
pub(super) mod facts;
mod final_stage_runs_as_root;
#[cfg(test)]
mod group_tests;
mod missing_dockerignore;
mod npm_install_instead_of_ci;
mod required_labels;
mod stage_referenced_by_index;
#[cfg(test)]
pub(super) mod test_support;
mod unknown_stage;
mod unused_stage;

use crate::ide::diagnostics::RuleDef;

pub(super) static RULES: &[RuleDef] = &[
    unknown_stage::RULE,
    unused_stage::RULE,
    stage_referenced_by_index::RULE,
    final_stage_runs_as_root::RULE,
    dev_dependencies_in_final_stage::RULE,
    build_tools_in_final_stage::RULE,
    copy_everything_into_final_stage::RULE,
    copy_whole_stage_filesystem::RULE,
    missing_dockerignore::RULE,
    npm_install_instead_of_ci::RULE,
    cache_busting_copy_before_install::RULE,
    required_labels::RULE,
];

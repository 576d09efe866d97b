//! Facts about stages that the multi-stage and practice rules share: which instructions a stage
//! holds, which stages end up in the final image, the commands its RUN lines run, the ENV and
//! SHELL in force, and how to write a new instruction in the file's keyword casing.

use crate::ide::diagnostics::RuleContext;
use crate::ide::shell::Command;
use crate::model::{Model, Stage};
use crate::syntax::{Args, Instruction, InstructionKind, SyntaxTree, Word};

/// The stage's instructions after its FROM, with their indexes.
pub(in crate::ide::diagnostics::rules) fn body<'t>(
    tree: &'t SyntaxTree,
    stage: &Stage,
) -> impl Iterator<Item = (usize, &'t Instruction)> + 't {
    let range = stage.from_instruction + 1..stage.instructions.end;
    tree.instructions
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
}

/// The stage and the stages it is built `FROM`, nearest first.
pub(in crate::ide::diagnostics::rules) fn lineage<'m>(
    model: &'m Model,
    stage: &'m Stage,
) -> Vec<&'m Stage> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(parent) = current
        .parent_stage(model)
        .and_then(|index| model.stages.get(index))
    {
        if chain.iter().any(|seen| seen.index == parent.index) {
            break;
        }
        chain.push(parent);
        current = parent;
    }
    chain
}

/// Stages whose layers are part of the final image: the last stage and the stages it is built
/// `FROM`. Files left in other stages never reach the image.
pub(in crate::ide::diagnostics::rules) fn in_final_image(model: &Model, stage: &Stage) -> bool {
    model
        .final_stage()
        .is_some_and(|last| lineage(model, last).iter().any(|s| s.index == stage.index))
}

/// The stage whose body (the instructions after its FROM) holds instruction `index`.
pub(in crate::ide::diagnostics::rules) fn body_stage(
    model: &Model,
    index: usize,
) -> Option<&Stage> {
    let stage = model.stages.get(model.stage_of_instruction(index)?)?;
    (index > stage.from_instruction).then_some(stage)
}

/// Instruction `index` belongs to a stage's body, not to the global ARGs before the first FROM.
pub(in crate::ide::diagnostics::rules) fn in_stage_body(
    context: &RuleContext<'_>,
    index: usize,
) -> bool {
    body_stage(context.model, index).is_some()
}

/// Instruction `index` belongs to the body of a stage whose layers are part of the final image.
pub(in crate::ide::diagnostics::rules) fn in_final_image_body(
    context: &RuleContext<'_>,
    index: usize,
) -> bool {
    body_stage(context.model, index).is_some_and(|stage| in_final_image(context.model, stage))
}

/// The RUN instructions of a stage (ONBUILD triggers excluded: they run in another build) with
/// the commands each runs.
pub(in crate::ide::diagnostics::rules) fn runs<'c>(
    context: &'c RuleContext<'_>,
    stage: &Stage,
) -> impl Iterator<Item = (usize, &'c Instruction, &'c [Command])> + 'c {
    body(context.tree, stage)
        .filter(|(_, instruction)| instruction.kind == InstructionKind::Run)
        .map(|(index, instruction)| (index, instruction, context.run_commands(index)))
}

/// The value of `ENV name=…` in force at the end of the stage, looking through the stages it is
/// built `FROM`.
pub(in crate::ide::diagnostics::rules) fn env_value(
    tree: &SyntaxTree,
    model: &Model,
    stage: &Stage,
    name: &str,
) -> Option<String> {
    lineage(model, stage).into_iter().find_map(|stage| {
        body(tree, stage)
            .filter(|(_, instruction)| instruction.kind == InstructionKind::Env)
            .filter_map(|(_, instruction)| match &instruction.args {
                Args::Pairs(pairs) => pairs
                    .iter()
                    .rev()
                    .find(|pair| pair.key.text == name)
                    .map(|pair| pair.unquoted_value(tree.escape).unwrap_or_default()),
                _ => None,
            })
            .last()
    })
}

/// The exec items of the SHELL in force before instruction `before` of `stage`, looking through
/// the stages it is built `FROM`.
pub(in crate::ide::diagnostics::rules) fn shell_in_force(
    tree: &SyntaxTree,
    model: &Model,
    stage: &Stage,
    before: usize,
) -> Option<Vec<String>> {
    lineage(model, stage).into_iter().find_map(|stage| {
        body(tree, stage)
            .filter(|(index, instruction)| {
                *index < before && instruction.kind == InstructionKind::Shell
            })
            .filter_map(|(_, instruction)| instruction.exec_items())
            .last()
            .map(|items| items.iter().map(|item| item.text.clone()).collect())
    })
}

/// `--mount=type=cache,…target=…` targets of a RUN instruction.
pub(in crate::ide::diagnostics::rules) fn cache_mount_targets(
    instruction: &Instruction,
) -> Vec<String> {
    instruction
        .flags_named("mount")
        .filter_map(|flag| flag.value.as_ref())
        .filter(|value| {
            value
                .text
                .split(',')
                .any(|part| part.trim().eq_ignore_ascii_case("type=cache"))
        })
        .flat_map(|value| {
            value
                .text
                .split(',')
                .filter_map(|part| {
                    let (key, target) = part.split_once('=')?;
                    matches!(key.trim(), "target" | "dst" | "destination")
                        .then(|| target.trim().to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// True when a command of `commands` removes a path starting with `prefix` (`rm -rf /var/lib/apt/lists/*`).
pub(in crate::ide::diagnostics::rules) fn removes_path(commands: &[Command], prefix: &str) -> bool {
    commands.iter().any(|command| {
        command.program() == Some("rm")
            && command
                .args()
                .iter()
                .any(|word| word.text.starts_with(prefix))
    })
}

/// `keyword` in the casing of `like`'s keyword (`copy` in a lower-case file).
pub(in crate::ide::diagnostics::rules) fn keyword_like(
    like: &Instruction,
    keyword: &str,
) -> String {
    let written = like.keyword_text.as_str();
    if !written.is_empty() && written.chars().all(|c| !c.is_ascii_uppercase()) {
        keyword.to_ascii_lowercase()
    } else {
        keyword.to_ascii_uppercase()
    }
}

/// The sources of a COPY/ADD (its last word is the destination), heredocs excluded.
pub(in crate::ide::diagnostics::rules) fn copy_sources(instruction: &Instruction) -> &[Word] {
    let words = match &instruction.args {
        Args::Words(words) => words.as_slice(),
        Args::Exec(exec) => exec.items.as_slice(),
        _ => &[],
    };
    words.split_last().map_or(&[], |(_, sources)| sources)
}

/// The destination of a COPY/ADD.
pub(in crate::ide::diagnostics::rules) fn copy_destination(
    instruction: &Instruction,
) -> Option<&Word> {
    match &instruction.args {
        Args::Words(words) => words.last(),
        Args::Exec(exec) => exec.items.last(),
        _ => None,
    }
}

/// `reads` of a model rule that looks into COPY and ADD instructions.
pub(in crate::ide::diagnostics::rules) fn copies(instruction: &Instruction) -> bool {
    matches!(
        instruction.kind,
        InstructionKind::Copy | InstructionKind::Add
    )
}

/// `reads` of a model rule that looks into COPY, ADD and RUN instructions.
pub(in crate::ide::diagnostics::rules) fn copies_and_runs(instruction: &Instruction) -> bool {
    copies(instruction) || instruction.kind == InstructionKind::Run
}

/// `reads` of a model rule that looks into COPY, ADD and RUN instructions and at ENV values (the
/// model takes a changed ENV value over, so a rule that reads values must select ENVs).
pub(in crate::ide::diagnostics::rules) fn copies_runs_and_envs(instruction: &Instruction) -> bool {
    copies_and_runs(instruction) || instruction.kind == InstructionKind::Env
}

/// The sources of a COPY/ADD from the build context that name its root (`COPY . .`).
pub(in crate::ide::diagnostics::rules) fn context_root_sources(
    instruction: &Instruction,
) -> Vec<&Word> {
    if !copies(instruction) || instruction.flag("from").is_some() {
        return Vec::new();
    }
    copy_sources(instruction)
        .iter()
        .filter(|word| matches!(word.text.as_str(), "." | "./" | "*" | "./*" | "./."))
        .collect()
}

/// Words in a stage name that mark a development, test or CI image rather than the one that
/// ships (`dev`, `unit-test`, `lint`, `dev-envs`).
const DEV_WORDS: [&str; 16] = [
    "test",
    "tests",
    "testing",
    "unittest",
    "e2e",
    "integration",
    "smoketest",
    "dev",
    "develop",
    "development",
    "devcontainer",
    "debug",
    "lint",
    "linter",
    "ci",
    "devel",
];

pub(in crate::ide::diagnostics::rules) fn is_dev_stage(stage: &Stage) -> bool {
    stage.name.as_ref().is_some_and(|name| {
        name.key
            .split(['-', '_', '.'])
            .any(|word| DEV_WORDS.contains(&word))
    })
}

/// The stage (or a stage it is built `FROM`) sets CMD or ENTRYPOINT: it runs an application
/// rather than serving as a base or tool image.
pub(in crate::ide::diagnostics::rules) fn runs_a_command(
    tree: &SyntaxTree,
    model: &Model,
    stage: &Stage,
) -> bool {
    lineage(model, stage).into_iter().any(|stage| {
        body(tree, stage).any(|(_, instruction)| {
            matches!(
                instruction.kind,
                InstructionKind::Cmd | InstructionKind::Entrypoint
            )
        })
    })
}

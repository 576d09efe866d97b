//! The knowledge tables against 283 real Dockerfiles that BuildKit builds: every flag they use
//! must be known and accepted, every mount must pass BuildKit's checks, every image reference
//! must split and print back unchanged.

use std::collections::BTreeMap;

use expect_test::expect;

use super::*;
use crate::syntax::{Instruction, InstructionKind, parse};

fn real_files() -> Vec<(String, String)> {
    crate::test_corpus::real_files()
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
            (name, crate::test_corpus::read(path))
        })
        .collect()
}

/// A buildah test file with stage names like `platform-arm/v7`, which BuildKit rejects.
const BUILDAH_ONLY: [&str; 1] = ["containers__buildah__tests__bud__base-with-arg__Containerfile"];

/// Problems the knowledge module reports on one instruction that BuildKit accepted.
fn instruction_problems(instruction: &Instruction) -> Vec<String> {
    let kind = instruction.kind;
    let mut problems = Vec::new();
    for used in &instruction.flags {
        let Some(info) = flag(kind, &used.name) else {
            problems.push(format!("unknown flag {} --{}", kind.name(), used.name));
            continue;
        };
        let value = used.value.as_ref().map(|value| value.text.as_str());
        if value.is_some_and(|value| value.contains('$')) {
            continue;
        }
        if let Some(message) = info.check_value(value) {
            problems.push(message);
        }
        if kind == InstructionKind::Run && used.name == "mount" {
            problems.extend(
                check_mount(value.unwrap_or_default())
                    .into_iter()
                    .filter(|problem| problem.kind == MountProblemKind::BuildKitError)
                    .map(|problem| problem.message),
            );
        }
    }
    problems
}

#[test]
fn real_dockerfiles_pass_the_knowledge_checks() {
    let mut problems = Vec::new();
    let mut families: BTreeMap<String, usize> = BTreeMap::new();
    let mut flags_used: BTreeMap<String, usize> = BTreeMap::new();
    for (name, text) in real_files() {
        let parse = parse(&text);
        let mut stage_names: Vec<String> = Vec::new();
        for instruction in &parse.tree.instructions {
            let instruction = instruction.effective();
            for used in &instruction.flags {
                *flags_used
                    .entry(format!("{} --{}", instruction.kind.name(), used.name))
                    .or_default() += 1;
            }
            problems.extend(
                instruction_problems(instruction)
                    .into_iter()
                    .map(|problem| format!("{name}: {problem}")),
            );
            if instruction.kind != InstructionKind::From {
                continue;
            }
            let words = instruction.words();
            if let Some(stage) = words.get(2) {
                if !is_valid_stage_name(&stage.text) && !BUILDAH_ONLY.contains(&name.as_str()) {
                    problems.push(format!("{name}: invalid stage name {}", stage.text));
                }
                stage_names.push(stage.text.to_lowercase());
            }
            let Some(base) = words.first() else {
                continue;
            };
            if stage_names.contains(&base.text) {
                continue;
            }
            let image = parse_image_ref(&base.text);
            assert_eq!(image.to_string(), base.text, "{name}");
            *families
                .entry(format!("{:?}", image_family(&image)))
                .or_default() += 1;
        }
    }
    assert_eq!(problems, Vec::<String>::new());
    expect![[r#"
        {
            "Alpine": 145,
            "Busybox": 13,
            "Debian": 117,
            "Distroless": 16,
            "RedHat": 7,
            "Scratch": 114,
            "Ubuntu": 37,
            "Unknown": 174,
            "Windows": 37,
        }
    "#]]
    .assert_debug_eq(&families);
    expect![[r#"
        {
            "ADD --checksum": 4,
            "ADD --chmod": 3,
            "ADD --keep-git-dir": 9,
            "COPY --chmod": 34,
            "COPY --chown": 34,
            "COPY --from": 580,
            "COPY --link": 188,
            "COPY --parents": 3,
            "FROM --platform": 99,
            "HEALTHCHECK --interval": 9,
            "HEALTHCHECK --retries": 4,
            "HEALTHCHECK --start-interval": 1,
            "HEALTHCHECK --start-period": 3,
            "HEALTHCHECK --timeout": 8,
            "RUN --mount": 377,
        }
    "#]]
    .assert_debug_eq(&flags_used);
}

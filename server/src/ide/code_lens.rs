//! Code lens on each FROM: who uses the stage and how ("used by runner (COPY --from), tests
//! (FROM)" or "unused"), and a "build this stage" command carrying `docker build --target`.

use crate::model::{Model, StageRefKind};
use crate::syntax::Span;

/// A command the client runs or shows; stagesmith never executes anything itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LensCommand {
    pub id: &'static str,
    /// The shell command to run or copy.
    pub argument: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLens {
    pub span: Span,
    pub title: String,
    pub command: Option<LensCommand>,
}

/// The command id the "build this stage" lens carries.
pub const BUILD_STAGE_COMMAND: &str = "stagesmith.buildStage";

pub fn code_lenses(model: &Model) -> Vec<CodeLens> {
    let last = model.stages.len().saturating_sub(1);
    let mut lenses = Vec::new();
    for stage in &model.stages {
        let span = stage.span;
        let mut users: Vec<(String, &'static str)> = Vec::new();
        for edge in model.graph.dependents(stage.index) {
            let user = model
                .stages
                .get(edge.from)
                .map_or_else(String::new, |s| s.display_name());
            let how = match edge.kind {
                StageRefKind::From => "FROM",
                StageRefKind::CopyFrom | StageRefKind::OnbuildCopyFrom => "COPY --from",
                StageRefKind::MountFrom | StageRefKind::OnbuildMountFrom => "mount",
            };
            if !users.contains(&(user.clone(), how)) {
                users.push((user, how));
            }
        }
        let title = if !users.is_empty() {
            let list: Vec<String> = users
                .iter()
                .map(|(user, how)| format!("{user} ({how})"))
                .collect();
            format!("used by {}", list.join(", "))
        } else if stage.index == last {
            "final stage".to_string()
        } else {
            "unused".to_string()
        };
        lenses.push(CodeLens {
            span,
            title,
            command: None,
        });
        let target = stage
            .name
            .as_ref()
            .map_or_else(|| stage.index.to_string(), |n| n.key.clone());
        if stage.name.is_some() {
            lenses.push(CodeLens {
                span,
                title: format!("build this stage (docker build --target {target} .)"),
                command: Some(LensCommand {
                    id: BUILD_STAGE_COMMAND,
                    argument: format!("docker build --target {target} ."),
                }),
            });
        }
    }
    lenses
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::syntax::parse;

    #[test]
    fn lenses_describe_users() {
        let text = "FROM golang AS build\nFROM build AS tests\nFROM alpine AS unused\nFROM alpine\nCOPY --from=build /out /out\nRUN --mount=from=build,target=/b true\n";
        let model = Model::build(&parse(text).tree);
        let rendered: String = code_lenses(&model)
            .iter()
            .map(|lens| {
                format!(
                    "{:?} {} {:?}\n",
                    lens.span,
                    lens.title,
                    lens.command.as_ref().map(|c| &c.argument)
                )
            })
            .collect();
        expect![[r#"
            0..20 used by tests (FROM), stage-3 (COPY --from), stage-3 (mount) None
            0..20 build this stage (docker build --target build .) Some("docker build --target build .")
            21..40 unused None
            21..40 build this stage (docker build --target tests .) Some("docker build --target tests .")
            41..62 unused None
            41..62 build this stage (docker build --target unused .) Some("docker build --target unused .")
            63..140 final stage None
        "#]]
        .assert_eq(&rendered);
    }
}

//! Use stage name instead of index: `COPY --from=0` breaks silently when stages are added or
//! reordered; the stage's name does not.
//!
//! ```text
//! FROM golang:1.22 AS build           FROM golang:1.22 AS build
//! FROM alpine                   →     FROM alpine
//! COPY --from=0 /out /out             COPY --from=build /out /out
//! ```

use super::{Assist, AssistContext, AssistKind};
use crate::ide::{SourceChange, TextEdit};
use crate::model::{Resolution, StageRefKind};

pub(super) fn use_stage_name(ctx: &AssistContext<'_>, acc: &mut Vec<Assist>) -> Option<()> {
    let reference = ctx.model.stage_ref_at(ctx.offset())?;
    if !matches!(
        reference.kind,
        StageRefKind::CopyFrom | StageRefKind::MountFrom
    ) || reference.text.is_empty()
        || !reference.text.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let Resolution::Stage(target) = reference.resolution else {
        return None;
    };
    let name = ctx.model.stages.get(target)?.name.as_ref()?;
    acc.push(Assist {
        id: "use_stage_name",
        label: format!(
            "Use stage name `{}` instead of index {}",
            name.text, reference.text
        ),
        kind: AssistKind::RefactorRewrite,
        change: SourceChange::from_edits(vec![TextEdit::replace(reference.span, &name.text)]),
    });
    Some(())
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::use_stage_name;
    use crate::ide::assists::test_support::{check, check_not_applicable};

    #[test]
    fn index_becomes_name() {
        check(
            use_stage_name,
            "FROM golang:1.22 AS build\nFROM alpine\nCOPY --from=0$0 /out /out\n",
            expect![[r#"
                Use stage name `build` instead of index 0 (refactor.rewrite)
                FROM golang:1.22 AS build
                FROM alpine
                COPY --from=build /out /out
            "#]],
        );
    }

    #[test]
    fn not_applicable() {
        check_not_applicable(use_stage_name, "FROM a\nFROM b\nCOPY --from=0$0 /x /x\n");
        check_not_applicable(
            use_stage_name,
            "FROM a AS x\nFROM b\nCOPY --from=x$0 /x /x\n",
        );
        check_not_applicable(use_stage_name, "FROM a AS x\nCOPY --from=1$0 /x /x\n");
    }
}

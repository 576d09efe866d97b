use expect_test::{Expect, expect};

use super::{Model, Resolution, VarResolution};
use crate::syntax::parse;

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Every stage reference as `line kind text -> resolution`.
fn check_refs(text: &str, expect: Expect) {
    let tree = parse(text).tree;
    let model = Model::build(&tree);
    let mut out = String::new();
    for reference in &model.stage_refs {
        let target = match &reference.resolution {
            Resolution::Stage(i) => format!("stage {}", model.stages[*i].display_name()),
            other => format!("{other:?}"),
        };
        out.push_str(&format!(
            "{} {} {:?} -> {target}\n",
            line_of(text, reference.span.start),
            reference.kind.label(),
            reference.text
        ));
    }
    expect.assert_eq(&out);
}

/// The resolution of the variable use at `$0`.
fn check_var(fixture: &str, expect: Expect) {
    let offset = fixture.find("$0").expect("fixture has $0");
    let text = fixture.replacen("$0", "", 1);
    let tree = parse(&text).tree;
    let model = Model::build(&tree);
    let actual = match model.var_use_at(offset).map(|u| &u.resolution) {
        None => "no variable here".to_string(),
        Some(VarResolution::Undefined) => "undefined".to_string(),
        Some(VarResolution::Predefined(arg)) => format!("predefined {}", arg.name),
        Some(VarResolution::Defined(index)) => {
            let def = &model.var_defs[*index];
            let value = def
                .effective_value(&model)
                .map(|v| format!(" = {:?}", v.unquoted))
                .unwrap_or_default();
            format!(
                "{:?} {} on line {}{value}",
                def.kind,
                def.name,
                line_of(&text, def.name_span.start)
            )
        }
    };
    expect.assert_eq(&actual);
}

#[test]
fn stages_names_and_bases() {
    let text = "ARG V=1\nFROM node:20 AS Build\nRUN x\nFROM build\nFROM scratch\n";
    let model = Model::build(&parse(text).tree);
    let names: Vec<_> = model
        .stages
        .iter()
        .map(|s| {
            (
                s.display_name(),
                s.name.as_ref().map(|n| n.key.clone()),
                s.instructions.clone(),
            )
        })
        .collect();
    expect![[
        r#"[("Build", Some("build"), 1..3), ("stage-1", None, 3..4), ("stage-2", None, 4..5)]"#
    ]]
    .assert_eq(&format!("{names:?}"));
    assert_eq!(model.global_args, vec![0]);
    assert_eq!(model.stages[1].parent_stage(&model), Some(0));
    assert_eq!(model.stage_of_instruction(2), Some(0));
    assert_eq!(model.stage_of_instruction(0), None);
}

#[test]
fn buildkit_resolution_rules() {
    check_refs(
        r#"FROM golang AS Builder
FROM builder AS test
FROM Builder AS wrong-case
COPY --from=BUILDER /a /a
COPY --from=0 /a /a
COPY --from=2 /a /a
COPY --from=7 /a /a
COPY --from=later /a /a
COPY --from=nginx:alpine /a /a
COPY --from=$STAGE /a /a
COPY --from= /a /a
RUN --mount=type=cache,from=builder,target=/x --mount=from=0,target=/y true
ONBUILD COPY --from=downstream /a /a
FROM later AS later
FROM wrong-case
"#,
        expect![[r#"
            1 FROM "golang" -> Image
            2 FROM "builder" -> stage Builder
            3 FROM "Builder" -> CaseMismatch(0)
            4 COPY --from "BUILDER" -> stage Builder
            5 COPY --from "0" -> stage Builder
            6 COPY --from "2" -> SelfReference
            7 COPY --from "7" -> InvalidIndex(7)
            8 COPY --from "later" -> Forward(3)
            9 COPY --from "nginx:alpine" -> Image
            10 COPY --from "$STAGE" -> Variable
            11 COPY --from "" -> Empty
            12 RUN --mount from "builder" -> stage Builder
            12 RUN --mount from "0" -> Image
            13 ONBUILD COPY --from "downstream" -> Deferred
            14 FROM "later" -> SelfReference
            15 FROM "wrong-case" -> stage wrong-case
        "#]],
    );
}

#[test]
fn forward_reference_that_closes_a_loop_is_a_cycle() {
    check_refs(
        "FROM alpine AS a\nCOPY --from=b /x /x\nFROM a AS b\n",
        expect![[r#"
            1 FROM "alpine" -> Image
            2 COPY --from "b" -> Cycle(1)
            3 FROM "a" -> stage a
        "#]],
    );
}

#[test]
fn from_expands_global_args() {
    check_refs(
        "ARG BASE=builder\nFROM alpine AS builder\nFROM ${BASE}\nFROM ${NOPE:-builder}\n",
        expect![[r#"
            2 FROM "alpine" -> Image
            3 FROM "${BASE}" -> stage builder
            4 FROM "${NOPE:-builder}" -> stage builder
        "#]],
    );
}

#[test]
fn global_args_only_in_from_lines() {
    check_var(
        "ARG V=1\nFROM alpine:$0$V\n",
        expect![[r#"GlobalArg V on line 1 = "1""#]],
    );
    check_var(
        "ARG V=1\nFROM alpine\nRUN echo $0$V\n",
        expect!["undefined"],
    );
    check_var(
        "ARG V=1\nFROM alpine\nARG V\nRUN echo $0$V\n",
        expect![[r#"Arg V on line 3 = "1""#]],
    );
}

#[test]
fn platform_args_are_global_unless_redeclared() {
    check_var(
        "FROM --platform=$0$BUILDPLATFORM golang\n",
        expect!["predefined BUILDPLATFORM"],
    );
    check_var(
        "FROM golang\nRUN echo $0$TARGETARCH\n",
        expect!["undefined"],
    );
    check_var(
        "FROM golang\nARG TARGETARCH\nRUN echo $0$TARGETARCH\n",
        expect!["Arg TARGETARCH on line 2"],
    );
    check_var(
        "FROM golang\nRUN curl $0$HTTP_PROXY\n",
        expect!["predefined HTTP_PROXY"],
    );
}

#[test]
fn stage_scope_and_inheritance() {
    check_var(
        "FROM alpine AS base\nENV HOME=/root\nFROM base\nWORKDIR $0$HOME\n",
        expect![[r#"Env HOME on line 2 = "/root""#]],
    );
    check_var(
        "FROM alpine AS base\nENV HOME=/root\nFROM alpine\nWORKDIR $0$HOME\n",
        expect!["undefined"],
    );
    check_var("FROM alpine\nENV A=1 B=$0$A\n", expect!["undefined"]);
    check_var(
        "FROM alpine\nENV A=1\nENV A=2\nRUN echo $0$A\n",
        expect![[r#"Env A on line 3 = "2""#]],
    );
}

#[test]
fn runtime_shell_sees_env_only() {
    check_var(
        "FROM alpine\nARG PORT=8080\nCMD serve --port $0$PORT\n",
        expect!["undefined"],
    );
    check_var(
        "FROM alpine\nENV PORT=8080\nCMD serve --port $0$PORT\n",
        expect![[r#"Env PORT on line 2 = "8080""#]],
    );
}

#[test]
fn reachability_from_final_stage() {
    let text = "FROM a AS deps\nFROM a AS unused\nFROM a AS build\nCOPY --from=deps / /\nFROM b\nCOPY --from=build /o /o\n";
    let model = Model::build(&parse(text).tree);
    assert_eq!(model.graph.reachable, vec![true, false, true, true]);
    let users: Vec<_> = model.graph.dependents(0).map(|e| e.from).collect();
    assert_eq!(users, vec![2]);
}

#[test]
fn from_with_unknown_variables_may_name_several_stages() {
    let text = "ARG VARIANT\nFROM a AS build-linux\nFROM a AS build-darwin\nFROM a AS other\nFROM build-$TARGETOS${VARIANT}\n";
    let model = Model::build(&parse(text).tree);
    let last = model.stage_refs.last().expect("a FROM reference");
    assert_eq!(last.resolution, Resolution::Image);
    assert_eq!(last.possible_stages, vec![0, 1]);
    assert_eq!(model.graph.reachable, vec![true, true, false, true]);
}

//! FinalStageRunsAsRoot: the image's container runs as root.

use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::{SourceChange, TextEdit};
use crate::knowledge::{DefaultUser, ImageFamily, default_user, image_family, parse_image_ref};
use crate::model::{Resolution, Stage};
use crate::syntax::{Args, InstructionKind, Word};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "FinalStageRunsAsRoot",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "the final stage has no non-root USER, so the container runs as root",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Document(check),
};

const DOC: &str = "\
## What it does
Checks the final stage only (builder stages may run as root) of images that run a command
(CMD or ENTRYPOINT; base and tool images without one are left alone): flags it when its last USER — or,
without one, the last USER of the stages it is built `FROM` — is root, or when there is no USER
at all and the base image runs as root. Images known to run as a non-root user (distroless
`:nonroot`, Chainguard, .NET chiseled…) pass; images built from variables and Windows images are
not checked, nor are images whose entrypoint drops privileges itself (`gosu`, `su-exec`,
`setpriv`…) or whose server does (nginx, Apache httpd), base images whose CMD starts a shell
or REPL (`bash`, `python3`, `node`…), and final stages named as development or test images
(`dev`, `test`…).

## Why is this bad?
A process running as root in a container is root on the container's filesystem and, after a
container escape or with a mounted host path, a much bigger problem for the host. Most
applications need no privileges at run time.

## Example
```dockerfile
FROM node:22-alpine
COPY --from=build /app/dist ./dist
CMD [\"node\", \"dist/server.js\"]
```

## Use instead
```dockerfile
FROM node:22-alpine
COPY --from=build /app/dist ./dist
USER node
CMD [\"node\", \"dist/server.js\"]
```

## References
- https://docs.docker.com/build/building/best-practices/#user
- hadolint DL3002 (which checks the last USER of every stage instead)
";

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    name == "root" || name == "0"
}

/// The last `USER` of the stage, or of the stages it is built `FROM`.
fn last_user<'t>(context: &RuleContext<'t>, stage: &Stage) -> Option<&'t Word> {
    facts::lineage(context.model, stage)
        .into_iter()
        .find_map(|stage| {
            facts::body(context.tree, stage)
                .filter(|(_, instruction)| instruction.kind == InstructionKind::User)
                .filter_map(|(_, instruction)| match &instruction.args {
                    Args::Text(word) => Some(word),
                    _ => None,
                })
                .last()
        })
}

/// Tools an entrypoint uses to start the service as another user once it has set up as root.
const PRIVILEGE_DROPPERS: [&str; 7] = [
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "s6-setuidgid",
    "chpst",
    "s6-overlay",
];

/// The image starts as root on purpose and switches user in its entrypoint (the official
/// postgres, redis, mongo… images).
fn drops_privileges(context: &RuleContext<'_>, stage: &Stage) -> bool {
    facts::lineage(context.model, stage)
        .into_iter()
        .any(|stage| {
            let text = context.tree.slice(stage.span);
            PRIVILEGE_DROPPERS.iter().any(|tool| text.contains(tool))
        })
}

/// Interactive programs a base or tool image starts by default (`CMD ["python3"]`): such an
/// image is built upon, not deployed as is.
const INTERACTIVE_COMMANDS: [&str; 14] = [
    "sh", "bash", "ash", "zsh", "python", "python3", "irb", "node", "jshell", "pwsh", "ghci",
    "julia", "iex", "erl",
];

fn starts_a_shell(context: &RuleContext<'_>, stage: &Stage) -> bool {
    let cmd = facts::lineage(context.model, stage)
        .into_iter()
        .find_map(|stage| {
            facts::body(context.tree, stage)
                .filter(|(_, instruction)| instruction.kind == InstructionKind::Cmd)
                .last()
                .map(|(_, instruction)| instruction)
        });
    let words: Vec<String> = match cmd.map(|cmd| &cmd.args) {
        Some(Args::Exec(exec)) => exec.items.iter().map(|item| item.text.clone()).collect(),
        Some(Args::Text(text)) => text.text.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    };
    // `python3` alone is a REPL; `node server.js` runs an application.
    words.split_first().is_some_and(|(program, options)| {
        INTERACTIVE_COMMANDS.contains(&crate::ide::shell::program_name(program))
            && options.iter().all(|option| option.starts_with('-'))
    })
}

/// Images whose server starts as root to bind its ports and runs its workers as an
/// unprivileged user (nginx, Apache httpd, the php `-apache` images).
fn server_drops_privileges(image: &crate::knowledge::ImageRef) -> bool {
    let name = image.canonical_name();
    let tag = image.tag.as_deref().unwrap_or_default();
    matches!(name.as_str(), "nginx" | "httpd" | "openresty/openresty")
        || (name == "php" && tag.contains("apache"))
}

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    let Some(last) = model.final_stage() else {
        return;
    };
    if facts::is_dev_stage(last)
        || !facts::runs_a_command(context.tree, model, last)
        || drops_privileges(context, last)
        || starts_a_shell(context, last)
    {
        return;
    }
    if let Some(user) = last_user(context, last) {
        if is_root(user.text.trim()) && !user.text.contains('$') {
            out.push(Diagnostic::new(
                RULE.meta.name,
                RULE.meta.default_severity,
                user.span,
                "the final stage switches to root and stays there: end it with a non-root USER",
            ));
        }
        return;
    }
    let Some(root_stage) = facts::lineage(model, last).last().copied() else {
        return;
    };
    let Some(base) = &root_stage.base else {
        return;
    };
    let is_image = model
        .stage_refs
        .get(base.reference)
        .is_some_and(|reference| reference.resolution == Resolution::Image);
    if !is_image || base.text.contains('$') {
        return;
    }
    let image = parse_image_ref(&base.text);
    if image_family(&image) == ImageFamily::Windows || server_drops_privileges(&image) {
        return;
    }
    let ready_user = match default_user(&image) {
        DefaultUser::NonRoot { .. } => return,
        DefaultUser::ReadyUser { name, .. } => Some(name),
        DefaultUser::Root => None,
    };
    let Some(from) = context.tree.instructions.get(last.from_instruction) else {
        return;
    };
    let message = match ready_user {
        Some(name) => format!(
            "the container runs as root: `{}` ships the non-root user `{name}`; add `USER {name}`",
            base.text
        ),
        None => "the container runs as root: create a non-root user and switch to it with USER"
            .to_string(),
    };
    let mut diagnostic = Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        from.keyword,
        message,
    );
    match ready_user {
        Some(name) => diagnostic.fixes.push(Fix {
            title: format!("Add `USER {name}`"),
            change: SourceChange::from_edits(vec![insert_user(context, last, name)]),
            preferred: true,
        }),
        None => diagnostic
            .fixes
            .extend(crate::ide::assists::add_non_root_user_fix(
                context.tree,
                model,
                last.index,
                context.lint.config,
            )),
    }
    out.push(diagnostic);
}

/// `USER name` before the first CMD/ENTRYPOINT of the stage, or after its last instruction.
fn insert_user(context: &RuleContext<'_>, stage: &Stage, name: &str) -> TextEdit {
    let start = facts::body(context.tree, stage).find(|(_, instruction)| {
        matches!(
            instruction.kind,
            InstructionKind::Cmd | InstructionKind::Entrypoint
        )
    });
    match start {
        Some((_, instruction)) => TextEdit::insert(
            instruction.span.start,
            format!("{} {name}\n", facts::keyword_like(instruction, "USER")),
        ),
        None => {
            let like = context
                .tree
                .instructions
                .get(stage.instructions.end.saturating_sub(1));
            let keyword =
                like.map_or_else(|| "USER".to_string(), |i| facts::keyword_like(i, "USER"));
            TextEdit::insert(stage.span.end, format!("\n{keyword} {name}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_on_root_final_stages() {
        check(
            &RULE,
            "FROM golang:1.23 AS build\nFROM debian:12-slim\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
            expect![[r#"
                warning FinalStageRunsAsRoot 2:1-2:5 `FROM`: the container runs as root: create a non-root user and switch to it with USER
                  fix: Add non-root USER app
            "#]],
        );
        check(
            &RULE,
            "FROM alpine:3.20\nUSER app\nRUN id\nUSER root\nCMD [\"id\"]\n",
            expect![[r#"
                warning FinalStageRunsAsRoot 4:6-4:10 `root`: the final stage switches to root and stays there: end it with a non-root USER
            "#]],
        );
        check(
            &RULE,
            "FROM node:22-alpine AS build\nFROM node:22-alpine\nCMD [\"node\", \"server.js\"]\n",
            expect![[r#"
                warning FinalStageRunsAsRoot 2:1-2:5 `FROM`: the container runs as root: `node:22-alpine` ships the non-root user `node`; add `USER node`
                  fix: Add `USER node` (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_non_root_users_and_images() {
        check_no(
            &RULE,
            "FROM alpine:3.20 AS build\nFROM alpine:3.20\nUSER 1001:1001\nCMD [\"app\"]\n",
        );
        check_no(
            &RULE,
            "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nCMD [\"app\"]\n",
        );
        check_no(
            &RULE,
            "FROM cgr.dev/chainguard/static:latest\nCMD [\"app\"]\n",
        );
        check_no(
            &RULE,
            "FROM alpine:3.20 AS base\nRUN adduser -D app\nUSER app\nFROM base\nCMD [\"app\"]\n",
        );
        check_no(
            &RULE,
            "FROM alpine:3.20 AS build\nUSER root\nFROM alpine:3.20\nUSER app\nCMD [\"app\"]\n",
        );
        check_no(&RULE, "ARG BASE\nFROM ${BASE}\nCMD [\"app\"]\n");
        check_no(&RULE, "FROM debian:12\nRUN apt-get install -y gcc\n");
        check_no(&RULE, "FROM debian:12\nCMD [\"python3\"]\n");
        check_no(
            &RULE,
            "FROM node:22 AS build\nFROM nginx:alpine\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
        );
        check_no(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y gosu\nENTRYPOINT [\"docker-entrypoint.sh\"]\n",
        );
        check_no(
            &RULE,
            "FROM alpine:3.20 AS build\nFROM alpine:3.20 AS dev\nCMD [\"sh\"]\n",
        );
    }

    #[test]
    fn fix_switches_to_the_ready_user() {
        check_fix(
            &RULE,
            "FROM node:22-alpine\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            expect![[r#"
                FROM node:22-alpine
                COPY . .
                USER node
                CMD ["node", "server.js"]
            "#]],
        );
    }
}

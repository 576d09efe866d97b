//! Add a non-root USER: creates a user the way the base image's family does it and switches to
//! it after the last instruction that needs root and before the container's command.
//!
//! ```text
//! FROM debian:bookworm-slim                 FROM debian:bookworm-slim
//! RUN apt-get update && apt-get install …   RUN apt-get update && apt-get install …
//! CMD ["app"]                          →    RUN groupadd --system --gid 1001 app \
//!                                               && useradd --system --uid 1001 --gid app --no-create-home app
//!                                           USER app
//!                                           CMD ["app"]
//! ```
//!
//! Images with a ready user get only `USER` (`node`, distroless `nonroot`), `scratch` and
//! unknown images a numeric `USER uid:gid`. A second variant also gives the stage's app files
//! to the user with `COPY --chown`.

use super::facts::{self, UserSetup};
use super::{Assist, AssistContext, AssistKind};
use crate::config::Config;
use crate::ide::diagnostics::Fix;
use crate::ide::{SourceChange, TextEdit};
use crate::model::Model;
use crate::syntax::{InstructionKind, SyntaxTree};

pub(super) fn add_non_root_user(ctx: &AssistContext<'_>, acc: &mut Vec<Assist>) -> Option<()> {
    let stage = ctx.model.stage_at(ctx.offset())?.index;
    let plan = plan(ctx.tree, ctx.model, stage, ctx.config)?;
    let label = format!("Add non-root USER {}", plan.user);
    let chown = super::add_chown::chown_edits(ctx.tree, ctx.model, stage, &plan.chown_owner);
    acc.push(Assist {
        id: "add_non_root_user",
        label: label.clone(),
        kind: AssistKind::Refactor,
        change: SourceChange::from_edits(vec![plan.edit.clone()]),
    });
    if !chown.is_empty() {
        let mut edits = chown;
        edits.push(plan.edit);
        acc.push(Assist {
            id: "add_non_root_user_with_chown",
            label: format!("{label} and --chown the app files to it"),
            kind: AssistKind::Refactor,
            change: SourceChange::from_edits(edits),
        });
    }
    Some(())
}

/// The quick fix FinalStageRunsAsRoot offers for `stage`.
pub fn add_non_root_user_fix(
    tree: &SyntaxTree,
    model: &Model,
    stage: usize,
    config: &Config,
) -> Option<Fix> {
    let plan = plan(tree, model, stage, config)?;
    Some(Fix {
        title: format!("Add non-root USER {}", plan.user),
        change: SourceChange::from_edits(vec![plan.edit]),
        preferred: false,
    })
}

struct Plan {
    /// The USER value that gets set.
    user: String,
    /// What `--chown` should name: numeric for users created in this stage, since COPY lines
    /// above the creating RUN cannot resolve the name.
    chown_owner: String,
    edit: TextEdit,
}

fn plan(tree: &SyntaxTree, model: &Model, stage: usize, config: &Config) -> Option<Plan> {
    if let Some((user, _)) = facts::stage_user(tree, model, stage)
        && !facts::is_root(&user)
    {
        return None;
    }
    let image = facts::base_image(tree, model, stage)?;
    let setup = facts::user_setup(&image, (config.user_id, config.group_id));
    // A user the stage already creates only needs switching to.
    let created = existing_user(tree, model, stage);
    let (lines, user, chown_owner) = match (&created, &setup) {
        (_, UserSetup::AlreadyNonRoot | UserSetup::Windows) => return None,
        (Some(name), _) => (vec![format!("USER {name}")], name.clone(), name.clone()),
        _ => {
            let lines = user_lines(&setup, config);
            let user = lines
                .last()
                .and_then(|l| l.strip_prefix("USER "))
                .unwrap_or_default()
                .to_string();
            let owner = match setup {
                UserSetup::Ready(name) => name.to_string(),
                _ => format!("{}:{}", config.user_id, config.group_id),
            };
            (lines, user, owner)
        }
    };
    let at = insertion_point(tree, model, stage)?;
    let newline = facts::line_break(tree.text());
    // Lines may hold continuations of their own: normalise every break to the document's.
    let block = lines.join("\n").replace('\n', newline);
    let edit = match at {
        Insertion::Before(offset) => TextEdit::insert(offset, format!("{block}{newline}")),
        Insertion::After(offset) => TextEdit::insert(offset, format!("{newline}{block}")),
    };
    Some(Plan {
        user,
        chown_owner,
        edit,
    })
}

/// The instructions that create and switch to a non-root user on `setup`'s image.
pub(super) fn user_lines(setup: &UserSetup, config: &Config) -> Vec<String> {
    let (uid, gid) = (config.user_id, config.group_id);
    match setup {
        UserSetup::AlreadyNonRoot | UserSetup::Windows => Vec::new(),
        UserSetup::Ready(name) => vec![format!("USER {name}")],
        UserSetup::Alpine => vec![
            format!("RUN addgroup -S -g {gid} app && adduser -S -D -H -u {uid} -G app app"),
            "USER app".to_string(),
        ],
        UserSetup::Debian => vec![
            format!(
                "RUN groupadd --system --gid {gid} app \\\n    && useradd --system --uid {uid} --gid app --no-create-home app"
            ),
            "USER app".to_string(),
        ],
        UserSetup::Numeric { uid, gid } => vec![format!("USER {uid}:{gid}")],
    }
}

/// A user the stage's RUN lines create with `useradd`/`adduser` (its last operand).
fn existing_user(tree: &SyntaxTree, model: &Model, stage: usize) -> Option<String> {
    facts::stage_commands(tree, model, stage)
        .into_iter()
        .rev()
        .find_map(|(_, command)| {
            if !matches!(command.program(), "useradd" | "adduser") {
                return None;
            }
            let name = command.words.last()?;
            (command.words.len() > 1 && !name.starts_with('-') && !facts::is_root(name))
                .then(|| name.clone())
        })
}

enum Insertion {
    /// Insert lines (each ending with a line break) at this offset, a line start.
    Before(usize),
    /// Append lines after this offset, the end of the stage's last instruction.
    After(usize),
}

/// After the last RUN (which may need root) and any `USER root`, before the first CMD or
/// ENTRYPOINT that follows; at the end of the stage otherwise.
fn insertion_point(tree: &SyntaxTree, model: &Model, stage: usize) -> Option<Insertion> {
    let body = facts::stage_body(tree, model, stage);
    let last_root = body
        .iter()
        .rposition(|(_, i)| matches!(i.kind, InstructionKind::Run | InstructionKind::User))
        .map_or(0, |position| position + 1);
    let command = body
        .iter()
        .skip(last_root)
        .find(|(_, i)| matches!(i.kind, InstructionKind::Cmd | InstructionKind::Entrypoint));
    match command {
        Some((_, instruction)) => Some(Insertion::Before(facts::start_with_comments(
            tree,
            instruction,
        ))),
        None => Some(Insertion::After(model.stages.get(stage)?.span.end)),
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::add_non_root_user;
    use crate::config::Config;
    use crate::ide::assists::test_support::{check, check_not_applicable, check_with};

    #[test]
    fn alpine_family() {
        check(
            add_non_root_user,
            r#"FROM python:3.12-alpine
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
# start the app
CMD ["python", "app.py"]$0
"#,
            expect![[r#"
                Add non-root USER app (refactor)
                FROM python:3.12-alpine
                WORKDIR /app
                COPY . .
                RUN pip install --no-cache-dir -r requirements.txt
                RUN addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
                USER app
                # start the app
                CMD ["python", "app.py"]
            "#]],
        );
    }

    #[test]
    fn debian_family_with_configured_ids() {
        let config = Config {
            user_id: 2000,
            group_id: 3000,
            ..Config::default()
        };
        check_with(
            add_non_root_user,
            r#"FROM debian:bookworm-slim$0
RUN apt-get update && apt-get install -y --no-install-recommends curl
COPY app /usr/local/bin/app
ENTRYPOINT ["app"]
"#,
            &config,
            expect![[r#"
                Add non-root USER app (refactor)
                FROM debian:bookworm-slim
                RUN apt-get update && apt-get install -y --no-install-recommends curl
                COPY app /usr/local/bin/app
                RUN groupadd --system --gid 3000 app \
                    && useradd --system --uid 2000 --gid app --no-create-home app
                USER app
                ENTRYPOINT ["app"]
            "#]],
        );
    }

    #[test]
    fn ubuntu_busybox_and_redhat_families() {
        check(
            add_non_root_user,
            "FROM ubuntu:24.04$0\nRUN apt-get update && apt-get install -y python3\nCMD [\"python3\", \"-m\", \"http.server\"]\n",
            expect![[r#"
                Add non-root USER app (refactor)
                FROM ubuntu:24.04
                RUN apt-get update && apt-get install -y python3
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                CMD ["python3", "-m", "http.server"]
            "#]],
        );
        check(
            add_non_root_user,
            "FROM busybox:1.36$0\nCOPY site /www\nCMD [\"httpd\", \"-f\", \"-h\", \"/www\"]\n",
            expect![[r#"
                Add non-root USER app (refactor)
                FROM busybox:1.36
                COPY site /www
                RUN addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
                USER app
                CMD ["httpd", "-f", "-h", "/www"]
            "#]],
        );
        check(
            add_non_root_user,
            "FROM registry.access.redhat.com/ubi9/ubi:9.4$0\nRUN dnf install -y java-21-openjdk-headless\n",
            expect![[r#"
                Add non-root USER app (refactor)
                FROM registry.access.redhat.com/ubi9/ubi:9.4
                RUN dnf install -y java-21-openjdk-headless
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
            "#]],
        );
    }

    #[test]
    fn with_chown_variant_uses_numeric_owner_for_a_created_user() {
        let (text, assists) = crate::ide::assists::test_support::run(
            add_non_root_user,
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY conf /etc/app\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]$0\n",
            &Config::default(),
        );
        let variant = assists
            .iter()
            .find(|a| a.id == "add_non_root_user_with_chown");
        let result = variant.map(|a| a.change.apply(&text)).unwrap_or_default();
        expect![[r#"
            FROM python:3.12-slim
            WORKDIR /app
            COPY --chown=1001:1001 . .
            COPY conf /etc/app
            RUN pip install -r requirements.txt
            RUN groupadd --system --gid 1001 app \
                && useradd --system --uid 1001 --gid app --no-create-home app
            USER app
            CMD ["python", "app.py"]
        "#]]
        .assert_eq(&result);
    }

    #[test]
    fn ready_users_of_node_and_distroless() {
        check(
            add_non_root_user,
            r#"FROM node:20-alpine
WORKDIR /app
COPY . .
RUN npm install
RUN npm run build
CMD ["node", "dist/server.js"]$0"#,
            expect![[r#"
                Add non-root USER node (refactor)
                FROM node:20-alpine
                WORKDIR /app
                COPY . .
                RUN npm install
                RUN npm run build
                USER node
                CMD ["node", "dist/server.js"]"#]],
        );
        check(
            add_non_root_user,
            r#"FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian12$0
COPY --from=build /out/app /app
"#,
            expect![[r#"
                Add non-root USER nonroot (refactor)
                FROM golang:1.22 AS build
                RUN go build -o /out/app .
                FROM gcr.io/distroless/static-debian12
                COPY --from=build /out/app /app
                USER nonroot
            "#]],
        );
    }

    #[test]
    fn scratch_and_unknown_images_get_numeric_ids() {
        check(
            add_non_root_user,
            "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]$0\n",
            expect![[r#"
                Add non-root USER 65532:65532 (refactor)
                FROM scratch
                COPY app /app
                USER 65532:65532
                ENTRYPOINT ["/app"]
            "#]],
        );
        check(
            add_non_root_user,
            "FROM registry.example.com/team/base:1.2$0\nCMD run\n",
            expect![[r#"
                Add non-root USER 1001:1001 (refactor)
                FROM registry.example.com/team/base:1.2
                USER 1001:1001
                CMD run
            "#]],
        );
    }

    #[test]
    fn switches_to_a_user_the_stage_creates() {
        check(
            add_non_root_user,
            "FROM ubuntu:24.04\nRUN useradd -m worker\nCMD [\"bash\"]$0\n",
            expect![[r#"
                Add non-root USER worker (refactor)
                FROM ubuntu:24.04
                RUN useradd -m worker
                USER worker
                CMD ["bash"]
            "#]],
        );
    }

    #[test]
    fn stage_built_from_a_stage_uses_the_root_image() {
        check(
            add_non_root_user,
            "FROM node:20-alpine3.19 AS base\nFROM base AS runner\nUSER root\nRUN apk add curl$0\n",
            expect![[r#"
                Add non-root USER node (refactor)
                FROM node:20-alpine3.19 AS base
                FROM base AS runner
                USER root
                RUN apk add curl
                USER node
            "#]],
        );
    }

    #[test]
    fn not_applicable() {
        check_not_applicable(add_non_root_user, "FROM node:20\nUSER node\nCMD x$0\n");
        check_not_applicable(add_non_root_user, "FROM cgr.dev/chainguard/static$0\n");
        check_not_applicable(add_non_root_user, "FROM gcr.io/distroless/base:nonroot$0\n");
        check_not_applicable(add_non_root_user, "$0# nothing\n");
        check_not_applicable(
            add_non_root_user,
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022$0\n",
        );
    }
}

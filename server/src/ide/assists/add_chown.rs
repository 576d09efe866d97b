//! Add `--chown` to COPY/ADD: copied files belong to root whatever USER says, so an app running
//! as a non-root user cannot write its own files. Offered in a stage that runs as a non-root
//! user, for the COPY/ADD lines that bring in app files (not system paths like `/etc`).
//!
//! ```text
//! FROM node:20-alpine               FROM node:20-alpine
//! WORKDIR /app                      WORKDIR /app
//! COPY . .                   →      COPY --chown=node . .
//! USER node                         USER node
//! ```

use super::facts;
use super::{Assist, AssistContext, AssistKind};
use crate::ide::{SourceChange, TextEdit};
use crate::model::Model;
use crate::syntax::{InstructionKind, SyntaxTree};

pub(super) fn add_chown(ctx: &AssistContext<'_>, acc: &mut Vec<Assist>) -> Option<()> {
    let stage = ctx.model.stage_at(ctx.offset())?.index;
    let (user, user_instruction) = facts::stage_user(ctx.tree, ctx.model, stage)?;
    if facts::is_root(&user) || user.contains('$') {
        return None;
    }
    // A name only resolves once the user exists: before the USER line only numeric owners or
    // users the image ships are safe.
    let numeric = user
        .split(':')
        .all(|part| part.bytes().all(|b| b.is_ascii_digit()));
    let name = user.split(':').next().unwrap_or(&user);
    let from_image = facts::base_image(ctx.tree, ctx.model, stage).is_some_and(|image| {
        matches!(facts::user_setup(&image, (0, 0)), facts::UserSetup::Ready(ready) if ready == name)
    });
    let edits: Vec<TextEdit> = chown_edits(ctx.tree, ctx.model, stage, &user)
        .into_iter()
        .filter(|edit| numeric || from_image || edit_after(ctx.tree, edit, user_instruction))
        .collect();
    if edits.is_empty() {
        return None;
    }
    let count = edits.len();
    let plural = if count == 1 { "" } else { "s" };
    acc.push(Assist {
        id: "add_chown",
        label: format!("Add --chown={user} to {count} COPY/ADD instruction{plural}"),
        kind: AssistKind::Refactor,
        change: SourceChange::from_edits(edits),
    });
    Some(())
}

fn edit_after(tree: &SyntaxTree, edit: &TextEdit, instruction: usize) -> bool {
    tree.instructions
        .get(instruction)
        .is_some_and(|user| edit.span.start > user.span.end)
}

/// `--chown=<owner>` inserted into each COPY/ADD of `stage` that has none and copies app files.
pub(super) fn chown_edits(
    tree: &SyntaxTree,
    model: &Model,
    stage: usize,
    owner: &str,
) -> Vec<TextEdit> {
    facts::stage_body(tree, model, stage)
        .into_iter()
        .filter(|(_, i)| matches!(i.kind, InstructionKind::Copy | InstructionKind::Add))
        .filter(|(_, i)| i.flag("chown").is_none() && i.flag("chmod").is_none())
        .filter(|(_, i)| {
            let destination = match i.exec_items() {
                Some(items) => items.last().map(|w| w.text.as_str()),
                None => i.words().last().map(|w| w.text.as_str()),
            };
            destination.is_some_and(is_app_path)
        })
        .map(|(_, i)| TextEdit::insert(i.keyword.end, format!(" --chown={owner}")))
        .collect()
}

/// System locations keep root ownership; everything else (relative paths, `/app`, `/srv`,
/// home directories) is the app's.
fn is_app_path(destination: &str) -> bool {
    const SYSTEM: [&str; 10] = [
        "/etc",
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/usr/local/bin",
        "/usr/local/lib",
        "/usr/share",
        "/bin",
        "/sbin",
        "/lib",
    ];
    !SYSTEM
        .iter()
        .any(|dir| destination == *dir || destination.starts_with(&format!("{dir}/")))
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::add_chown;
    use crate::ide::assists::test_support::{check, check_not_applicable};

    #[test]
    fn ready_user_owns_app_files() {
        check(
            add_chown,
            r#"FROM node:20-alpine
WORKDIR /app
COPY package*.json ./
COPY nginx.conf /etc/nginx/nginx.conf
RUN npm ci
COPY --from=deps /app/node_modules ./node_modules
USER node$0
CMD ["node", "server.js"]
"#,
            expect![[r#"
                Add --chown=node to 2 COPY/ADD instructions (refactor)
                FROM node:20-alpine
                WORKDIR /app
                COPY --chown=node package*.json ./
                COPY nginx.conf /etc/nginx/nginx.conf
                RUN npm ci
                COPY --chown=node --from=deps /app/node_modules ./node_modules
                USER node
                CMD ["node", "server.js"]
            "#]],
        );
    }

    #[test]
    fn named_users_only_after_they_exist() {
        check(
            add_chown,
            r#"FROM debian:bookworm-slim
COPY early.txt /srv/
RUN useradd --system app
USER app
COPY ["late.txt", "/srv/"]$0
"#,
            expect![[r#"
                Add --chown=app to 1 COPY/ADD instruction (refactor)
                FROM debian:bookworm-slim
                COPY early.txt /srv/
                RUN useradd --system app
                USER app
                COPY --chown=app ["late.txt", "/srv/"]
            "#]],
        );
    }

    #[test]
    fn not_applicable() {
        check_not_applicable(add_chown, "FROM alpine\nCOPY a /a\nCMD x$0\n");
        check_not_applicable(
            add_chown,
            "FROM alpine\nUSER 1000\nCOPY --chown=1000 a /a$0\n",
        );
        check_not_applicable(add_chown, "FROM alpine\nCOPY a /etc/a\nUSER 1000$0\n");
    }
}

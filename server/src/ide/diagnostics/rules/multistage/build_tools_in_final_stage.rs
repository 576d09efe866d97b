//! BuildToolsInFinalStage: the final stage compiles the application, so the image ships its
//! toolchain and sources.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::shell;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "BuildToolsInFinalStage",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "the final stage builds the application: extract a runner stage",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Document(check),
};

const DOC: &str = "\
## What it does
Flags the first build step run in the final stage: `npm|yarn|pnpm run build`, `tsc`, `vite build`,
`go build`, `cargo build`, `mvn package`, `gradle build`, `dotnet publish`… The \"Extract runner
stage\" assist rewrites the file into a builder and a runner stage.

## Why is this bad?
Building where the application runs ships the compiler, the sources and the dev dependencies
in the image: typically several times the size of what runs, with the attack surface to match.
A builder stage compiles; a slim runner stage receives only the output.

## Example
```dockerfile
FROM node:22-alpine
WORKDIR /app
COPY . .
RUN npm ci && npm run build
CMD [\"node\", \"dist/server.js\"]
```

## Use instead
```dockerfile
FROM node:22-alpine AS builder
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:22-alpine AS runner
WORKDIR /app
COPY --from=builder /app/package*.json ./
RUN npm ci --omit=dev
COPY --from=builder /app/dist ./dist
USER node
CMD [\"node\", \"dist/server.js\"]
```

## References
- https://docs.docker.com/build/building/multi-stage/
";

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    let Some(last) = model.final_stage() else {
        return;
    };
    let step = facts::runs(context, last).find_map(|(_, _, commands)| {
        commands
            .iter()
            .find_map(|command| shell::build_step(command).map(|step| step.words_span))
    });
    let Some(span) = step else {
        return;
    };
    let text = context.tree.slice(span);
    let message = if model.stages.len() == 1 {
        format!(
            "`{text}` builds in the only stage, so the image ships the toolchain and sources: \
             build in a builder stage and copy the output into a runner stage"
        )
    } else {
        format!(
            "`{text}` builds in the final stage, so the image ships the toolchain and sources: \
             move the build to a builder stage and copy only its output here"
        )
    };
    let mut diagnostic = Diagnostic::new(RULE.meta.name, RULE.meta.default_severity, span, message);
    diagnostic
        .fixes
        .extend(crate::ide::assists::extract_runner_stage_fix(
            context.tree,
            context.model,
            context.lint.config,
        ));
    out.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_no};

    #[test]
    fn fires_on_builds_in_the_final_stage() {
        check(
            &RULE,
            "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN npm run build\nRUN npx tsc\nCMD [\"node\", \"dist/server.js\"]\n",
            expect![[r#"
                warning BuildToolsInFinalStage 5:5-5:18 `npm run build`: `npm run build` builds in the only stage, so the image ships the toolchain and sources: build in a builder stage and copy the output into a runner stage
                  fix: Extract runner stage
            "#]],
        );
        check(
            &RULE,
            "FROM golang:1.23 AS deps\nRUN go mod download\nFROM deps\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n",
            expect![[r#"
                warning BuildToolsInFinalStage 5:19-5:27 `go build`: `go build` builds in the final stage, so the image ships the toolchain and sources: move the build to a builder stage and copy only its output here
                  fix: Extract runner stage
            "#]],
        );
    }

    #[test]
    fn ignores_builds_in_builder_stages() {
        check_no(
            &RULE,
            "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nRUN go version\n",
        );
    }
}

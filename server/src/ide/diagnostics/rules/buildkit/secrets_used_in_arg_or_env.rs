use crate::ide::diagnostics::RuleContext;
use crate::model::VarDefKind;

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags an `ARG` or `ENV` whose name looks like it holds a secret: one of its
    /// `_`-separated words is apikey, auth, credential(s), key, password, pword, passwd, secret
    /// or token, and none is public, file or version.
    ///
    /// ## Why is this bad?
    /// Build arguments and environment variables end up in the image metadata and history,
    /// where anyone with the image can read them.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// RUN NPM_TOKEN=$NPM_TOKEN npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
    /// ```
    ///
    /// ## References
    /// - BuildKit check `SecretsUsedInArgOrEnv`: <https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/>
    /// - hadolint DL3064
    name: "SecretsUsedInArgOrEnv",
    severity: Warning,
    enabled_by_default: true,
    summary: "Sensitive data should not be used in the ARG or ENV commands",
    hadolint: ["DL3064"],
    check: model check,
    reads: crate::ide::diagnostics::no_other_instructions,
}

const SECRET_WORDS: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOWED_WORDS: [&str; 3] = ["public", "file", "version"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for def in &ctx.model.var_defs {
        if !looks_secret(&def.name) {
            continue;
        }
        let kind = match def.kind {
            VarDefKind::Env => "ENV",
            VarDefKind::Arg | VarDefKind::GlobalArg => "ARG",
        };
        out.push(warning(
            NAME,
            def.name_span,
            format!(
                "Do not use ARG or ENV instructions for sensitive data ({kind} \"{}\")",
                def.name
            ),
        ));
    }
}

fn looks_secret(name: &str) -> bool {
    let has = |list: &[&str]| {
        name.split('_').any(|word| {
            list.iter()
                .any(|candidate| word.eq_ignore_ascii_case(candidate))
        })
    };
    has(&SECRET_WORDS) && !has(&ALLOWED_WORDS)
}

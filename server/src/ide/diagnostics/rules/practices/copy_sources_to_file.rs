//! CopySourcesToFile: COPY/ADD of several sources to a destination that does not end with `/`.

use crate::ide::diagnostics::{
    Check, Diagnostic, Fix, Kinds, RuleContext, RuleDef, RuleMeta, Severity,
};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Args, Instruction, InstructionKind};

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "CopySourcesToFile",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "COPY/ADD of several sources needs a destination ending with `/`",
        doc: DOC,
        hadolint: &["DL3021"],
    },
    check: Check::Instruction {
        check,
        on: Kinds::Effective(&[InstructionKind::Copy, InstructionKind::Add]),
    },
};

const DOC: &str = "\
## What it does
Flags COPY and ADD instructions with more than one source whose destination does not end with
`/`. A destination of `.` (the working directory) and destinations with variables are accepted.

## Why is this bad?
Several sources can only go into a directory. The classic builder refuses the instruction
(\"When using COPY with more than one source file, the destination must be a directory and end
with a /\"); BuildKit creates the directory, but the line reads as if it copied to a file.

## Example
```dockerfile
COPY package.json package-lock.json /app
```

## Use instead
```dockerfile
COPY package.json package-lock.json /app/
```

## References
- hadolint DL3021
- https://docs.docker.com/reference/dockerfile/#copy
";

fn check(_context: &RuleContext<'_>, _index: usize, copy: &Instruction, out: &mut Vec<Diagnostic>) {
    if !copy.heredocs.is_empty() {
        return;
    }
    let (words, exec) = match &copy.args {
        Args::Words(words) => (words.as_slice(), false),
        Args::Exec(exec) => (exec.items.as_slice(), true),
        _ => return,
    };
    let Some((destination, sources)) = words.split_last() else {
        return;
    };
    let text = destination.text.as_str();
    if sources.len() < 2
        || text.ends_with('/')
        || text.ends_with('\\')
        || text == "."
        || text.contains('$')
    {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        destination.span,
        format!(
            "{} sources go into a directory: end the destination with `/` (`{text}/`)",
            sources.len()
        ),
    );
    // In exec form the destination is a JSON string: the slash goes inside the quotes.
    let at = if exec {
        destination.span.end.saturating_sub(1)
    } else {
        destination.span.end
    };
    diagnostic.fixes.push(Fix {
        title: format!("Copy into `{text}/`"),
        change: SourceChange::from_edits(vec![TextEdit::insert(at, "/")]),
        preferred: true,
    });
    out.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_on_several_sources() {
        check(
            &RULE,
            "FROM alpine:3.20\nCOPY a b /app\nCOPY [\"a\", \"b\", \"/opt\"]\n",
            expect![[r#"
                warning CopySourcesToFile 2:10-2:14 `/app`: 2 sources go into a directory: end the destination with `/` (`/app/`)
                  fix: Copy into `/app/` (preferred)
                warning CopySourcesToFile 3:17-3:23 `"/opt"`: 2 sources go into a directory: end the destination with `/` (`/opt/`)
                  fix: Copy into `/opt/` (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_directories_and_single_sources() {
        check_no(
            &RULE,
            "FROM alpine:3.20\nCOPY a b /app/\nCOPY a b .\nCOPY a /app\nCOPY a b $DEST\nCOPY <<A <<B /x\na\nA\nb\nB\n",
        );
    }

    #[test]
    fn fix_appends_a_slash() {
        check_fix(
            &RULE,
            "FROM alpine:3.20\nCOPY [\"a\", \"b\", \"/opt\"]\n",
            expect![[r#"
                FROM alpine:3.20
                COPY ["a", "b", "/opt/"]
            "#]],
        );
    }
}

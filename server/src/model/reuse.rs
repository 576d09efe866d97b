//! Carrying a model over to the next version of a document when the change touched nothing the
//! model reads: typing inside a WORKDIR path, a RUN command or a LABEL changes no stage, stage
//! reference or variable, so the old model, moved by the change's length, is the new one. Typing
//! in an ENV value changes only that definition's value, which is taken from the new tree.

use crate::syntax::{Args, Instruction, InstructionKind, Span, SyntaxTree, TreeChange, VarRef};

use super::{Model, StageBase, StageName, StageRef, VarDef, VarUse, VarValue};

impl Model {
    /// The model of `tree`, the result of `change` to the tree this model was built from, when
    /// the replaced instructions read the same to the model; `None` when it must be rebuilt.
    pub fn after_change(mut self, tree: &SyntaxTree, change: &TreeChange) -> Option<Model> {
        let edit = &change.edit;
        if edit.old_instructions.len() != edit.new_instructions.len()
            || change.replaced.len() != edit.old_instructions.len()
        {
            return None;
        }
        let now = tree.instructions.get(edit.new_instructions.clone())?;
        for (old, new) in change.replaced.iter().zip(now) {
            if !reads_the_same(old, new, change) {
                return None;
            }
        }
        // The old values of rebuilt ENVs may lie in the changed bytes, where nothing maps.
        let rebuilt = edit.new_instructions.clone();
        for def in &mut self.var_defs {
            if rebuilt.contains(&def.instruction) {
                def.value = None;
            }
        }
        self.move_spans(change)?;
        for (index, instruction) in rebuilt.zip(now) {
            let Args::Pairs(pairs) = &instruction.args else {
                continue;
            };
            let defs = self
                .var_defs
                .iter_mut()
                .filter(|def| def.instruction == index);
            for (def, pair) in defs.zip(pairs) {
                def.value = pair
                    .value
                    .as_ref()
                    .map(|value| VarValue::of(value, tree.escape));
            }
        }
        Some(self)
    }

    fn move_spans(&mut self, change: &TreeChange) -> Option<()> {
        let map = |span: &mut Span| -> Option<()> {
            *span = change.map_span(*span)?;
            Some(())
        };
        // Destructured so that a new field cannot be forgotten here.
        let Model {
            global_args: _,
            stages,
            stage_refs,
            var_defs,
            var_uses,
            graph: _,
        } = self;
        for stage in stages {
            map(&mut stage.span)?;
            if let Some(StageName { span, .. }) = &mut stage.name {
                map(span)?;
            }
            if let Some(StageBase { span, .. }) = &mut stage.base {
                map(span)?;
            }
            if let Some((_, span)) = &mut stage.platform {
                map(span)?;
            }
        }
        for StageRef { span, .. } in stage_refs {
            map(span)?;
        }
        for VarDef {
            name_span, value, ..
        } in var_defs
        {
            map(name_span)?;
            if let Some(VarValue { span, .. }) = value {
                map(span)?;
            }
        }
        for VarUse { reference, .. } in var_uses {
            move_var(reference, change)?;
        }
        Some(())
    }
}

fn move_var(var: &mut VarRef, change: &TreeChange) -> Option<()> {
    var.span = change.map_span(var.span)?;
    var.name_span = change.map_span(var.name_span)?;
    if let Some(modifier) = &mut var.modifier {
        modifier.word = change.map_span(modifier.word)?;
    }
    Some(())
}

/// Whether the model reads `new` as it read `old`, once `old` is moved by the change: the kind,
/// the extent, the variable references and the flags (`--from`, `--mount from=`, `--platform`);
/// for an ENV also the names it sets, where it sets them (its values are taken over). FROM, ARG
/// and ONBUILD always count as different: they bound stages or define what FROM lines expand.
fn reads_the_same(old: &Instruction, new: &Instruction, change: &TreeChange) -> bool {
    if old.kind != new.kind
        || matches!(
            old.kind,
            InstructionKind::From | InstructionKind::Arg | InstructionKind::Onbuild
        )
        || (old.kind == InstructionKind::Env && !sets_the_same_names(old, new, change))
        || change.map_span(old.span) != Some(new.span)
        || old.vars.len() != new.vars.len()
        || old.flags.len() != new.flags.len()
    {
        return false;
    }
    let vars_match = old.vars.iter().zip(&new.vars).all(|(old, new)| {
        let mut moved = old.clone();
        move_var(&mut moved, change).is_some() && moved == *new
    });
    let flags_match = old.flags.iter().zip(&new.flags).all(|(old, new)| {
        old.name == new.name
            && old.raw == new.raw
            && change.map_span(old.span) == Some(new.span)
            && old
                .value
                .as_ref()
                .map(|v| (&v.text, change.map_span(v.span)))
                == new.value.as_ref().map(|v| (&v.text, Some(v.span)))
    });
    vars_match && flags_match
}

/// Whether two ENVs set the same names, each where the other does once moved by the change.
fn sets_the_same_names(old: &Instruction, new: &Instruction, change: &TreeChange) -> bool {
    let (Args::Pairs(old), Args::Pairs(new)) = (&old.args, &new.args) else {
        return false;
    };
    old.len() == new.len()
        && old.iter().zip(new).all(|(old, new)| {
            old.key.text == new.key.text && change.map_span(old.key.span) == Some(new.key.span)
        })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::syntax::{parse, reparse};

    use super::*;

    /// The model carried over typing `inserted` after the last `after_text` of `before`, and the
    /// model built from scratch.
    fn after(before: &str, after_text: &str, inserted: &str) -> (Option<Model>, Model) {
        let at = before.rfind(after_text).map_or(0, |i| i + after_text.len());
        let mut text = before.to_string();
        text.insert_str(at, inserted);
        let old = parse(before);
        let model = Model::build(&old.tree);
        let (new, change) = reparse(old, text);
        (
            model.after_change(&new.tree, &change),
            Model::build(&new.tree),
        )
    }

    /// Each `(after_text, inserted)` edit of `file` carries the model over, equal to a rebuilt one.
    fn assert_carried_over(file: &str, edits: &[(&str, &str)]) {
        for &(after_text, inserted) in edits {
            let (reused, built) = after(file, after_text, inserted);
            let message = format!("{inserted:?} after {after_text:?}");
            assert_eq!(reused.as_ref(), Some(&built), "{message}");
        }
    }

    /// Each `(after_text, inserted)` edit of `file` rebuilds the model.
    fn assert_rebuilt(file: &str, edits: &[(&str, &str)]) {
        for &(after_text, inserted) in edits {
            let (reused, _) = after(file, after_text, inserted);
            assert_eq!(reused, None, "{inserted:?} after {after_text:?}");
        }
    }

    const FILE: &str = "ARG V=1\nFROM a:$V AS build\nWORKDIR /w\nRUN --mount=from=build,target=/t make $X\nFROM build\nCOPY --from=build /o /o\n";

    #[test]
    fn typing_in_paths_and_commands_keeps_the_model() {
        assert_carried_over(FILE, &[("/w", "x"), ("make", " all"), ("/o", "/p")]);
    }

    #[test]
    fn typing_in_an_env_value_keeps_the_model_with_the_new_value() {
        let file = "FROM a\nENV A=1 B=\"two\"\nRUN echo $A $B\n";
        assert_carried_over(file, &[("A=1", "0"), ("two", " more"), ("B=", "x")]);
        assert_rebuilt(file, &[("ENV A", "X"), ("A=1", " C=3")]);
    }

    #[test]
    fn changes_the_model_reads_rebuild_it() {
        assert_rebuilt(
            FILE,
            &[
                ("$X", "Y"),
                ("from=build", "x"),
                ("--from=build", "x"),
                ("WORKDIR /w", " $HOME"),
                ("AS build", "er"),
                ("/w\n", "ENV A=1\n"),
                ("RUN", "x"),
            ],
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whenever a model is carried over a random edit of a real Dockerfile, it equals the
        /// model built from scratch.
        #[test]
        fn a_carried_over_model_equals_a_rebuilt_one(
            file in proptest::sample::select(crate::test_corpus::real_files()),
            edits in proptest::collection::vec(
                (any::<proptest::sample::Index>(), 0usize..8, crate::test_corpus::inserted_text()),
                1..12,
            ),
        ) {
            let mut text = crate::test_corpus::read(&file);
            let mut current = parse(&text);
            let mut model = Model::build(&current.tree);
            for (start, length, inserted) in &edits {
                let (start, end) = crate::test_corpus::edit_range(&text, start, *length);
                text.replace_range(start..end, inserted);
                let (next, change) = reparse(current, text.clone());
                let built = Model::build(&next.tree);
                if let Some(carried) = model.after_change(&next.tree, &change) {
                    prop_assert_eq!(&carried, &built);
                }
                model = built;
                current = next;
            }
        }
    }
}

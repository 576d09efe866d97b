//! ARG and ENV definitions and uses, with BuildKit's scoping:
//! - global ARGs (before the first FROM) are visible only in FROM lines, unless redeclared;
//! - a stage's ARG/ENV are visible from the next instruction on, and in stages built FROM it;
//! - automatic platform ARGs are global-scope only, proxy ARGs are available everywhere;
//! - a run-time shell (CMD, ENTRYPOINT, HEALTHCHECK) sees ENV only.

use std::collections::HashMap;

use crate::knowledge::{ArgScope, predefined_arg, predefined_args};

use crate::syntax::{Args, Expansion, InstructionKind, SyntaxTree, Word};

use super::{Model, VarDef, VarDefKind, VarResolution, VarUse, VarValue};

pub(super) fn resolve_variables(tree: &SyntaxTree, model: &mut Model) {
    collect_definitions(tree, model);
    let index = DefIndex::new(model);
    let mut uses = Vec::new();
    for (position, instruction) in tree.instructions.iter().enumerate() {
        if instruction.kind == InstructionKind::Onbuild {
            continue;
        }
        let stage = model.stage_of_instruction(position);
        for reference in &instruction.vars {
            let resolution = index.resolve(model, position, reference.expansion, &reference.name);
            uses.push(VarUse {
                reference: reference.clone(),
                instruction: position,
                stage,
                resolution,
            });
        }
    }
    model.var_uses = uses;
}

/// Definitions by scope and name, in file order, so a use resolves without scanning every
/// definition of the file.
struct DefIndex {
    global: HashMap<String, Vec<usize>>,
    stages: Vec<HashMap<String, Vec<usize>>>,
}

impl DefIndex {
    fn new(model: &Model) -> DefIndex {
        let mut index = DefIndex {
            global: HashMap::new(),
            stages: vec![HashMap::new(); model.stages.len()],
        };
        for (position, def) in model.var_defs.iter().enumerate() {
            let scope = match def.stage {
                None => Some(&mut index.global),
                Some(stage) => index.stages.get_mut(stage),
            };
            if let Some(scope) = scope {
                scope.entry(def.name.clone()).or_default().push(position);
            }
        }
        index
    }

    fn resolve(
        &self,
        model: &Model,
        instruction: usize,
        expansion: Expansion,
        name: &str,
    ) -> VarResolution {
        let accepts = |position: &&usize, limit: usize| {
            model.var_defs.get(**position).is_some_and(|def| {
                def.instruction < limit
                    && (expansion != Expansion::RuntimeShell || def.kind == VarDefKind::Env)
            })
        };
        let found = if in_global_scope(model, instruction) {
            self.global
                .get(name)
                .and_then(|defs| defs.iter().rev().find(|p| accepts(p, instruction)))
        } else {
            let mut stage = model.stage_of_instruction(instruction);
            let mut limit = instruction;
            let mut found = None;
            let mut hops = 0;
            while let Some(current) = stage {
                found = self
                    .stages
                    .get(current)
                    .and_then(|scope| scope.get(name))
                    .and_then(|defs| defs.iter().rev().find(|p| accepts(p, limit)));
                if found.is_some() || hops > model.stages.len() {
                    break;
                }
                stage = model
                    .stages
                    .get(current)
                    .and_then(|s| s.parent_stage(model))
                    .filter(|&parent| parent < current);
                limit = usize::MAX;
                hops += 1;
            }
            found
        };
        if let Some(&position) = found {
            return VarResolution::Defined(position);
        }
        predefined(model, instruction, expansion, name)
    }
}

impl VarValue {
    /// The value a definition's `value` word gives.
    pub(super) fn of(value: &Word, escape: char) -> VarValue {
        VarValue {
            raw: value.text.clone(),
            unquoted: crate::syntax::unquote(&value.text, escape),
            span: value.span,
        }
    }
}

fn collect_definitions(tree: &SyntaxTree, model: &mut Model) {
    let mut defs: Vec<VarDef> = Vec::new();
    for (index, instruction) in tree.instructions.iter().enumerate() {
        let kind = match instruction.kind {
            InstructionKind::Arg => VarDefKind::Arg,
            InstructionKind::Env => VarDefKind::Env,
            _ => continue,
        };
        let stage = model.stage_of_instruction(index);
        let kind = match (kind, stage) {
            (VarDefKind::Arg, None) => VarDefKind::GlobalArg,
            (_, None) => continue,
            (kind, Some(_)) => kind,
        };
        let Args::Pairs(pairs) = &instruction.args else {
            continue;
        };
        for pair in pairs {
            let value = pair
                .value
                .as_ref()
                .map(|value| VarValue::of(value, tree.escape));
            let inherits = if kind == VarDefKind::Arg && value.is_none() {
                defs.iter()
                    .rposition(|d| d.kind == VarDefKind::GlobalArg && d.name == pair.key.text)
            } else {
                None
            };
            defs.push(VarDef {
                kind,
                name: pair.key.text.clone(),
                name_span: pair.key.span,
                instruction: index,
                stage,
                value,
                inherits,
            });
        }
    }
    model.var_defs = defs;
}

/// Definitions visible at `instruction`, most recent first: the same stage's earlier
/// definitions, then each ancestor stage's (through `FROM <stage>`); global ARGs for FROM lines
/// and global ARG defaults.
fn candidates(model: &Model, instruction: usize, expansion: Expansion) -> Vec<usize> {
    let stage = model.stage_of_instruction(instruction);
    let is_from = stage
        .and_then(|s| model.stages.get(s))
        .is_some_and(|s| s.from_instruction == instruction);
    let runtime_only = expansion == Expansion::RuntimeShell;
    let mut out = Vec::new();
    match stage {
        Some(current) if !is_from => {
            let mut stage_index = Some(current);
            let mut limit = instruction;
            let mut hops = 0;
            while let Some(s) = stage_index {
                for (position, def) in model.var_defs.iter().enumerate().rev() {
                    if def.stage == Some(s)
                        && def.instruction < limit
                        && (!runtime_only || def.kind == VarDefKind::Env)
                    {
                        out.push(position);
                    }
                }
                let Some(stage) = model.stages.get(s) else {
                    break;
                };
                stage_index = stage.parent_stage(model).filter(|&p| p < s);
                limit = usize::MAX;
                hops += 1;
                if hops > model.stages.len() {
                    break;
                }
            }
        }
        _ => {
            for (position, def) in model.var_defs.iter().enumerate().rev() {
                if def.kind == VarDefKind::GlobalArg && def.instruction < instruction {
                    out.push(position);
                }
            }
        }
    }
    out
}

fn in_global_scope(model: &Model, instruction: usize) -> bool {
    match model.stage_of_instruction(instruction) {
        None => true,
        Some(stage) => model
            .stages
            .get(stage)
            .is_some_and(|s| s.from_instruction == instruction),
    }
}

fn predefined(
    model: &Model,
    instruction: usize,
    expansion: Expansion,
    name: &str,
) -> VarResolution {
    match predefined_arg(name) {
        Some(arg) if visible_without_declaration(model, instruction, arg.scope, expansion) => {
            VarResolution::Predefined(arg)
        }
        _ => VarResolution::Undefined,
    }
}

/// Proxies are set everywhere, platform ARGs only in the global scope (FROM lines), BuildKit's
/// settings only where declared; a run-time shell sees none of them.
fn visible_without_declaration(
    model: &Model,
    instruction: usize,
    scope: ArgScope,
    expansion: Expansion,
) -> bool {
    expansion != Expansion::RuntimeShell
        && match scope {
            ArgScope::Everywhere => true,
            ArgScope::GlobalOnly => in_global_scope(model, instruction),
            ArgScope::BuildSetting => false,
        }
}

pub(super) fn visible(
    model: &Model,
    instruction: usize,
    expansion: Expansion,
) -> Vec<VarResolution> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for position in candidates(model, instruction, expansion) {
        if let Some(def) = model.var_defs.get(position)
            && seen.insert(def.name.clone())
        {
            out.push(VarResolution::Defined(position));
        }
    }
    for arg in predefined_args() {
        if visible_without_declaration(model, instruction, arg.scope, expansion)
            && seen.insert(arg.name.to_string())
        {
            out.push(VarResolution::Predefined(arg));
        }
    }
    out
}

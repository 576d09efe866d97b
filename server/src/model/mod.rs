//! Semantic model over the syntax tree: stages, stage references resolved with BuildKit's rules,
//! ARG/ENV definitions and uses with BuildKit's scoping, and the stage dependency graph.
//!
//! Built in one pass over the instructions; everything refers back to instructions by index and
//! to source by byte span.

mod graph;
pub mod outputs;
mod reuse;
mod stages;
mod variables;

use std::ops::Range;

use crate::syntax::{Span, SyntaxTree, VarRef};

pub use graph::StageGraph;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// ARGs declared before the first FROM.
    pub global_args: Vec<usize>,
    pub stages: Vec<Stage>,
    pub stage_refs: Vec<StageRef>,
    pub var_defs: Vec<VarDef>,
    pub var_uses: Vec<VarUse>,
    pub graph: StageGraph,
}

/// `stage-N` for unnamed stages, like BuildKit.
pub fn default_stage_name(index: usize) -> String {
    format!("stage-{index}")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    pub name: Option<StageName>,
    /// The FROM instruction (index into `SyntaxTree::instructions`).
    pub from_instruction: usize,
    /// The FROM and every instruction up to the next FROM.
    pub instructions: Range<usize>,
    /// From the FROM keyword to the end of the stage's last instruction.
    pub span: Span,
    /// The base image or stage as written; `None` for a bare `FROM`.
    pub base: Option<StageBase>,
    /// The `--platform` value as written.
    pub platform: Option<(String, Span)>,
}

impl Stage {
    /// The name users see: the `AS` name, or `stage-N`.
    pub fn display_name(&self) -> String {
        self.name
            .as_ref()
            .map_or_else(|| default_stage_name(self.index), |name| name.text.clone())
    }

    /// The index of the stage this one is built `FROM`, when it is a stage.
    pub fn parent_stage(&self, model: &Model) -> Option<usize> {
        let base = self.base.as_ref()?;
        match model.stage_refs.get(base.reference)?.resolution {
            Resolution::Stage(index) => Some(index),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageName {
    /// As written after `AS`.
    pub text: String,
    /// Lower-cased, the key BuildKit looks stages up by.
    pub key: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageBase {
    pub text: String,
    pub span: Span,
    /// Index into `Model::stage_refs`.
    pub reference: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StageRefKind {
    /// `FROM x`
    From,
    /// `COPY --from=x` / `ADD --from=x`
    CopyFrom,
    /// `RUN --mount=…,from=x`
    MountFrom,
    /// `ONBUILD COPY --from=x`: resolved in the downstream build, not here.
    OnbuildCopyFrom,
    /// `ONBUILD RUN --mount=…,from=x`
    OnbuildMountFrom,
}

impl StageRefKind {
    pub fn label(self) -> &'static str {
        match self {
            StageRefKind::From => "FROM",
            StageRefKind::CopyFrom => "COPY --from",
            StageRefKind::MountFrom => "RUN --mount from",
            StageRefKind::OnbuildCopyFrom => "ONBUILD COPY --from",
            StageRefKind::OnbuildMountFrom => "ONBUILD RUN --mount from",
        }
    }
}

/// What a stage reference names, per BuildKit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// An earlier stage, by name (case-insensitive for `--from`) or by index.
    Stage(usize),
    /// An image (or, for `--from`/`from=`, possibly a named build context).
    Image,
    /// `FROM Builder` where stage `builder` exists: FROM matches only the lower-case spelling.
    CaseMismatch(usize),
    /// A stage defined later in the file: BuildKit only sees earlier stages.
    Forward(usize),
    /// The stage refers to itself.
    SelfReference,
    /// A forward reference whose target depends on the referring stage.
    Cycle(usize),
    /// A numeric `--from` index that is not an earlier stage.
    InvalidIndex(usize),
    /// `$` in `--from`/`from=`, which BuildKit does not expand.
    Variable,
    /// `--from=` with nothing after it.
    Empty,
    /// Inside ONBUILD: resolved by the downstream build.
    Deferred,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRef {
    pub kind: StageRefKind,
    /// The value as written.
    pub text: String,
    pub span: Span,
    pub instruction: usize,
    /// The stage holding the instruction.
    pub stage: usize,
    pub resolution: Resolution,
    /// For a FROM whose operand has variables without a statically known value
    /// (`FROM build-$TARGETOS`): the earlier stages it may name.
    pub possible_stages: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VarDefKind {
    /// ARG before the first FROM.
    GlobalArg,
    Arg,
    Env,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarDef {
    pub kind: VarDefKind,
    pub name: String,
    pub name_span: Span,
    pub instruction: usize,
    /// `None` for global ARGs.
    pub stage: Option<usize>,
    /// The value as written (quotes kept) and its unquoted form.
    pub value: Option<VarValue>,
    /// A stage `ARG X` without a value that takes the global ARG X's default.
    pub inherits: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarValue {
    pub raw: String,
    pub unquoted: String,
    pub span: Span,
}

impl VarDef {
    /// The default that applies, following a redeclared ARG to its global definition.
    pub fn effective_value<'a>(&'a self, model: &'a Model) -> Option<&'a VarValue> {
        match (&self.value, self.inherits) {
            (Some(value), _) => Some(value),
            (None, Some(global)) => model.var_defs.get(global)?.value.as_ref(),
            (None, None) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarResolution {
    /// Index into `Model::var_defs`.
    Defined(usize),
    /// A predefined ARG BuildKit provides in this scope.
    Predefined(&'static crate::knowledge::PredefinedArg),
    Undefined,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarUse {
    pub reference: VarRef,
    pub instruction: usize,
    /// `None` for uses in global ARG defaults and FROM lines' global scope.
    pub stage: Option<usize>,
    pub resolution: VarResolution,
}

impl Model {
    pub fn build(tree: &SyntaxTree) -> Model {
        let (global_args, stages) = stages::collect_stages(tree);
        let mut model = Model {
            global_args,
            stages,
            stage_refs: Vec::new(),
            var_defs: Vec::new(),
            var_uses: Vec::new(),
            graph: StageGraph::default(),
        };
        stages::resolve_references(tree, &mut model);
        variables::resolve_variables(tree, &mut model);
        model.graph = StageGraph::build(&model);
        model
    }

    /// The stage holding instruction `index`; `None` before the first FROM.
    pub fn stage_of_instruction(&self, index: usize) -> Option<usize> {
        let position = self
            .stages
            .partition_point(|stage| stage.instructions.start <= index);
        let stage = position.checked_sub(1)?;
        self.stages
            .get(stage)
            .filter(|s| s.instructions.contains(&index))
            .map(|s| s.index)
    }

    /// The stage whose span touches `offset`.
    pub fn stage_at(&self, offset: usize) -> Option<&Stage> {
        self.stages.iter().find(|stage| stage.span.touches(offset))
    }

    /// Looks a stage up by name the way `--from` does: case-insensitive, among all stages.
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        let key = name.to_lowercase();
        self.stages
            .iter()
            .find(|stage| stage.name.as_ref().is_some_and(|n| n.key == key))
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Every reference that resolves to stage `index`.
    pub fn references_to(&self, index: usize) -> impl Iterator<Item = &StageRef> {
        self.stage_refs.iter().filter(move |r| {
            matches!(r.resolution, Resolution::Stage(target) | Resolution::CaseMismatch(target) if target == index)
        })
    }

    /// The stage reference whose span touches `offset`.
    pub fn stage_ref_at(&self, offset: usize) -> Option<&StageRef> {
        self.stage_refs.iter().find(|r| r.span.touches(offset))
    }

    /// The variable use whose span touches `offset`.
    pub fn var_use_at(&self, offset: usize) -> Option<&VarUse> {
        self.var_uses
            .iter()
            .find(|u| u.reference.span.touches(offset))
    }

    /// The variable definition whose name touches `offset`.
    pub fn var_def_at(&self, offset: usize) -> Option<(usize, &VarDef)> {
        self.var_defs
            .iter()
            .enumerate()
            .find(|(_, d)| d.name_span.touches(offset))
    }

    /// Variables visible at instruction `index` for a use expanded by `expansion`, latest
    /// definition of each name first.
    pub fn visible_vars(
        &self,
        instruction: usize,
        expansion: crate::syntax::Expansion,
    ) -> Vec<VarResolution> {
        variables::visible(self, instruction, expansion)
    }
}

#[cfg(test)]
mod tests;

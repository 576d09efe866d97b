//! The stage dependency graph and what the final stage (or a `--target`) needs.

use std::collections::VecDeque;

use super::{Model, Resolution, StageRefKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageEdge {
    /// The stage that uses another.
    pub from: usize,
    /// The stage it uses.
    pub to: usize,
    pub kind: StageRefKind,
    /// Index into `Model::stage_refs`.
    pub reference: usize,
    /// The reference may name this stage, depending on build arguments.
    pub possible: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StageGraph {
    pub edges: Vec<StageEdge>,
    /// `reachable[i]`: the default target (the last stage) needs stage `i`.
    pub reachable: Vec<bool>,
}

impl StageGraph {
    pub(super) fn build(model: &Model) -> StageGraph {
        let mut edges = Vec::new();
        for (position, reference) in model.stage_refs.iter().enumerate() {
            let edge = |to: usize, possible: bool| StageEdge {
                from: reference.stage,
                to,
                kind: reference.kind,
                reference: position,
                possible,
            };
            if let Resolution::Stage(to) = reference.resolution {
                edges.push(edge(to, false));
            }
            edges.extend(reference.possible_stages.iter().map(|&to| edge(to, true)));
        }
        let mut graph = StageGraph {
            edges,
            reachable: Vec::new(),
        };
        graph.reachable = match model.stages.len().checked_sub(1) {
            Some(last) => graph.reachable_from(last, model.stages.len()),
            None => Vec::new(),
        };
        graph
    }

    /// Which stages building `target` needs (`target` included).
    pub fn reachable_from(&self, target: usize, stage_count: usize) -> Vec<bool> {
        // Each stage's dependencies gathered once: scanning every edge per stage is quadratic.
        let mut uses = vec![Vec::new(); stage_count];
        for edge in &self.edges {
            if let Some(targets) = uses.get_mut(edge.from) {
                targets.push(edge.to);
            }
        }
        let mut reachable = vec![false; stage_count];
        let mut queue = VecDeque::from([target]);
        while let Some(stage) = queue.pop_front() {
            match reachable.get_mut(stage) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            if let Some(targets) = uses.get(stage) {
                queue.extend(targets);
            }
        }
        reachable
    }

    /// Edges out of `stage`: what it uses.
    pub fn dependencies(&self, stage: usize) -> impl Iterator<Item = &StageEdge> {
        self.edges.iter().filter(move |edge| edge.from == stage)
    }

    /// Edges into `stage`: who uses it.
    pub fn dependents(&self, stage: usize) -> impl Iterator<Item = &StageEdge> {
        self.edges.iter().filter(move |edge| edge.to == stage)
    }

    pub fn is_reachable(&self, stage: usize) -> bool {
        self.reachable.get(stage).copied().unwrap_or(false)
    }
}

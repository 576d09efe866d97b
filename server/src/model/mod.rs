//! Semantic model over the syntax tree: stages, stage references, ARG/ENV scopes, graph.

//! The stage graph as DOT, Mermaid or a self-contained SVG: stages left to right by dependency
//! depth, edges labelled by how a stage is used (FROM, COPY --from, mount), the final stage
//! highlighted, stages the final stage does not need greyed out.

use std::fmt::Write;

use crate::model::{Model, StageRefKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
}

impl GraphFormat {
    pub fn from_name(name: &str) -> Option<GraphFormat> {
        match name.to_ascii_lowercase().as_str() {
            "dot" => Some(GraphFormat::Dot),
            "mermaid" => Some(GraphFormat::Mermaid),
            "svg" => Some(GraphFormat::Svg),
            _ => None,
        }
    }
}

struct Node {
    label: String,
    base: String,
    is_final: bool,
    needed: bool,
    column: usize,
    row: usize,
}

struct Edge {
    from: usize,
    to: usize,
    label: &'static str,
}

pub fn stage_graph(model: &Model, format: GraphFormat) -> String {
    let (nodes, edges) = layout(model);
    match format {
        GraphFormat::Dot => dot(&nodes, &edges),
        GraphFormat::Mermaid => mermaid(&nodes, &edges),
        GraphFormat::Svg => svg(&nodes, &edges),
    }
}

fn edge_label(kind: StageRefKind) -> &'static str {
    match kind {
        StageRefKind::From => "FROM",
        StageRefKind::CopyFrom | StageRefKind::OnbuildCopyFrom => "COPY --from",
        StageRefKind::MountFrom | StageRefKind::OnbuildMountFrom => "mount",
    }
}

fn layout(model: &Model) -> (Vec<Node>, Vec<Edge>) {
    let last = model.stages.len().saturating_sub(1);
    let mut columns = vec![0usize; model.stages.len()];
    for stage in &model.stages {
        let column = model
            .graph
            .dependencies(stage.index)
            .filter(|edge| edge.to < stage.index)
            .filter_map(|edge| columns.get(edge.to).map(|c| c + 1))
            .max()
            .unwrap_or(0);
        if let Some(slot) = columns.get_mut(stage.index) {
            *slot = column;
        }
    }
    let mut rows_used = vec![0usize; model.stages.len() + 1];
    let nodes = model
        .stages
        .iter()
        .map(|stage| {
            let column = columns.get(stage.index).copied().unwrap_or(0);
            let row = rows_used.get(column).copied().unwrap_or(0);
            if let Some(used) = rows_used.get_mut(column) {
                *used += 1;
            }
            Node {
                label: stage.display_name(),
                base: stage
                    .base
                    .as_ref()
                    .map_or_else(String::new, |b| b.text.clone()),
                is_final: stage.index == last,
                needed: model.graph.is_reachable(stage.index),
                column,
                row,
            }
        })
        .collect();
    let mut edges: Vec<Edge> = Vec::new();
    for edge in &model.graph.edges {
        let label = if edge.possible {
            "FROM (maybe)"
        } else {
            edge_label(edge.kind)
        };
        if !edges
            .iter()
            .any(|e| e.from == edge.to && e.to == edge.from && e.label == label)
        {
            edges.push(Edge {
                from: edge.to,
                to: edge.from,
                label,
            });
        }
    }
    (nodes, edges)
}

fn dot(nodes: &[Node], edges: &[Edge]) -> String {
    let quote = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    };
    let mut out =
        String::from("digraph stages {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    for (index, node) in nodes.iter().enumerate() {
        let mut attributes = format!("label=\"{}\\n{}\"", quote(&node.label), quote(&node.base));
        if node.is_final {
            attributes.push_str(", penwidth=2, color=\"#1f6feb\"");
        } else if !node.needed {
            attributes.push_str(", color=gray, fontcolor=gray");
        }
        let _ = writeln!(out, "  s{index} [{attributes}];");
    }
    for edge in edges {
        let _ = writeln!(
            out,
            "  s{} -> s{} [label=\"{}\"];",
            edge.from, edge.to, edge.label
        );
    }
    out.push_str("}\n");
    out
}

fn mermaid(nodes: &[Node], edges: &[Edge]) -> String {
    let quote = |s: &str| {
        s.replace('&', "#amp;")
            .replace('"', "#quot;")
            .replace('<', "#lt;")
            .replace('>', "#gt;")
    };
    let mut out = String::from("flowchart LR\n");
    for (index, node) in nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  s{index}[\"{}<br/>{}\"]",
            quote(&node.label),
            quote(&node.base)
        );
    }
    for edge in edges {
        let _ = writeln!(
            out,
            "  s{} -->|{}| s{}",
            edge.from,
            quote(edge.label),
            edge.to
        );
    }
    for (index, node) in nodes.iter().enumerate() {
        if node.is_final {
            let _ = writeln!(out, "  style s{index} stroke:#1f6feb,stroke-width:3px");
        } else if !node.needed {
            let _ = writeln!(
                out,
                "  style s{index} stroke:#999,color:#999,stroke-dasharray:4"
            );
        }
    }
    out
}

const NODE_WIDTH: usize = 200;
const NODE_HEIGHT: usize = 54;
const COLUMN_GAP: usize = 90;
const ROW_GAP: usize = 30;
const MARGIN: usize = 20;

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Truncates long labels so they fit in a node.
fn fit(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{kept}…")
}

fn svg(nodes: &[Node], edges: &[Edge]) -> String {
    let position = |node: &Node| {
        (
            MARGIN + node.column * (NODE_WIDTH + COLUMN_GAP),
            MARGIN + node.row * (NODE_HEIGHT + ROW_GAP),
        )
    };
    let width = nodes
        .iter()
        .map(|n| position(n).0 + NODE_WIDTH + MARGIN)
        .max()
        .unwrap_or(2 * MARGIN);
    let height = nodes
        .iter()
        .map(|n| position(n).1 + NODE_HEIGHT + MARGIN)
        .max()
        .unwrap_or(2 * MARGIN);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    for edge in edges {
        let (Some(from), Some(to)) = (nodes.get(edge.from), nodes.get(edge.to)) else {
            continue;
        };
        let (fx, fy) = position(from);
        let (tx, ty) = position(to);
        let (x1, y1) = (fx + NODE_WIDTH, fy + NODE_HEIGHT / 2);
        let (x2, y2) = (tx, ty + NODE_HEIGHT / 2);
        let middle = (x1 + x2) / 2;
        let _ = writeln!(
            out,
            "<path d=\"M {x1} {y1} C {middle} {y1}, {middle} {y2}, {x2} {y2}\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>\n<text x=\"{middle}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\" font-size=\"10\">{}</text>",
            (y1 + y2) / 2 - 4,
            xml(edge.label)
        );
    }
    for node in nodes {
        let (x, y) = position(node);
        let (stroke, width, text, dash) = if node.is_final {
            ("#1f6feb", 3, "#000", "")
        } else if node.needed {
            ("#333", 1, "#000", "")
        } else {
            ("#aaa", 1, "#999", " stroke-dasharray=\"4 3\"")
        };
        let _ = writeln!(
            out,
            "<g><rect x=\"{x}\" y=\"{y}\" width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"8\" fill=\"#fafafa\" stroke=\"{stroke}\" stroke-width=\"{width}\"{dash}/>\n<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"{text}\">{}</text>\n<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{text}\">{}</text></g>",
            x + NODE_WIDTH / 2,
            y + 22,
            xml(&fit(&node.label, 28)),
            x + NODE_WIDTH / 2,
            y + 40,
            xml(&fit(&node.base, 32)),
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::syntax::parse;

    const FILE: &str = "FROM node:20 AS deps\nFROM deps AS build\nFROM node:20 AS lint\nFROM node:20-alpine AS runner\nCOPY --from=build /app/dist ./dist\nCOPY --from=deps /app/node_modules ./node_modules\n";

    fn render(format: GraphFormat) -> String {
        let tree = parse(FILE).tree;
        let model = Model::build(&tree);
        stage_graph(&model, format)
    }

    #[test]
    fn dot_and_mermaid() {
        expect![[r##"
            digraph stages {
              rankdir=LR;
              node [shape=box, style=rounded];
              s0 [label="deps\nnode:20"];
              s1 [label="build\ndeps"];
              s2 [label="lint\nnode:20", color=gray, fontcolor=gray];
              s3 [label="runner\nnode:20-alpine", penwidth=2, color="#1f6feb"];
              s0 -> s1 [label="FROM"];
              s1 -> s3 [label="COPY --from"];
              s0 -> s3 [label="COPY --from"];
            }
        "##]]
        .assert_eq(&render(GraphFormat::Dot));
        expect![[r#"
            flowchart LR
              s0["deps<br/>node:20"]
              s1["build<br/>deps"]
              s2["lint<br/>node:20"]
              s3["runner<br/>node:20-alpine"]
              s0 -->|FROM| s1
              s1 -->|COPY --from| s3
              s0 -->|COPY --from| s3
              style s2 stroke:#999,color:#999,stroke-dasharray:4
              style s3 stroke:#1f6feb,stroke-width:3px
        "#]]
        .assert_eq(&render(GraphFormat::Mermaid));
    }

    #[test]
    fn svg_escapes_hostile_names() {
        let tree = parse("FROM \"<script>&\" AS a\nFROM a\n").tree;
        let model = Model::build(&tree);
        let svg = stage_graph(&model, GraphFormat::Svg);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("&quot;&lt;script&gt;&amp;&quot;"));
        assert!(!svg.contains("<script>"));
    }
}

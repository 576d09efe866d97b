//! `stagesmith graph FILE --format dot|mermaid|svg`: the stage dependency graph.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Status, print_stdout};
use crate::ide::graph::{GraphFormat, stage_graph};
use crate::model::Model;
use crate::syntax;

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphOutput::Dot)]
    format: GraphOutput,
    /// The Dockerfile.
    file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphOutput {
    Dot,
    Mermaid,
    Svg,
}

pub fn run(args: &GraphArgs) -> Status {
    let text = match super::read_dockerfile(&args.file) {
        Ok(text) => text,
        Err(status) => return status,
    };
    let tree = syntax::parse(&text).tree;
    let format = match args.format {
        GraphOutput::Dot => GraphFormat::Dot,
        GraphOutput::Mermaid => GraphFormat::Mermaid,
        GraphOutput::Svg => GraphFormat::Svg,
    };
    print_stdout(&stage_graph(&Model::build(&tree), format))
}

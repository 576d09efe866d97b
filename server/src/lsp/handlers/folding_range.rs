//! `textDocument/foldingRange`: stages, multi-line instructions, heredoc bodies, comment blocks.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::folding::{FoldKind, folding_ranges};
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

pub fn folding_range(
    session: &Session,
    params: &FoldingRangeParams,
) -> jsonrpc::Result<Option<Vec<FoldingRange>>> {
    on_document(
        session,
        "textDocument/foldingRange",
        &params.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let ranges = folding_ranges(snapshot.tree(), snapshot.model())
                .into_iter()
                .filter_map(|fold| {
                    let range = index.range(fold.span);
                    (range.end.line > range.start.line).then(|| FoldingRange {
                        start_line: range.start.line,
                        end_line: range.end.line,
                        kind: Some(match fold.kind {
                            FoldKind::Comment => FoldingRangeKind::Comment,
                            FoldKind::Stage | FoldKind::Instruction | FoldKind::Heredoc => {
                                FoldingRangeKind::Region
                            }
                        }),
                        ..FoldingRange::default()
                    })
                })
                .collect();
            Some(ranges)
        },
    )
}

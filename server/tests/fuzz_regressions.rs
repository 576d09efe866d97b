//! Every input the fuzzers (server/fuzz) found a failure with, replayed under the same checks the
//! fuzz targets make.

#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

fn replay(input: &str) {
    fuzz_checks::check_parse_model(input.as_bytes());
    fuzz_checks::check_ide_features(input.as_bytes());
}

/// ide_features: semantic tokens were split at `\n` only, so a lone `\r` (a line break to LSP)
/// inside a heredoc body or a quoted value left a token crossing lines.
#[test]
fn lone_carriage_return_inside_a_token() {
    replay("FROM alpine\nRUN <<EOT\n  protoc --go_out=/out --go\rgrpc_out=x \\\n  echo\nEOT\n");
    replay("FROM alpine\nRUN <<EOT\nab\rcd\nEOT\n");
    replay("FROM alpine\nLABEL a=\"x\ry\"\n");
}

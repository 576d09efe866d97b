//! Every ide feature at several offsets of arbitrary text: no panic, spans and edits inside the
//! text, fixes and assists that re-parse (see `check_ide_features`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| stagesmith_fuzz::check_ide_features(data));

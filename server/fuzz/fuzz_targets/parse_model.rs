//! Parse + model on arbitrary input: no panic, and the tokens give the input back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| stagesmith_fuzz::check_parse_model(data));

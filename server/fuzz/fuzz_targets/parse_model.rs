//! Parse + model on arbitrary input: no panic, and the tokens give the input back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stagesmith::model::Model;
use stagesmith::syntax::parse;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parse = parse(&text);
    assert_eq!(parse.tree.to_source(), text);
    let model = Model::build(&parse.tree);
    for reference in &model.stage_refs {
        assert!(reference.span.end <= text.len());
    }
    for stage in &model.stages {
        assert!(stage.span.start <= stage.span.end && stage.span.end <= text.len());
    }
});

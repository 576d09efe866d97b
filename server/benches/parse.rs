//! Parse + model throughput over the real corpus and over a generated 10,000-line, 100-stage file.
//! Target (issue 2): at least 100 MB/s on one core. `cargo bench --bench parse`.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stagesmith::model::Model;
use stagesmith::syntax::parse;

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    let mut files: Vec<_> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_none_or(|e| e != "tsv"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .collect()
}

/// 100 stages of 100 lines each: ARGs, ENVs, continued RUNs with mounts, COPY --from chains.
pub fn generated(stages: usize, lines_per_stage: usize) -> String {
    let mut out = String::from("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\n");
    for stage in 0..stages {
        out.push_str(&format!("FROM ${{BASE}} AS stage{stage}\n"));
        let mut lines = 1;
        while lines < lines_per_stage {
            out.push_str(&format!(
                "ENV VAR_{stage}_{lines}=value-{lines} PATH=/opt/bin:$PATH\n"
            ));
            out.push_str(&format!(
                "RUN --mount=type=cache,target=/root/.cache \\\n    echo \"$VAR_{stage}_{lines}\" && \\\n    make -j4 target-{lines}\n"
            ));
            if stage > 0 {
                out.push_str(&format!(
                    "COPY --from=stage{} /out/{lines} /in/{lines}\n",
                    stage - 1
                ));
            } else {
                out.push_str(&format!("COPY src/{lines} /in/{lines}\n"));
            }
            lines += 5;
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse+model");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("real corpus (283 files)", |b| {
        b.iter(|| {
            for text in &files {
                let parse = parse(black_box(text));
                black_box(Model::build(&parse.tree));
            }
        })
    });
    let big = generated(100, 100);
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("generated 10k lines, 100 stages", |b| {
        b.iter(|| {
            let parse = parse(black_box(&big));
            black_box(Model::build(&parse.tree));
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

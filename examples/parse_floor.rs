//! The benchmark floor (BENCHMARKS.md, issue 5): the least any Markdown-aware
//! linter must do on a tree. Finds every `*.md` under a root, reads it and
//! parses it with pulldown-cmark using loclint's options, consuming every
//! event with its offsets, in parallel with rayon. Prints the file count.
//!
//! ```text
//! cargo run --release --example parse_floor -- ROOT [--jobs N]
//! ```
//!
//! Nothing is skipped: each event and its range go through
//! `std::hint::black_box`, so the optimiser cannot drop the parse.

use std::hint::black_box;
use std::path::PathBuf;

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

fn main() {
    let mut root = None;
    let mut jobs = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage()),
            "-h" | "--help" => usage(),
            _ if root.is_none() => root = Some(PathBuf::from(arg)),
            _ => usage(),
        }
    }
    let root = root.unwrap_or_else(|| usage());

    let files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();

    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().unwrap_or_else(|error| {
        eprintln!("parse_floor: cannot start threads: {error}");
        std::process::exit(2);
    });
    let (bytes, events) = pool.install(|| {
        files
            .par_iter()
            .map(|path| match std::fs::read(path) {
                Ok(bytes) => (bytes.len(), parse(&bytes)),
                Err(error) => {
                    eprintln!("parse_floor: {}: {error}", path.display());
                    (0, 0)
                }
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!("{} files, {bytes} bytes, {events} events", files.len());
}

/// Parses one file the way loclint does and returns the number of events.
fn parse(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut events = 0;
    for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
        black_box((&event, &range));
        events += 1;
    }
    events
}

fn usage() -> ! {
    eprintln!("usage: parse_floor ROOT [--jobs N]");
    std::process::exit(2);
}

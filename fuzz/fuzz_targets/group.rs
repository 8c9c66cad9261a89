//! Arbitrary bytes split into a source, up to two copies and an optional
//! `loclint.toml`, linted as one article with every rule, reported in every
//! format, then fixed: every finding's spans must be valid, and a second
//! lint after `--fix` must find nothing left to fix (SPEC §7).
//!
//! Input: `source SEPARATOR ja-jp copy SEPARATOR ko-kr copy SEPARATOR config`;
//! missing parts are missing files.
#![no_main]

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use loclint::diagnostic::{Location, SourceFile};
use loclint::report::{self, Format, Style};
use loclint::{fix, Request, Settings};

/// What separates the parts of an input (see `fuzz/run`, which builds the
/// seeds of this target from the fixtures' source/copy pairs).
const SEPARATOR: &[u8] = b"\n\0=8<=\0\n";
const FILES: [&str; 3] = ["en-us/article.md", "ja-jp/article.md", "ko-kr/article.md"];

fuzz_target!(|bytes: &[u8]| {
    let root = root();
    let mut parts = split(bytes);
    for file in FILES {
        let path = root.join(file);
        match parts.next() {
            Some(part) => std::fs::write(&path, part).expect("write a part"),
            None => remove(&path),
        }
    }
    let config = root.join("loclint.toml");
    match parts.next() {
        Some(part) if !part.is_empty() => std::fs::write(&config, part).expect("write the config"),
        _ => remove(&config),
    }
    let request = Request {
        paths: vec![root.to_path_buf()],
        select: loclint::RULES.iter().map(|rule| rule.name.to_string()).collect(),
        jobs: Some(1),
        ..Request::default()
    };
    // A config that does not parse or resolve is the config target's business.
    let Ok(settings) = Settings::resolve(&request) else {
        return;
    };
    let Ok(report) = loclint::lint(&settings) else {
        return;
    };
    for diagnostic in &report.diagnostics {
        if let Some(location) = &diagnostic.location {
            check_location("finding", location);
            for (span, _) in &diagnostic.secondary {
                check_span("secondary label", &location.file, span);
            }
            if let Some(fix) = &diagnostic.fix {
                for edit in &fix.edits {
                    check_span("fix", &location.file, &edit.span);
                }
            }
        }
        if let Some(related) = &diagnostic.related {
            check_location("related", &related.0);
        }
    }
    // The human report renders every span; one other format per input (the
    // SARIF one alone, with every rule's docs, would halve the speed).
    let style = Style { color: false, width: 80, full_source_diffs: false };
    let other = [Format::Concise, Format::Json, Format::Sarif, Format::Github, Format::Junit][bytes.len() % 5];
    for format in [Format::Human, other] {
        report::write(format, &report, style, &mut std::io::sink()).expect("write a report");
    }
    let planned = fix::plan(&settings.root, &report.diagnostics);
    if planned.is_empty() {
        return;
    }
    std::hint::black_box(fix::diff(&planned));
    let outcomes = fix::apply(&planned);
    assert!(
        outcomes.iter().all(|outcome| matches!(outcome, fix::Outcome::Written)),
        "every planned fix is written into the fuzzer's own tree: {outcomes:?}"
    );
    let again = loclint::lint(&settings).expect("lint the fixed tree");
    let left = fix::plan(&settings.root, &again.diagnostics);
    assert!(
        left.is_empty(),
        "a second --fix would change {:?}: {:?}",
        left.iter().map(|file| &file.display).collect::<Vec<_>>(),
        again.diagnostics.iter().filter(|d| d.fix.is_some()).map(|d| &d.message).collect::<Vec<_>>()
    );
});

/// One tree per fuzzing process, rewritten for every input.
fn root() -> &'static Path {
    static ROOT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &ROOT
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let root = dir.path().canonicalize().expect("canonical temporary folder");
            for file in FILES {
                std::fs::create_dir_all(root.join(file).parent().expect("a parent")).expect("create a locale folder");
            }
            (dir, root)
        })
        .1
}

fn remove(path: &Path) {
    if path.exists() {
        std::fs::remove_file(path).expect("remove a file of the previous input");
    }
}

fn split(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.windows(SEPARATOR.len()).position(|window| window == SEPARATOR) {
            Some(at) => {
                rest = Some(&current[at + SEPARATOR.len()..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

fn check_location(what: &str, location: &Location) {
    check_span(what, &location.file, &location.span);
}

/// Panics (a finding) when `span` is reversed, past the end of the text or
/// not on character boundaries.
fn check_span(what: &str, file: &SourceFile, span: &Range<usize>) {
    assert!(span.start <= span.end, "{what} span {span:?} in {} is reversed", file.name);
    assert!(
        file.get(span.clone()).is_some(),
        "{what} span {span:?} in {} is past the end ({} bytes) or inside a character",
        file.name,
        file.len()
    );
    assert!(file.position(span.start) <= file.position(span.end), "{what} span {span:?} positions out of order");
}

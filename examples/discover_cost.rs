//! loclint's discovery next to bare walks of the same tree (BENCHMARKS.md,
//! thirteenth pass): the `walkdir` walk of the parse floor, the `ignore`
//! crate's parallel walk that discovery is built on (doing nothing with its
//! entries), and `discover::discover` (walk, selection, grouping, order),
//! alternated run by run. Prints every run and the median, in milliseconds.
//!
//! ```text
//! cargo run --release --example discover_cost -- ROOT [RUNS]
//! ```

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use loclint::discover::{self, Selection};
use loclint::{Request, Settings};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| usage()));
    let runs: usize = args.next().map_or(Some(9), |runs| runs.parse().ok()).unwrap_or_else(|| usage());
    let request = Request { paths: vec![root], no_history: true, ..Request::default() };
    let settings = Settings::resolve(&request).unwrap_or_else(|error| {
        eprintln!("discover_cost: {error}");
        std::process::exit(2);
    });
    let selection = Selection::of(&settings);
    let walks: [(&str, &dyn Fn() -> usize); 3] = [
        ("walkdir (the floor's walk)", &|| walkdir_files(&settings.root)),
        ("ignore, parallel, entries dropped", &|| ignore_entries(&settings.root)),
        ("discover::discover", &|| discover::discover(&selection).groups.len()),
    ];
    let mut times = vec![Vec::with_capacity(runs); walks.len()];
    let mut found = vec![0; walks.len()];
    for _ in 0..runs {
        for (index, (_, walk)) in walks.iter().enumerate() {
            let started = Instant::now();
            found[index] = walk();
            times[index].push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    for (((name, _), times), found) in walks.iter().zip(&mut times).zip(found) {
        let listed: Vec<String> = times.iter().map(|ms| format!("{ms:.1}")).collect();
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
        println!("{name}: median {median:.1} ms ({found} found; {})", listed.join(" "));
    }
}

/// The `*.md` files, as `examples/parse_floor.rs` lists them.
fn walkdir_files(root: &Path) -> usize {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(walkdir::DirEntry::into_path)
        .fold(0, |count, path| count + usize::from(!std::hint::black_box(path).as_os_str().is_empty()))
}

/// Every entry of the `ignore` crate's parallel walk with discovery's
/// options, each path taken and dropped.
fn ignore_entries(root: &Path) -> usize {
    let count = AtomicUsize::new(0);
    discover::walk_builder(root, true).build_parallel().run(|| {
        Box::new(|entry| {
            if let Ok(entry) = entry {
                std::hint::black_box(entry.into_path());
                count.fetch_add(1, Ordering::Relaxed);
            }
            ignore::WalkState::Continue
        })
    });
    count.into_inner()
}

fn usage() -> ! {
    eprintln!("usage: discover_cost ROOT [RUNS]");
    std::process::exit(2);
}

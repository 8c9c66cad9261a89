//! Arbitrary text through `config::parse`; a rejected config's error must
//! render with its labelled snippet, and an accepted one's globs and layout
//! templates must build or fail with an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loclint::config::{self, LayoutConfig};
use loclint::discover::{self, Layout, Template};

fuzz_target!(|text: &str| {
    match config::parse("loclint.toml", text) {
        Ok(loaded) => {
            let config = &loaded.config;
            if let Some(include) = &config.include {
                let _ = discover::glob_set(include, "include");
            }
            let _ = discover::glob_set(&config.exclude, "exclude");
            for (paths, _) in &loaded.overrides {
                let _ = discover::glob_set(paths, "overrides");
            }
            if let LayoutConfig::Template { source, copy } = &config.layout {
                if let (Ok(source), Ok(copy)) = (Template::new(source), Template::new(copy)) {
                    let layout = Layout::Template { source, copy };
                    for path in ["docs/a.md", "i18n/ja-jp/docs/a/b.md", "a/b.ja-jp.md", "ja-jp/a.md", "", "/"] {
                        if let Some((locale, key)) = layout.classify(path, "en-us") {
                            std::hint::black_box(layout.path_for(&key, &locale, "en-us"));
                            std::hint::black_box(layout.path_for(&key, "ko-kr", "en-us"));
                        }
                    }
                }
            }
        }
        Err(error) => {
            // The snippet under the message: spans past the end or inside a
            // character would panic or fail here.
            let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
            let mut rendered = String::new();
            handler.render_report(&mut rendered, &error).expect("render a config error");
            if let loclint::Error::Config(error) = &error {
                assert!(
                    text.get(error.span.clone()).is_some(),
                    "config error span {:?} is past the end or inside a character",
                    error.span
                );
            }
        }
    }
});

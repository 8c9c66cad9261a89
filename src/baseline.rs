//! Baselines: record today's findings so that only new ones fail a run.
//!
//! A finding's fingerprint is its rule, its path and what it is about (its
//! message names the value, key, target or segment), never its line, so
//! edits elsewhere in a file do not resurface old findings.
//!
//! Both directions stream: [`Writer`] writes a baseline as the engine hands
//! it groups, and [`Filter`] hides recorded findings on their way to a
//! report. A written baseline lists findings in the report's order of
//! groups, each group's entries sorted by path, rule, fingerprint and
//! message; reading one does not depend on the order.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::engine::{BaselineOutcome, GroupReport, Sink, Summary};
use crate::error::Error;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    /// For people reading the file; not compared.
    pub message: String,
}

pub fn fingerprint(diagnostic: &Diagnostic) -> String {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    for part in [diagnostic.rule, diagnostic.path.as_str(), diagnostic.message.as_str()] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    // The first 8 bytes, as 16 hex digits.
    crate::document::hex(&hasher.finalize()[..8])
}

impl Finding {
    fn of(diagnostic: &Diagnostic) -> Finding {
        Finding {
            path: diagnostic.path.clone(),
            rule: diagnostic.rule.to_string(),
            fingerprint: fingerprint(diagnostic),
            message: diagnostic.message.clone(),
        }
    }
}

impl Baseline {
    /// All of `diagnostics` at once, sorted (one group's worth of [`Writer`]).
    pub fn from_diagnostics(diagnostics: &[Diagnostic]) -> Baseline {
        let mut findings: Vec<Finding> = diagnostics.iter().map(Finding::of).collect();
        findings.sort();
        Baseline { version: 1, findings }
    }

    pub fn load(path: &Path) -> Result<Baseline, Error> {
        let text = std::fs::read_to_string(path).map_err(|error| Error::io(path, error))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|error| {
            Error::usage_with_help(
                format!("baseline {} is not a loclint baseline: {error}", path.display()),
                "write a new one with `loclint lint --write-baseline FILE`",
            )
        })?;
        if baseline.version != 1 {
            return Err(Error::usage(format!(
                "baseline {} has version {}; this loclint reads version 1",
                path.display(),
                baseline.version
            )));
        }
        Ok(baseline)
    }

    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let mut json = serde_json::to_string_pretty(self).map_err(|error| Error::io(path, error))?;
        json.push('\n');
        crate::write::atomic(path, json.as_bytes())
    }

    /// The sink that hides this baseline's findings from `inner`.
    pub fn filter<'s>(&self, inner: &'s mut dyn Sink) -> Filter<'s> {
        let mut remaining: BTreeMap<(String, String), usize> = BTreeMap::new();
        for finding in &self.findings {
            *remaining.entry((finding.path.clone(), finding.fingerprint.clone())).or_default() += 1;
        }
        Filter { remaining, inner, hidden: Summary::default(), kept: Vec::new() }
    }
}

/// Writes a baseline file as the findings come (a [`Sink`]).
pub struct Writer<W: Write> {
    out: W,
    entries: Option<crate::report::JsonArray>,
    written: usize,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Self {
        Writer { out, entries: None, written: 0 }
    }

    /// The findings written so far, and the output.
    pub fn into_inner(self) -> (usize, W) {
        (self.written, self.out)
    }

    fn document() -> io::Result<String> {
        Ok(serde_json::to_string_pretty(&Baseline { version: 1, findings: Vec::new() })?)
    }

    fn entries(&mut self) -> io::Result<&mut crate::report::JsonArray> {
        if self.entries.is_none() {
            self.entries = Some(crate::report::JsonArray::start(&mut self.out, &Self::document()?, FINDINGS)?);
        }
        self.entries.as_mut().ok_or_else(|| io::Error::other("the baseline is not open"))
    }
}

const FINDINGS: &str = "findings";

impl<W: Write> Sink for Writer<W> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        let mut findings: Vec<Finding> = group.findings.iter().map(Finding::of).collect();
        findings.sort();
        self.entries()?;
        let Writer { out, entries: Some(entries), written } = self else {
            return Ok(());
        };
        for finding in &findings {
            entries.push(out, finding)?;
        }
        *written += findings.len();
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        self.entries()?;
        if let Some(entries) = &self.entries {
            entries.finish(&mut self.out, &Self::document()?, FINDINGS)?;
        }
        writeln!(self.out)?;
        self.out.flush()
    }
}

/// Hides a baseline's findings on their way to another sink; each entry
/// hides one finding. The summary it passes on counts only what is shown,
/// and says how many were hidden and how many entries matched nothing.
pub struct Filter<'s> {
    remaining: BTreeMap<(String, String), usize>,
    inner: &'s mut dyn Sink,
    /// Counts of the hidden findings.
    hidden: Summary,
    kept: Vec<Diagnostic>,
}

impl Filter<'_> {
    /// `summary` (the engine's totals) as the report shows it.
    pub fn adjusted(&self, summary: &Summary) -> Summary {
        let mut adjusted = summary.clone();
        adjusted.errors -= self.hidden.errors.min(adjusted.errors);
        adjusted.warnings -= self.hidden.warnings.min(adjusted.warnings);
        adjusted.infos -= self.hidden.infos.min(adjusted.infos);
        let hidden = self.hidden.errors + self.hidden.warnings + self.hidden.infos;
        adjusted.baseline = Some(BaselineOutcome { hidden, fixed: self.remaining.values().sum() });
        adjusted
    }

    fn hides(&mut self, diagnostic: &Diagnostic) -> bool {
        match self.remaining.get_mut(&(diagnostic.path.clone(), fingerprint(diagnostic))) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        }
    }
}

impl Sink for Filter<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        let hidden: Vec<bool> = group.findings.iter().map(|diagnostic| self.hides(diagnostic)).collect();
        if !hidden.contains(&true) {
            return self.inner.group(group);
        }
        let mut kept = std::mem::take(&mut self.kept);
        kept.clear();
        for (diagnostic, hidden) in group.findings.iter().zip(hidden) {
            if hidden {
                self.hidden.tally(std::slice::from_ref(diagnostic), 1);
            } else {
                kept.push(diagnostic.clone());
            }
        }
        let written = self.inner.group(&GroupReport { findings: &kept, ..*group });
        kept.clear();
        self.kept = kept;
        written
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let adjusted = self.adjusted(summary);
        self.inner.finish(&adjusted)
    }
}

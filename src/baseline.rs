//! Baselines: record today's findings so that only new ones fail a run.
//!
//! A finding's fingerprint is its rule, its path and what it is about (its
//! message names the value, key, target or segment), never its line, so
//! edits elsewhere in a file do not resurface old findings.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
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
    let mut hasher = sha1_smol::Sha1::new();
    for part in [diagnostic.rule, diagnostic.path.as_str(), diagnostic.message.as_str()] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    hasher.digest().to_string()[..16].to_string()
}

impl Baseline {
    pub fn from_diagnostics(diagnostics: &[Diagnostic]) -> Baseline {
        let mut findings: Vec<Finding> = diagnostics
            .iter()
            .map(|diagnostic| Finding {
                path: diagnostic.path.clone(),
                rule: diagnostic.rule.to_string(),
                fingerprint: fingerprint(diagnostic),
                message: diagnostic.message.clone(),
            })
            .collect();
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

    /// Removes the findings the baseline records (each entry hides one
    /// finding) and returns how many were hidden and how many baseline
    /// entries no longer match anything (fixed since).
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>) -> (usize, usize) {
        let mut remaining: BTreeMap<(String, String), usize> = BTreeMap::new();
        for finding in &self.findings {
            *remaining.entry((finding.path.clone(), finding.fingerprint.clone())).or_default() += 1;
        }
        let before = diagnostics.len();
        diagnostics.retain(|diagnostic| match remaining.get_mut(&(diagnostic.path.clone(), fingerprint(diagnostic))) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        });
        (before - diagnostics.len(), remaining.values().sum())
    }
}

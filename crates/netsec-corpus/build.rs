//! Embeds every `tests/corpus/*.json` file: writes `corpus_files.rs` into
//! `OUT_DIR`, one `(file name, include_str!(path))` entry per file sorted by
//! name, so a new corpus file is picked up without editing a list.

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

fn main() -> Result<(), Box<dyn Error>> {
    let manifest =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR unset")?);
    let dir = fs::canonicalize(manifest.join("../../tests/corpus"))
        .map_err(|e| format!("the corpus directory tests/corpus: {e}"))?;
    // The directory's own entry changes when a file is added or removed.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with(".json") {
            files.push((name, path));
        }
    }
    files.sort();
    let mut out = String::from(
        "/// Every corpus file as (file name, contents), sorted by name.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let path = path
            .to_str()
            .ok_or_else(|| format!("{} is not UTF-8", path.display()))?;
        writeln!(out, "    ({name:?}, include_str!({path:?})),")?;
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR unset")?).join("corpus_files.rs");
    fs::write(dest, out)?;
    Ok(())
}

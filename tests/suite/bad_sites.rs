//! The `tests/bad/` corpus: one broken mini-site per folder, each with an `expected` file that
//! lists every error as `error <code> <file>:<line>:<column>`. `gloss check --format json` must
//! report exactly those errors; the human output of each case is kept as a snapshot.
//!
//! To add a case: make a folder with a site.toml and the broken content, run
//! `gloss check --root tests/bad/<case> --format json`, check each position by hand, and write
//! the `expected` file.

use std::path::Path;
use std::process::Command;

fn run(dir: &Path, format: &str) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["check", "--color", "never", "--format", format, "--root"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_bad_site_reports_its_errors_at_the_right_place() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected = std::fs::read_to_string(case.join("expected"))
            .unwrap_or_else(|_| panic!("{name}: no expected file"));
        let mut expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
        expected.sort();
        assert!(
            !expected.is_empty(),
            "{name}: a bad site must expect an error"
        );

        let (code, stdout, _) = run(case, "json");
        let mut actual: Vec<String> = stdout
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l)
                    .unwrap_or_else(|e| panic!("{name}: not JSON: {l}: {e}"))
            })
            .filter(|d| d["severity"] == "error")
            .map(|d| {
                format!(
                    "error {} {}:{}:{}",
                    d["code"].as_str().unwrap(),
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["column"]
                )
            })
            .collect();
        actual.sort();
        if code != Some(1) || actual != expected {
            failures.push(format!(
                "{name}: exit {code:?}\n  expected {expected:?}\n  actual   {actual:?}"
            ));
        }

        let (_, _, human) = run(case, "human");
        insta::assert_snapshot!(format!("bad_{name}"), human);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

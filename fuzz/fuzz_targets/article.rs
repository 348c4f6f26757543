//! Feeds arbitrary bytes, as an article's text, through load, resolve and render.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Files that are not UTF-8 are rejected before parsing (a diagnostic, tested elsewhere);
    // the lossy text still exercises everything after.
    let text = String::from_utf8_lossy(data);
    gloss::fuzz::article(&text);
});

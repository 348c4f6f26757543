//! The one place that names the YAML library.
//!
//! `serde_yaml` is a drop-in from the YAML organisation for the archived upstream crate; keeping
//! every call behind this module means swapping it touches one file.

use serde::de::DeserializeOwned;

/// A YAML problem, with the byte offset into the parsed text where the parser stopped.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub offset: Option<usize>,
}

/// Parses `text` into `T`. Unknown keys, wrong types and syntax errors all come back with the
/// position the parser reported, converted to a byte offset into `text`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let offset = e
            .location()
            .map(|l| crate::diagnostics::offset_of(text, l.line(), l.column()));
        YamlError {
            message: clean_message(&e.to_string()),
            offset,
        }
    })
}

/// serde_yaml appends " at line L column C" to its messages; gloss shows the position itself.
fn clean_message(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    message.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn syntax_errors_carry_an_offset() {
        let text = "a: 1\nb: [unclosed\n";
        let err = from_str::<BTreeMap<String, serde_yaml::Value>>(text).unwrap_err();
        assert!(err.offset.is_some(), "{err:?}");
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }
}

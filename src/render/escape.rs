//! Escaping for HTML text and attributes, and for JSON inside `<script>`.

/// Escapes text for an HTML element's content.
pub fn escape_html(s: &str) -> String {
    escape(s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    })
}

/// Escapes text for a double-quoted attribute value.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    push_attr(&mut out, s);
    out
}

/// [`escape_attr`], appending to `out`.
pub fn push_attr(out: &mut String, s: &str) {
    push_escaped(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    });
}

/// Copies `s`, replacing the ASCII bytes `replace` names.
fn escape(s: &str, replace: impl Fn(u8) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    push_escaped(&mut out, s, replace);
    out
}

/// Appends `s` to `out`, replacing the ASCII bytes `replace` names. Runs between them are
/// copied whole: feeds escape every article's HTML, so this is on the hot path.
fn push_escaped(out: &mut String, s: &str, replace: impl Fn(u8) -> Option<&'static str>) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        if let Some(r) = replace(b) {
            out.push_str(&s[last..i]);
            out.push_str(r);
            last = i + 1;
        }
    }
    out.push_str(&s[last..]);
}

/// JSON that is safe inside `<script type="application/ld+json">`: no `</script>` or `<!--`
/// can end the element early.
pub fn script_json(value: &serde_json::Value) -> String {
    let json = serde_json::to_string(value).expect("a serde_json::Value always serializes");
    script_safe(&json)
}

/// `<`, `>` and `&` as JSON escapes: the JSON means the same, and no `</script>` or `<!--`
/// can end the element early.
pub fn script_safe(json: &str) -> String {
    // One pass, skipping to the next of the three bytes: an entity page's JSON-LD runs to
    // 10 KB and seldom holds any.
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 16);
    let mut last = 0;
    for at in memchr::memchr3_iter(b'<', b'>', b'&', bytes) {
        out.push_str(&json[last..at]);
        out.push_str(match bytes[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        last = at + 1;
    }
    out.push_str(&json[last..]);
    out
}

/// Escapes text for XML content and attributes.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    push_xml(&mut out, s);
    out
}

/// [`escape_xml`], appending to `out`.
pub fn push_xml(out: &mut String, s: &str) {
    push_escaped(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&apos;"),
        _ => None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = serde_json::json!({ "headline": "</script><script>alert(1)</script>" });
        let out = script_json(&v);
        assert!(!out.contains("</script"), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn script_safe_replaces_only_the_three_bytes() {
        assert_eq!(
            script_safe(r#"{"a":"<!-- & -->","b":"é"}"#),
            r#"{"a":"\u003c!-- \u0026 --\u003e","b":"é"}"#
        );
        assert_eq!(script_safe(""), "");
        assert_eq!(script_safe("<"), "\\u003c");
    }

    #[test]
    fn xml_escapes_five_bytes_and_appends() {
        let mut out = String::from("<content>");
        push_xml(&mut out, r#"a "b" & 'c' <d> é"#);
        assert_eq!(
            out,
            "<content>a &quot;b&quot; &amp; &apos;c&apos; &lt;d&gt; é"
        );
        assert_eq!(escape_xml("x<y"), "x&lt;y");
    }

    #[test]
    fn attributes_escape_quotes() {
        assert_eq!(
            escape_attr(r#"a "b" & 'c' <d>"#),
            "a &quot;b&quot; &amp; &#39;c&#39; &lt;d&gt;"
        );
    }
}

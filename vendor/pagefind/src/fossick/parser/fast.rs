//! gloss patch 9: what `DomParser` reads of a page, without lol_html, for pages whose markup is
//! regular enough to be read without an HTML parser's error recovery.
//!
//! `read` walks the HTML once with a plain tokenizer and a stack of open elements, and runs on
//! each start tag, end tag and text the same steps, in the same order, as `DomParser`'s
//! handlers (the `html` handler, the root handler, the exclusions, the text handler, the
//! `script, link` handler). It answers `None`, and the caller runs `DomParser`, for anything
//! where lol_html's reading could differ from a plain one or where `DomParser` would log:
//! a selector option other than the defaults, a document that is not one `<html>` element
//! with every element closed by its own end tag in order, raw text elements (`script`,
//! `style`, `title`, `textarea`...), foreign content (`svg`, `math`), `template`, self-closing
//! syntax on an element that has content, upper-case or unusual names, duplicate attributes,
//! a `<` that starts no tag, NUL, CDATA or processing instructions, and an invalid
//! `data-pagefind-ignore`. The test module compares both readings on every input of the
//! parser's tests and on generated documents.

use std::collections::BTreeMap;

use super::{
    normalize_content, DomParserResult, NodeStatus, ALL_SPACES, ATTRIBUTE_MATCH, INLINE_SELECTORS,
    REMOVE_SELECTORS, SENTENCE_CHARS, SENTENCE_SELECTORS, SPACE_SELECTORS,
};
use crate::SearchOptions;

/// Elements without an end tag in HTML.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content the HTML tokenizer does not read as markup, or reads in another
/// namespace: left to lol_html.
const LEFT_TO_LOL_HTML: &[&str] = &[
    "script",
    "style",
    "title",
    "textarea",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "svg",
    "math",
    "template",
    "frameset",
    "image",
];

/// An open element. Its text is not a string of its own: every open element's text sits at the
/// end of the reader's one buffer, from `start` (where the words it is wrapped in begin) and
/// `content` (where its own text begins), so that an element's text is written once rather
/// than copied into each ancestor as it ends, as `DomParser` does.
struct Node<'h> {
    tag: &'h str,
    start: usize,
    content: usize,
    /// Whether it ends a sentence (`SENTENCE_SELECTORS`) and is weighted, as known from its
    /// start tag.
    sentence: bool,
    weighted: bool,
    status: NodeStatus,
    filter: Option<Vec<String>>,
    sort: Option<Vec<String>>,
    meta: Option<Vec<String>>,
    default_meta: Option<Vec<String>>,
    anchor_ids: Option<Vec<String>>,
}

impl<'h> Node<'h> {
    fn root() -> Self {
        Node {
            tag: "",
            start: 0,
            content: 0,
            sentence: false,
            weighted: false,
            status: NodeStatus::Indexing,
            filter: None,
            sort: None,
            meta: None,
            default_meta: None,
            anchor_ids: None,
        }
    }

    /// `DomParsingNode::get_attribute_pair`, for an element whose text is `value`.
    fn attribute_pair(input: &str, value: &str) -> Option<(String, String)> {
        match input.split_once(':') {
            Some((name, literal)) => Some((name.to_owned(), normalize_content(literal))),
            None if value.is_empty() => None,
            None => Some((input.to_owned(), normalize_content(value))),
        }
    }
}

#[derive(Default)]
struct Data {
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
    meta: BTreeMap<String, String>,
    default_meta: BTreeMap<String, String>,
    anchor_content: BTreeMap<String, String>,
    anchor_titles: BTreeMap<String, String>,
    language: Option<String>,
    has_html_element: bool,
    has_old_bundle_reference: bool,
    has_default_ui_reference: bool,
    anchor_counter: usize,
}

impl Data {
    /// The filters, sort keys and metadata an element whose text is `value` gives when it ends
    /// (both of `DomParser`'s copies of these steps).
    fn collect(&mut self, node: &Node, value: &str) {
        let pair = |input: &str| Node::attribute_pair(input, value);
        for filter in node.filter.iter().flatten() {
            if let Some((filter, value)) = pair(filter) {
                self.filters
                    .entry(filter)
                    .or_default()
                    .push(normalize_content(&value));
            }
        }
        for sort in node.sort.iter().flatten() {
            if let Some((sort, value)) = pair(sort) {
                self.sort.insert(sort, value);
            }
        }
        for meta in node.meta.iter().flatten() {
            if let Some((meta, value)) = pair(meta) {
                self.meta.insert(meta, value);
            }
        }
        for meta in node.default_meta.iter().flatten() {
            if let Some((meta, value)) = pair(meta) {
                self.default_meta.insert(meta, value);
            }
        }
    }
}

/// A start tag's attributes, values as written (lol_html does not decode them either).
struct Attributes<'h>(Vec<(&'h str, &'h str)>);

impl<'h> Attributes<'h> {
    fn get(&self, name: &str) -> Option<&'h str> {
        // lol_html looks names up without regard to ASCII case; names here are lower case.
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// `parse_attr_string`.
    fn parse_attr_string(&self, input: &str) -> Vec<String> {
        if let Some((attrs, literal)) = input.split_once(':') {
            let mut attrs = self.parse_attr_string(attrs);
            if let Some(last) = attrs.last_mut() {
                last.push(':');
                last.push_str(literal);
            }
            return attrs;
        }
        input
            .split(',')
            .map(|chunk| {
                let chunk = chunk.trim();
                if let Some(value) = ATTRIBUTE_MATCH.captures(chunk) {
                    let name = &value["name"];
                    let attr = &value["attribute"];
                    format!("{}:{}", name, self.get(attr).unwrap_or_default())
                } else {
                    chunk.to_owned()
                }
            })
            .collect()
    }
}

fn ends_a_sentence(value: &str) -> bool {
    value
        .chars()
        .last()
        .is_some_and(|c| SENTENCE_CHARS.is_match(c.encode_utf8(&mut [0; 4])))
}

/// Reads `html` as `DomParser` would, or `None` where it cannot promise the same result.
pub(crate) fn read(html: &str, options: &SearchOptions) -> Option<DomParserResult> {
    if options.root_selector != "html" || !options.exclude_selectors.is_empty() {
        return None;
    }
    let mut reader = Reader {
        stack: vec![Node::root()],
        text: String::with_capacity(html.len() / 2),
        data: Data::default(),
    };
    let mut rest = skip_prologue(html)?;
    if !rest.starts_with("<html") {
        return None;
    }
    let mut inside = false;
    loop {
        let Some(lt) = rest.find('<') else {
            if inside || !rest.trim_start().is_empty() {
                return None;
            }
            break;
        };
        if lt > 0 {
            if !inside {
                return None;
            }
            reader.text(&rest[..lt]);
            rest = &rest[lt..];
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            // `<!-->` and `<!--->` end a comment at once in HTML; left to lol_html.
            if after.starts_with('>') || after.starts_with("->") {
                return None;
            }
            rest = &after[after.find("-->")? + 3..];
            continue;
        }
        let bytes = rest.as_bytes();
        if bytes.get(1) == Some(&b'/') {
            let end = rest.find('>')?;
            let name = &rest[2..end];
            if !is_plain_name(name) {
                return None;
            }
            rest = &rest[end + 1..];
            reader.end(name)?;
            if reader.stack.len() == 1 {
                inside = false;
                if !rest.trim_start().is_empty() {
                    return None;
                }
            }
            continue;
        }
        if !inside && reader.stack.len() > 1 {
            return None;
        }
        let (name, attributes, self_closing, after) = start_tag(rest)?;
        if !inside {
            if name != "html" || reader.data.has_html_element {
                return None;
            }
            inside = true;
        }
        rest = after;
        if LEFT_TO_LOL_HTML.contains(&name) {
            return None;
        }
        let void = VOID.contains(&name);
        if self_closing && !void {
            return None;
        }
        reader.start(name, &attributes, void)?;
    }
    if reader.stack.len() != 1 || !reader.data.has_html_element {
        return None;
    }
    Some(reader.wrap())
}

/// After an optional byte order mark, doctype and whitespace, or `None` for anything else
/// before the first element.
fn skip_prologue(html: &str) -> Option<&str> {
    let mut rest = html.strip_prefix('\u{feff}').unwrap_or(html).trim_start();
    if rest.len() > 9 && rest[..9].eq_ignore_ascii_case("<!doctype") {
        rest = rest[rest.find('>')? + 1..].trim_start();
    }
    if rest.contains('\0') {
        return None;
    }
    Some(rest)
}

fn is_plain_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

fn is_plain_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b':' | b'.')
        })
}

/// A start tag at the head of `s`: its name, attributes, whether it ends `/>`, and what follows
/// it; `None` for anything unusual.
fn start_tag(s: &str) -> Option<(&str, Attributes<'_>, bool, &str)> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    let name = &s[1..i];
    if !is_plain_name(name) {
        return None;
    }
    let mut attributes = Vec::new();
    loop {
        let at_space = i < bytes.len() && bytes[i].is_ascii_whitespace();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((name, Attributes(attributes), false, &s[i + 1..])),
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                return Some((name, Attributes(attributes), true, &s[i + 2..]))
            }
            _ if !at_space => return None,
            _ => {}
        }
        let start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let attribute = &s[start..i];
        if !is_plain_attribute_name(attribute) || attributes.iter().any(|(n, _)| *n == attribute) {
            return None;
        }
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            match *bytes.get(i)? {
                quote @ (b'"' | b'\'') => {
                    let close = s[i + 1..].find(quote as char)? + i + 1;
                    value = &s[i + 1..close];
                    i = close + 1;
                }
                _ => {
                    let start = i;
                    while i < bytes.len()
                        && !bytes[i].is_ascii_whitespace()
                        && !matches!(bytes[i], b'>' | b'"' | b'\'' | b'=' | b'<' | b'`')
                    {
                        i += 1;
                    }
                    if i == start {
                        return None;
                    }
                    value = &s[start..i];
                }
            }
        }
        attributes.push((attribute, value));
    }
}

struct Reader<'h> {
    stack: Vec<Node<'h>>,
    /// The text of every open element, innermost last (see `Node`).
    text: String,
    data: Data,
}

impl<'h> Reader<'h> {
    fn top(&mut self) -> &mut Node<'h> {
        self.stack.last_mut().expect("the root is never popped")
    }

    /// The text handler.
    fn text(&mut self, text: &str) {
        let node = self.stack.last().expect("the root is never popped");
        self.text.push_str(text);
        let ignored = matches!(node.status, NodeStatus::Ignored | NodeStatus::Excluded);
        if let (false, Some(anchor_ids)) = (ignored, &node.anchor_ids) {
            for anchor_id in anchor_ids {
                self.data
                    .anchor_content
                    .entry(anchor_id.clone())
                    .or_default()
                    .push_str(text);
            }
        }
    }

    /// The element handlers, in the order `DomParser` registers them.
    fn start(&mut self, tag: &'h str, el: &Attributes<'h>, void: bool) -> Option<()> {
        // element!("html")
        if tag == "html" {
            self.data.has_html_element = true;
            if let Some(lang) = el.get("lang") {
                self.data.language = Some(lang.to_lowercase());
            }
        }

        // element!(root): every element is inside the one `html` element.
        let explicit_ignore_flag = match el.get("data-pagefind-ignore") {
            None => None,
            Some(attr) => match attr.to_ascii_lowercase().as_str() {
                "" | "index" | "true" => Some(NodeStatus::Ignored),
                "all" => Some(NodeStatus::Excluded),
                // DomParser warns; leave it to say so.
                _ => return None,
            },
        };
        let treat_as_body = el.get("data-pagefind-body").is_some();
        let weight = el.get("data-pagefind-weight").map(str::to_string);
        let filter = el
            .get("data-pagefind-filter")
            .map(|attr| el.parse_attr_string(attr));
        let element_id = el
            .get("id")
            .map(|e| ALL_SPACES.replace_all(e, "").to_string());
        let pagefind_title = el
            .get("data-pagefind-title")
            .map(normalize_content)
            .filter(|title| !title.is_empty());
        let meta = el
            .get("data-pagefind-meta")
            .map(|attr| el.parse_attr_string(attr));
        let default_meta = el
            .get("data-pagefind-default-meta")
            .map(|attr| el.parse_attr_string(attr));
        let sort = el
            .get("data-pagefind-sort")
            .map(|attr| el.parse_attr_string(attr));
        let index_attrs: Option<Vec<&str>> = el
            .get("data-pagefind-index-attrs")
            .map(|attr| attr.split(',').map(str::trim).collect());

        let status = if treat_as_body {
            NodeStatus::Body
        } else if let Some(flag) = explicit_ignore_flag {
            flag
        } else {
            NodeStatus::Indexing
        };

        let mut anchor_id = None;
        if status != NodeStatus::Excluded && status != NodeStatus::Ignored {
            if let Some(element_id) = element_id {
                let counter = self.data.anchor_counter;
                let parent = self.top();
                if !(parent.status == NodeStatus::ParentOfBody
                    && status != NodeStatus::Body
                    && status != NodeStatus::ParentOfBody)
                {
                    use std::fmt::Write;
                    let _ = write!(
                        self.text,
                        " ___PAGEFIND_ANCHOR___{tag}:{counter}:{element_id} "
                    );
                    anchor_id = Some(format!("{counter}:{element_id}"));
                    self.data.anchor_counter += 1;
                }
            }
        }

        if let (Some(anchor_id), Some(title)) = (&anchor_id, pagefind_title) {
            self.data.anchor_titles.insert(anchor_id.clone(), title);
        }

        if status != NodeStatus::Excluded {
            if let Some(attrs) = index_attrs {
                for attr in attrs {
                    let mut value = el.get(attr.trim()).unwrap_or_default().to_string();
                    if ends_a_sentence(&value) {
                        value.push('.');
                    }
                    self.text.push(' ');
                    self.text.push_str(&value);
                    self.text.push(' ');
                }
            }
            if SPACE_SELECTORS.contains(&tag) {
                self.text.push(' ');
            }
        }

        let parent = self.stack.last().expect("the root is never popped");
        let mut node_anchors = if parent.anchor_ids.is_some() && INLINE_SELECTORS.contains(&tag) {
            parent.anchor_ids.clone()
        } else {
            None
        };
        if let Some(this_node_anchor_id) = anchor_id {
            node_anchors
                .get_or_insert_with(Vec::new)
                .push(this_node_anchor_id);
        }
        // What the element's text is wrapped in when it ends: written now, taken away with
        // the text if the element's text is dropped.
        let start = self.text.len();
        let sentence = SENTENCE_SELECTORS.contains(&tag);
        let auto_weight = match tag {
            "h1" => Some("7"),
            "h2" => Some("6"),
            "h3" => Some("5"),
            "h4" => Some("4"),
            "h5" => Some("3"),
            "h6" => Some("2"),
            _ => None,
        };
        let weighted = !void && (weight.is_some() || auto_weight.is_some());
        if !void {
            if let Some(weight) = &weight {
                self.text.push_str(" ___PAGEFIND_WEIGHT___");
                self.text.push_str(weight);
                self.text.push(' ');
            } else if let Some(auto_weight) = auto_weight {
                self.text.push_str(" ___PAGEFIND_AUTO_WEIGHT___");
                self.text.push_str(auto_weight);
                self.text.push(' ');
            }
            if sentence {
                self.text.push(' ');
            }
        }
        let node = Node {
            tag,
            start,
            content: self.text.len(),
            sentence,
            weighted,
            status: match parent.status {
                NodeStatus::Excluded => NodeStatus::Excluded,
                _ => status,
            },
            filter,
            sort,
            meta,
            default_meta,
            anchor_ids: node_anchors,
        };

        if void {
            // An element without content: its end steps run at once, in their shorter form.
            if node.status != NodeStatus::Excluded {
                self.data.collect(&node, "");
                if tag == "img"
                    && !self.data.meta.contains_key("auto_image")
                    && (self.data.meta.contains_key("auto_title")
                        || self.data.meta.contains_key("title"))
                {
                    if let Some(src) = el.get("src") {
                        self.data
                            .meta
                            .insert("auto_image".into(), normalize_content(src));
                        if let Some(alt) = el.get("alt") {
                            self.data
                                .meta
                                .insert("auto_image_alt".into(), normalize_content(alt));
                        }
                    }
                }
            }
        } else {
            self.stack.push(node);
        }

        // element!(custom_exclusions): marks whatever node is current, which for an element
        // without content is its parent.
        if REMOVE_SELECTORS.contains(&tag) {
            self.top().status = NodeStatus::Ignored;
        }

        // element!("script, link")
        if tag == "link" {
            if let Some(href) = el.get("href") {
                if href.starts_with("_pagefind") || href.contains("/_pagefind") {
                    self.data.has_old_bundle_reference = true;
                }
                if href.contains("pagefind-ui.css") || href.contains("pagefind-modular-ui.css") {
                    self.data.has_default_ui_reference = true;
                }
            }
        }
        Some(())
    }

    /// The end tag handler of the element on top of the stack, which must be `tag`.
    fn end(&mut self, tag: &str) -> Option<()> {
        if self.stack.len() < 2 || self.top().tag != tag {
            return None;
        }
        let node = self.stack.pop().expect("checked above");
        if node.status == NodeStatus::Excluded {
            self.text.truncate(node.start);
            return Some(());
        }
        let value = &self.text[node.content..];
        self.data.collect(&node, value);
        if tag == "h1" && !self.data.meta.contains_key("auto_title") && !value.trim().is_empty() {
            self.data
                .meta
                .insert("auto_title".into(), normalize_content(value));
        }
        if node.status == NodeStatus::Ignored {
            self.text.truncate(node.start);
            return Some(());
        }
        // The rest of the wrapping begun at the start tag: a sentence's full stop and space,
        // then the weight's end.
        if node.sentence {
            if ends_a_sentence(value) {
                self.text.push('.');
            }
            self.text.push(' ');
        }
        if node.weighted {
            self.text.push_str(" ___END_PAGEFIND_WEIGHT___ ");
        }

        let parent = self.stack.last_mut().expect("the root is never popped");
        if parent.status == NodeStatus::ParentOfBody
            && node.status != NodeStatus::Body
            && node.status != NodeStatus::ParentOfBody
        {
            self.text.truncate(node.start);
            return Some(());
        }
        match node.status {
            NodeStatus::Ignored | NodeStatus::Excluded => {}
            // Its text is in place, after its parent's.
            NodeStatus::Indexing => {}
            NodeStatus::Body | NodeStatus::ParentOfBody => {
                if parent.status != NodeStatus::ParentOfBody {
                    self.text.drain(parent.content..node.start);
                }
                parent.status = NodeStatus::ParentOfBody;
            }
        }
        Some(())
    }

    /// `DomParser::wrap`, for a document whose elements have all ended.
    fn wrap(self) -> DomParserResult {
        let mut data = self.data;
        let root = self.stack.first().expect("the root is never popped");
        if let Some(image) = data.meta.remove("auto_image") {
            let alt = data.meta.remove("auto_image_alt").unwrap_or_default();
            if !data.meta.contains_key("image") {
                data.meta.insert("image".into(), image);
                data.meta.insert("image_alt".into(), alt);
            }
        }
        if let Some(title) = data.meta.remove("auto_title") {
            if !data.meta.contains_key("title") {
                data.meta.insert("title".into(), title);
            }
        }
        if let Some(title) = data.meta.remove("auto_page_title") {
            if !data.meta.contains_key("title") {
                data.meta.insert("title".into(), title);
            }
        }
        data.default_meta.extend(data.meta);
        DomParserResult {
            digest: normalize_content(&self.text[root.content..]),
            filters: data.filters,
            sort: data.sort,
            meta: data.default_meta,
            anchor_content: data.anchor_content,
            anchor_titles: data.anchor_titles,
            has_custom_body: root.status == NodeStatus::ParentOfBody,
            force_inclusion: false,
            has_html_element: data.has_html_element,
            has_old_bundle_reference: data.has_old_bundle_reference,
            has_default_ui_reference: data.has_default_ui_reference,
            language: data
                .language
                .filter(|lang| !lang.is_empty())
                .unwrap_or_else(|| "unknown".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::DomParser;
    use super::*;

    fn options(exclusions: &[&str]) -> SearchOptions {
        use clap::CommandFactory;
        let mut args = vec!["pagefind", "--source", "not_important"];
        for exclusion in exclusions {
            args.push("--exclude-selectors");
            args.push(exclusion);
        }
        let config_args = vec![twelf::Layer::Clap(
            crate::PagefindInboundConfig::command().get_matches_from(args),
        )];
        SearchOptions::load(crate::PagefindInboundConfig::with_layers(&config_args).unwrap())
            .unwrap()
    }

    fn lol_html(html: &str, options: &SearchOptions) -> DomParserResult {
        let mut parser = DomParser::new(options);
        parser.write(html.as_bytes()).unwrap();
        parser.wrap()
    }

    /// A small deterministic generator (xorshift), so that the test needs no new dependency.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.roll(from.len())]
        }
    }

    const ELEMENTS: &[&str] = &[
        "p",
        "div",
        "span",
        "a",
        "em",
        "h1",
        "h2",
        "h3",
        "h6",
        "article",
        "section",
        "nav",
        "footer",
        "form",
        "label",
        "button",
        "li",
        "ul",
        "td",
        "b",
        "code",
        "time",
        "head",
        "aside",
        "figure",
        "figcaption",
        "blockquote",
    ];
    const VOIDS: &[&str] = &["br", "img", "input", "hr", "link", "meta", "wbr"];
    const ATTRIBUTES: &[&str] = &[
        " id=\"intro\"",
        " id='two words'",
        " id=x",
        " class=\"entity person\"",
        " href=\"/entities/ada/\"",
        " data-pagefind-body",
        " data-pagefind-body=\"\"",
        " data-pagefind-ignore",
        " data-pagefind-ignore=\"index\"",
        " data-pagefind-ignore=\"all\"",
        " data-pagefind-ignore=\"TRUE\"",
        " data-pagefind-weight=\"3\"",
        " data-pagefind-weight=\"0.5\"",
        " data-pagefind-filter=\"tag\"",
        " data-pagefind-filter=\"type:article\"",
        " data-pagefind-filter=\"section[title], tag:a:b\"",
        " data-pagefind-meta=\"title\"",
        " data-pagefind-meta=\"image[src], image_alt[alt]\"",
        " data-pagefind-meta=\"date:2025-11-03\"",
        " data-pagefind-default-meta=\"title:Fallback &amp; more\"",
        " data-pagefind-sort=\"date:2025-11-03\"",
        " data-pagefind-sort=\"weight\"",
        " data-pagefind-title=\" Usage &amp; more \"",
        " data-pagefind-index-attrs=\"title, alt\"",
        " title=\"A title\"",
        " title='Quoted \"inside\"'",
        " alt=\"Alt text.\"",
        " src=\"/img/a.jpg?w=1&amp;h=2\"",
        " href='/a/\u{e9}/'",
        " lang=\"fr\"",
        " hidden",
    ];
    const TEXTS: &[&str] = &[
        "Word",
        " two words ",
        "\u{e9}t\u{e9} \u{6771}\u{4eac}",
        "&amp; &lt;tag&gt; &#8212; &nbsp;",
        "ends here.",
        "question?",
        "'quoted'",
        "(aside)",
        "\n\t  ",
        "\u{a0}\u{2003}",
        "a>b",
        "caf\u{e9}s, \u{201c}quotes\u{201d}",
        "$5*",
        "",
    ];

    fn element(dice: &mut Dice, depth: usize, out: &mut String) {
        if dice.roll(6) == 0 {
            out.push('<');
            out.push_str(dice.pick(VOIDS));
            for _ in 0..dice.roll(3) {
                out.push_str(dice.pick(ATTRIBUTES));
            }
            out.push_str(if dice.roll(2) == 0 { ">" } else { " />" });
            return;
        }
        let name = dice.pick(ELEMENTS);
        out.push('<');
        out.push_str(name);
        let mut used = Vec::new();
        for _ in 0..dice.roll(4) {
            let attribute = dice.pick(ATTRIBUTES);
            let attribute_name = attribute.trim().split('=').next().unwrap();
            if !used.contains(&attribute_name) {
                used.push(attribute_name);
                out.push_str(attribute);
            }
        }
        out.push('>');
        for _ in 0..dice.roll(if depth > 4 { 2 } else { 5 }) {
            match dice.roll(4) {
                0 if depth < 7 => element(dice, depth + 1, out),
                1 => out.push_str("<!-- a comment <p> -->"),
                _ => out.push_str(dice.pick(TEXTS)),
            }
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }

    #[test]
    fn reads_generated_documents_as_lol_html_does() {
        let options = options(&[]);
        let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
        let mut accepted = 0;
        for round in 0..3000 {
            let mut html = String::new();
            if round % 3 == 0 {
                html.push_str("<!DOCTYPE html>\n");
            }
            html.push_str(dice.pick(&["<html>", "<html lang=\"EN-gb\">", "<html lang=''>"]));
            if round % 2 == 0 {
                html.push_str("<head><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"/pagefind/pagefind-ui.css\"></head>");
            }
            html.push_str("<body>");
            for _ in 0..1 + dice.roll(4) {
                element(&mut dice, 0, &mut html);
            }
            html.push_str("</body></html>\n");
            if let Some(fast) = read(&html, &options) {
                assert_eq!(fast, lol_html(&html, &options), "{html}");
                accepted += 1;
            }
        }
        // Invalid `data-pagefind-ignore` values are left to lol_html; the rest must be read.
        assert!(
            accepted > 2000,
            "only {accepted} of 3000 documents read without lol_html"
        );
    }

    #[test]
    fn leaves_irregular_markup_to_lol_html() {
        let options = options(&[]);
        let wrap = |body: &str| format!("<html><body>{body}</body></html>");
        for body in [
            "<p>unclosed",
            "<p>crossed <b>tags</p></b>",
            "<P>upper</P>",
            "<div/>",
            "<script>let a = '<p>';</script>",
            "<style>p { color: red }</style>",
            "<textarea>typed</textarea>",
            "<svg><path d='M0'/></svg>",
            "<a href=x id=y id=z>twice</a>",
            "<p>a < b</p>",
            "<p>x</p >",
            "<!-->",
            "<p data-pagefind-ignore='sometimes'>odd</p>",
            "<p class=\"a\"id=\"b\">glued</p>",
            "<template><p>later</p></template>",
            "</br>",
            "<p>nul \0 byte</p>",
        ] {
            let html = wrap(body);
            assert!(read(&html, &options).is_none(), "{html}");
        }
        for html in [
            "<p>no html element</p>",
            "<html><body>one</body></html><html><body>two</body></html>",
            "<html><body>text after</body></html> more",
            "<!-- first --><html><body>x</body></html>",
        ] {
            assert!(read(html, &options).is_none(), "{html}");
        }
        let regular = wrap("<p>fine</p>");
        assert!(read(&regular, &options).is_some());
        assert!(read(&regular, &self::options(&[".ad"])).is_none());
    }
}

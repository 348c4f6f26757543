//! The words of the interface in the site's languages, and dates written the way each
//! language writes them.
//!
//! The built-in theme carries `i18n/<lang>.toml` for English, French, Spanish, German, Arabic,
//! Ukrainian and Russian; a theme's or the site's own `i18n/<lang>.toml` replaces any string.
//! A string no file gives in a language is the English one, with a warning. Dates other than
//! English ones come from ICU4X (CLDR's patterns and month names): "25 novembre 2025",
//! "25 نوفمبر 2025".

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use crate::config::Config;
use crate::content::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::theme::Theme;

/// The English strings every language falls back to.
const FALLBACK: &str = "en";

/// Every interface string of one language, complete: gaps hold the English string.
#[derive(Debug, Clone)]
pub struct Strings {
    pub lang: String,
    map: BTreeMap<String, String>,
}

impl Strings {
    /// The string `key`; empty for one no file has.
    pub fn get(&self, key: &str) -> &str {
        self.map.get(key).map_or("", String::as_str)
    }

    /// What an entity's kind is called, one or several.
    pub fn kind(&self, kind: crate::content::EntityKind, plural: bool) -> &str {
        use crate::content::EntityKind::*;
        self.get(match (kind, plural) {
            (Person, false) => "person",
            (Person, true) => "people",
            (Organisation, false) => "organisation",
            (Organisation, true) => "organisations",
            (Place, false) => "place",
            (Place, true) => "places",
            (Event, false) => "event_kind",
            (Event, true) => "events_kind",
            (Other, _) => "other",
        })
    }

    /// What an annotation's kind is called.
    pub fn note_kind(&self, kind: crate::content::front_matter::AnnotationKind) -> &str {
        use crate::content::front_matter::AnnotationKind::*;
        self.get(match kind {
            Background => "note_background",
            Context => "note_context",
            FactCheck => "note_fact_check",
            Source => "note_source",
            Quote => "note_quote",
        })
    }

    /// What a fact-check rating is called.
    pub fn verdict(&self, verdict: crate::content::front_matter::Verdict) -> &str {
        use crate::content::front_matter::Verdict::*;
        self.get(match verdict {
            True => "verdict_true",
            MostlyTrue => "verdict_mostly_true",
            Misleading => "verdict_misleading",
            MostlyFalse => "verdict_mostly_false",
            False => "verdict_false",
            Unproven => "verdict_unproven",
        })
    }

    /// `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut out = self.get(key).to_string();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// Every string, for templates (`{{ t.key_points }}`).
    pub fn to_value(&self) -> tera::Value {
        tera::Value::from_serializable(&self.map)
    }

    /// A date as this language writes it in full: "5 November 2025", "5 novembre 2025".
    pub fn date(&self, date: Date) -> String {
        long_date(&self.lang, date)
    }

    /// A month as this language names it with its year: "November 2025", "novembre 2025".
    pub fn month_year(&self, year: i16, month: u8) -> String {
        month_year(&self.lang, year, month)
    }
}

/// The strings of `lang` for `theme`, without checking them (see [`check`]).
pub fn strings(theme: &Theme, lang: &str) -> Strings {
    let mut map = parse_layers(theme, FALLBACK, &mut Diagnostics::new());
    if lang != FALLBACK {
        map.extend(parse_layers(
            theme,
            primary_or_whole(theme, lang),
            &mut Diagnostics::new(),
        ));
    }
    Strings {
        lang: lang.to_string(),
        map,
    }
}

/// `pt-br` when a file for it exists, else `pt`.
fn primary_or_whole<'l>(theme: &Theme, lang: &'l str) -> &'l str {
    if theme.i18n.contains_key(lang) {
        return lang;
    }
    lang.split('-').next().unwrap_or(lang)
}

/// Warnings for each of the site's languages: strings its files lack (shown in English), keys
/// English does not have (a typo), and files that do not parse.
pub fn check(theme: &Theme, config: &Config, diags: &mut Diagnostics) {
    let english = parse_layers(theme, FALLBACK, diags);
    for lang in config.languages.iter().map(|l| l.code.as_str()) {
        if lang == FALLBACK {
            continue;
        }
        let file_lang = primary_or_whole(theme, lang);
        let Some(layers) = theme.i18n.get(file_lang) else {
            diags.push(
                Diagnostic::warning(
                    "gloss::missing-strings",
                    format!("no interface strings for `{lang}`: its pages show them in English"),
                )
                .in_file("site.toml")
                .help(format!(
                    "write i18n/{lang}.toml with the keys of themes/default/i18n/en.toml, translated"
                )),
            );
            continue;
        };
        // Each layer read once: its unknown keys reported, its strings laid over the last.
        let mut own = BTreeMap::new();
        for (path, text) in layers {
            let file = SourceFile::new(path.clone(), text.clone());
            let strings = flat(&file, diags);
            for key in strings.keys().filter(|k| !english.contains_key(*k)) {
                let at = text.find(key.as_str()).unwrap_or(0);
                diags.push(
                    Diagnostic::warning(
                        "gloss::unknown-string",
                        format!("`{key}` is not a string the theme uses"),
                    )
                    .at(Location::new(&file, at..at + key.len()))
                    .help("compare with the keys of themes/default/i18n/en.toml"),
                );
            }
            own.extend(strings);
        }
        let missing: Vec<&str> = english
            .keys()
            .filter(|k| !own.contains_key(*k))
            .map(String::as_str)
            .collect();
        let shown = layers.last().map(|(p, _)| p.clone()).unwrap_or_default();
        if !missing.is_empty() {
            diags.push(
                Diagnostic::warning(
                    "gloss::missing-strings",
                    format!(
                        "{} interface string(s) missing for `{lang}`, shown in English: {}",
                        missing.len(),
                        crate::diagnostics::short_list(&missing, 8)
                    ),
                )
                .in_file(&shown)
                .help(format!("add them to i18n/{file_lang}.toml")),
            );
        }
    }
}

/// The strings of `lang`, every layer laid over the one before.
fn parse_layers(theme: &Theme, lang: &str, diags: &mut Diagnostics) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for (path, text) in theme.i18n.get(lang).into_iter().flatten() {
        let file = SourceFile::new(path.clone(), text.clone());
        map.extend(flat(&file, diags));
    }
    map
}

/// A file of `key = "string"` lines.
fn flat(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> BTreeMap<String, String> {
    match toml::from_str::<BTreeMap<String, String>>(&file.text) {
        Ok(map) => map,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "gloss::strings",
                    format!("cannot read the strings: {}", e.message().trim()),
                )
                .at(Location::new(file, e.span().unwrap_or(0..0)))
                .help("write one `key = \"string\"` a line"),
            );
            BTreeMap::new()
        }
    }
}

/// A theme layer's `i18n/` files: by language, `(shown path, text)`.
pub type Layers = BTreeMap<String, Vec<(PathBuf, String)>>;

/// The ICU formatters of one language, made once per thread: making one reads CLDR data.
struct Formatters {
    day: icu_datetime::DateTimeFormatter<icu_datetime::fieldsets::YMD>,
    month: icu_datetime::DateTimeFormatter<icu_datetime::fieldsets::YM>,
}

thread_local! {
    /// Per thread: ICU's formatters hold data that is not shared across threads.
    static FORMATTERS: RefCell<BTreeMap<String, Option<Rc<Formatters>>>> =
        const { RefCell::new(BTreeMap::new()) };
}

fn formatters(lang: &str) -> Option<Rc<Formatters>> {
    if let Some(found) = FORMATTERS.with_borrow(|c| c.get(lang).cloned()) {
        return found;
    }
    let made = lang
        .parse::<icu_locale_core::Locale>()
        .ok()
        .and_then(|locale| {
            let prefs: icu_datetime::DateTimeFormatterPreferences = (&locale).into();
            Some(Rc::new(Formatters {
                day: icu_datetime::DateTimeFormatter::try_new(
                    prefs,
                    icu_datetime::fieldsets::YMD::long(),
                )
                .ok()?,
                month: icu_datetime::DateTimeFormatter::try_new(
                    prefs,
                    icu_datetime::fieldsets::YM::long(),
                )
                .ok()?,
            }))
        });
    FORMATTERS.with_borrow_mut(|c| c.insert(lang.to_string(), made.clone()));
    made
}

fn is_english(lang: &str) -> bool {
    lang == "en" || lang.starts_with("en-")
}

fn iso(year: i16, month: u8, day: u8) -> Option<icu_calendar::Date<icu_calendar::Iso>> {
    icu_calendar::Date::try_new_iso(i32::from(year), month, day).ok()
}

/// A date in full in `lang`; English as gloss always wrote it ("5 November 2025").
pub fn long_date(lang: &str, date: Date) -> String {
    if is_english(lang) {
        return date.long();
    }
    match (formatters(lang), iso(date.year(), date.month(), date.day())) {
        (Some(f), Some(d)) => f.day.format(&d).to_string(),
        _ => date.long(),
    }
}

/// A month and year in `lang`; English "November 2025".
pub fn month_year(lang: &str, year: i16, month: u8) -> String {
    let english = || format!("{} {year}", Date::month_name(month));
    if is_english(lang) {
        return english();
    }
    match (formatters(lang), iso(year, month, 1)) {
        (Some(f), Some(d)) => f.month.format(&d).to_string(),
        _ => english(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_each_language() {
        let d = Date::parse("2025-11-25").unwrap();
        assert_eq!(long_date("en", d), "25 November 2025");
        assert_eq!(long_date("fr", d), "25 novembre 2025");
        assert_eq!(long_date("de", d), "25. November 2025");
        assert_eq!(long_date("es", d), "25 de noviembre de 2025");
        assert!(
            long_date("ar", d).contains("نوفمبر"),
            "{}",
            long_date("ar", d)
        );
        assert!(long_date("ru", d).contains("ноября"));
        assert!(long_date("uk", d).contains("листопада"));
        assert_eq!(month_year("fr", 2025, 11), "novembre 2025");
        assert_eq!(month_year("en", 2025, 11), "November 2025");
    }

    #[test]
    fn every_builtin_language_has_every_english_string() {
        let theme = Theme::builtin();
        let english = parse_layers(&theme, "en", &mut Diagnostics::new());
        for lang in ["fr", "es", "de", "ar", "uk", "ru"] {
            let mut diags = Diagnostics::new();
            let own = parse_layers(&theme, lang, &mut diags);
            assert!(diags.is_empty(), "{lang}: {:?}", diags.into_vec());
            let missing: Vec<&String> = english.keys().filter(|k| !own.contains_key(*k)).collect();
            let extra: Vec<&String> = own.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}: missing {missing:?}, unknown {extra:?}"
            );
        }
    }
}

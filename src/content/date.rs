//! Calendar dates as written in front matter: `2025-11-25`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date without a time zone, as newsrooms date their copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let valid_shape = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !valid_shape {
            return Err(format!("invalid date `{s}`: expected YYYY-MM-DD"));
        }
        s.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|_| format!("invalid date `{s}`: no such day"))
    }

    pub fn today() -> Date {
        Date(jiff::ZonedDateTime::now().date())
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    /// `2025-11-25`
    pub fn iso(self) -> String {
        self.0.to_string()
    }

    /// `25 November 2025`, the form readers see.
    pub fn long(self) -> String {
        self.0.strftime("%-d %B %Y").to_string()
    }

    /// Midnight UTC in RFC 3339, for feeds and structured data.
    pub fn rfc3339(self) -> String {
        format!("{}T00:00:00Z", self.0)
    }

    /// Days from `self` to `later`.
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).get_days().into()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let s = String::deserialize(deserializer)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let d = Date::parse("2025-11-05").unwrap();
        assert_eq!(d.iso(), "2025-11-05");
        assert_eq!(d.long(), "5 November 2025");
        assert_eq!(d.rfc3339(), "2025-11-05T00:00:00Z");
    }

    #[test]
    fn rejects_bad_dates() {
        assert!(
            Date::parse("2025-02-30")
                .unwrap_err()
                .contains("no such day")
        );
        assert!(
            Date::parse("25/11/2025")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(Date::parse("2025-1-5").is_err());
    }
}

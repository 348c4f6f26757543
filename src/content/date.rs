//! Calendar dates as written in front matter: `2025-11-25`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u16, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u16.pow(place) % 10) as u8;
        out.push(char::from(b'0' + digit));
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

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

    /// 1 to 12.
    pub fn month(self) -> u8 {
        self.0.month() as u8
    }

    /// 1 to 31.
    pub fn day(self) -> u8 {
        self.0.day() as u8
    }

    /// `November`, for month 11.
    pub fn month_name(month: u8) -> &'static str {
        MONTHS[(month.clamp(1, 12) - 1) as usize]
    }

    /// `2025-11-25`
    pub fn iso(self) -> String {
        let Some(y) = self.four_digit_year() else {
            return self.0.to_string();
        };
        let mut out = String::with_capacity(10);
        push_digits(&mut out, y as u16, 4);
        out.push('-');
        push_digits(&mut out, self.0.month() as u16, 2);
        out.push('-');
        push_digits(&mut out, self.0.day() as u16, 2);
        out
    }

    /// `25 November 2025`, the form readers see.
    pub fn long(self) -> String {
        // Written out by hand, as is `iso`: every entity page dates each article it lists,
        // and jiff's strftime or `format!` take over a thousand instructions a date.
        let Some(y) = self.four_digit_year() else {
            return self.0.strftime("%-d %B %Y").to_string();
        };
        let month = MONTHS[self.0.month() as usize - 1];
        let mut out = String::with_capacity(month.len() + 8);
        let day = self.0.day() as u16;
        push_digits(&mut out, day, if day < 10 { 1 } else { 2 });
        out.push(' ');
        out.push_str(month);
        out.push(' ');
        push_digits(&mut out, y as u16, 4);
        out
    }

    /// The year, when it is 0 to 9999 (every date front matter can give).
    fn four_digit_year(self) -> Option<i16> {
        Some(self.0.year()).filter(|y| (0..=9999).contains(y))
    }

    /// Midnight UTC in RFC 3339, for feeds and structured data.
    pub fn rfc3339(self) -> String {
        // `iso` writes what jiff's Display writes, by hand (every article page has two of these).
        let mut out = self.iso();
        out.push_str("T00:00:00Z");
        out
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
    fn formats_as_jiff_does() {
        let mut d = jiff::civil::date(1899, 12, 25);
        let mut years = vec![jiff::civil::date(-44, 3, 15), jiff::civil::date(7, 1, 9)];
        while d.year() < 2101 {
            years.push(d);
            d = d.tomorrow().unwrap();
        }
        for d in years {
            assert_eq!(Date(d).iso(), d.to_string());
            assert_eq!(Date(d).long(), d.strftime("%-d %B %Y").to_string());
        }
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

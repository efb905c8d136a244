//! Dates as front matter writes them: a day, an instant with an offset, or
//! a wall-clock time; TOML gives native datetimes, YAML gives strings.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::Deserialize;

/// A date as written: a day, an instant with an offset, or a local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// `2026-05-01`: a whole day.
    Day(NaiveDate),
    /// `2026-05-01T19:00:00+08:00`: one instant.
    Instant(DateTime<FixedOffset>),
    /// `2026-05-01T19:00:00`: a wall-clock time with no offset, read as UTC.
    Local(NaiveDateTime),
}

impl When {
    /// Parses RFC 3339, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<When> {
        When::parse_any(text).filter(|w| (1..=9998).contains(&w.day().year()))
    }

    /// Any year chrono can hold; [`When::parse`] keeps the years that every
    /// output format can write (a calendar's end day is one past the last).
    fn parse_any(text: &str) -> Option<When> {
        let text = text.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Some(When::Instant(dt));
        }
        // Jekyll's form, with an offset after a space (`2010-09-29 00:45:36 +0800`).
        for fmt in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
            if let Ok(dt) = DateTime::parse_from_str(text, fmt) {
                return Some(When::Instant(dt));
            }
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(text, fmt) {
                return Some(When::Local(dt));
            }
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .map(When::Day)
    }

    /// The instant this date stands for (a day starts at midnight UTC).
    pub fn instant(&self) -> DateTime<FixedOffset> {
        let utc = FixedOffset::east_opt(0).expect("zero offset is valid");
        match *self {
            When::Instant(dt) => dt,
            When::Local(dt) => utc.from_utc_datetime(&dt),
            When::Day(d) => utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)),
        }
    }

    /// The calendar day as written, before any conversion.
    pub fn day(&self) -> NaiveDate {
        match *self {
            When::Instant(dt) => dt.date_naive(),
            When::Local(dt) => dt.date(),
            When::Day(d) => d,
        }
    }

    /// Whether only a day was given.
    pub fn is_day(&self) -> bool {
        matches!(self, When::Day(_))
    }

    /// RFC 3339 text, for feeds, sitemaps and `datetime` attributes.
    pub fn rfc3339(&self) -> String {
        match self {
            When::Day(d) => d.format("%Y-%m-%d").to_string(),
            _ => self.instant().to_rfc3339(),
        }
    }

    /// In UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        self.instant().with_timezone(&Utc)
    }
}

/// How a front matter error about a date starts, so the parser can name the key.
pub(crate) const NOT_A_DATE: &str = "not a date: ";

/// A date as it comes out of TOML (a native datetime) or YAML (a string).
#[derive(Deserialize)]
// `expecting` begins with NOT_A_DATE, so front matter errors name the key.
#[serde(untagged, expecting = "not a date: the value is not text")]
enum DateInput {
    Toml(toml::value::Datetime),
    Text(String),
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<When, D::Error> {
        let text = match DateInput::deserialize(d)? {
            DateInput::Toml(dt) => dt.to_string(),
            DateInput::Text(s) => s,
        };
        When::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("{NOT_A_DATE}`{text}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_jekyll_writes() {
        let instant = |s: &str| When::parse(s).map(|w| w.instant().to_rfc3339());
        assert_eq!(
            instant("2010-09-29 00:45:36 +0800").as_deref(),
            Some("2010-09-29T00:45:36+08:00")
        );
        assert_eq!(
            instant("2023-3-01 08:00:00 +0800").as_deref(),
            Some("2023-03-01T08:00:00+08:00")
        );
        assert_eq!(
            instant("2021-04-27 1:01:00 +0800").as_deref(),
            Some("2021-04-27T01:01:00+08:00")
        );
        assert_eq!(
            instant("2021-04-27 10:01 -0500").as_deref(),
            Some("2021-04-27T10:01:00-05:00")
        );
        assert!(matches!(When::parse("2023-3-1"), Some(When::Day(_))));
        assert!(When::parse("0000-01-01").is_none(), "years 1 to 9998 only");
    }
}

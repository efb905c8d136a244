//! iCalendar files: one `.ics` per event and `/events.ics` with all of them.
//!
//! Written with the `icalendar` crate, which escapes text and folds long
//! lines per RFC 5545. Times with an offset are converted to UTC (`...Z`);
//! all-day events are dates, with the exclusive `DTEND` the RFC asks for.

use chrono::Days;
use icalendar::{Calendar, Component, Event, EventLike};

use crate::link::{Page, Site};
use crate::parse::When;

/// One VEVENT for an event page; `None` for a page without `start`.
pub(crate) fn event(site: &Site, page: &Page) -> Option<Event> {
    let fm = &page.doc.front;
    let start = fm.start?;
    let mut ev = Event::new();
    let host = Some(site.config.host())
        .filter(|h| !h.is_empty())
        .unwrap_or("almanac.invalid");
    let uid = format!("{}@{host}", page.url.trim_matches('/'));
    // The page's own date, not the build time, so rebuilds give the same file.
    let stamp = page.last_changed().map_or(site.now.to_utc(), |w| w.utc());
    ev.uid(&uid).summary(&page.doc.title).timestamp(stamp);
    match start {
        When::Day(d) => {
            let last = fm.end.map_or(d, |e| e.day());
            ev.starts(d)
                .ends(last.checked_add_days(Days::new(1)).unwrap_or(last));
        }
        _ => {
            ev.starts(start.utc());
            if let Some(end) = fm.end {
                ev.ends(end.utc());
            }
        }
    }
    let permalink = site.config.permalink(&page.url);
    ev.url(&permalink);
    if let Some(place) = fm.location.as_ref().or(fm.online.as_ref()) {
        ev.location(place);
    }
    let mut description = fm
        .description
        .clone()
        .unwrap_or_else(|| page.doc.body.summary.clone());
    if let Some(online) = &fm.online {
        description.push_str(&format!("\n\nOnline: {online}"));
    }
    description.push_str(&format!("\n\n{permalink}"));
    ev.description(description.trim());
    if !fm.organizers.is_empty() {
        ev.add_property("X-ORGANIZERS", fm.organizers.join(", "));
    }
    Some(ev.done())
}

/// A calendar of the given events, named after the site.
pub(crate) fn calendar<'a>(site: &Site, pages: impl Iterator<Item = &'a Page>) -> String {
    let mut cal = Calendar::empty();
    let prodid = format!("-//almanac//almanac {}//EN", env!("CARGO_PKG_VERSION"));
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", prodid.as_str()))
        .append_property(("CALSCALE", "GREGORIAN"));
    cal.name(&site.config.title);
    for p in pages {
        if let Some(ev) = event(site, p) {
            cal.push(ev);
        }
    }
    // RFC 5545 allows no control character in a value but tab; lines end
    // with CR LF, and the crate writes a value's own line ends as `\n`.
    super::without(cal.done().to_string(), |c| {
        super::c0_control(c) || c == '\u{7F}'
    })
}

//! schema.org JSON-LD: `Event` for event pages, `FAQPage` for FAQ pages.

use serde_json::{Value, json};

use super::view::PageSummary;
use crate::link::{Page, Site};
use crate::parse::Kind;

/// JSON-LD for a page, ready to sit inside `<script type="application/ld+json">`.
pub(crate) fn json_ld(site: &Site, page: &Page, summary: &PageSummary<'_>) -> Option<String> {
    let value = match page.doc.kind {
        Kind::Faq if !page.doc.body.questions.is_empty() => faq(page),
        Kind::Event if page.doc.front.start.is_some() => event(site, page, summary),
        _ => return None,
    };
    let text = serde_json::to_string(&value).ok()?;
    // `</script>` inside a string would end the script element early, and
    // `<!--` would change how the rest is read. Every `<` written as the
    // JSON escape `\u003c` prevents both (`<\!--` is not valid JSON).
    Some(super::replace_all(&text, "<", "\\u003c"))
}

fn faq(page: &Page) -> Value {
    let questions: Vec<Value> = page
        .doc
        .body
        .questions
        .iter()
        .map(|q| {
            json!({
                "@type": "Question",
                "name": q.question,
                "acceptedAnswer": { "@type": "Answer", "text": q.answer },
            })
        })
        .collect();
    json!({ "@context": "https://schema.org", "@type": "FAQPage", "name": page.doc.title, "mainEntity": questions })
}

fn event(site: &Site, page: &Page, summary: &PageSummary<'_>) -> Value {
    let fm = &page.doc.front;
    let mode = match (&fm.location, &fm.online) {
        (Some(_), Some(_)) => "https://schema.org/MixedEventAttendanceMode",
        (None, Some(_)) => "https://schema.org/OnlineEventAttendanceMode",
        _ => "https://schema.org/OfflineEventAttendanceMode",
    };
    let mut locations = Vec::new();
    if let Some(loc) = &fm.location {
        locations.push(json!({ "@type": "Place", "name": loc, "address": loc }));
    }
    if let Some(url) = &fm.online {
        locations.push(json!({ "@type": "VirtualLocation", "url": url }));
    }
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.doc.title,
        "description": summary.description,
        "url": site.config.permalink(&page.url),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
    });
    if let Some(start) = fm.start {
        v["startDate"] = json!(start.rfc3339());
    }
    if let Some(end) = fm.end {
        v["endDate"] = json!(end.rfc3339());
    }
    match locations.len() {
        0 => {}
        1 => v["location"] = locations.remove(0),
        _ => v["location"] = Value::Array(locations),
    }
    if !fm.organizers.is_empty() {
        let orgs: Vec<Value> = fm
            .organizers
            .iter()
            .map(|o| json!({ "@type": "Organization", "name": o }))
            .collect();
        v["organizer"] = if orgs.len() == 1 {
            orgs[0].clone()
        } else {
            Value::Array(orgs)
        };
    }
    v
}

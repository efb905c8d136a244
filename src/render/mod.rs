//! Stage 4, RENDER: the routes of a [`Site`] and a [`Theme`] become [`Output`]s.
//!
//! Each route of the route table (see [`crate::link::routes`]) renders to
//! one output, handed to a [`Sink`] as soon as it is made. Routes render in
//! parallel and read only the site, the theme and what LOAD read: RENDER
//! does no I/O of its own. Where outputs end up is the sink's business, so
//! a failed render is undone by dropping it.

pub(crate) mod calendar;
pub(crate) mod feeds;
pub(crate) mod history;
pub(crate) mod labels;
pub(crate) mod structured;
pub(crate) mod theme;
pub(crate) mod view;

use rayon::prelude::*;
use serde::Serialize;

pub(crate) use theme::Theme;

use crate::config::SiteConfig;
use crate::diagnostic::Result;
use crate::link::{PageId, Pager, Route, RouteKind, SectionId, Site, Sites, TermId};
use crate::output::{Output, Sink};
use crate::parse::Kind;
use crate::parse::markdown::{XREF_PREFIX, escape_html};
use view::Views;

/// A route of one language's site: the language, and the route's index
/// in that site's route table.
pub(crate) type RouteRef = (usize, usize);

/// Renders the given routes into `sink`, language by language, each
/// language's in parallel, each as soon as it is made. `indexes` are the
/// languages' search indexes when made already (`serve` makes them first,
/// to know which shards changed); a render that needs one it is not
/// given makes it.
pub(crate) fn routes(
    sites: &Sites,
    theme: &mut Theme,
    which: &[RouteRef],
    sink: &dyn Sink,
    indexes: &[Option<crate::search::Index>],
) -> Result<()> {
    for (lang, site) in sites.langs.iter().enumerate() {
        let mine: Vec<usize> = which.iter().filter(|r| r.0 == lang).map(|r| r.1).collect();
        if !mine.is_empty() {
            let index = indexes.get(lang).and_then(Option::as_ref);
            language_routes(sites, site, theme, &mine, sink, index)?;
        }
    }
    Ok(())
}

/// Renders routes of one language's site.
fn language_routes(
    sites: &Sites,
    site: &Site,
    theme: &mut Theme,
    which: &[usize],
    sink: &dyn Sink,
    index: Option<&crate::search::Index>,
) -> Result<()> {
    let all = &site.routes.routes;
    let needs_index = which.iter().any(|&i| all[i].kind.needs_index());
    let made;
    let index = match index {
        Some(index) => Some(index),
        None if needs_index => {
            made = crate::search::index(site, None);
            Some(&made)
        }
        None => None,
    };
    let views = Views::new(site).with_search(index);
    theme
        .tera
        .global_context()
        .insert("site", &views.site(false));
    let theme = &*theme;
    which
        .par_iter()
        .try_for_each(|&i| sink.put(route(sites, site, theme, &views, &all[i])?))
}

/// Renders every route of every language into `sink`.
pub(crate) fn all(sites: &Sites, theme: &mut Theme, sink: &dyn Sink) -> Result<()> {
    routes(sites, theme, &sites.all_routes(), sink, &[])
}

fn route(
    sites: &Sites,
    site: &Site,
    theme: &Theme,
    views: &Views<'_>,
    r: &Route,
) -> Result<Output> {
    let text = |t: String| Ok(Output::text(r.path.clone(), t));
    match &r.kind {
        RouteKind::Page(id) => text(render_page(site, theme, views, *id)?),
        RouteKind::Section { id, pager } => text(render_section(site, theme, views, *id, pager)?),
        RouteKind::YearArchive { section, year } => {
            let view = views.year_archive(*section, *year);
            let ctx = context("section", &view, &view.url, views.switcher(&r.kind));
            text(render(theme, "events.html", &ctx, &r.url)?)
        }
        RouteKind::TagIndex => {
            let terms: Vec<view::TermLink<'_>> = (0..site.tags.len())
                .map(|i| views.term(TermId(i)))
                .collect();
            let ctx = context(
                "terms",
                &terms,
                &site.config.url(&r.url),
                views.switcher(&r.kind),
            );
            text(render(theme, "tags.html", &ctx, &r.url)?)
        }
        RouteKind::Tag { term, pager } => text(render_term(site, theme, views, *term, pager)?),
        RouteKind::TagFeed(term) => {
            let t = &site.tags[term.0];
            let title = format!("{} — {}", site.config.title, t.name);
            let self_path = format!("{}atom.xml", t.url);
            let spec = feeds::FeedSpec {
                title: &title,
                self_path: &self_path,
                alt_path: &t.url,
                full_content: false,
            };
            text(feeds::pages_feed(site, &spec, &t.pages))
        }
        RouteKind::SiteFeed => {
            let home = site.config.local("/");
            let spec = feeds::FeedSpec {
                title: &site.config.title,
                self_path: &r.url,
                alt_path: &home,
                full_content: true,
            };
            text(feeds::pages_feed(
                site,
                &spec,
                &site.newest(site.config.feeds.limit),
            ))
        }
        RouteKind::RuleChanges => {
            let histories: Vec<(PageId, Vec<view::HistoryView>)> = (0..site.pages.len())
                .map(PageId)
                .filter(|id| site.page(*id).doc.kind == Kind::Rules)
                .map(|id| (id, history::of_page(site.page(id), None)))
                .collect();
            text(feeds::rule_changes(site, &histories, views.labels()))
        }
        RouteKind::EventCalendar(p) => {
            text(calendar::calendar(site, std::iter::once(site.page(*p))))
        }
        RouteKind::SiteCalendar => text(calendar::calendar(
            site,
            site.events().map(|p| site.page(p)),
        )),
        RouteKind::Alias { to } => text(redirect(&site.config, to, views.labels())),
        RouteKind::NotFound => {
            let ctx = context("page", &(), &r.url, views.switcher(&r.kind));
            text(render(theme, "404.html", &ctx, &r.url)?)
        }
        RouteKind::Sitemap => text(feeds::sitemap(sites)),
        RouteKind::TranslationStatus => {
            let view = views.translation_status(sites);
            let ctx = context("status", &view, &r.url, views.switcher(&r.kind));
            text(render(theme, "translations.html", &ctx, &r.url)?)
        }
        RouteKind::Robots => text(feeds::robots(site)),
        RouteKind::Highlight { dark } => {
            let (light, dark_css) = crate::parse::highlight::stylesheets();
            text(if *dark { dark_css } else { light })
        }
        RouteKind::SearchListing => {
            let ctx = context(
                "sections",
                &views.all_pages(),
                &r.url,
                views.switcher(&r.kind),
            );
            text(render(theme, "search.html", &ctx, &r.url)?)
        }
        RouteKind::SearchMeta => text(views.search().meta.clone()),
        RouteKind::SearchShard(n) => Ok(Output::bytes(
            r.path.clone(),
            views.search().shard_json(*n as usize),
        )),
        RouteKind::SearchPages(pages) => Ok(Output::bytes(
            r.path.clone(),
            crate::search::pages_json(site, pages),
        )),
        RouteKind::Static(i) => Ok(Output {
            path: r.path.clone(),
            content: site.statics[*i].content.clone(),
        }),
    }
}

fn render(theme: &Theme, template: &str, ctx: &tera::Context, what: &str) -> Result<String> {
    theme
        .tera
        .render(template, ctx)
        .map_err(|e| theme.error(&e, what))
}

/// A template's context: its main value, the URL shown (for menus) and
/// the language switcher's links.
fn context(
    key: &'static str,
    value: &impl Serialize,
    current_url: &str,
    languages: Vec<view::LanguageLink>,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("languages", &languages);
    ctx.insert(key, value);
    ctx.insert("current_url", current_url);
    ctx
}

fn render_page(site: &Site, theme: &Theme, views: &Views<'_>, id: PageId) -> Result<String> {
    let page = site.page(id);
    let content = fill_links(&page.doc.body.html.unpack(), &page.xrefs, &site.config);
    let history = if page.doc.kind == Kind::Rules {
        history::of_page(page, site.config.language().date_format.as_deref())
    } else {
        Vec::new()
    };
    let view = views.page(id, content, history);
    let kind_template = format!("{}.html", page.doc.kind.name());
    let template = match &page.doc.front.template {
        Some(t) => t.clone(),
        None if theme.has(&kind_template) => kind_template,
        None => "page.html".to_string(),
    };
    let mut ctx = context(
        "page",
        &view,
        &view.summary.url,
        views.switcher(&RouteKind::Page(id)),
    );
    ctx.insert("section", &views.section_link(page.section));
    render(theme, &template, &ctx, &page.doc.source.display_path())
}

fn render_section(
    site: &Site,
    theme: &Theme,
    views: &Views<'_>,
    id: SectionId,
    pager: &Pager,
) -> Result<String> {
    let s = site.section(id);
    let content = s
        .index
        .as_ref()
        .map(|d| fill_links(&d.body.html.unpack(), &s.xrefs, &site.config))
        .unwrap_or_default();
    let view = views.section(id, content, pager);
    let template = match s.index.as_ref().and_then(|d| d.front.template.clone()) {
        Some(t) => t,
        None if id.0 == 0 => "index.html".to_string(),
        None if s.kind == Kind::Event => "events.html".to_string(),
        None => "section.html".to_string(),
    };
    let what = s.source();
    let mut ctx = context(
        "section",
        &view,
        &view.url,
        views.switcher(&RouteKind::Section { id, pager: *pager }),
    );
    if id.0 == 0 {
        // Only the home page shows the site-wide lists; no other page depends on them.
        ctx.insert("site", &views.site(true));
    }
    render(theme, &template, &ctx, &what)
}

#[derive(Serialize)]
struct TermView<'a> {
    #[serde(flatten)]
    link: view::TermLink<'a>,
    pages: Vec<view::PageSummary<'a>>,
    feed_url: String,
    pager: Option<view::PagerView>,
}

fn render_term(
    site: &Site,
    theme: &Theme,
    views: &Views<'_>,
    id: TermId,
    pager: &Pager,
) -> Result<String> {
    let t = &site.tags[id.0];
    let view = TermView {
        link: views.term(id),
        pages: t.pages[pager.range()]
            .iter()
            .map(|p| views.summary(*p))
            .collect(),
        feed_url: site.config.url(&format!("{}atom.xml", t.url)),
        pager: views.pager(&t.url, pager),
    };
    let url = site.config.url(&Pager::url_of(&t.url, pager.number));
    render(
        theme,
        "tag.html",
        &context("term", &view, &url, views.switcher(&RouteKind::TagIndex)),
        &t.url,
    )
}

/// A redirect page for an alias, in the language of the page it goes to.
fn redirect(
    config: &SiteConfig,
    to: &str,
    words: &std::collections::BTreeMap<String, String>,
) -> String {
    let url = escape_html(&config.permalink(to));
    let word = |k: &str| words.get(k).map_or("", String::as_str);
    let title = escape_html(word("moved_title"));
    let link = format!("<a href=\"{url}\">{url}</a>");
    let text = escape_html(word("moved")).replace("{link}", &link);
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\
<link rel=\"canonical\" href=\"{url}\"><meta http-equiv=\"refresh\" content=\"0; url={url}\"></head>\
<body><p>{text}</p></body></html>\n"
    )
}

/// Replaces `href="almanac-xref:N"` placeholders with the resolved URLs.
/// Only inside an `href` attribute: the same text in a code block is
/// escaped (`&quot;`) and stays as written.
pub(crate) fn fill_links(html: &str, xrefs: &[String], config: &SiteConfig) -> String {
    // memmem's vector search: every page's HTML is read through, and
    // `str::find` of a string was a few per cent of a build.
    let key = format!("href=\"{XREF_PREFIX}");
    let mut out = String::with_capacity(html.len() + 64);
    // The end of what is copied: matches never overlap, and a match's
    // digits hold no other.
    let mut done = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), key.as_bytes()) {
        let i = at + "href=\"".len();
        out.push_str(&html[done..i]);
        let after = &html[i + XREF_PREFIX.len()..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        match after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| xrefs.get(n))
        {
            Some(url) if url.starts_with('#') => out.push_str(&escape_html(url)),
            Some(url) => out.push_str(&escape_html(&config.url(url))),
            None => out.push_str(&html[i..i + XREF_PREFIX.len() + digits]),
        }
        done = i + XREF_PREFIX.len() + digits;
    }
    out.push_str(&html[done..]);
    out
}

/// Makes root-relative links absolute, for feed readers.
pub(crate) fn absolute_links(html: &str, config: &SiteConfig) -> String {
    let origin = config.origin();
    let html = replace_all(html, "href=\"/", &format!("href=\"{origin}/"));
    replace_all(&html, "src=\"/", &format!("src=\"{origin}/"))
}

/// A control character other than tab and the line ends: what XML and
/// iCalendar both allow nowhere in their text.
fn c0_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r')
}

/// `text` without the characters `forbidden` names: what a file format
/// allows nowhere. Copies only when there is one.
fn without(mut text: String, forbidden: impl Fn(char) -> bool) -> String {
    if text.chars().any(&forbidden) {
        text.retain(|c| !forbidden(c));
    }
    text
}

/// `text.replace(from, to)` with memmem's vector search, for whole pages.
fn replace_all(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Matches never overlap, so each begins at or after `done`.
    let mut done = 0;
    for at in memchr::memmem::find_iter(text.as_bytes(), from.as_bytes()) {
        out.push_str(&text[done..at]);
        out.push_str(to);
        done = at + from.len();
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing_is_what_str_replace_does() {
        for (text, from, to) in [
            ("", "ab", "x"),
            ("abab", "ab", "x"),
            ("aaa", "aa", "b"),
            (
                "<a href=\"/x\">中文</a> src=\"/y\"",
                "href=\"/",
                "href=\"https://e.org/",
            ),
            ("no match", "zz", "y"),
        ] {
            assert_eq!(
                replace_all(text, from, to),
                text.replace(from, to),
                "{text:?}"
            );
        }
    }

    #[test]
    fn xrefs_become_urls_and_the_rest_is_kept() {
        let root = std::path::Path::new(".");
        let config = crate::config::parse(
            root,
            "title = \"t\"\nbase_url = \"https://e.org/kb\"\n",
            None,
        )
        .expect("config");
        let xrefs = ["/rules/".to_string(), "#top".to_string()];
        let html = format!(
            "<a href=\"{p}0\">规则</a><a href=\"{p}1\">↑</a><a href=\"{p}9\">?</a><a href=\"/x\">x</a>",
            p = XREF_PREFIX
        );
        assert_eq!(
            fill_links(&html, &xrefs, &config),
            format!(
                "<a href=\"/kb/rules/\">规则</a><a href=\"#top\">↑</a><a href=\"{XREF_PREFIX}9\">?</a><a href=\"/x\">x</a>"
            )
        );
        assert_eq!(fill_links("<p>中文</p>", &xrefs, &config), "<p>中文</p>");
    }
}

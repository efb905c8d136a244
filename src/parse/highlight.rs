//! Code highlighting at build time, as CSS classes (`hl-*`), never inline colours.
//!
//! The only module that names syntect. Grammars come from two-face (bat's
//! maintained set, far fresher than syntect's bundle), loaded once, lazily,
//! on the first code block of a build.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::markdown::escape_html;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// HTML for a fenced code block in `lang` (a token such as `rust` or `toml`).
pub(crate) fn code_block(code: &str, lang: Option<&str>) -> String {
    let lang_attr = lang
        .map(|l| format!(" data-lang=\"{}\"", escape_html(l)))
        .unwrap_or_default();
    let syntax = lang.and_then(|l| SYNTAXES.find_syntax_by_token(l));
    let Some(syntax) = syntax else {
        return format!(
            "<pre class=\"code\"{lang_attr}><code>{}</code></pre>\n",
            escape_html(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\"{lang_attr}><code>{}</code></pre>\n",
                escape_html(code)
            );
        }
    }
    format!(
        "<pre class=\"code hl-code\"{lang_attr}><code>{}</code></pre>\n",
        generator.finalize()
    )
}

/// The light and the dark stylesheet for highlighted code.
pub(crate) fn stylesheets() -> (String, String) {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
            .unwrap_or_default()
    };
    (css("InspiredGitHub"), css("base16-ocean.dark"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_not_colours() {
        let html = code_block("fn main() {}\n", Some("rust"));
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        let plain = code_block("<b>", Some("no-such-lang"));
        assert!(plain.contains("&lt;b&gt;"));
        let (light, dark) = stylesheets();
        assert!(light.contains(".hl-"));
        assert!(dark.contains(".hl-"));
    }
}

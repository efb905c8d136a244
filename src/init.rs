//! `almanac init` and `almanac new`: files a user starts from.

use std::path::{Path, PathBuf};

use crate::config::{self, CONFIG_FILE};
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::parse::Kind;
use crate::slug::slugify;

const STARTER: &[(&str, &str)] = &[
    (
        CONFIG_FILE,
        r#"title = "Our Community"
description = "Playbooks, rules, FAQ and events of our community"
base_url = "https://example.org"
language = "en"

[markdown]
raw_html = "sanitize"

# A search box in the header and its static index (Chinese and English).
[search]
enabled = true
"#,
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"Our Community\"\n+++\n\nWelcome! This site holds how we run things: [playbooks](playbooks/_index.md), [rules](rules/code-of-conduct.md), the [FAQ](faq/general.md) and our [events](events/_index.md).\n",
    ),
    (
        "content/playbooks/_index.md",
        "+++\ntitle = \"Playbooks\"\ndescription = \"Step-by-step procedures\"\n+++\n",
    ),
    (
        "content/playbooks/welcome-a-newcomer.md",
        "+++\ntitle = \"Welcome a newcomer\"\ndate = 2026-01-10\ntags = [\"onboarding\"]\nduration = \"15 minutes\"\nroles = [\"greeter\"]\nprerequisites = [\"Read the [code of conduct](../rules/code-of-conduct.md)\"]\n+++\n\n1. Say hello in the welcome channel.\n2. Point them to the [FAQ](../faq/general.md).\n3. Ask what brought them here.\n\n- [ ] Add them to the members list\n",
    ),
    ("content/rules/_index.md", "+++\ntitle = \"Rules\"\n+++\n"),
    (
        "content/rules/code-of-conduct.md",
        "+++\ntitle = \"Code of conduct\"\ndate = 2026-01-01\neffective = 2026-01-01\nversion = \"1.0\"\ntags = [\"onboarding\"]\n\n[[history]]\ndate = 2026-01-01\nversion = \"1.0\"\nsummary = \"First version\"\n+++\n\n1. Be kind and assume good intent.\n2. No harassment, in any channel.\n3. Keep advertising to the #promo channel.\n",
    ),
    ("content/faq/_index.md", "+++\ntitle = \"FAQ\"\n+++\n"),
    (
        "content/faq/general.md",
        "+++\ntitle = \"General questions\"\ndate = 2026-01-05\ntags = [\"onboarding\"]\n+++\n\n## How do I join?\n\nSay hello in the welcome channel.\n\n## Who runs this community?\n\nA team of volunteers; see the [code of conduct](../rules/code-of-conduct.md#rule-1).\n",
    ),
    ("content/events/_index.md", "+++\ntitle = \"Events\"\n+++\n"),
    (
        "content/events/first-meetup.md",
        "+++\ntitle = \"First meetup\"\ndate = 2026-02-01\nstart = 2026-02-14T19:00:00+08:00\nend = 2026-02-14T21:00:00+08:00\nlocation = \"Community space, 2nd floor\"\norganizers = [\"Core team\"]\ntags = [\"meetup\"]\n+++\n\nAn evening to meet each other.\n",
    ),
    ("static/.gitkeep", ""),
    (".gitignore", "public/\n"),
    (".github/workflows/pages.yml", GITHUB_PAGES),
    (".gitlab-ci.yml", GITLAB_PAGES),
];

/// Publishes to GitHub Pages on every push to `main` (set Settings → Pages
/// → Source to "GitHub Actions"). almanac is installed at this version,
/// `--locked`, and cached between runs.
const GITHUB_PAGES: &str = concat!(
    r#"# Builds the site and publishes it to GitHub Pages on every push to main.
# Once: Settings -> Pages -> Build and deployment -> Source: GitHub Actions.
name: Publish the site

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  ALMANAC_VERSION: ""#,
    env!("CARGO_PKG_VERSION"),
    r#""

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the whole history: rules history and stale translations come from git
      - name: Cache almanac
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/almanac
          key: almanac-${{ env.ALMANAC_VERSION }}-${{ runner.os }}
      - name: Install almanac
        run: command -v almanac || cargo install almanac --version "$ALMANAC_VERSION" --locked
      - id: pages
        uses: actions/configure-pages@v5
      - name: Build
        run: almanac build --base-url "${{ steps.pages.outputs.base_url }}"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#
);

/// Publishes to GitLab Pages from the default branch.
const GITLAB_PAGES: &str = concat!(
    r#"# Builds the site and publishes it to GitLab Pages from the default branch.
pages:
  image: rust:1
  variables:
    ALMANAC_VERSION: ""#,
    env!("CARGO_PKG_VERSION"),
    r#""
    GIT_DEPTH: 0 # the whole history: rules history and stale translations come from git
    CARGO_HOME: $CI_PROJECT_DIR/.cargo
  cache:
    key: almanac-$ALMANAC_VERSION
    paths:
      - .cargo/bin/
  script:
    - export PATH="$CARGO_HOME/bin:$PATH"
    - command -v almanac || cargo install almanac --version "$ALMANAC_VERSION" --locked
    - almanac build --base-url "$CI_PAGES_URL"
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"#
);

/// Writes a new site into `dir`; refuses to touch an existing site.
pub(crate) fn site(dir: &Path) -> Result<()> {
    if dir.join(CONFIG_FILE).exists() {
        return Err(Error::Refused(
            Diagnostic::error(format!("{} already has an {CONFIG_FILE}", dir.display()))
                .help("init creates a new site; pick an empty folder"),
        ));
    }
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// Creates `content/<kind's folder>/<slug>.md` with the kind's front matter.
pub(crate) fn new_page(root: &Path, kind: Kind, title: &str) -> Result<PathBuf> {
    let config = config::load(root, None)?;
    let folder = match kind {
        Kind::Page => "pages",
        Kind::Playbook => "playbooks",
        Kind::Rules => "rules",
        Kind::Faq => "faq",
        Kind::Event => "events",
    };
    let slug = slugify(title, config.slugify);
    if slug.is_empty() {
        return Err(Error::Config(Diagnostic::error(
            "the title has no letters or digits to make a file name from",
        )));
    }
    let path = config.content_dir().join(folder).join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Refused(
            Diagnostic::error(format!("{} already exists", path.display()))
                .help("choose another title"),
        ));
    }
    let today = chrono::Local::now().format("%Y-%m-%d");
    let title_toml = toml::Value::String(title.to_string()).to_string();
    let archetype = root.join("archetypes").join(format!("{}.md", kind.name()));
    if archetype.is_file() {
        let text = from_archetype(&archetype, kind, title, &title_toml, &today.to_string())?;
        return write_new(&path, &text);
    }
    let extra = match kind {
        Kind::Playbook => "duration = \"30 minutes\"\nroles = []\nprerequisites = []\n",
        Kind::Rules => "effective = TODAY\nversion = \"1.0\"\n\n[[history]]\ndate = TODAY\nversion = \"1.0\"\nsummary = \"First version\"\n",
        Kind::Event => "start = TODAYT19:00:00+08:00\nend = TODAYT21:00:00+08:00\nlocation = \"\"\norganizers = []\n",
        Kind::Faq | Kind::Page => "",
    }
    .replace("TODAY", &today.to_string());
    let body = match kind {
        Kind::Playbook => "1. First step.\n2. Second step.\n\n- [ ] A task to tick off\n",
        Kind::Rules => "1. First rule.\n2. Second rule.\n",
        Kind::Faq => "## First question?\n\nIts answer.\n",
        Kind::Event => "What, who, and how to join.\n",
        Kind::Page => "Write here.\n",
    };
    let text =
        format!("+++\ntitle = {title_toml}\ndate = {today}\ntags = []\n{extra}+++\n\n{body}");
    write_new(&path, &text)
}

fn write_new(path: &Path, text: &str) -> Result<PathBuf> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))?;
    Ok(path.to_path_buf())
}

/// A page from the site's `archetypes/<kind>.md`, a Tera template with
/// `title` (as written), `title_toml` (quoted for front matter), `date`
/// (today) and `kind`.
fn from_archetype(
    file: &Path,
    kind: Kind,
    title: &str,
    title_toml: &str,
    today: &str,
) -> Result<String> {
    let template = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    let mut ctx = tera::Context::new();
    ctx.insert("title", title);
    ctx.insert("title_toml", title_toml);
    ctx.insert("date", today);
    ctx.insert("kind", kind.name());
    let name = format!("archetypes/{}.md", kind.name());
    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::<&str>::new());
    tera.add_raw_template(&name, &template)
        .and_then(|()| tera.render(&name, &ctx))
        .map_err(|e| {
            Error::Config(
                Diagnostic::error(format!("cannot use {name}: {e}"))
                    .in_file(&name)
                    .help("an archetype is Markdown with {{ title }}, {{ title_toml }}, {{ date }} and {{ kind }}"),
            )
        })
}

//! Interface words of the default theme in each language.
//!
//! Chosen by language tag: `zh-TW`, `zh-HK` and `zh-Hant` get Traditional
//! Chinese, any other `zh` Simplified, everything else English. Templates
//! read them as `site.labels.<key>`; a site adds a language's words or
//! overrides any word in `i18n/<code>.toml` (and, for the default
//! language, under `[extra.labels]`).

use std::collections::BTreeMap;

const EN: &[(&str, &str)] = &[
    ("skip", "Skip to content"),
    ("home", "Home"),
    ("tags", "Tags"),
    ("sections", "Sections"),
    ("recent", "Recently updated"),
    ("upcoming", "Upcoming events"),
    ("popular_tags", "Popular tags"),
    ("all_tags", "All tags"),
    ("min_read", "min read"),
    ("updated", "Updated"),
    ("published", "Published"),
    ("contents", "On this page"),
    ("previous", "Previous"),
    ("next", "Next"),
    ("pager", "Pages"),
    ("previous_page", "Previous page"),
    ("next_page", "Next page"),
    ("duration", "Duration"),
    ("roles", "Roles"),
    ("prerequisites", "Before you start"),
    ("reset", "Reset checklist"),
    ("done", "done"),
    ("version", "Version"),
    ("effective", "In force since"),
    ("history", "History"),
    ("rule_changes", "Rule changes feed"),
    ("questions", "Questions"),
    ("copy_link", "Copy link"),
    ("copied", "Copied"),
    ("add_to_calendar", "Add to calendar"),
    ("location", "Where"),
    ("online", "Online"),
    ("organizers", "Organisers"),
    ("recap", "Recap"),
    ("past_events", "Past events"),
    ("no_upcoming", "No upcoming events yet."),
    ("pages", "pages"),
    ("feed", "Atom feed"),
    ("not_found", "Page not found"),
    (
        "not_found_text",
        "This page does not exist, or it has moved.",
    ),
    ("back_home", "Back to the home page"),
    ("when", "When"),
    ("all_events_ics", "All events (.ics)"),
    ("added", "added"),
    ("removed", "removed"),
    ("reworded", "reworded"),
    ("rule", "Rule"),
    ("print", "Print"),
    ("tagged", "Tagged"),
    ("subsections", "In this section"),
    ("rules", "Rules"),
    ("search", "Search"),
    ("search_placeholder", "Search  ( / )"),
    ("results", "{n} results"),
    ("no_results", "No results"),
    ("all_kinds", "All kinds"),
    ("kind_page", "Page"),
    ("kind_playbook", "Playbook"),
    ("kind_rules", "Rules"),
    ("kind_faq", "FAQ"),
    ("kind_event", "Event"),
    ("search_page", "Every page"),
    ("language_name", "English"),
    ("breadcrumb", "Breadcrumb"),
    ("menu", "Menu"),
    (
        "build_failed",
        "The last rebuild failed: the last good version is underneath",
    ),
    ("dismiss", "Close (Esc)"),
    ("edit_page", "Edit this page"),
    ("rule_changes_title", "rule changes"),
    ("rule_link", "Link to rule {n}"),
    ("step", "Step {n}"),
    ("moved_title", "Redirect"),
    ("moved", "This page has moved to {link}."),
    ("languages", "Languages"),
    (
        "stale",
        "This translation may be out of date: the original changed on {date}.",
    ),
    ("read_original", "Read the original ({language})"),
    ("translations", "Translations"),
    ("missing", "Not translated"),
    ("stale_short", "Out of date"),
    ("translated", "Translated"),
];

const ZH_HANS: &[(&str, &str)] = &[
    ("skip", "跳到正文"),
    ("home", "首页"),
    ("tags", "标签"),
    ("sections", "栏目"),
    ("recent", "最近更新"),
    ("upcoming", "即将举行的活动"),
    ("popular_tags", "热门标签"),
    ("all_tags", "全部标签"),
    ("min_read", "分钟阅读"),
    ("updated", "更新于"),
    ("published", "发布于"),
    ("contents", "本页目录"),
    ("previous", "上一篇"),
    ("next", "下一篇"),
    ("pager", "分页"),
    ("previous_page", "上一页"),
    ("next_page", "下一页"),
    ("duration", "用时"),
    ("roles", "角色"),
    ("prerequisites", "开始之前"),
    ("reset", "重置清单"),
    ("done", "已完成"),
    ("version", "版本"),
    ("effective", "生效日期"),
    ("history", "修订历史"),
    ("rule_changes", "规则变更订阅"),
    ("questions", "问题列表"),
    ("copy_link", "复制链接"),
    ("copied", "已复制"),
    ("add_to_calendar", "加入日历"),
    ("location", "地点"),
    ("online", "线上"),
    ("organizers", "组织者"),
    ("recap", "活动回顾"),
    ("past_events", "往期活动"),
    ("no_upcoming", "暂无即将举行的活动。"),
    ("pages", "篇"),
    ("feed", "Atom 订阅"),
    ("not_found", "页面不存在"),
    ("not_found_text", "这个页面不存在，或者已经移动。"),
    ("back_home", "返回首页"),
    ("when", "时间"),
    ("all_events_ics", "全部活动（.ics）"),
    ("added", "新增"),
    ("removed", "删除"),
    ("reworded", "修改"),
    ("rule", "第"),
    ("print", "打印"),
    ("tagged", "标签"),
    ("subsections", "本栏目"),
    ("rules", "规则"),
    ("search", "搜索"),
    ("search_placeholder", "搜索 ( / )"),
    ("results", "{n} 条结果"),
    ("no_results", "没有结果"),
    ("all_kinds", "全部类型"),
    ("kind_page", "页面"),
    ("kind_playbook", "操作手册"),
    ("kind_rules", "规则"),
    ("kind_faq", "常见问题"),
    ("kind_event", "活动"),
    ("search_page", "全部页面"),
    ("language_name", "简体中文"),
    ("breadcrumb", "当前位置"),
    ("menu", "菜单"),
    ("build_failed", "上次重新构建失败：下面是上一个成功的版本"),
    ("dismiss", "关闭（Esc）"),
    ("edit_page", "编辑此页"),
    ("rule_changes_title", "规则变更"),
    ("rule_link", "链接到第 {n} 条"),
    ("step", "第 {n} 步"),
    ("moved_title", "页面已移动"),
    ("moved", "此页面已移到 {link}。"),
    ("languages", "语言"),
    ("stale", "此译文可能已过时：原文于 {date} 有更新。"),
    ("read_original", "阅读原文（{language}）"),
    ("translations", "翻译"),
    ("missing", "未翻译"),
    ("stale_short", "已过时"),
    ("translated", "已翻译"),
];

const ZH_HANT: &[(&str, &str)] = &[
    ("skip", "跳到正文"),
    ("home", "首頁"),
    ("tags", "標籤"),
    ("sections", "欄目"),
    ("recent", "最近更新"),
    ("upcoming", "即將舉行的活動"),
    ("popular_tags", "熱門標籤"),
    ("all_tags", "全部標籤"),
    ("min_read", "分鐘閱讀"),
    ("updated", "更新於"),
    ("published", "發布於"),
    ("contents", "本頁目錄"),
    ("previous", "上一篇"),
    ("next", "下一篇"),
    ("pager", "分頁"),
    ("previous_page", "上一頁"),
    ("next_page", "下一頁"),
    ("duration", "用時"),
    ("roles", "角色"),
    ("prerequisites", "開始之前"),
    ("reset", "重置清單"),
    ("done", "已完成"),
    ("version", "版本"),
    ("effective", "生效日期"),
    ("history", "修訂歷史"),
    ("rule_changes", "規則變更訂閱"),
    ("questions", "問題列表"),
    ("copy_link", "複製連結"),
    ("copied", "已複製"),
    ("add_to_calendar", "加入行事曆"),
    ("location", "地點"),
    ("online", "線上"),
    ("organizers", "主辦者"),
    ("recap", "活動回顧"),
    ("past_events", "往期活動"),
    ("no_upcoming", "暫無即將舉行的活動。"),
    ("pages", "篇"),
    ("feed", "Atom 訂閱"),
    ("not_found", "頁面不存在"),
    ("not_found_text", "這個頁面不存在，或者已經移動。"),
    ("back_home", "返回首頁"),
    ("when", "時間"),
    ("all_events_ics", "全部活動（.ics）"),
    ("added", "新增"),
    ("removed", "刪除"),
    ("reworded", "修改"),
    ("rule", "第"),
    ("print", "列印"),
    ("tagged", "標籤"),
    ("subsections", "本欄目"),
    ("rules", "規則"),
    ("search", "搜尋"),
    ("search_placeholder", "搜尋 ( / )"),
    ("results", "{n} 筆結果"),
    ("no_results", "沒有結果"),
    ("all_kinds", "全部類型"),
    ("kind_page", "頁面"),
    ("kind_playbook", "操作手冊"),
    ("kind_rules", "規則"),
    ("kind_faq", "常見問題"),
    ("kind_event", "活動"),
    ("search_page", "全部頁面"),
    ("language_name", "繁體中文"),
    ("breadcrumb", "目前位置"),
    ("menu", "選單"),
    ("build_failed", "上次重新建置失敗：下面是上一個成功的版本"),
    ("dismiss", "關閉（Esc）"),
    ("edit_page", "編輯此頁"),
    ("rule_changes_title", "規則變更"),
    ("rule_link", "連結到第 {n} 條"),
    ("step", "第 {n} 步"),
    ("moved_title", "頁面已移動"),
    ("moved", "此頁面已移到 {link}。"),
    ("languages", "語言"),
    ("stale", "此譯文可能已過時：原文於 {date} 有更新。"),
    ("read_original", "閱讀原文（{language}）"),
    ("translations", "翻譯"),
    ("missing", "未翻譯"),
    ("stale_short", "已過時"),
    ("translated", "已翻譯"),
];

/// Which built-in words a language tag gets.
fn table(language: &str) -> &'static [(&'static str, &'static str)] {
    let lang = language.to_ascii_lowercase();
    if lang.starts_with("zh") {
        if ["zh-tw", "zh-hk", "zh-mo", "zh-hant"]
            .iter()
            .any(|t| lang.starts_with(t))
        {
            ZH_HANT
        } else {
            ZH_HANS
        }
    } else {
        EN
    }
}

/// A built-in word for a language tag (for pages almanac makes itself,
/// such as the dev server's error overlay).
pub(crate) fn builtin(language: &str, key: &str) -> &'static str {
    table(language)
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, v)| v)
}

/// How a multilingual site shows dates in a language, unless its words
/// file says otherwise.
pub(crate) fn date_format(language: &str) -> &'static str {
    if std::ptr::eq(table(language), EN) {
        "%-d %B %Y"
    } else {
        "%Y年%-m月%-d日"
    }
}

/// The words of the language this configuration is for: built-in, then
/// the site's `i18n/<code>.toml`, then (default language) `[extra.labels]`.
pub(crate) fn for_config(config: &crate::config::SiteConfig) -> BTreeMap<String, String> {
    of_language(config, config.lang)
}

/// The words of language `lang` of the site (see [`for_config`]).
pub(crate) fn of_language(
    config: &crate::config::SiteConfig,
    lang: crate::config::LangId,
) -> BTreeMap<String, String> {
    let language = &config.languages[lang];
    let mut out: BTreeMap<String, String> = table(&language.code)
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    out.extend(language.words.clone());
    if lang == 0
        && let Some(toml::Value::Table(overrides)) = config.extra.get("labels")
    {
        for (k, v) in overrides {
            if let toml::Value::String(s) = v {
                out.insert(k.clone(), s.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_keys_in_every_language() {
        let keys = |t: &[(&'static str, &'static str)]| {
            t.iter().map(|(k, _)| *k).collect::<Vec<&'static str>>()
        };
        assert_eq!(keys(EN), keys(ZH_HANS));
        assert_eq!(keys(EN), keys(ZH_HANT));
        assert_eq!(table("zh-TW")[1].1, "首頁");
        assert_eq!(table("zh-CN")[1].1, "首页");
        assert_eq!(date_format("en-GB"), "%-d %B %Y");
    }
}

"""Interface strings of the themes, per language."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .model import Text

_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home",
        "publications": "Publications",
        "selected_publications": "Selected Publications",
        "all_publications": "All publications",
        "news": "News",
        "education": "Education",
        "experience": "Experience",
        "awards": "Honors & Awards",
        "teaching": "Teaching",
        "talks": "Talks",
        "service": "Service",
        "projects": "Projects",
        "contact": "Contact",
        "preprints": "Preprints",
        "email": "Email",
        "role_equal": "Equal contribution",
        "role_corresponding": "Corresponding author",
        "role_advising": "Equal advising",
        "abstract": "Abstract",
        "cite": "Cite",
        "links": "Links",
        "not_found": "Page not found",
        "not_found_text": "The page you are looking for does not exist or has moved.",
        "back_home": "Back to the home page",
        "skip": "Skip to content",
        "theme_toggle": "Toggle dark mode",
        "and_more": "and {n} more",
        "published_in": "In",
        "year": "Year",
        "menu": "Menu",
        "interests": "Interests",
        "language": "Language",
        "copy": "Copy",
        "copied": "Copied",
        "search": "Search",
        "filter": "Filter",
        "all": "All",
        "cv": "CV",
        "posted": "Posted on",
        "updated": "Last updated",
        "built_with": "Built with",
    },
    "zh": {
        "home": "首页",
        "publications": "论文",
        "selected_publications": "代表论文",
        "all_publications": "全部论文",
        "news": "新闻",
        "education": "教育经历",
        "experience": "工作经历",
        "awards": "荣誉奖项",
        "teaching": "教学",
        "talks": "报告",
        "service": "学术服务",
        "projects": "项目",
        "contact": "联系方式",
        "preprints": "预印本",
        "email": "邮箱",
        "role_equal": "共同第一作者",
        "role_corresponding": "通讯作者",
        "role_advising": "共同指导",
        "abstract": "摘要",
        "cite": "引用",
        "links": "链接",
        "not_found": "页面不存在",
        "not_found_text": "您要找的页面不存在或已被移动。",
        "back_home": "返回首页",
        "skip": "跳到正文",
        "theme_toggle": "切换深色模式",
        "and_more": "等 {n} 人",
        "published_in": "发表于",
        "year": "年份",
        "menu": "菜单",
        "interests": "研究兴趣",
        "language": "语言",
        "copy": "复制",
        "copied": "已复制",
        "search": "搜索",
        "filter": "筛选",
        "all": "全部",
        "cv": "简历",
        "posted": "发布于",
        "updated": "最后更新",
        "built_with": "构建工具",
    },
    "de": {
        "home": "Start",
        "publications": "Publikationen",
        "selected_publications": "Ausgewählte Publikationen",
        "all_publications": "Alle Publikationen",
        "news": "Neuigkeiten",
        "education": "Ausbildung",
        "experience": "Berufserfahrung",
        "awards": "Auszeichnungen",
        "teaching": "Lehre",
        "talks": "Vorträge",
        "service": "Gutachtertätigkeit",
        "projects": "Projekte",
        "contact": "Kontakt",
        "preprints": "Preprints",
        "email": "E-Mail",
        "role_equal": "Gleicher Beitrag",
        "role_corresponding": "Korrespondierende:r Autor:in",
        "role_advising": "Gleichberechtigte Betreuung",
        "abstract": "Zusammenfassung",
        "cite": "Zitieren",
        "links": "Links",
        "not_found": "Seite nicht gefunden",
        "not_found_text": "Die gesuchte Seite gibt es nicht oder sie wurde verschoben.",
        "back_home": "Zur Startseite",
        "skip": "Zum Inhalt springen",
        "theme_toggle": "Dunkelmodus umschalten",
        "and_more": "und {n} weitere",
        "published_in": "In",
        "year": "Jahr",
        "menu": "Menü",
        "interests": "Interessen",
        "language": "Sprache",
        "copy": "Kopieren",
        "copied": "Kopiert",
        "search": "Suchen",
        "filter": "Filtern",
        "all": "Alle",
        "cv": "Lebenslauf",
        "posted": "Veröffentlicht am",
        "updated": "Zuletzt aktualisiert",
        "built_with": "Erstellt mit",
    },
}

LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "en": "English",
        "zh": "中文",
        "de": "Deutsch",
        "fr": "Français",
        "es": "Español",
        "ja": "日本語",
        "ko": "한국어",
        "pt": "Português",
        "ru": "Русский",
        "it": "Italiano",
    }
)


def strings(lang: str) -> Mapping[str, str]:
    """Interface strings for `lang`, English for anything untranslated."""
    base = _STRINGS["en"]
    own = _STRINGS.get(lang) or _STRINGS.get(lang.split("-")[0], {})
    return MappingProxyType({**base, **own})


def localize(text: Text, lang: str, default: str) -> str:
    """The text of `lang`, falling back to the default language, then to any text."""
    if isinstance(text, str):
        return text
    if not text:
        return ""
    return text.get(lang) or text.get(default) or next(iter(text.values()))

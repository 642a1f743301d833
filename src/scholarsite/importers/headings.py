"""Which section a heading names: English and Chinese variants, typos tolerated."""

from __future__ import annotations

import difflib
import re

from .inline import plain_text

__all__ = ["SECTION_WORDS", "section_of"]

#: Section name -> words or phrases that name it (lowercase). Longer phrases win.
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "education": (
        "education",
        "educations",
        "academic background",
        "degrees",
        "studies",
        "教育经历",
        "教育背景",
        "教育",
        "学历",
        "学习经历",
    ),
    "experience": (
        "experience",
        "experiences",
        "work experience",
        "research experience",
        "employment",
        "positions",
        "appointments",
        "internships",
        "internship",
        "industry experience",
        "professional experience",
        "career",
        "work",
        "工作经历",
        "实习经历",
        "科研经历",
        "研究经历",
        "经历",
        "工作",
        "实习",
    ),
    "publications": (
        "publications",
        "publication",
        "papers",
        "selected publications",
        "manuscripts",
        "preprints",
        "research papers",
        "selected papers",
        "论文",
        "发表论文",
        "学术论文",
        "论文发表",
        "出版物",
        "科研成果",
        "代表作",
    ),
    "awards": (
        "awards",
        "award",
        "honors",
        "honours",
        "honor",
        "prizes",
        "scholarships",
        "fellowships",
        "achievements",
        "荣誉奖项",
        "荣誉",
        "获奖",
        "奖项",
        "获奖情况",
        "奖励",
        "荣誉与奖励",
    ),
    "teaching": (
        "teaching",
        "teaching experience",
        "teaching assistant",
        "courses",
        "教学",
        "助教",
        "教学经历",
    ),
    "service": (
        "service",
        "services",
        "academic service",
        "academic services",
        "professional service",
        "professional activities",
        "reviewer",
        "reviewing",
        "学术服务",
        "服务",
        "审稿",
    ),
    "talks": ("talks", "invited talks", "presentations", "talk", "报告", "学术报告", "讲座"),
    "news": (
        "news",
        "recent news",
        "updates",
        "latest news",
        "新闻",
        "动态",
        "最新动态",
        "近期动态",
    ),
    "contact": ("contact", "contact me", "contacts", "get in touch", "联系", "联系方式", "联系我"),
    "projects": ("projects", "project", "research projects", "项目", "科研项目", "项目经历"),
}
_WORDS = re.compile(r"[a-z]+|[\u4e00-\u9fff]+")
_VOCAB = sorted({w for words in SECTION_WORDS.values() for p in words for w in p.split()})


def _tokens(title: str) -> list[str]:
    text = plain_text(title).lower()
    return _WORDS.findall(text)


def section_of(title: str) -> str:
    """The section a heading names ("Hornors & Awards" -> "awards", "论文" ->
    "publications"), or "" when it names none of them."""
    tokens = _tokens(title)
    if not tokens:
        return ""
    fixed = []
    for t in tokens:
        if t in _VOCAB or not t.isascii() or len(t) < 4:
            fixed.append(t)
        else:
            close = difflib.get_close_matches(t, _VOCAB, n=1, cutoff=0.85)
            fixed.append(close[0] if close else t)
    text = " ".join(fixed)
    joined = "".join(fixed)
    best, best_len = "", 0
    for section, phrases in SECTION_WORDS.items():
        for phrase in phrases:
            if phrase.isascii():
                hit = re.search(rf"\b{re.escape(phrase)}\b", text) is not None
            else:
                hit = phrase in joined
            if hit and len(phrase) > best_len:
                best, best_len = section, len(phrase)
    if best == "experience" and "teaching" in text:
        return "teaching"
    return best

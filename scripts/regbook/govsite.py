"""A government site's furniture: the footer and the 政府网站 meta tags (政府网站发展指引,
国办发〔2017〕47号, 附件《政府网站网页设计规范》).

Configured in ``mkdocs.yml`` under ``extra: 网站信息:`` (``SiteInfo.from_config``): 主办单位,
联系方式, 网站标识码, ICP备案号, 公安备案号, 网站域名, 党政机关网站标识 (an image file of the
site, shown only when configured and present). Empty values are left out of the footer.

Every page gets the site's tags (SiteName, SiteDomain, SiteIDCode), its column's (ColumnName,
ColumnType: the navigation section, or the section a page outside the navigation belongs to)
and its article's (ArticleTitle, PubDate, ContentSource, Keywords, Description: from the
document's metadata on regulation, cleanup and disclosure pages). Every value is escaped by
``regbook.escape``; the MkDocs plugin only hands the strings to the templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import quote, urlsplit

from regbook.escape import html_text, one_line

CONFIG_KEY = "网站信息"
ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode="

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("catalog/", "法规目录", "政策文件"),
    ("regulations/", "法规目录", "政策文件"),
    ("disclosure/", "政府信息公开", "信息公开"),
    ("cleanup/", "规范性文件清理", "政策文件"),
    ("print_page", "法规目录", "政策文件"),
    ("about", "关于本站", "网站介绍"),
)
"""Source path prefix → (ColumnName, ColumnType), for pages the navigation does not name."""


@dataclass(frozen=True)
class SiteInfo:
    """The site's identity as configured (``extra: 网站信息:`` in mkdocs.yml)."""

    name: str
    domain: str = ""
    description: str = ""
    sponsor: str = ""
    contact: str = ""
    id_code: str = ""
    icp: str = ""
    police: str = ""
    badge: str = ""
    """Path (site-relative) of the 党政机关网站标识 image; ``""`` when not configured or absent."""

    @classmethod
    def from_config(cls, extra: Mapping[str, Any], site_name: str, site_url: str | None, description: str = "") -> "SiteInfo":
        """From mkdocs.yml: ``extra.网站信息`` (values as text), site_name, site_url (for the domain)."""
        raw = extra.get(CONFIG_KEY) or {}
        if not isinstance(raw, Mapping):
            raw = {}
        get = lambda key: one_line(raw.get(key)).strip()  # noqa: E731
        domain = get("网站域名") or (urlsplit(site_url).hostname or "" if site_url else "")
        return cls(
            name=site_name,
            domain=domain,
            description=description,
            sponsor=get("主办单位"),
            contact=get("联系方式"),
            id_code=get("网站标识码"),
            icp=get("ICP备案号"),
            police=get("公安备案号"),
            badge=get("党政机关网站标识"),
        )


@dataclass(frozen=True)
class Article:
    """What a page says about itself: title, date, source, keywords, description (all text)."""

    title: str
    date: dt.date | None = None
    source: str = ""
    keywords: str = ""
    description: str = ""


def column(src_uri: str, nav_section: str | None = None) -> tuple[str, str]:
    """(ColumnName, ColumnType) of a page: its navigation section, else by its path; home: 首页."""
    for prefix, name, kind in COLUMNS:
        if src_uri.startswith(prefix):
            return (nav_section or name, kind)
    if src_uri in ("index.md", "", "404.html"):
        return ("首页", "首页")
    return (nav_section or "其他", "其他")


def _meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{html_text(value)}">'


def meta_tags(site: SiteInfo, src_uri: str, article: Article | None = None, nav_section: str | None = None) -> str:
    """The 政府网站 meta tags of one page (site, column, article), one per line."""
    name, kind = column(src_uri, nav_section)
    tags = [("SiteName", site.name), ("SiteDomain", site.domain), ("SiteIDCode", site.id_code)]
    tags += [("ColumnName", name), ("ColumnType", kind)]
    if article is not None:
        tags += [
            ("ArticleTitle", article.title),
            ("PubDate", article.date.isoformat() if article.date else ""),
            ("ContentSource", article.source or site.sponsor),
            ("Keywords", article.keywords),
            ("Description", article.description or site.description),
        ]
    return "\n".join(_meta(k, v) for k, v in tags if v)


def footer_html(site: SiteInfo, badge_href: str = "") -> str:
    """The footer: 主办单位, 联系方式, 网站标识码, ICP备案号 (to the MIIT register), 公安备案号, and the
    党政机关网站标识 when ``badge_href`` (the image's URL from this page) is given."""
    first = []
    if site.sponsor:
        first.append(f"主办单位：{html_text(site.sponsor)}")
    if site.contact:
        first.append(f"联系方式：{html_text(site.contact)}")
    second = []
    if site.id_code:
        second.append(f"网站标识码：{html_text(site.id_code)}")
    if site.icp:
        second.append(f'<a href="{ICP_URL}" rel="noopener">{html_text(site.icp)}</a>')
    if site.police:
        digits = "".join(ch for ch in site.police if ch.isdigit())
        href = POLICE_URL + quote(digits) if digits else ""
        text = html_text(site.police)
        second.append(f'<a href="{href}" rel="noopener">{text}</a>' if href else text)
    badge = (
        f'<img class="regbook-footer__badge" src="{html_text(badge_href)}" alt="党政机关网站标识" width="55" height="64">'
        if badge_href
        else ""
    )
    lines = "".join(f'<p class="regbook-footer__line">{"　".join(line)}</p>' for line in (first, second) if line)
    return f'<div class="regbook-footer">{badge}<div class="regbook-footer__text">{lines}</div></div>'

"""Importing law texts: the national database's text layout or a Word file → regulation files.

The package, in the order data flows through it:

- ``text``: the text layout of ``../shared/corpus`` (``# 标题``, dated history lines, the
  end-of-header line ``SENTINEL``, then the body) split into its parts; the body as Markdown.
  A ``.docx`` is first turned into the same layout by ``regbook.docx_reader``.
- ``history``: the dated history lines → events (日期, 事件, 机关) and the issuing organ.
- ``drafting``: a source → ``Draft`` (front matter values, Markdown body, the fallbacks that
  were needed) or ``Problem`` objects, by the rules below. Pure functions.
- ``writing``: new files, and merging a re-import into a file an editor may have changed
  (the import record, three-way merge, round-trip YAML); see its docstring.
- ``project``: places drafts into a project's ``regulations/`` folder, keeps version chains
  right (older versions of the same 标题 become 已修改 with 现行版本 = the newest), and writes
  atomically (temporary file + rename); nothing is written for a bad source or on a conflict.
  Hostile input (zip bombs, entity expansion, links out of a folder, huge files or lines) is a
  problem of that source, never an exception; see ``regbook.docx_reader`` and ``project``.

Rules chosen here (documented for editors in README.md, “导入法律文本”):

- 公布日期: the latest promulgation-type event of the history (通过/公布/发布/修正/修订/修改/批准/
  印发). Fallbacks, each counted: the file-name date ``名称(YYYY-MM-DD)`` when the history has
  none, or when it is later (within ``SAME_VERSION_DAYS``: the same version, published after
  adoption; beyond: the header lacks the version's event); then the body's 施行日期 (flagged
  in the text); then ``--date`` (flagged). Nothing at all: error.
- 施行日期: the latest dated 施行/实施/生效/执行 event if not before 公布日期; else the body's
  last “自YYYY年M月D日起施行” if not before 公布日期; else 公布日期 when the text says
  自公布之日起施行 and has no amendment history. Otherwise left out.
- 成文日期 (only for 规范性文件 levels, GB/T 9704: the adopting meeting's date): the last 通过
  date when only 公布/发布 follows it.
- 发文字号: only a decree or 〔年〕号 number in the event that made this version.
- 制定机关: the organ of the latest promulgation event (批准 excluded), normalised (届/次会议
  dropped). Fallbacks, counted: a signature line (“最高人民法院发布”), the title (“X关于…”), the
  部门规章 folder, the level (行政法规 → 国务院; 法律 → 全国人民代表大会常务委员会; 地方性法规 →
  the title's place + 人民代表大会常务委员会), else “（原文未注明）”.
- 版本: ``YYYY年修正`` / ``YYYY年修订`` / ``YYYY年修改`` when the version comes from an
  amendment; ``YYYY年版`` for other versions when the 标题 has several; the full date when
  two versions' labels would clash (``group_labels``).
- 时效性: 现行有效, or 尚未生效 before 施行日期; older versions of the same 标题 已修改 with
  现行版本 = the newest (by 公布日期). The corpus' ``expired`` flag is not used.
- id: ``--id`` (one source only), else pinyin of the short title (without 中华人民共和国) plus ``-YYYY-MM-DD`` of 公布日期;
  long titles are cut and get a 6-hex hash of the title; see ``make_id``.
"""

from __future__ import annotations

from regbook.importer.drafting import (
    LEVEL_FOLDERS,
    Draft,
    draft_from_text,
    group_labels,
    level_choices,
    level_for,
    make_id,
    read_source,
    version_label,
)
from regbook.importer.history import Event, organ_of, parse_history, split_event
from regbook.importer.project import RESOLVE_CHOICES, Importer, Report, collect_sources, find_sources, import_sources
from regbook.importer.text import SENTINEL, markdown_body, normalise_line, split_layout
from regbook.importer.writing import render

__all__ = [
    "LEVEL_FOLDERS",
    "RESOLVE_CHOICES",
    "SENTINEL",
    "Draft",
    "Event",
    "Importer",
    "Report",
    "collect_sources",
    "draft_from_text",
    "find_sources",
    "group_labels",
    "import_sources",
    "level_choices",
    "level_for",
    "make_id",
    "markdown_body",
    "normalise_line",
    "organ_of",
    "parse_history",
    "read_source",
    "render",
    "split_event",
    "split_layout",
    "version_label",
]

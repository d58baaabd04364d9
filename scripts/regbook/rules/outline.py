"""The compendium's outline (``regulations/汇编目录.yml``) names documents that exist, once each,
under their own 效力位阶 (``regbook.outline`` parses it; its form errors come from loading).

- an id that is no document's (or a document that could not be loaded: quiet, reported once
  where it is) is an error with the nearest id;
- an id listed twice is an error naming the first line;
- an id under another 效力位阶's heading is an error naming the right one (the book and the
  catalog group by 效力位阶: the document would not move).
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Iterator

from regbook.corpus import Corpus
from regbook.problems import Problem


def outline_ids(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Every id of the outline is a document's, listed once, under the document's 效力位阶."""
    outline = corpus.outline
    seen: dict[str, int] = {}
    ids = sorted(corpus.by_id)
    for level, item in outline.items:
        if item.id in seen:
            yield Problem.error(outline.path, item.line, f"“{item.id}”重复：第{seen[item.id]}行已经列出，请删去这一行")
            continue
        seen[item.id] = item.line
        reg = corpus.regulation(item.id)
        if reg is None:
            if item.id in corpus.unloaded:
                continue
            near = difflib.get_close_matches(item.id, ids, n=1)
            hint = f"，是不是“{near[0]}”" if near else ""
            yield Problem.error(
                outline.path, item.line, f"没有 id 为“{item.id}”的文件{hint}？请改为 regulations/ 中某个文件的 id，或删去这一行"
            )
        elif reg.level is not level:
            yield Problem.error(
                outline.path,
                item.line,
                f"“{item.id}”的效力位阶是“{reg.level.value}”，却列在“{level.value}:”下：请把这一行移到“{reg.level.value}:”下",
            )


RULES = [outline_ids]

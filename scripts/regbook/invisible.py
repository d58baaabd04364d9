"""Characters that cannot be seen, in identifiers: id, 发文字号, 索引号 and file names.

Text copied from web pages and Word documents brings characters that print as nothing (a zero
width space, a word joiner, a byte order mark inside the text, a soft hyphen, bidi controls):
two 发文字号 that look the same then compare different, and a duplicate slips through. The
checker refuses them in identifiers, naming each character and its position, and every
uniqueness comparison uses ``comparison_key`` (NFKC, without whitespace and such characters).

Refused: Unicode categories Cf (format), Cc (control), Co (private use), Cn (unassigned), Zl and
Zp (line and paragraph separators), spaces (Zs) other than the ordinary space and the
ideographic space 　 (whose own rules decide where a visible space may stand), and a few
letters and marks that render blank (Hangul fillers, the combining grapheme joiner, variation
selectors).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
"""A Private Use Area code point: the BMP's area and planes 15–16 (their last two code points,
noncharacters, with them). No font of the site or the book has a glyph for one: refused in
identifiers (category Co, below), a warning in text (``rules.characters``), 〓 in the book
(``book.typst``)."""

_REFUSED_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Zl", "Zp"})
_VISIBLE_SPACES = frozenset({" ", "\u3000"})
_BLANK_LETTERS = frozenset({"\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0"})

_BIDI_CONTROLS = frozenset({"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM"})
_CHINESE_NAMES = {
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u2060": "词连接符",
    "\ufeff": "字节顺序标记 BOM",
    "\u00ad": "软连字符",
    "\u00a0": "不换行空格",
    "\u180e": "蒙古文元音分隔符",
    "\u034f": "组合用字形连接符",
    "\u3164": "韩文填充符",
}


@dataclass(frozen=True)
class Hidden:
    """One refused character: its 1-based position in the text and the character itself."""

    position: int
    char: str

    @property
    def name(self) -> str:
        """``U+200B ZERO WIDTH SPACE（零宽空格）``: code point, Unicode name, and a Chinese name
        where editors know one (bidi controls: 文字方向控制符; controls: 控制字符)."""
        code = f"U+{ord(self.char):04X}"
        official = unicodedata.name(self.char, "")
        chinese = _CHINESE_NAMES.get(self.char)
        category = unicodedata.category(self.char)
        if chinese is None and unicodedata.bidirectional(self.char) in _BIDI_CONTROLS:
            chinese = "文字方向控制符"
        if chinese is None and category == "Cc":
            chinese = "控制字符"
        if chinese is None and category.startswith("Z"):
            chinese = "特殊空白"
        return code + (f" {official}" if official else "") + (f"（{chinese}）" if chinese else "")


def is_hidden(char: str) -> bool:
    """A character that must not appear in an identifier (see the module docstring)."""
    if char in _VISIBLE_SPACES:
        return False
    category = unicodedata.category(char)
    if category in _REFUSED_CATEGORIES or category == "Zs":
        return True
    return char in _BLANK_LETTERS or "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"


def hidden_characters(text: str) -> list[Hidden]:
    """Every refused character in ``text``, in order."""
    return [Hidden(i + 1, c) for i, c in enumerate(text) if is_hidden(c)]


def shown(text: str) -> str:
    """``text`` with each refused character written as ``⟨U+200B⟩``, so an editor sees where it is."""
    return "".join(f"⟨U+{ord(c):04X}⟩" if is_hidden(c) else c for c in text)


def describe(text: str) -> str:
    """The refused characters of ``text`` in words: ``第 6 个字符 U+200B ZERO WIDTH SPACE（零宽空格）``, …"""
    return "；".join(f"第 {h.position} 个字符 {h.name}" for h in hidden_characters(text))


@lru_cache(maxsize=16384)  # the preview compares every identifier on each rebuild
def comparison_key(text: str) -> str:
    """The form identifiers are compared in: NFKC, without whitespace and refused characters."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace() and not is_hidden(c))

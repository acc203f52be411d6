"""Text normalisation shared by every phrase check.

Recognised Chinese arrives with spaces between words (Vosk), typed Chinese may be traditional and full
width; matching has to see one canonical form, and a pinyin form that survives homophone errors.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from typing import Any

from opencc import OpenCC

_T2S = OpenCC("t2s")
# NFKC already turns full-width ，！？；：（） and digits into ASCII; these are the marks it leaves alone.
_PUNCT = str.maketrans({"。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "—": "-", "～": "~"})
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])\s+(?=[\u3400-\u4dbf\u4e00-\u9fff])")
_SPACES = re.compile(r"\s+")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def is_content(ch: str) -> bool:
    """A character that carries speech (not punctuation or space): what word times are spread over."""
    return ch.isalnum()


def normalise_zh(text: str) -> str:
    """Simplified characters, ASCII punctuation, no spaces between Chinese characters."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    text = _T2S.convert(text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip().lower()


# One spelling for what speakers say either way: contractions are written out ("that's" -> "that is",
# "can't" -> "can not"), also when the apostrophe was dropped ("dont"), and "ill" before a verb is "i will"
# ("ill health" stays). Written out word by word, so a word keeps its place among the recogniser's words.
_FULL = {
    "don't": "do not", "doesn't": "does not", "didn't": "did not", "can't": "can not", "cannot": "can not",
    "won't": "will not", "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not",
    "wouldn't": "would not", "couldn't": "could not", "shouldn't": "should not", "haven't": "have not",
    "hasn't": "has not", "i'm": "i am", "you're": "you are", "we're": "we are", "they're": "they are",
    "that's": "that is", "it's": "it is", "there's": "there is", "what's": "what is", "where's": "where is",
    "who's": "who is", "here's": "here is", "nobody's": "nobody is", "i'll": "i will", "you'll": "you will",
    "we'll": "we will", "they'll": "they will", "it'll": "it will", "i've": "i have", "you've": "you have",
    "we've": "we have", "they've": "they have",
}
_FULL.update({k.replace("'", ""): v for k, v in _FULL.items() if "'" in k and k.replace("'", "") not in (
    "well", "were", "ill", "its", "hell", "shell", "wed", "id", "im", "whos", "heres", "theyll", "youll")})
_FULL["im"] = "i am"  # "im" is no word of its own in a reply
_SHORT_FORMS = re.compile(r"(?<![a-z0-9'])(" + "|".join(re.escape(k) for k in sorted(_FULL, key=len, reverse=True)) + r")(?![a-z0-9'])")
_ILL_VERB = re.compile(r"\bill (?=(send|call|get|have|make|check|book|arrange|ring|text|email|look|sort|put|pass|be|try|"
                       r"do|give|take|see|let|keep|follow|ask|update|transfer|refund|come|note|raise|escalate|phone)\b)")


# recognised text drops the apostrophe of "I'd" / "you'd" ("id be just as cross"): given back before a verb ("your id" stays)
_D_VERB = re.compile(r"(?<!your )(?<!my )(?<!the )(?<!photo )(?<!an )\b(i|you|they|we)d (?=(be|like|love|feel|say|suggest|recommend|ask|need|want|prefer|rather|have|get|hate|think|do|"
                     r"never|just|really|also|probably|definitely|better)\b)")
# "8 a.m. is the first slot": the dots of a clock time end no sentence when the sentence goes on (a lower-case word)
_CLOCK_DOTS = re.compile(r"\b([ap])\.m\.(?=(?-i: [a-z0-9]))", re.IGNORECASE)


def normalise_en(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, contractions written out, "a.m." inside a sentence as "am"."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    text = _CLOCK_DOTS.sub(r"\1m", _SPACES.sub(" ", text).strip()).lower()
    text = _D_VERB.sub(r"\1'd ", _ILL_VERB.sub("i will ", text))
    return _SHORT_FORMS.sub(lambda m: _FULL[m.group()], text)


class TextMemo:
    """What has been worked out from texts, oldest dropped first once the texts add up to `budget`
    characters: a call's checks each ask for the same turn's normal form, readings or filler count, and
    with this each turn pays for them once (opencc and pypinyin are most of a short reply's analysis).
    Bounded by characters, not entries, so a long call is held whole and a huge turn cannot fill memory."""

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._held = 0
        self._items: OrderedDict[tuple[str, Any], tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()  # analyses run on worker threads beside the live call

    def get(self, key: tuple[str, Any]) -> Any:
        """The value kept for `key` (a text and what was asked of it), or None."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: tuple[str, Any], value: Any, size: int) -> None:
        """Keep a value that takes about `size` characters besides its text."""
        size += len(key[0])
        if size > self._budget:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self._held += size
            while self._held > self._budget:
                _, (_, dropped) = self._items.popitem(last=False)
                self._held -= dropped


MEMO_CHARS = 4_000_000  # a four-hour call's words many times over; at most some 50 MB
_NORMAL = TextMemo(MEMO_CHARS)
_READINGS = TextMemo(MEMO_CHARS)


def normalise(text: str, language: str) -> str:
    key = (text, language)
    found = _NORMAL.get(key)
    if found is None:
        found = normalise_zh(text) if language == "zh" else normalise_en(text)
        _NORMAL.put(key, found, len(found))
    return found


def to_pinyin(text: str, tones: bool = False) -> list[str]:
    """Pinyin (toneless, or with tone numbers: bao4), one item per Chinese character; runs of other characters kept as one item.

    pypinyin loads its phrase dictionary on import (about half a second, held compactly by pinyin_data), so only
    Chinese text pays for it."""
    import simulator.core.analysis.pinyin_data  # noqa: F401  (before pypinyin: it loads pypinyin's data compactly)
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.TONE3 if tones else Style.NORMAL)


def char_readings(text: str, tones: bool = False) -> tuple[str, ...]:
    """One reading per character of `text`, chosen in context (重复 -> chong); others read as themselves."""
    found = _READINGS.get((text, tones))
    if found is None:
        found = _readings(text, tones)
        _READINGS.put((text, tones), found, 4 * len(found))
    return found


def _readings(text: str, tones: bool) -> tuple[str, ...]:
    out = list(text)
    pos = 0
    for item in to_pinyin(text, tones):
        while pos < len(text) and not is_cjk(text[pos]) and not item.startswith(text[pos]):
            pos += 1
        if pos >= len(text):
            break
        if is_cjk(text[pos]):
            out[pos] = item
            pos += 1
        else:
            pos += len(item)
    return tuple(out)


def content_count(text: str) -> int:
    return sum(1 for ch in text if is_content(ch))

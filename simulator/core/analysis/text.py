"""Text normalisation shared by every phrase check.

Recognised Chinese arrives with spaces between words (Vosk), typed Chinese may be traditional and full
width; matching has to see one canonical form, and a pinyin form that survives homophone errors.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


# Recognisers and hurried typing drop apostrophes ("dont", "youre"); put back the ones that cannot be
# another word, and "ill" only before a verb ("ill send" is "i'll send", "ill health" stays).
_CONTRACTIONS = {
    w.replace("'", ""): w for w in (
        "don't", "doesn't", "didn't", "can't", "won't", "isn't", "aren't", "wasn't", "weren't", "wouldn't",
        "couldn't", "shouldn't", "haven't", "hasn't", "i'm", "i've", "i'd", "you're", "you've", "you'll", "you'd",
        "we've", "they're", "that's", "there's", "what's", "where's", "who's", "here's", "nobody's", "let's", "it'll", "we'd", "they'll", "they've",
    )
}
_CONTRACTION_WORDS = re.compile(r"\b(" + "|".join(_CONTRACTIONS) + r")\b")
_ILL_VERB = re.compile(r"\bill (?=(send|call|get|have|make|check|book|arrange|ring|text|email|look|sort|put|pass|be|try|"
                       r"do|give|take|see|let|keep|follow|ask|update|transfer|refund|come|note|raise|escalate|phone)\b)")


# Full forms said as one word by most speakers, so that one list entry ("that's not true") covers both.
_CONTRACT = {
    "that is": "that's", "it is": "it's", "you are": "you're", "we are": "we're", "they are": "they're",
    "i am": "i'm", "do not": "don't", "does not": "doesn't", "did not": "didn't", "is not": "isn't",
    "are not": "aren't", "cannot": "can't", "can not": "can't", "will not": "won't", "was not": "wasn't",
}
_FULL_FORMS = re.compile(r"\b(" + "|".join(_CONTRACT) + r")\b")


def normalise_en(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, one spelling for contractions (dropped apostrophes
    put back, common full forms contracted)."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    text = _SPACES.sub(" ", text).strip().lower()
    text = _CONTRACTION_WORDS.sub(lambda m: _CONTRACTIONS[m.group()], text)
    text = _FULL_FORMS.sub(lambda m: _CONTRACT[m.group()], text)
    return _ILL_VERB.sub("i'll ", text)


def normalise(text: str, language: str) -> str:
    return normalise_zh(text) if language == "zh" else normalise_en(text)


def to_pinyin(text: str, tones: bool = False) -> list[str]:
    """Pinyin (toneless, or with tone numbers: bao4), one item per Chinese character; runs of other characters kept as one item.

    pypinyin loads its phrase dictionary on import (a quarter of a second), so only Chinese text pays for it."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.TONE3 if tones else Style.NORMAL)


@lru_cache(maxsize=4096)
def char_readings(text: str, tones: bool = False) -> tuple[str, ...]:
    """One reading per character of `text`, chosen in context (重复 -> chong); others read as themselves."""
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

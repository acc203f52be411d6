"""What an anonymous export does to an attempt's text: the trainee's name, the computer's user name and
every file path go, and nothing else changes.

Names are replaced as whole words (a trainee called "e" must not turn "trainee" into "trtrainee 1e");
Chinese names, written without spaces, as the whole name. Field values that are codes (speaker, language,
persona, status …) are never touched, so the timeline stays valid. Paths are replaced whole because
they name folders, users and machines.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterable
from typing import Any

PATH_MARK = "[path]"
USER_MARK = "[user]"
# Values of these keys are codes or numbers the format relies on, never free text.
CODE_KEYS = frozenset({"speaker", "language", "persona", "persona_id", "persona_type", "scenario", "scenario_id",
                       "status", "ending", "code", "criterion", "severity", "trigger", "version", "started_at",
                       "ended_at", "typed", "kind", "type", "bundle_format", "corrected_at"})
_CJK_RANGES = "\u3400-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{_CJK_RANGES}]")
# An absolute path: POSIX (/a/b, ~/a) or Windows (C:\a, \\server\share), up to the next space or quote.
_PATH = re.compile(r"""(?<![\w.~/\\])(?:~?/|[A-Za-z]:[\\/]|\\\\)[^\s"'<>|]*[^\s"'<>|).,;:]""")


class Scrubber:
    """Replaces `names` (with `stand_in`), the OS user name and absolute paths in free text."""

    def __init__(self, names: Iterable[str], stand_in: str) -> None:
        self.stand_in = stand_in
        patterns = [_name_pattern(n) for n in _searchable(names)]
        self._names = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None
        user = _os_user()
        self._user = re.compile(_name_pattern(user), re.IGNORECASE) if user and len(user) >= 2 else None

    def text(self, value: str) -> str:
        value = _PATH.sub(PATH_MARK, value)
        if self._names is not None:
            value = self._names.sub(self.stand_in, value)
        if self._user is not None:
            value = self._user.sub(USER_MARK, value)
        return value

    def value(self, value: Any, key: str | None = None) -> Any:
        """Every string inside `value` scrubbed, except the values of CODE_KEYS and all keys."""
        if isinstance(value, str):
            return value if key in CODE_KEYS else self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, key) for v in value]
        return value


def _searchable(names: Iterable[str]) -> list[str]:
    """The full names and their longer parts, longest first so that a full name wins over its parts; a
    part shorter than two characters (or three, for Latin letters) would match ordinary words."""
    found: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        for part in {name, *name.split(" ")}:
            if len(part) >= (2 if _CJK.search(part) else 3) or (part == name and len(part) >= 2):
                found.add(part)
    return sorted(found, key=len, reverse=True)


def _name_pattern(name: str) -> str:
    """Whole words for alphabetic names (a Chinese character next to one is a word boundary too); Chinese
    text has no spaces, so a Chinese name as it stands."""
    escaped = re.escape(name).replace(r"\ ", r"\s+")
    if _CJK.search(name):
        return escaped
    return rf"(?<![^\W_{_CJK_RANGES}]){escaped}(?![^\W_{_CJK_RANGES}])"  # Chinese beside it is a boundary


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return None

"""The switch between skipping and failing a test whose server or program is missing (tests/missing.py)."""

from __future__ import annotations

import pytest

from tests.missing import STRICT_ENV, import_or_missing, missing_part

REASON = "sox is not installed"


@pytest.mark.parametrize("value", [None, "", "0"])
def test_without_strict_mode_a_missing_part_skips_with_its_reason(monkeypatch, value) -> None:
    if value is None:
        monkeypatch.delenv(STRICT_ENV, raising=False)
    else:
        monkeypatch.setenv(STRICT_ENV, value)
    with pytest.raises(pytest.skip.Exception, match=REASON):
        missing_part(REASON)
    with pytest.raises(pytest.skip.Exception, match="no such module here"):
        import_or_missing("no_such_module_xyz", "no such module here")


@pytest.mark.parametrize("value", ["1", "yes"])
def test_in_strict_mode_a_missing_part_fails_with_the_same_reason(monkeypatch, value) -> None:
    monkeypatch.setenv(STRICT_ENV, value)
    with pytest.raises(pytest.fail.Exception, match=REASON) as failed:
        missing_part(REASON)
    assert STRICT_ENV in str(failed.value)
    with pytest.raises(pytest.fail.Exception, match="no such module here"):
        import_or_missing("no_such_module_xyz", "no such module here")
    assert import_or_missing("json", "always there").dumps([1]) == "[1]"


def test_test_script_sets_strict_mode() -> None:
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "scripts" / "test.sh").read_text()
    assert f'export {STRICT_ENV}="${{{STRICT_ENV}:-1}}"' in script

"""The attempts database failing mid-call (its disk full) loses nothing: the call goes on, the problem is
said once, the scorecard still comes, and the finished attempt is written beside the recording instead."""

from __future__ import annotations

import errno
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.storage.db import open_store
from simulator.storage.repository import AttemptStore
from simulator.ui.call_controller import CallController, Capabilities
from tests.small_disk import small_disk as mounted_small_disk

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=())


@pytest.fixture()
def small_disk(tmp_path: Path):
    """A 2 MiB tmpfs for the database."""
    with mounted_small_disk(tmp_path / "db", "2m") as mount:
        yield mount


def fill(folder: Path) -> None:
    """Write until the filesystem refuses: ENOSPC from here on."""
    with (folder / "filler").open("wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@dataclass
class Call:
    """A typed call whose database lives on the small disk, with what the controller reported."""

    store: AttemptStore
    controller: CallController
    problems: list = field(default_factory=list)
    customer: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)

    def end(self, qtbot) -> None:
        self.controller.end_call()
        self.controller.wait_finished()
        qtbot.waitUntil(lambda: len(self.outcomes) == 1, timeout=30000)


@pytest.fixture()
def call(tmp_path: Path, small_disk: Path):
    store = open_store(f"sqlite:///{small_disk / 'attempts.sqlite3'}", tmp_path / "recordings")
    c = Call(store, CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY, store=store,
                                   settings=Settings(trainee_name="张三")))
    c.controller.bridge.problemRaised.connect(c.problems.append)
    c.controller.bridge.customerSaid.connect(lambda text, *_: c.customer.append(text))
    c.controller.callFinished.connect(c.outcomes.append)
    yield c
    c.controller.end_call()
    c.controller.wait_finished()
    store.close()


def test_a_full_database_disk_mid_call_keeps_the_call_going_and_the_attempt_on_disk(qtbot, call,
                                                                                    small_disk) -> None:
    store, controller, problems, customer = call.store, call.controller, call.problems, call.customer
    controller.start_call("zh.stubborn", None)
    qtbot.waitUntil(lambda: len(customer) == 1, timeout=30000)
    attempt_id = store.list_attempts()[0].id
    fill(small_disk)
    for reply in ("您好，非常抱歉给您带来不便。", "我马上帮您查一下维修记录。", "今天下午三点前给您回电话。"):
        controller.send_text(reply)
        qtbot.waitUntil(lambda count=len(customer): len(customer) > count, timeout=30000)
    assert len(problems) == 1 and "cannot be saved now" in problems[0] and "full" in problems[0]
    turns = len(controller.call.session.timeline.turns)
    assert turns >= 7                                    # the customer kept answering
    call.end(qtbot)
    outcome = call.outcomes[0]
    assert outcome is not None and outcome.attempt_id is None and outcome.analysis.scorecard.overall is not None
    kept = store.recordings_dir / f"attempt-{attempt_id}.timeline.json"
    assert len(problems) == 2 and "could not be saved" in problems[1] and str(kept) in problems[1]
    saved = json.loads(kept.read_text(encoding="utf-8"))
    assert len(saved["turns"]) == turns and saved["turns"][1]["text"] == "您好，非常抱歉给您带来不便。"
    assert saved["overall"] == outcome.analysis.scorecard.overall and saved["ending"] == "ended_early"
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    (small_disk / "filler").unlink()
    assert store.get_attempt(attempt_id).status == "in_progress"   # left for recovery, with its first turn
    assert len(store.get_attempt(attempt_id).timeline["turns"]) == 1


def test_a_call_the_database_cannot_start_is_still_scored_and_kept_on_disk(qtbot, call, tmp_path, small_disk) -> None:
    controller, problems, customer, outcomes = call.controller, call.problems, call.customer, call.outcomes
    fill(small_disk)
    controller.start_call("zh.stubborn", None)
    qtbot.waitUntil(lambda: len(customer) == 1, timeout=30000)
    controller.send_text("您好，非常抱歉给您带来不便。")
    qtbot.waitUntil(lambda: len(customer) == 2, timeout=30000)
    call.end(qtbot)
    assert outcomes[0] is not None and outcomes[0].attempt_id is None
    (kept,) = (tmp_path / "recordings").glob("unsaved-*.timeline.json")
    assert len(problems) == 2 and "cannot be saved now" in problems[0] and str(kept) in problems[1]
    assert [t["speaker"] for t in json.loads(kept.read_text(encoding="utf-8"))["turns"]] == ["customer", "trainee",
                                                                                           "customer"]

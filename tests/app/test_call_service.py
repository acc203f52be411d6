"""The call service without Qt: typed calls run end to end through it (real personas, real espeak-ng voice,
real SQLite store), and everything it learns reaches a plain Python listener in the order it happened."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from simulator.app.call_service import CallInProgress, CallService
from simulator.app.capabilities import Capabilities
from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from tests.call_listener import Collector

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=())
REPLIES = ("您好，非常抱歉给您带来不便，我理解您很着急。", "我马上帮您查一下维修记录。", "今天下午三点前我给您回电话确认。")
INSULT = "你算什么东西？有病吧你，爱投诉就去投诉，不可能给你办！"
WAIT_S = 60


class Events(Collector):
    """A CallServiceListener that keeps every event: its name in `order`, what it carried in the lists, and
    the thread each came on."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []
        self.threads: dict[str, set[str]] = {}   # event name -> the threads it came on
        self.outcomes: list = []
        self.saved_ids: list[int] = []
        self.endings: list = []
        self.started_with: list[tuple] = []

    def _note(self, name: str) -> None:
        with self.changed:
            self.order.append(name)
            self.threads.setdefault(name, set()).add(threading.current_thread().name)
            self.changed.notify_all()

    def customer_line(self, line, start, end) -> None:
        self._note("customer_line")
        super().customer_line(line, start, end)

    def trainee_turn(self, assessment) -> None:
        self._note("trainee_turn")
        super().trainee_turn(assessment)

    def problem(self, message: str) -> None:
        self._note("problem")
        super().problem(message)

    def ended(self, ending) -> None:
        self._add(self.endings, ending)
        self._note("ended")

    def started(self, persona_name: str, scenario_title: str, capabilities: Capabilities) -> None:
        self._add(self.started_with, (persona_name, scenario_title, capabilities))
        self._note("started")

    def finished(self, outcome) -> None:
        self._add(self.outcomes, outcome)
        self._note("finished")

    def saved(self, attempt_id: int) -> None:
        self._add(self.saved_ids, attempt_id)
        self._note("saved")

    def paused(self, paused: bool) -> None:
        self._note(f"paused={paused}")


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def service(tmp_path: Path, store, events: Events):
    service = CallService(events, renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY, store=store,
                          settings=Settings(trainee_name="张三", trainee_group="一班"))
    yield service
    service.end_call()
    service.wait_finished()


def _reply(service: CallService, events: Events, text: str) -> None:
    """Type a reply and wait for the customer's answer (or the end of the call)."""
    said = len(events.customer)
    service.send_text(text)
    events.wait(lambda: len(events.customer) > said or events.endings, WAIT_S)


def test_a_typed_call_runs_through_the_service_into_the_database(service: CallService, events: Events,
                                                                 store) -> None:
    service.start_call("zh.stubborn", None, seed=7)
    assert service.starting and service.call is None          # returned at once; the worker opens the call
    events.wait(lambda: len(events.customer) == 1, WAIT_S)
    assert events.order[:2] == ["started", "customer_line"]   # announced before the customer speaks
    name, title, caps = events.started_with[0]
    persona = service.persona("zh.stubborn")
    assert name == persona.display_name and title in {s.title for s in persona.scenarios} and caps == TYPED_ONLY
    assert service.busy and service.ends_early and not service.starting
    with pytest.raises(CallInProgress):
        service.switch_trainee("李四")
    service.set_paused(True)
    service.set_paused(True)                                   # already paused: said once
    service.set_paused(False)
    for reply in REPLIES:
        _reply(service, events, reply)
    attempt_id = store.list_attempts()[0].id
    assert store.get_attempt(attempt_id).status == "in_progress"   # the row was written when the call opened
    service.end_call()
    service.wait_finished()
    events.wait(lambda: events.outcomes, WAIT_S)
    assert not service.busy and service.call is None
    assert events.order.count("paused=True") == 1 and events.order.count("paused=False") == 1
    assert events.order[-2:] == ["saved", "finished"] and events.saved_ids == [attempt_id]
    assert events.problems == [] and events.endings == []
    outcome = events.outcomes[0]
    assert outcome.attempt_id == attempt_id and outcome.persona is persona and outcome.recording is None
    assert outcome.audio is None                               # typed only: nothing recorded
    assert service.analysis_threads == ["call-finish"]
    assert events.threads["started"] == {"call-start"} and events.threads["customer_line"] == {"call-dialogue"}
    assert events.threads["saved"] == events.threads["finished"] == {"call-finish"}
    record = store.get_attempt(attempt_id)
    card = outcome.analysis.scorecard
    assert (record.status, record.trainee, record.group) == ("complete", "张三", "一班")
    assert record.ending == "ended_early" and record.overall == card.overall and card.overall is not None
    assert record.scores == dict(card.criteria)
    trainee_said = [t["text"] for t in record.timeline["turns"] if t["speaker"] == "trainee"]
    assert trainee_said == list(REPLIES)
    customer_said = [t["text"] for t in record.timeline["turns"] if t["speaker"] == "customer"]
    assert customer_said == [text for text, *_ in events.customer]   # what the listener heard is what is stored
    assert len(customer_said) == len(REPLIES) + 2      # the opening, said again after the pause, and each answer
    assert customer_said[0] == customer_said[1]
    assert [s.id for s in service.recent_attempts()] == [attempt_id]
    service.switch_trainee("李四")
    assert service.recent_attempts() == []                     # the new trainee has none yet


def test_the_customers_ending_closes_and_stores_the_call_by_itself(service: CallService, events: Events,
                                                                  store) -> None:
    service.start_call("zh.insulting", None, seed=3)
    events.wait(lambda: len(events.customer) == 1, WAIT_S)
    turns = 0
    while not events.endings and turns < 30:
        _reply(service, events, INSULT)
        turns += 1
    events.wait(lambda: events.outcomes, WAIT_S)              # no end_call: the ending itself closed it
    ending = events.endings[0]
    assert ending.kind == "escalated"
    assert events.order.index("ended") < events.order.index("saved") < events.order.index("finished")
    record = store.get_attempt(events.saved_ids[0])
    assert (record.status, record.ending) == ("complete", "escalated")
    assert record.overall == events.outcomes[0].analysis.scorecard.overall
    assert not service.busy and not service.ends_early


def test_no_call_without_a_trainee_when_attempts_are_saved(tmp_path: Path, store, events: Events) -> None:
    service = CallService(events, renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY, store=store,
                          settings=Settings())
    service.start_call("zh.stubborn", None)
    assert events.order == ["problem", "finished"] and events.outcomes == [None]
    assert events.problems[0].code == "call.no_trainee"
    assert not service.busy and store.count_attempts() == 0


def test_a_call_ended_while_it_opens_is_cancelled_and_not_stored(service: CallService, events: Events,
                                                                store) -> None:
    service.start_call("zh.stubborn", None)
    service.end_call()
    service.wait_finished()
    events.wait(lambda: events.outcomes, WAIT_S)
    assert events.outcomes == [None] and "started" not in events.order and events.customer == []
    assert not service.busy and store.count_attempts() == 0

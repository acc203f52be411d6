"""A hand-written English call for the review tests: an interruption, taboo phrases, empathy and dead air."""

from __future__ import annotations

from simulator.core.timeline import Timeline, Turn

TABOO_TURN = "Listen to me, that is not our problem"


def review_timeline() -> Timeline:
    return Timeline("en", "angry_threatening", [
        Turn("customer", 0.0, 6.0, "My heating has been off for two days and my parents are ill at home"),
        Turn("trainee", 4.0, 7.0, TABOO_TURN),  # cuts in 2 s before the customer stops
        Turn("customer", 7.5, 11.0, "Not your problem? I will call the hotline"),
        Turn("trainee", 15.0, 20.0, "I understand how frustrating this must be, I am so sorry"),  # 4 s dead air before
        Turn("trainee", 20.5, 26.0, "We will send an engineer today before 5 pm and I will call you back tomorrow"),
    ])


def zh_review_timeline() -> Timeline:
    return Timeline("zh", "angry_threatening", [
        Turn("customer", 0.0, 6.0, "我家暖气两天都不热了，家里两个老人都病了，你们到底管不管"),
        Turn("trainee", 4.0, 7.0, "你听我说，这不是我们的问题"),
        Turn("customer", 7.5, 11.0, "不是你们的问题？我要打12345投诉你们"),
        Turn("trainee", 15.0, 20.0, "非常理解您的心情，老人生病确实让人着急，真的很抱歉"),
        Turn("trainee", 20.5, 26.0, "我们今天下午五点前派师傅上门检修，明天上午我再给您回电话"),
    ])


def speak_call(timeline: Timeline, path, sample_rate: int = 16000):
    """A stereo recording of the call as the recorder writes it (customer left, trainee right), each turn
    spoken by espeak-ng at its start time (cut to the turn's length)."""
    import numpy as np
    import soundfile as sf

    from simulator.speech.resample import resample
    from tests.pulse import speak_to_wav

    voice = "cmn" if timeline.language == "zh" else "en"
    frames = int((timeline.duration + 1.0) * sample_rate)
    stereo = np.zeros((frames, 2), dtype=np.float32)
    for i, turn in enumerate(timeline.turns):
        wav = speak_to_wav(turn.text, path.parent / f"turn{i}.wav", voice)
        speech, rate = sf.read(wav, dtype="float32")
        speech = resample(speech, rate, sample_rate)[:int(turn.duration * sample_rate)]
        first = int(turn.start * sample_rate)
        stereo[first:first + speech.size, 0 if turn.speaker == "customer" else 1] += speech
    sf.write(path, stereo, sample_rate)
    return path

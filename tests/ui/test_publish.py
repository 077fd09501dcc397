"""File ▸ Publish… in the editor: export then send to the site as one background task, the
destination remembered per story, bad destinations refused in the dialog, Cancel, one
error for a failure, and the embed code on the clipboard."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from photostory.core.publish import PublishReport, parse_destination
from photostory.core.storyfile import save_story
from photostory.ui import dialogs
from photostory.ui.export_dialog import default_export_folder
from photostory.ui.publish_dialog import PublishDialog, PublishedDialog, embed_code
from photostory.ui.widgets import ERROR_COLOR
from support import unavailable
from ui_support import answering_message_box, story_with_photos

TIMEOUT = 120000  # a hang guard, far above the seconds a publish takes


def open_saved_story(window, folder: Path, name: str = "story",  # noqa: ANN001
                     caption: str = "") -> Path:
    story = story_with_photos(folder / f"{name}-photos", 2)
    story.title = f"Story {name}"
    story.photos[0].caption = caption
    path = folder / f"{name}.photostory"
    save_story(story, path)
    assert window.files.open_story(path, ask=False)
    return path


def site_files(root: Path) -> dict[str, bytes]:
    """What a folder holds, leaving out hidden files (the export's state, the site's manifest)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


def publish_and_wait(window, qtbot, outcome: str = "succeeded"):  # noqa: ANN001, ANN201
    qtbot.waitUntil(window.act_publish.isEnabled)
    window.act_publish.trigger()
    task = window.status.task
    assert task is not None and task.label == "Publishing"
    with qtbot.waitSignal(task.finished, timeout=TIMEOUT):
        pass
    return task


def fast_settings(settings) -> None:  # noqa: ANN001
    settings.export_widths = (240,)
    settings.jpeg_quality = 70


def test_publish_to_a_folder_exports_then_sends_the_export(window, qtbot, settings, scripted,
                                                             tmp_path: Path) -> None:
    fast_settings(settings)
    scripted.export_anyway = True  # generated photos lack some captions and alt texts
    assert not window.act_publish.isEnabled()  # a story with no photos has nothing to publish
    window.document.set_story(story_with_photos(tmp_path / "unsaved", 1), None)
    qtbot.waitUntil(window.act_publish.isEnabled)
    window.act_publish.trigger()
    [refused] = scripted.errors
    assert refused.startswith("Save the story before publishing it.")
    assert scripted.publish_offers == []
    scripted.errors.clear()
    path = open_saved_story(window, tmp_path)
    site = tmp_path / "site"
    scripted.publish_to = parse_destination(site.as_uri())
    # File ▸ Publish… with its shortcut.
    file_menu = window.menuBar().actions()[0].menu()
    assert window.act_publish in file_menu.actions()
    assert window.act_publish.shortcut() == QKeySequence("Ctrl+Shift+P")

    progress: list[str] = []
    window.tasks.task_started.connect(
        lambda task: task.progress.connect(lambda _d, _t, message: progress.append(message)))
    publish_and_wait(window, qtbot)

    export = default_export_folder(window.document.story, path)
    assert (export / "index.html").is_file()  # exported into the story's export folder
    assert site_files(site) == site_files(export)  # the site is the export
    assert any(m.startswith("Sending ") for m in progress)
    [(report, embed, notes)] = scripted.published
    assert report.public_url == (site / "index.html").as_uri()
    assert len(report.sent) == len(site_files(export)) and report.unchanged == 0
    # A folder's file:// address is of no use to a site: the fragment itself is offered.
    assert embed == (export / "embed.html").read_text(encoding="utf-8")
    assert scripted.errors == []
    assert f"Sent {len(report.sent)} files" in window.status.message.text()
    assert window.story_actions.last_export is not None  # Open Exported Story works after it

    publish_and_wait(window, qtbot)  # nothing changed: nothing is sent again
    again = scripted.published[-1][0]
    assert again.sent == [] and again.unchanged == len(report.sent)
    assert again.summary().startswith("Sent 0 files (0 bytes), ")


def test_the_destination_is_remembered_for_that_story_only(window, qtbot, settings, scripted,
                                                           tmp_path: Path) -> None:
    fast_settings(settings)
    scripted.export_anyway = True
    first = open_saved_story(window, tmp_path, "first")
    site = tmp_path / "site"
    scripted.publish_to = parse_destination(site.as_uri())
    publish_and_wait(window, qtbot)

    scripted.publish_to = None  # the dialog is cancelled from now on
    window.act_publish.trigger()
    assert scripted.publish_offers[-1] == (site.as_uri(), "")
    open_saved_story(window, tmp_path, "second")
    qtbot.waitUntil(window.act_publish.isEnabled)
    window.act_publish.trigger()
    assert scripted.publish_offers[-1] == ("", "")  # another story: nothing offered
    assert window.status.task is None or window.status.task.label != "Publishing"
    assert settings.publish_destination(first) == (site.as_uri(), "")
    # The real dialog starts from what was remembered.
    dialog = PublishDialog(*settings.publish_destination(first), tmp_path / "exports" / "first")
    qtbot.addWidget(dialog)
    assert dialog.destination.text() == site.as_uri()


def test_the_endpoint_url_is_remembered_with_an_s3_destination(settings, tmp_path: Path) -> None:
    story = tmp_path / "story.photostory"
    settings.remember_publish_destination(story, "s3://bucket/stories/saran",
                                          "https://storage.example.kz")
    assert settings.publish_destination(story) == ("s3://bucket/stories/saran",
                                                   "https://storage.example.kz")
    assert settings.publish_destination(tmp_path / "other.photostory") == ("", "")


def test_a_bad_destination_is_refused_in_the_dialog(qtbot, tmp_path: Path) -> None:
    dialog = PublishDialog("", "", tmp_path / "exports" / "story")
    qtbot.addWidget(dialog)
    dialog.show()
    for text, endpoint, words in [
        ("sftp://editor:hunter2@host/www", "", "holds a password"),
        ("ftp://host/www", "", "unknown kind"),
        ("file:///srv/site", "https://storage.example.kz", "for s3:// destinations only"),
        ("", "", "Enter where to publish"),
    ]:
        dialog.destination.setText(text)
        dialog.endpoint.setText(endpoint)
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        assert words in dialog.problem.text() and dialog.problem.isVisible()
        assert "hunter2" not in dialog.problem.text()
    assert ERROR_COLOR in dialog.problem.styleSheet()

    dialog.destination.setText("s3://site-bucket/stories/saran")
    dialog.endpoint.setText("https://storage.example.kz")
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    chosen = dialog.chosen()
    assert (chosen.bucket, chosen.path, chosen.endpoint_url) == (
        "site-bucket", "stories/saran", "https://storage.example.kz")


def test_cancel_stops_the_publish_and_sends_nothing_more(window, qtbot, settings, scripted,
                                                         tmp_path: Path) -> None:
    fast_settings(settings)
    scripted.export_anyway = True
    open_saved_story(window, tmp_path)
    site = tmp_path / "site"
    scripted.publish_to = parse_destination(site.as_uri())
    window.act_publish.trigger()
    task = window.status.task
    with qtbot.waitSignal(task.cancelled, timeout=TIMEOUT):
        qtbot.mouseClick(window.status.cancel, Qt.MouseButton.LeftButton)
    assert not (site / "index.html").exists()  # no page without its files
    assert scripted.published == [] and scripted.errors == []
    assert "Publish cancelled" in window.status.message.text()
    qtbot.waitUntil(window.act_publish.isEnabled)  # and it can be started again


def test_a_failed_publish_is_shown_once(window, qtbot, settings, scripted, tmp_path: Path) -> None:
    fast_settings(settings)
    scripted.export_anyway = True
    open_saved_story(window, tmp_path)
    site = tmp_path / "site"
    site.write_text("a file, not a folder")
    scripted.publish_to = parse_destination(site.as_uri())
    task = publish_and_wait(window, qtbot)
    assert task.last_progress[2] != "Published"
    assert len(scripted.errors) == 1
    assert "is not a folder" in scripted.errors[0] and str(site) in scripted.errors[0]
    assert scripted.published == []


def test_copy_embed_code_puts_it_on_the_clipboard(qtbot, tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    fragment = '<div class="photostory">Сапар</div>\n'
    (export / "embed.html").write_text(fragment, encoding="utf-8")
    report = PublishReport("sftp://desk@www.example.kz/var/www/s", sent=["index.html"],
                           sent_bytes=2048, unchanged=75)
    dialog = PublishedDialog(report, embed_code(report, export, "Сапар"))
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == fragment  # no web address known: the fragment
    assert "on the clipboard" in dialog.copied.text()

    report.public_url = "https://bucket.s3.amazonaws.com/stories/s/index.html"
    dialog = PublishedDialog(report, embed_code(report, export, "Сапар & co"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert report.public_url in dialog.address.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    code = QApplication.clipboard().text()
    assert code.startswith(f'<iframe src="{report.public_url}"')
    assert 'title="Сапар &amp; co"' in code


def test_preflight_errors_hold_a_publish_back_until_the_user_says_so(
        window, qtbot, settings, scripted, tmp_path: Path) -> None:
    fast_settings(settings)
    open_saved_story(window, tmp_path, caption="TK")  # placeholder text: a preflight error
    site = tmp_path / "site"
    scripted.publish_to = parse_destination(site.as_uri())
    qtbot.waitUntil(window.act_publish.isEnabled)
    window.act_publish.trigger()
    [(errors, _warnings)] = scripted.export_problems
    assert any("TK" in error for error in errors)
    assert window.status.task is None and not site.exists()
    assert "Publish cancelled: fix the problems" in window.status.message.text()


@pytest.mark.real_dialogs
def test_the_preflight_question_offers_to_publish_anyway(qapp) -> None:
    with answering_message_box("Publish Anyway") as seen:
        assert dialogs.confirm_export_problems(None, ["Photo 1: no caption."], "", "Publish")
    assert seen.default == "Cancel"


@pytest.fixture
def s3_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """moto's S3 server in its own process, with fake credentials and no user AWS files."""
    try:
        import moto.server  # noqa: F401
        from publish.servers import S3Server
    except ImportError:
        unavailable("moto[server] is not installed")
    for name, value in [("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "secret"),
                        ("AWS_DEFAULT_REGION", "us-east-1"),
                        ("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config")),
                        ("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))]:
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    server = S3Server(tmp_path)
    try:
        yield server.endpoint_url
    finally:
        server.stop()


def test_publish_to_s3_ends_with_its_public_url_and_an_embed_pointing_there(
        window, qtbot, settings, scripted, tmp_path: Path, s3_endpoint: str) -> None:
    import boto3

    fast_settings(settings)
    scripted.export_anyway = True
    path = open_saved_story(window, tmp_path)
    bucket = f"site-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=bucket)
    scripted.publish_to = parse_destination(f"s3://{bucket}/stories/saran", s3_endpoint)
    publish_and_wait(window, qtbot)

    [(report, embed, _notes)] = scripted.published
    url = f"{s3_endpoint}/{bucket}/stories/saran/index.html"
    assert report.public_url == url
    assert embed.startswith(f'<iframe src="{url}"')
    page = client.get_object(Bucket=bucket, Key="stories/saran/index.html")["Body"].read()
    export = default_export_folder(window.document.story, path)
    assert page == (export / "index.html").read_bytes()
    # The endpoint is remembered with the destination, for this story.
    assert settings.publish_destination(path) == (f"s3://{bucket}/stories/saran", s3_endpoint)

"""Publishing over SFTP to a real OpenSSH server: what arrives, in what order, what is
refused, and what a server killed mid-publish leaves."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from cli_support import assert_refused, photostory
from servers import SshServer
from publish_support import (OPTIONS, PAGES, change_caption, export_files, exported_story,
                             folder_files, missing_files)

from photostory.core.export.pipeline import export_story
from photostory.core.publish import parse_destination, publish
from photostory.core.storyfile import save_story
from photostory.errors import PublishError


def _publish(server: SshServer, export_dir: Path, progress=None):  # noqa: ANN001, ANN202
    steps: list[str] = []

    def record(done: int, total: int, message: str) -> None:
        steps.append(message)
        if progress:
            progress(len(steps))

    report = publish(export_dir, parse_destination(server.url()), record)
    return report, steps


def test_first_publish_sends_everything_and_the_site_equals_the_export(
        ssh_server: SshServer, tmp_path: Path) -> None:
    _, export_dir = exported_story(tmp_path)
    report, _ = _publish(ssh_server, export_dir)
    assert folder_files(ssh_server.root) == export_files(export_dir)
    assert len(report.sent) == len(export_files(export_dir)) and report.unchanged == 0
    assert not list(ssh_server.root.rglob("*.part")), "temporary files left on the site"
    # Nothing of the local export's state (which names local paths) reaches the site.
    assert not (ssh_server.root / ".photostory-export.json").exists()


def test_after_one_caption_change_only_that_photo_and_the_pages_are_sent_in_order(
        ssh_server: SshServer, tmp_path: Path) -> None:
    story, export_dir = exported_story(tmp_path)
    _publish(ssh_server, export_dir)
    renditions = change_caption(story, export_dir)
    report, steps = _publish(ssh_server, export_dir)
    assert set(report.sent) == renditions | PAGES
    # Images first, pages last: a reader never gets a page before its images.
    assert set(report.sent[:len(renditions)]) == renditions
    assert [s for s in steps if s.startswith("Sending")] == [f"Sending {p}" for p in report.sent]
    assert report.unchanged == len(export_files(export_dir)) - len(report.sent)
    assert folder_files(ssh_server.root) == export_files(export_dir)


def test_files_the_story_no_longer_uses_are_removed_after_the_pages(
        ssh_server: SshServer, tmp_path: Path) -> None:
    story, export_dir = exported_story(tmp_path)
    _publish(ssh_server, export_dir)
    before = set(folder_files(ssh_server.root))
    dropped = story.photos.pop(3)
    story.body[-1].photo_ids.remove(dropped.id)
    export_story(story, export_dir, OPTIONS)
    report, steps = _publish(ssh_server, export_dir)
    assert report.removed and set(report.removed) == before - set(export_files(export_dir))
    last_send = max(i for i, s in enumerate(steps) if s.startswith("Sending"))
    first_removal = min(i for i, s in enumerate(steps) if s.startswith("Removing"))
    assert steps[last_send] in {f"Sending {p}" for p in PAGES} and last_send < first_removal
    assert folder_files(ssh_server.root) == export_files(export_dir)


def test_an_unknown_host_key_is_refused_with_its_fingerprint(
        ssh_server: SshServer, tmp_path: Path) -> None:
    _, export_dir = exported_story(tmp_path, count=1)
    (ssh_server.home / ".ssh" / "known_hosts").unlink()
    with pytest.raises(PublishError) as refused:
        _publish(ssh_server, export_dir)
    assert _fingerprint(ssh_server.host_key) in str(refused.value)
    assert "not in ~/.ssh/known_hosts" in str(refused.value)
    assert not ssh_server.root.exists()


def test_a_changed_host_key_is_refused_with_both_fingerprints(
        ssh_server: SshServer, tmp_path: Path) -> None:
    _, export_dir = exported_story(tmp_path, count=1)
    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    ssh_server.trust(other)
    with pytest.raises(PublishError) as refused:
        _publish(ssh_server, export_dir)
    message = str(refused.value)
    assert "CHANGED" in message
    assert _fingerprint(ssh_server.host_key) in message and _fingerprint(other) in message
    assert not ssh_server.root.exists()


def test_a_server_killed_mid_publish_leaves_a_complete_story_and_a_rerun_finishes(
        ssh_server: SshServer, tmp_path: Path) -> None:
    story, export_dir = exported_story(tmp_path, count=6)
    _publish(ssh_server, export_dir)
    old_site = folder_files(ssh_server.root)
    for photo in story.photos:
        photo.caption += " (updated)"
    export_story(story, export_dir, OPTIONS)

    def kill_after_some(done: int) -> None:
        if done == 5:
            ssh_server.kill()

    with pytest.raises(PublishError) as failed:
        _publish(ssh_server, export_dir, kill_after_some)
    message = str(failed.value)
    assert "connection" in message and "run publish again" in message
    # One whole sentence naming what was under way, never a word glued into it.
    assert re.search(r"the connection failed while (reading|sending|removing) \S", message), message
    site = folder_files(ssh_server.root)
    assert site != old_site and site != export_files(export_dir), "the kill came too late"
    assert site["index.html"] == old_site["index.html"]
    assert missing_files(site) == []

    ssh_server.start()
    report, _ = _publish(ssh_server, export_dir)
    assert report.sent
    assert folder_files(ssh_server.root) == export_files(export_dir)
    assert missing_files(folder_files(ssh_server.root)) == []


def test_the_command_line_publishes_and_says_what_it_sent(
        ssh_server: SshServer, tmp_path: Path) -> None:
    story, export_dir = exported_story(tmp_path, count=2)
    story_file = tmp_path / "story.photostory"
    save_story(story, story_file)
    result = photostory("publish", story_file, "--to", ssh_server.url(), "-o", export_dir)
    assert result.returncode == 0, result.stderr
    assert f"0 removed to {ssh_server.url()}" in result.stdout
    assert folder_files(ssh_server.root) == export_files(export_dir)
    again = photostory("publish", story_file, "--to", ssh_server.url(), "-o", export_dir)
    assert "Sent 0 files (0 bytes)" in again.stdout


def _fingerprint(private_key: Path) -> str:
    """The fingerprint ssh-keygen shows for a key: what the user compares."""
    line = subprocess.run(["ssh-keygen", "-lf", f"{private_key}.pub"], check=True,
                          capture_output=True, text=True).stdout
    return line.split()[1]


def test_the_command_line_names_a_refused_host_key_in_one_error_line(
        ssh_server: SshServer, tmp_path: Path) -> None:
    story, export_dir = exported_story(tmp_path, count=1)
    story_file = tmp_path / "story.photostory"
    save_story(story, story_file)
    (ssh_server.home / ".ssh" / "known_hosts").write_text("")
    result = photostory("publish", story_file, "--to", ssh_server.url(), "-o", export_dir)
    assert_refused(result, ssh_server.url(), _fingerprint(ssh_server.host_key))


def _alias(server: SshServer, folder: str = "site") -> str:
    return f"sftp://desk-site{server.base / folder}"


def test_a_host_alias_in_ssh_config_is_followed_with_its_port_user_and_key(
        ssh_server: SshServer, tmp_path: Path) -> None:
    _, export_dir = exported_story(tmp_path)
    ssh = ssh_server.home / ".ssh"
    for suffix in ("", ".pub"):  # a key ssh finds only because the config names it
        (ssh / f"id_ed25519{suffix}").rename(ssh / f"newsroom{suffix}")
    config = (f"Host desk-site\n  HostName 127.0.0.1\n  Port {ssh_server.port}\n"
              f"  User {ssh_server.user}\n  IdentityFile ~/.ssh/newsroom\n")
    with pytest.raises(PublishError):  # without the config there is no such host
        publish(export_dir, parse_destination(_alias(ssh_server)), lambda *_: None)
    (ssh / "config").write_text(config)
    publish(export_dir, parse_destination(_alias(ssh_server)), lambda *_: None)
    assert folder_files(ssh_server.root) == export_files(export_dir)


@pytest.mark.parametrize(("lines", "words"), [
    ("Port 99999", ["'99999'", "no port number"]),
    ("ProxyJump bastion.example.kz", ["proxy", "proxyjump"]),
    ("ProxyCommand nc %h %p", ["proxy", "proxycommand"]),
    ("Port", ["cannot be used for desk-site"]),
])
def test_an_ssh_config_publish_cannot_follow_is_refused_in_one_line(
        ssh_server: SshServer, tmp_path: Path, lines: str, words: list[str]) -> None:
    story, export_dir = exported_story(tmp_path, count=1)
    story_file = tmp_path / "story.photostory"
    save_story(story, story_file)
    (ssh_server.home / ".ssh" / "config").write_text(
        f"Host desk-site\n  HostName 127.0.0.1\n  {lines}\n")
    result = photostory("publish", story_file, "--to", _alias(ssh_server), "-o", export_dir)
    assert_refused(result, ".ssh/config", *words)
    assert not ssh_server.root.exists() or not any(ssh_server.root.iterdir())

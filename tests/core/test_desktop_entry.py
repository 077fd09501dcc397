"""The desktop entry and the story file's type: a valid .desktop file named in en, ru and
kk, a shared-mime-info type for ``*.photostory``, and ``make install-desktop`` putting
them where a desktop finds them, so a story file opens the editor on double-click."""

from __future__ import annotations

import configparser
import fnmatch
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

from support import PROJECT_ROOT, require_tool

DESKTOP = PROJECT_ROOT / "resources" / "desktop"
ENTRY = DESKTOP / "photostory.desktop"
MIME_XML = DESKTOP / "photostory.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive: Name[ru], MimeType
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def _install(*variables: str, path: str | None = None) -> None:
    make = require_tool("make")
    env = dict(os.environ, PATH=path) if path is not None else None
    result = subprocess.run([make, "-s", "-C", str(PROJECT_ROOT), "install-desktop", *variables],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr


def test_desktop_entry_passes_desktop_file_validate():
    validate = require_tool("desktop-file-validate")
    result = subprocess.run([validate, str(ENTRY)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # not even a hint


def test_desktop_entry_opens_story_files_and_speaks_russian_and_kazakh():
    entry = _entry(ENTRY)
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "photostory open %f"
    assert entry["MimeType"].split(";") == ["application/x-photostory", ""]
    assert (PROJECT_ROOT / "resources" / "icons" / f"{entry['Icon']}.svg").is_file()
    assert entry["Name"] == entry["Name[ru]"] == entry["Name[kk]"] == "Photostory"
    for key in ("GenericName", "Comment", "Keywords"):
        assert not _cyrillic(entry[key])
        assert _cyrillic(entry[f"{key}[ru]"]) and not KAZAKH_LETTERS & set(entry[f"{key}[ru]"])
        assert _cyrillic(entry[f"{key}[kk]"])
    # The glossary's words: материал for a story, фотосурет for a photo in Kazakh.
    assert "фотографи" in entry["Comment[ru]"] and "материал" in entry["Comment[ru]"]
    assert "фотосурет" in entry["Comment[kk]"].lower() and "материал" in entry["Comment[kk]"]
    assert KAZAKH_LETTERS & set(entry["Comment[kk]"])


def test_mime_type_maps_story_files_and_only_them():
    root = ElementTree.parse(MIME_XML).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == "application/x-photostory"
    patterns = [glob.get("pattern") for glob in mime.findall(f"{MIME_NS}glob")]
    assert patterns == ["*.photostory"]
    assert fnmatch.fnmatch("Saran visit.photostory", patterns[0])
    # Neither the autosaved recovery file beside a story nor an export matches.
    assert not fnmatch.fnmatch(".saran.photostory-recovery", patterns[0])
    assert not fnmatch.fnmatch("story.json", patterns[0])
    comments = {c.get(XML_LANG): c.text for c in mime.findall(f"{MIME_NS}comment")}
    assert set(comments) == {None, "ru", "kk"}
    assert _cyrillic(comments["ru"]) and _cyrillic(comments["kk"])


def test_make_install_desktop_puts_the_files_in_place(tmp_path):
    data = tmp_path / "data"
    _install(f"XDG_DATA_HOME={data}")
    installed = data / "applications" / "photostory.desktop"
    assert (data / "mime" / "packages" / "photostory.xml").read_bytes() == MIME_XML.read_bytes()
    icon = (PROJECT_ROOT / "resources" / "icons" / "photostory.svg").read_bytes()
    assert (data / "icons/hicolor/scalable/apps/photostory.svg").read_bytes() == icon
    # The name a file manager looks up for the type's icon.
    assert (data / "icons/hicolor/scalable/mimetypes/application-x-photostory.svg").read_bytes() == icon
    # The installed entry runs a command that exists: the checkout's own when it is built.
    command, *arguments = _entry(installed)["Exec"].split()
    assert arguments == ["open", "%f"]
    assert shutil.which(command), command
    validate = require_tool("desktop-file-validate")
    result = subprocess.run([validate, str(installed)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_a_desktop_opens_an_installed_story_file_with_the_editor(tmp_path):
    """What a file manager asks GIO: the file's type, its icon, the application for it."""
    require_tool("update-mime-database")
    require_tool("update-desktop-database")
    gio = require_tool("gio")
    data = tmp_path / "data"
    _install(f"XDG_DATA_HOME={data}")
    story = tmp_path / "Saran visit.photostory"
    shutil.copy(PROJECT_ROOT / "resources" / "sample" / "sample.photostory", story)
    env = dict(os.environ, XDG_DATA_HOME=str(data), XDG_CONFIG_HOME=str(tmp_path / "config"))
    info = subprocess.run([gio, "info", "-a", "standard::content-type,standard::icon", str(story)],
                          capture_output=True, text=True, env=env, timeout=60, check=True).stdout
    assert "standard::content-type: application/x-photostory" in info
    assert "standard::icon: application-x-photostory," in info
    default = subprocess.run([gio, "mime", "application/x-photostory"], capture_output=True,
                             text=True, env=env, timeout=60, check=True).stdout
    assert default.splitlines()[0].endswith(": photostory.desktop")


def test_prefix_installs_under_its_share_folder(tmp_path):
    _install(f"PREFIX={tmp_path / 'usr'}", f"XDG_DATA_HOME={tmp_path / 'not-here'}")
    assert (tmp_path / "usr/share/applications/photostory.desktop").is_file()
    assert (tmp_path / "usr/share/mime/packages/photostory.xml").is_file()
    assert not (tmp_path / "not-here").exists()


def test_install_without_the_cache_tools_still_installs(tmp_path):
    """A system without shared-mime-info or desktop-file-utils gets the files, no error."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("install", "sed"):
        found = require_tool(name)
        (tools / name).symlink_to(found)
    data = tmp_path / "data"
    _install(f"XDG_DATA_HOME={data}", path=str(tools))
    assert (data / "applications" / "photostory.desktop").is_file()
    assert (data / "mime" / "packages" / "photostory.xml").is_file()
    assert not (data / "mime" / "mime.cache").exists()


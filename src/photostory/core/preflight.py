"""Preflight: what a story still needs before it is published."""

from __future__ import annotations

from dataclasses import dataclass

from photostory.core.story import Story


@dataclass(frozen=True)
class Finding:
    photo_id: str
    file_name: str
    rule: str  # missing_file, missing_caption, missing_alt, missing_credit
    message: str
    severity: str  # "error" blocks export unless confirmed; "warning" is listed

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def check_story(story: Story) -> list[Finding]:
    findings: list[Finding] = []
    for number, photo in enumerate(story.photos, start=1):
        name = photo.file_name
        where = f"Photo {number} ({name})"

        def add(rule: str, text: str, severity: str = "warning") -> None:
            findings.append(Finding(photo.id, name, rule, f"{where}: {text}", severity))

        if not photo.path.is_file():
            add("missing_file", f"the file is missing ({photo.path}).", "error")
        if not photo.caption.strip():
            add("missing_caption", "has no caption.")
        if not photo.alt.strip():
            add("missing_alt", "has no alt text.")
        if not story.effective_credit(photo):
            add("missing_credit", "has no credit, and the story has no default credit.")
    return findings

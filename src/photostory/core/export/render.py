"""The jinja2 environment for export templates: autoescaped, strict about typos."""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2
from markupsafe import Markup

from photostory.resources import resource


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource("templates"))),
        autoescape=True,  # captions and credits come from outside: always text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=html_text,
    )


# C0 controls but tab and newline, DEL and C1 controls: HTML forbids them in text.
_NOT_HTML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def html_text(value: object) -> object:
    """What HTML can carry of a text: line ends as LF, control characters dropped.

    Applied to every ``{{ value }}`` of the templates; the story file and story.json
    keep the text exactly.
    """
    if isinstance(value, str):
        text = _NOT_HTML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        # Markup made here (the JSON-LD) stays markup; its own escapes carry such characters.
        return Markup(text) if isinstance(value, Markup) else text
    return value


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)

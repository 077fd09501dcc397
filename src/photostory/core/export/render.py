"""The jinja2 environment for export templates: autoescaped, strict about typos."""

from __future__ import annotations

from functools import lru_cache

import jinja2

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
    )


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)

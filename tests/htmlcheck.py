"""Parse exported HTML the way a browser would see its structure (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    classes: set[str]
    text: str = ""
    parents: list[str] = field(default_factory=list)  # class lists of ancestors, outermost first


class _Parser(HTMLParser):
    VOID = {"img", "link", "meta", "br", "hr", "input", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def handle_starttag(self, tag, attrs):
        attr_map = {k: (v if v is not None else "") for k, v in attrs}
        element = Element(tag, attr_map, set(attr_map.get("class", "").split()),
                          parents=[" ".join(sorted(e.classes)) or e.tag for e in self.stack])
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        for element in self.stack:
            element.text += data


class Page:
    def __init__(self, html: str) -> None:
        parser = _Parser()
        parser.feed(html)
        parser.close()
        self.elements = parser.elements

    def find(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [e for e in self.elements
                if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def texts(self, cls: str) -> list[str]:
        return [e.text for e in self.find(cls=cls)]


def parse_srcset(srcset: str) -> list[tuple[str, int]]:
    result = []
    for part in srcset.split(","):
        url, descriptor = part.strip().rsplit(" ", 1)
        assert descriptor.endswith("w"), descriptor
        result.append((url, int(descriptor[:-1])))
    return result


def only_own_scripts(page: Page) -> bool:
    """Every <script> is our own file from assets/, with no inline code."""
    return all(s.attrs.get("src", "").endswith("assets/photostory.js") and not s.text.strip()
               for s in page.find("script"))

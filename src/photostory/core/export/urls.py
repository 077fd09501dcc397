"""Where an export will live on the web: the story's base URL and the other web addresses
a story names (a licence page), checked once, here, for the story file, the command line
and the editor alike.

Without a base URL a page refers to its images, assets and other versions relative to
itself (the folder can be copied anywhere). With one, every page refers to them by
absolute URL under it, so ``embed.html`` pasted into a CMS page at any address still finds
them, and search engines and social networks get the absolute addresses they require.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from photostory.core.i18n import _

#: Longer than any sensible address; a bound for what a story file may carry.
MAX_URL_LENGTH = 2000
#: Characters that never belong in an address a page prints (white space, controls,
#: quotes and angle brackets: what would break out of an HTML attribute or a script).
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`{}|^]")


def web_address(text: str, what: str = "") -> str:
    """``text`` as a checked http(s) URL (trimmed). ValueError with one sentence naming
    the problem: another scheme (``javascript:``, ``file:``), no host, a password, or
    characters that do not belong in a URL. ``what`` names the address in it (translated
    by the caller; "the address" when not given)."""
    text = text.strip()
    what = what or _("the address")
    if len(text) > MAX_URL_LENGTH:
        raise ValueError(_("{what} is longer than {limit} characters").format(
            what=what, limit=MAX_URL_LENGTH))
    if _UNSAFE.search(text):
        raise ValueError(_("{what} {url!r} holds spaces, quotes or other characters a web "
                           "address cannot have").format(what=what, url=text))
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(_("{what} {url!r} is not a valid web address").format(
            what=what, url=text)) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(_("{what} {url!r} must start with https:// or http://").format(
            what=what, url=text))
    if not parts.hostname:
        raise ValueError(_("{what} {url!r} names no host").format(what=what, url=text))
    if parts.username is not None or parts.password is not None:
        raise ValueError(_("{what} {url!r} must not hold a user name or password").format(
            what=what, url=text))
    return text


def base_url(text: str) -> str:
    """A base URL as pages use it: checked as :func:`web_address`, without a query or a
    fragment, ending in ``/`` (``https://x.kz/s`` and ``https://x.kz/s/`` are one folder).
    "" stays "" (no base URL: relative addresses)."""
    if not text.strip():
        return ""
    url = web_address(text, _("the base URL"))
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise ValueError(_("the base URL {url!r} must not have a query (?) or fragment (#)")
                         .format(url=url))
    return url if url.endswith("/") else url + "/"


def page_root(base: str, relative: str) -> str:
    """What a page puts before an export path (``images/…``, ``assets/…``, ``ru/…``): the
    base URL when the story has one, else ``relative``, the way from the page to the top
    of the export folder ("" or "../")."""
    return base or relative


def absolute(base: str, path: str) -> str:
    """The absolute URL of ``path`` (relative to the export folder) under ``base``, or
    ``path`` itself when there is no base URL."""
    return base + path if base else path

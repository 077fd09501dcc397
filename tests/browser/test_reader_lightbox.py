"""The lightbox: opened by mouse, keyboard or a #photo-N link, stepped by arrow keys,
buttons and swipes, closed by Escape or its button, with focus and the address managed."""

from __future__ import annotations

import pytest

from reader_support import DEVICES, DIALOG_STATE

STORIES = ["sample", "hostile"]
ROOT = "document.querySelector('.photostory')"


def state(page, root: str = ROOT) -> dict:
    return page.evaluate(f"({DIALOG_STATE})({root})")


def closed_state(page, root: str = ROOT) -> dict:
    """The state once the viewer has closed (its close event is handled asynchronously)."""
    page.wait_for_function(f"!{root}.querySelector('.ps-lightbox').hasAttribute('data-ps-photo')")
    return state(page, root)


def wait_image(page, root: str = ROOT) -> None:
    page.wait_for_function(f"(() => {{ const i = {root}.querySelector('.ps-lb-stage img');"
                           " return i && i.complete && i.naturalWidth > 0; })()")


def counter(export, n: int) -> str:
    template = {"en": "{n} of {total}", "kk": "{n}-фото, барлығы {total}"}[export.story.language]
    return template.format(n=n, total=len(export.story.photos))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("story", STORIES)
def test_mouse_open_arrow_next_escape_close_focus_returns(open_page, site, server, story, device):
    export = site.exports[story]
    page, watch = open_page(export.url(server.base), device)
    history_before = page.evaluate("history.length")
    trigger = page.locator(".ps-body .ps-open").nth(1)  # the second photo of the article
    trigger.scroll_into_view_if_needed()
    trigger.click()
    wait_image(page)
    opened = state(page)
    assert opened["open"] and opened["focusInside"]
    assert opened["counter"] == counter(export, 2)
    assert opened["alt"] == export.story.photos[1].alt.strip()
    assert opened["caption"] == export.story.photos[1].caption.strip()
    assert opened["hash"] == "#photo-2"
    # The large photo is shown with its caption, and fits the screen.
    box = page.locator(".ps-lb-stage img").bounding_box()
    viewport = DEVICES[device]["viewport"]
    assert box["width"] > 100 and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]

    page.keyboard.press("ArrowRight")
    wait_image(page)
    after = state(page)
    assert after["counter"] == counter(export, 3)
    assert after["src"] != opened["src"] and after["hash"] == "#photo-3"
    page.keyboard.press("ArrowLeft")
    assert state(page)["counter"] == counter(export, 2)

    page.keyboard.press("Escape")
    closed = closed_state(page)
    assert not closed["open"]
    assert page.evaluate("document.activeElement === document.querySelectorAll('.ps-body .ps-open')[1]")
    assert closed["hash"] == ""  # the address is as it was
    assert closed["historyLength"] == history_before  # no history entry per photo
    watch.assert_clean()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("story", STORIES)
def test_keyboard_open_with_enter_and_buttons(open_page, site, server, story, device):
    export = site.exports[story]
    page, watch = open_page(export.url(server.base), device)
    page.keyboard.press("Tab")  # the first photo's link is the first thing to focus
    assert page.evaluate("document.activeElement.classList.contains('ps-open')")
    page.keyboard.press("Enter")
    wait_image(page)
    opened = state(page)
    assert opened["open"] and opened["focusInside"] and opened["counter"] == counter(export, 1)
    # Controls are labelled in the story's language.
    labels = page.evaluate(f"""[...{ROOT}.querySelectorAll('.ps-lightbox button')]
                               .map(b => b.getAttribute('aria-label'))""")
    expected = {"en": ["Close", "Previous photo", "Next photo"],
                "kk": ["Жабу", "Алдыңғы фото", "Келесі фото"]}[export.story.language]
    assert labels == expected
    assert page.evaluate(f"{ROOT}.querySelector('.ps-lightbox').getAttribute('aria-label')")
    assert page.evaluate(f"{ROOT}.querySelector('.ps-lb-counter').getAttribute('aria-live')") == "polite"
    # Tab stays inside the modal viewer.
    for _ in range(5):
        page.keyboard.press("Tab")
        assert state(page)["focusInside"]
    page.locator(".ps-lb-next").click()
    assert state(page)["counter"] == counter(export, 2)
    page.locator(".ps-lb-prev").click()
    page.locator(".ps-lb-prev").click()  # wraps around to the last photo
    assert state(page)["counter"] == counter(export, len(export.story.photos))
    page.locator(".ps-lb-close").click()
    assert not closed_state(page)["open"]
    assert page.evaluate("document.activeElement === document.querySelector('.ps-open')")
    watch.assert_clean()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("story", STORIES)
def test_deep_link_opens_photo_3_and_closing_restores_the_address(open_page, site, server,
                                                                  story, device):
    export = site.exports[story]
    page, watch = open_page(export.url(server.base) + "#photo-3", device)
    page.wait_for_function(f"{ROOT}.querySelector('.ps-lightbox').open")
    wait_image(page)
    opened = state(page)
    assert opened["counter"] == counter(export, 3)
    assert opened["caption"] == export.story.photos[2].caption.strip()
    assert opened["focusInside"] and opened["hash"] == "#photo-3"
    page.keyboard.press("ArrowRight")
    assert state(page)["hash"] == "#photo-4"
    page.keyboard.press("Escape")
    closed = closed_state(page)
    assert not closed["open"] and closed["hash"] == ""
    assert page.url == export.url(server.base)
    # No link opened the viewer: focus goes to the link of the photo last shown.
    assert page.evaluate("document.activeElement === document.querySelector('#photo-4 .ps-open')")
    # A later #photo-N link on the page opens that photo too.
    page.evaluate("location.hash = '#photo-5'")
    page.wait_for_function(f"{ROOT}.querySelector('.ps-lightbox').open")
    assert state(page)["counter"] == counter(export, 5)
    watch.assert_clean()


def shows_photo(page, export, n: int) -> None:
    """The viewer shows photo ``n`` (1-based): its counter, caption, alt text and image."""
    wait_image(page)
    shown = state(page)
    photo = export.story.photos[n - 1]
    assert shown["counter"] == counter(export, n)
    assert (shown["caption"], shown["alt"]) == (photo.caption.strip(), photo.alt.strip())
    assert page.evaluate(f"{ROOT}.querySelector('.ps-lightbox').getAttribute('data-ps-photo')") == str(n)


@pytest.mark.parametrize("story", STORIES)
def test_home_end_and_arrows_wrap_around(open_page, site, server, story):
    export = site.exports[story]
    last = len(export.story.photos)
    page, watch = open_page(export.url(server.base), "desktop")
    page.locator(".ps-body .ps-open").nth(1).click()
    shows_photo(page, export, 2)
    page.keyboard.press("End")
    shows_photo(page, export, last)
    assert state(page)["hash"] == f"#photo-{last}"
    page.keyboard.press("ArrowRight")  # past the last photo: the first
    shows_photo(page, export, 1)
    page.keyboard.press("ArrowLeft")  # before the first: the last
    shows_photo(page, export, last)
    page.keyboard.press("ArrowLeft")
    shows_photo(page, export, last - 1)
    page.keyboard.press("Home")
    shows_photo(page, export, 1)
    assert state(page)["hash"] == "#photo-1" and state(page)["focusInside"]
    page.keyboard.press("End")
    page.keyboard.press("Escape")
    assert not closed_state(page)["open"]
    watch.assert_clean()


def test_arrows_follow_the_reading_direction_of_a_right_to_left_page(open_page, site, server):
    """On a right-to-left host page (Arabic, Hebrew) the next photo is to the left."""
    export = site.exports["sample"]
    last = len(export.story.photos)
    page, watch = open_page(export.url(server.base, "host-rtl.html"), "desktop")
    page.locator(".ps-open").first.click()
    shows_photo(page, export, 1)
    assert page.evaluate(f"getComputedStyle({ROOT}.querySelector('.ps-lightbox')).direction") == "rtl"
    page.keyboard.press("ArrowLeft")
    shows_photo(page, export, 2)
    page.keyboard.press("ArrowLeft")
    shows_photo(page, export, 3)
    page.keyboard.press("ArrowRight")
    shows_photo(page, export, 2)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # before the first: the last
    shows_photo(page, export, last)
    page.keyboard.press("ArrowLeft")  # past the last: the first
    shows_photo(page, export, 1)
    page.keyboard.press("End")
    shows_photo(page, export, last)
    watch.assert_clean()


def test_swipe_changes_photo_on_a_touch_screen(open_page, site, server):
    export = site.exports["sample"]
    page, watch = open_page(export.url(server.base), "mobile")
    page.locator(".ps-open").first.tap()
    wait_image(page)
    assert state(page)["counter"] == "1 of 6"

    def swipe(dx: int) -> None:
        page.evaluate("""(dx) => {
            const stage = document.querySelector('.ps-lb-stage');
            const r = stage.getBoundingClientRect();
            const y = r.top + r.height / 2, x = r.left + r.width / 2 - dx / 2;
            const opts = {pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, button: 0};
            stage.dispatchEvent(new PointerEvent('pointerdown', {...opts, clientX: x, clientY: y}));
            stage.dispatchEvent(new PointerEvent('pointermove', {...opts, clientX: x + dx / 2, clientY: y + 4}));
            stage.dispatchEvent(new PointerEvent('pointerup', {...opts, clientX: x + dx, clientY: y + 6}));
        }""", dx)

    swipe(-150)  # right to left: the next photo
    assert state(page)["counter"] == "2 of 6"
    swipe(150)
    assert state(page)["counter"] == "1 of 6"
    swipe(10)  # a tap-sized move changes nothing
    assert state(page)["counter"] == "1 of 6" and state(page)["open"]
    watch.assert_clean()


def test_mouse_drag_swipes_on_desktop(open_page, site, server):
    export = site.exports["sample"]
    page, _ = open_page(export.url(server.base), "desktop")
    page.locator(".ps-open").first.click()
    wait_image(page)
    box = page.locator(".ps-lb-stage").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.7, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y + 5, steps=5)
    page.mouse.up()
    assert state(page)["counter"] == "2 of 6"
    assert state(page)["open"]  # the drag's click did not close the viewer


def test_lightbox_fetches_a_rendition_fitting_the_screen(open_page, site, server):
    """The viewer's img has srcset and a sizes of its drawn width: no 1600 px file for a
    photo drawn 400 px wide."""
    page, watch = open_page(site.exports["hostile"].url(server.base), "desktop")
    page.locator(".ps-body .ps-open").nth(1).click()  # 1600x2400 portrait
    wait_image(page)
    for _ in range(len(site.exports["hostile"].story.photos)):
        shown = page.evaluate("""() => { const i = document.querySelector('.ps-lb-stage img');
            return {natural: i.naturalWidth, shown: i.getBoundingClientRect().width, dpr: devicePixelRatio}; }""")
        assert shown["natural"] <= 2 * shown["shown"] * shown["dpr"], shown
        page.keyboard.press("ArrowRight")
        wait_image(page)
    watch.assert_clean()


def test_without_javascript_a_photo_is_a_link_to_its_large_rendition(open_page, site, server):
    export = site.exports["sample"]
    page, watch = open_page(export.url(server.base), "desktop", javascript=False)
    href = page.locator(".ps-open").first.get_attribute("href")
    assert href.endswith(".jpg")
    watch.assert_clean()
    with page.expect_navigation():
        page.locator(".ps-open").first.click()
    # (The browser's own image view then asks for /favicon.ico: not the export's doing.)
    assert page.url == f"{server.base}/sample/{href}"

"""The local page in a real browser: Debian's Chromium driven by Playwright against `qiframe serve`.

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium. Where that browser or the
playwright package is missing the tests are skipped, except under CI=true, where they fail instead (CI
installs both). Each test starts the real command (`qiframe serve --port 0 --no-browser`) on a copy of the
example, uses the page as a person would, then reads the YAML files back.

Screenshots of every page at 1280×800 are saved under the test's tmp folder (`screens/`); set
QIFRAME_SCREENSHOTS=DIR to copy them to DIR as well, to look at them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, run_cli

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".qiframe"))
    return target


@pytest.fixture
def served(folder):
    """`qiframe serve` on the copy; yields the address it printed (with its token)."""
    qiframe = str(Path(sys.executable).with_name("qiframe"))
    proc = subprocess.Popen(
        [qiframe, "serve", "-e", str(folder), "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/)\?token=(\S+)", line)
    if match is None:
        proc.kill()
        raise AssertionError(f"no address printed: {line!r} {proc.stderr.read()}")
    yield match.group(0)
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()  # never leave a server running
        raise
    assert proc.returncode == 0 and "Stopped." in out, err


@pytest.fixture
def page(browser, served):
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    tab.goto(served)
    yield tab
    context.close()


@pytest.fixture
def shot(tmp_path):
    folder = tmp_path / "screens"
    folder.mkdir()
    copy_to = os.environ.get("QIFRAME_SCREENSHOTS")

    def take(tab, name: str, full_page: bool = False, top: bool = True) -> Path:
        """A screenshot of what the window shows (from the top of the page unless told otherwise)."""
        if top:
            tab.evaluate("window.scrollTo(0, 0)")
        path = folder / f"{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        if copy_to:
            Path(copy_to).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(copy_to) / path.name)
        return path

    return take


def expect(locator):
    """Playwright's waiting assertions (the page may still be loading after a click)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def origin(address: str) -> str:
    return address.split("?")[0].rstrip("/")


def test_a_person_grades_notes_adds_evidence_and_edits_the_statement(page, served, folder, shot):
    from qiframe import store
    from qiframe.statement import count_words

    # Comments a person wrote in the files, which the page's saves must keep.
    linked_path = folder / "evidence" / "E-kttg8t.yaml"
    linked_path.write_text(
        linked_path.read_text(encoding="utf-8").replace(
            "title:", "# owned by the workforce development team\ntitle:", 1
        ),
        encoding="utf-8",
    )
    section_path = folder / "statement" / "S1.yaml"
    section_path.write_text(
        section_path.read_text(encoding="utf-8").replace(
            "answers:", "# reviewed by the lead officer, March 2026\nanswers:", 1
        ),
        encoding="utf-8",
    )
    base = origin(served)

    assert page.url == base + "/"  # the token has left the address
    expect(page.get_by_role("heading", name="At a glance", level=1)).to_be_visible()
    shot(page, "overview")
    page.emulate_media(media="print")
    shot(page, "overview-print")
    page.emulate_media(media="screen")

    # Grade 2.1 and add a strength.
    page.get_by_role("link", name=re.compile(r"^2\.1 Impact on children")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^2\.1 "), level=1)).to_be_visible()
    shot(page, "indicator")
    shot(page, "indicator-full", full_page=True)
    page.get_by_label("Grade", exact=True).select_option("5")
    page.get_by_label(re.compile(r"^Agreed after moderation")).check()  # 2.1's grade is agreed already
    page.get_by_role("button", name="Save the grade").click()
    expect(page.get_by_role("status").filter(has_text="2.1: graded 5 Very good")).to_be_visible()
    page.get_by_label("A strength").fill(
        "Children tell us their worker listens and explains what happens next."
    )
    page.get_by_role("button", name="Add the notes").click()
    expect(page.get_by_role("status").filter(has_text="2.1: 1 note added")).to_be_visible()
    expect(
        page.get_by_text("Children tell us their worker listens and explains what happens next.")
    ).to_be_visible()

    # Add an evidence item, then link it to a second indicator; link an existing item too.
    page.get_by_role("navigation").get_by_role("link", name="Evidence").click()
    shot(page, "evidence")
    add = page.get_by_role("region", name="Add an evidence item")
    add.get_by_label("Title").fill("Focus group with young carers")
    add.get_by_label("Triangulation source").select_option("views")
    add.get_by_label("Kind").select_option("focus-group")
    add.get_by_label("Date").fill("2026-02-10")
    add.get_by_label("Indicators it supports").select_option(["2.1"])
    add.get_by_label("Whose views it holds").select_option(["parents-and-carers"])
    add.get_by_role("button", name="Add the item").click()
    expect(
        page.get_by_role("heading", name=re.compile("Focus group with young carers"), level=1)
    ).to_be_visible()
    new_id = re.search(r"/evidence/(E-\w+)", page.url).group(1)
    page.get_by_label("Link to an indicator").select_option("5.1")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.get_by_role("status").filter(has_text=f"{new_id}: linked to 2.1, 5.1")).to_be_visible()
    shot(page, "evidence-item")
    page.goto(base + "/evidence/E-kttg8t")
    page.get_by_label("Link to an indicator").select_option("6.3")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="E-kttg8t: linked to")).to_be_visible()

    # Edit a statement answer: the count changes as you type, an unknown citation is flagged at once.
    page.get_by_role("navigation").get_by_role("link", name="Position statement").click()
    shot(page, "statement")
    page.get_by_role("link", name=re.compile(r"^S1 ")).click()
    shot(page, "section")
    answer = page.get_by_label("How good are we now?")
    count = page.locator("#count-now .js-words")
    before = count.inner_text()
    text = (
        "Partners act quickly when a child may be at risk [E-3jwhpy], and most children are safer "
        "because of the help they get [E-pnj2q4].\n\n- Older young people's risks outside the home are "
        "assessed less well [E-zz9zzz]."
    )
    answer.fill(text)
    expected = count_words(text)
    assert count.inner_text() == str(expected) != before
    assert page.locator("#cites-now").inner_text() == "Cites E-zz9zzz, not in the evidence register."
    section_words = page.locator(".js-section-words").inner_text()
    shot(page, "section-typing")
    page.get_by_role("button", name="Save S1").click()
    expect(page.get_by_role("status").filter(has_text="statement/S1.yaml: saved")).to_be_visible()
    assert page.locator("#count-now .js-words").inner_text() == str(expected)  # the server agrees
    assert page.locator(".js-section-words").inner_text() == section_words

    page.get_by_role("navigation").get_by_role("link", name="Actions").click()
    shot(page, "actions")
    page.get_by_role("navigation").get_by_role("link", name="Downloads").click()
    shot(page, "downloads")
    with page.expect_download() as download:
        page.get_by_role("link", name="Position statement (Word)").click()
    saved = folder.parent / "statement.docx"
    download.value.save_as(saved)
    import docx

    body = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "Partners act quickly when a child may be at risk" in body

    # The files hold every change, and the comments people wrote.
    indicator = (folder / "indicators" / "2.1.yaml").read_text(encoding="utf-8")
    assert "\ngrade: 5\n" in indicator
    assert "  - Children tell us their worker listens and explains what happens next.\n" in indicator
    for comment in (
        "status: agreed  # signed off by the Chief Officers Group",
        "# moderated at CIG meeting, 12 March 2026",
        "# the first two were raised by young people",
    ):
        assert comment in indicator
    evaluation = store.load(folder)
    added = evaluation.evidence[new_id]
    assert (added.title, added.source, added.kind, added.date) == (
        "Focus group with young carers",
        "views",
        "focus-group",
        "2026-02-10",
    )
    assert added.indicators == ("2.1", "5.1") and added.voice == ("parents-and-carers",)
    assert "6.3" in evaluation.evidence["E-kttg8t"].indicators
    assert "# owned by the workforce development team\ntitle:" in linked_path.read_text(encoding="utf-8")
    assert evaluation.sections["S1"].answers["now"] == text
    assert "# reviewed by the lead officer, March 2026\nanswers:" in section_path.read_text(encoding="utf-8")


def test_a_cli_grade_while_the_page_is_open_is_kept_and_the_page_is_told(page, served, folder, shot):
    page.goto(origin(served) + "/indicators/2.1")
    page.get_by_label("Grade", exact=True).select_option("6")
    page.get_by_label("Rationale").fill("Typed in the page while someone else used the command line.")
    cli = run_cli("grade", "2.1", "3", "--agreed", "-e", str(folder))
    assert cli.code == 0, cli.err
    page.get_by_role("button", name="Save the grade").click()
    message = page.get_by_role("region", name="Record the grade").get_by_role("alert").inner_text()
    assert "indicators/2.1.yaml was changed by someone else after this page was opened" in message
    assert "your change was not saved" in message
    assert page.get_by_label("Rationale").input_value() == (
        "Typed in the page while someone else used the command line."
    )
    assert page.locator(".lead .grade").first.inner_text() == "3 Adequate"  # the newer file is shown
    shot(page, "indicator-stale", top=False)
    text = (folder / "indicators" / "2.1.yaml").read_text(encoding="utf-8")
    assert "\ngrade: 3\n" in text and "Typed in the page" not in text


def test_script_in_the_text_is_shown_as_text(page, served, folder, shot):
    title = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> survey'
    result = run_cli("evidence", "add", "--title", title, "--qi", "2.1", "-e", str(folder))
    assert result.code == 0, result.err
    for path in ("/evidence", "/evidence/" + result.out.strip(), "/indicators/2.1"):
        page.goto(origin(served) + path)
        expect(page.get_by_text(title).first).to_be_visible()
        assert page.evaluate("window.pwned") is None


def test_without_the_secret_and_from_another_site_the_page_refuses(browser, page, served, folder):
    stranger = browser.new_context(viewport=VIEWPORT)
    response = stranger.new_page().goto(origin(served) + "/")
    assert response.status == 403 and "Glenmuir" not in response.text()
    stranger.close()
    # A page elsewhere posting a form to the running server, in the browser that holds the cookie.
    before = (folder / "indicators" / "2.1.yaml").read_bytes()
    attacker = page.context.new_page()
    attacker.set_content(
        f'<form method="post" action="{origin(served)}/indicators/2.1">'
        '<input name="form" value="grade"><input name="level" value="1">'
        "<button>Send</button></form>"
    )
    with attacker.expect_navigation() as navigation:
        attacker.get_by_role("button", name="Send").click()
    assert navigation.value.status == 403
    assert (folder / "indicators" / "2.1.yaml").read_bytes() == before


def test_keyboard_and_200_percent_zoom(browser, served, shot):
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    tab = context.new_page()
    tab.goto(served.replace("/?", "/indicators/2.1?"))
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Skip to content"
    tab.keyboard.press("Enter")
    tab.keyboard.press("Tab")
    focused = tab.evaluate(
        "document.activeElement.tagName + ' ' + (document.activeElement.textContent || '')"
    )
    assert focused.startswith("A ") or focused.startswith("SELECT")  # the first control inside the content
    # Nothing sticks out sideways at 200%: the page is as wide as the window.
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(tab, "indicator-200-percent")
    for label in ("Grade", "Rationale", "A strength", "Lead", "Status"):
        assert tab.get_by_label(label).count() >= 1, label
    context.close()

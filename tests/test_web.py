"""The local page (`qiframe serve`) in-process: safety, forms through the store, compare-and-swap, exports.

The browser tests (tests/test_web_browser.py) drive the same page in Chromium; these check each promise
over HTTP, where headers can be forged as an attacker would.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, run_cli
from tests.conftest import snapshot as _snapshot

PORT = 8123
BASE = f"http://127.0.0.1:{PORT}"
SECRET = "test-secret-0123456789"


def snapshot(folder: Path) -> dict[str, bytes]:
    """The evaluation's own files (not qiframe's private folder, which any write refreshes)."""
    return {k: v for k, v in _snapshot(folder).items() if not k.startswith(".qiframe")}


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".qiframe"))
    return target


def client(folder: Path, login: bool = True, base: str = BASE):
    from starlette.testclient import TestClient

    from qiframe.web.app import create_app

    c = TestClient(create_app(folder, SECRET, PORT), base_url=base, follow_redirects=False)
    if login:
        r = c.get(f"/?token={SECRET}")
        assert r.status_code == 303
    return c


@pytest.fixture
def site(folder):
    return client(folder)


def hidden(page: str, name: str, form: str | None = None) -> str:
    """The value of a hidden input, in the given form (by its `form` field) or the first on the page."""
    if form is not None:
        page = page[page.index(f'name="form" value="{form}"') - 200 :]
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def post(c, path: str, form: str, page_path: str | None = None, **data):
    """Send a form as the page would: with the page's CSRF token and the version it was rendered from."""
    page = c.get(page_path or path).text
    fields = {"csrf": hidden(page, "csrf"), "form": form, **data}
    if f'name="form" value="{form}"' in page and "version" not in data:
        section = page[page.index(f'name="form" value="{form}"') :][:400]
        match = re.search(r'name="version" value="([^"]*)"', section)
        if match:
            fields["version"] = match.group(1)
    return c.post(path, data=fields)


def field_errors(page: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", m)).replace("Error: ", "")
        for m in re.findall(r'class="field-error"[^>]*>(.*?)</p>', page, re.S)
    ]


def alert(page: str) -> str:
    match = re.search(r'role="alert"[^>]*>(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


# --- the secret, the Host header, forged forms -------------------------------------------------------


def test_without_the_secret_every_request_is_refused(folder):
    c = client(folder, login=False)
    for path in (
        "/",
        "/indicators/2.1",
        "/evidence",
        "/statement/S1",
        "/downloads/evidence-matrix.xlsx",
        "/static/qiframe.css",
        "/nope",
        "/?token=wrong-guess",
    ):
        r = c.get(path)
        assert r.status_code == 403, path
        assert "Glenmuir" not in r.text
    before = snapshot(folder)
    assert c.post("/evidence", data={"title": "x"}).status_code == 403
    assert snapshot(folder) == before


def test_the_token_becomes_a_strict_httponly_cookie_and_leaves_the_address(folder):
    c = client(folder, login=False)
    r = c.get(f"/evidence?qi=2.1&token={SECRET}")
    assert r.status_code == 303
    assert r.headers["location"] == "/evidence?qi=2.1"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and SECRET.lower() in cookie
    page = c.get("/evidence?qi=2.1")
    assert page.status_code == 200 and "Evidence register" in page.text
    assert SECRET not in page.text


def test_only_this_machines_names_with_the_port_are_served(site):
    assert site.get("/", headers={"host": "evil.example"}).status_code == 403
    assert site.get("/", headers={"host": f"evil.example:{PORT}"}).status_code == 403
    assert site.get("/", headers={"host": "127.0.0.1:9999"}).status_code == 403
    assert site.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200
    assert site.get("/").status_code == 200


def test_a_forged_cross_site_post_is_refused_and_writes_nothing(site, folder):
    before = snapshot(folder)
    page = site.get("/indicators/2.1").text
    version = hidden(page, "version", "grade")
    grade = {"form": "grade", "version": version, "level": "1", "rationale": "forged", "agreed": "yes"}
    # No CSRF token (a page elsewhere cannot read it), even with the cookie.
    assert site.post("/indicators/2.1", data=grade).status_code == 403
    # A wrong token.
    assert site.post("/indicators/2.1", data={**grade, "csrf": "0" * 32}).status_code == 403
    # The right token but sent by another site, as the browser tells.
    token = hidden(page, "csrf")
    assert (
        site.post(
            "/indicators/2.1", data={**grade, "csrf": token}, headers={"origin": "http://evil.example"}
        ).status_code
        == 403
    )
    assert (
        site.post(
            "/indicators/2.1", data={**grade, "csrf": token}, headers={"sec-fetch-site": "cross-site"}
        ).status_code
        == 403
    )
    assert snapshot(folder) == before
    # The same form from the page itself is accepted.
    r = site.post(
        "/indicators/2.1",
        data={**grade, "csrf": token},
        headers={"origin": BASE, "sec-fetch-site": "same-origin"},
    )
    assert r.status_code == 303
    assert "grade: 1" in (folder / "indicators" / "2.1.yaml").read_text(encoding="utf-8")


def test_text_holding_script_is_shown_as_text(site, folder):
    from qiframe import store

    item = store.add_evidence(
        folder,
        title="<script>alert('x')</script> audit",
        summary="<img src=x onerror=alert(1)>",
        indicators=["2.1"],
    )
    for path in ("/evidence", f"/evidence/{item.id}", "/indicators/2.1"):
        page = site.get(path).text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; audit" in page, path
        assert "<script>alert" not in page and "<img src=x" not in page
    headers = site.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


def test_no_file_outside_the_evaluation_or_the_page_is_served(site, folder):
    (folder.parent / "secret.txt").write_text("outside", encoding="utf-8")
    for path in (
        "/static/../evaluation.yaml",
        "/static/%2e%2e/%2e%2e/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/downloads/..%2fevaluation.yaml",
        "/downloads/evaluation.yaml",
        "/evaluation.yaml",
        "/indicators/..%2f..%2fsecret.txt",
    ):
        r = site.get(path)
        assert r.status_code == 404, path
        assert "outside" not in r.text and "qiframe: 1" not in r.text


# --- forms write through the store, with the CLI's rules and messages ------------------------------


def test_grade_and_notes_reach_the_file_with_its_comments(site, folder):
    path = folder / "indicators" / "2.1.yaml"
    r = post(
        site,
        "/indicators/2.1",
        "grade",
        level="5",
        rationale="Strong evidence of impact [E-pnj2q4].",
        agreed="yes",
    )  # 2.1's grade is agreed: changing it is a new agreement
    assert r.status_code == 303 and "graded" in r.headers["location"]
    r = post(
        site,
        "/indicators/2.1",
        "notes",
        strength="Children say they are listened to.",
        improvement="",
        next_step="Repeat the survey.",
    )
    assert r.status_code == 303
    text = path.read_text(encoding="utf-8")
    assert "grade: 5\n" in text and "rationale: Strong evidence of impact [E-pnj2q4]." in text
    assert "  - Children say they are listened to.\n" in text and "  - Repeat the survey.\n" in text
    for comment in (
        "# signed off by the Chief Officers Group",
        "# moderated at CIG meeting",
        "# the first two were raised by young people",
    ):
        assert comment in text
    page = site.get(r.headers["location"]).text
    assert "Children say they are listened to." in page and "2.1: 2 notes added" in html.unescape(page)


def test_a_bad_level_gets_the_clis_message_beside_the_field_and_nothing_is_written(site, folder):
    before = snapshot(folder)
    r = post(site, "/indicators/2.1", "grade", level="9", rationale="typed text survives")
    assert r.status_code == 400
    cli = run_cli("grade", "2.1", "9", "-e", str(folder))
    assert cli.code == 2
    message = cli.err.strip().removeprefix("qiframe: error: ")
    assert field_errors(r.text) == [message]
    assert 'aria-describedby="grade-level-error"' in r.text
    assert "typed text survives" in r.text
    assert snapshot(folder) == before


def test_an_agreed_grade_without_rationale_is_refused_as_by_the_cli(site, folder):
    (folder / "indicators" / "2.2.yaml").write_text("indicator: '2.2'\nstatus: draft\n", encoding="utf-8")
    r = post(site, "/indicators/2.2", "grade", level="4", rationale="", agreed="yes")
    assert r.status_code == 400
    assert field_errors(r.text)[0].startswith("an agreed grade needs a rationale")


def test_a_page_showing_an_older_copy_cannot_overwrite_the_clis_change(site, folder):
    page = site.get("/indicators/2.1").text
    token, version = hidden(page, "csrf"), hidden(page, "version", "grade")
    cli = run_cli("grade", "2.1", "3", "--agreed", "-e", str(folder))
    assert cli.code == 0
    r = site.post(
        "/indicators/2.1",
        data={
            "csrf": token,
            "form": "grade",
            "version": version,
            "level": "6",
            "rationale": "my careful words",
        },
    )
    assert r.status_code == 409
    assert "changed by someone else after this page was opened" in alert(r.text)
    assert r.text.count("changed by someone else") == 1
    assert "my careful words" in r.text  # what the user typed is kept
    text = (folder / "indicators" / "2.1.yaml").read_text(encoding="utf-8")
    assert "grade: 3\n" in text and "my careful words" not in text
    # The page now carries the newer version, so saving again is accepted.
    assert hidden(r.text, "version", "grade") != version
    again = site.post(
        "/indicators/2.1",
        data={
            "csrf": token,
            "form": "grade",
            "version": hidden(r.text, "version", "grade"),
            "level": "6",
            "agreed": "yes",
        },
    )
    assert again.status_code == 303


def test_evidence_added_edited_linked_and_unlinked(site, folder):
    r = post(
        site,
        "/evidence",
        "add",
        page_path="/evidence",
        title="Audit of  chronologies",
        source="data",
        kind="case-file-audit",
        date="2025-10-01:2025-12-31",
        agency="Social work",
        indicators=["5.2", "2.1"],
        voice=["children-and-young-people", "staff"],
        ages=["8-11"],
    )
    assert r.status_code == 303
    ident = re.search(r"/evidence/(E-\w+)", r.headers["location"]).group(1)
    path = folder / "evidence" / f"{ident}.yaml"
    text = path.read_text(encoding="utf-8")
    assert (
        "title: Audit of chronologies\n" in text
        and "date: 2025-10-01\n" in text
        and "date_to: 2025-12-31" in text
    )
    text = text.replace("title:", "# checked by the QA manager\ntitle:").replace(
        "agency: Social work", "agency: Social work  # children's"
    )
    path.write_text(text + "# the 2026 audit follows in spring\n", encoding="utf-8")
    here = f"/evidence/{ident}"
    assert post(site, here, "link", qi="6.4").status_code == 303
    assert post(site, here, "unlink", qi="5.2").status_code == 303
    r = post(
        site,
        here,
        "edit",
        title="Audit of chronologies, autumn",
        source="data",
        kind="case-file-audit",
        date="2025-10-01:2025-12-31",
        agency="Social work",
        submission="yes",
        voice=["staff"],
    )
    assert r.status_code == 303
    from qiframe import store

    item = store.load(folder).evidence[ident]
    assert item.indicators == ("2.1", "6.4")
    assert item.title == "Audit of chronologies, autumn" and item.submission and item.date_to == "2025-12-31"
    assert item.voice == ("staff",) and item.ages == ()  # the edit form sent no ages: none are kept
    assert "Whose views</dt><dd>staff" in site.get(here).text
    text = path.read_text(encoding="utf-8")
    assert "# checked by the QA manager\ntitle:" in text and "agency: Social work  # children's" in text
    assert text.endswith("# the 2026 audit follows in spring\n")
    r = post(site, here, "unlink", qi="9.9")
    assert r.status_code == 400 and field_errors(r.text) == [f"{ident} is not linked to 9.9"]


def test_evidence_form_errors_use_the_clis_messages(site, folder):
    before = snapshot(folder)
    r = post(
        site,
        "/evidence",
        "add",
        page_path="/evidence",
        title="Bad date",
        date="2025-13-40",
        indicators=["2.1"],
    )
    assert r.status_code == 400
    cli = run_cli("evidence", "add", "--title", "Bad date", "--date", "2025-13-40", "-e", str(folder))
    message = "expected a date (2025-03-31, 31/03/2025, March 2025, 2025-03 or 2025) or a period FROM:TO"
    assert message in cli.err
    assert field_errors(r.text) == [message]
    assert 'value="Bad date"' in r.text
    assert snapshot(folder) == before


def test_register_filters_as_evidence_list_does(site, folder):
    cli = run_cli(
        "evidence", "list", "--qi", "2.1", "--source", "views", "--format", "json", "-e", str(folder)
    )
    import json

    expected = [e["id"] for e in json.loads(cli.out)["evidence"]]
    page = site.get("/evidence?qi=2.1&source=views").text
    shown = re.findall(r'<td class="id"><a href="/evidence/(E-\w+)">', page)
    assert shown == expected and expected
    assert f"{len(expected)} of 41 items" in page


def test_statement_answer_saved_with_its_word_count_and_citations_checked(site, folder):
    path = folder / "statement" / "S2.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace("answers:", "# reviewed by the lead officer\nanswers:", 1), encoding="utf-8"
    )
    r = post(
        site,
        "/statement/S2",
        "section",
        **{"answer-now": "Children are safer [E-pnj2q4] and [E-zz9zzz].\n\n- one bullet point"},
    )
    assert r.status_code == 303
    text = path.read_text(encoding="utf-8")
    assert "# reviewed by the lead officer" in text
    assert "Children are safer [E-pnj2q4] and [E-zz9zzz]." in text
    page = site.get("/statement/S2").text
    from qiframe.statement import count_words

    words = count_words("Children are safer [E-pnj2q4] and [E-zz9zzz].\n\n- one bullet point")
    assert re.search(rf'id="count-now"[^>]*><span class="js-words">{words}</span> words', page)
    assert "Cites E-zz9zzz, not in the evidence register." in page


def test_an_action_records_progress(site, folder):
    from qiframe import store

    action = next(iter(store.load(folder).actions.values()))
    page = site.get("/actions").text
    start = page.index(f'value="{action.id}"') - 400
    fields = {
        "csrf": hidden(page, "csrf"),
        "form": "action",
        "id": action.id,
        "status": "in-progress",
        "version": re.findall(r'name="version" value="([^"]*)"', page[start:])[0],
        "progress": "Reviewed with the team",
        "date": "2026-04-02",
    }
    r = site.post("/actions", data=fields)
    assert r.status_code == 303
    after = store.load(folder).actions[action.id]
    assert after.progress[-1] == type(after.progress[-1])("2026-04-02", "Reviewed with the team")


def test_every_download_opens_in_its_reader(site, folder):
    import docx
    import openpyxl

    page = site.get("/downloads").text
    names = re.findall(r'href="/downloads/([^"]+)"', page)
    assert {
        "position-statement.docx",
        "position-statement.md",
        "position-statement.html",
        "evidence-matrix.xlsx",
        "improvement-progress.docx",
        "improvement-progress.xlsx",
        "moderation-pack.docx",
        "moderation-pack.html",
    } <= set(names)
    for name in names:
        r = site.get(f"/downloads/{name}")
        assert r.status_code == 200, name
        assert f'filename="{name}"' in r.headers["content-disposition"]
        if name.endswith(".docx"):
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
            assert text.strip()
        elif name.endswith(".xlsx"):
            assert openpyxl.load_workbook(io.BytesIO(r.content), read_only=True).sheetnames
        else:
            assert "Glenmuir" in r.text or "S1" in r.text
    assert not list(folder.rglob("*.docx")) and not list(folder.rglob("*.xlsx"))


def test_overview_links_each_problem_to_the_page_that_fixes_it(site, folder):
    (folder / "indicators" / "2.2.yaml").write_text("indicator: '2.2'\nstatus: draft\n", encoding="utf-8")
    page = site.get("/").text
    assert re.search(r'<a href="/indicators/2.2">[^<]*2.2[^<]*</a>', page)
    cli = run_cli("check", "--format", "json", "-e", str(folder))
    import json

    problems = json.loads(cli.out)["problems"]
    assert problems
    for p in problems:
        assert html.escape(p["message"], quote=True) in page or html.escape(p["message"]) in page


@pytest.mark.slow
def test_cli_and_page_writing_at_once_lose_nothing(site, folder):
    """Notes added by 4 CLI processes and 4 page saves at the same moment are all kept."""
    qiframe = str(Path(sys.executable).with_name("qiframe"))
    procs = [
        subprocess.Popen(
            [qiframe, "note", "2.2", "-s", f"cli note {i}", "-e", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i in range(4)
    ]
    refused = []

    def page_note(i: int) -> None:
        for _ in range(40):  # a refused save (the file changed meanwhile) is retried on the fresh page
            r = post(site, "/indicators/2.2", "notes", strength=f"page note {i}")
            if r.status_code == 303:
                return
            assert r.status_code == 409, r.text
            refused.append(i)
        raise AssertionError("the page never got its note in")

    threads = [threading.Thread(target=page_note, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for p in procs:
        with p:  # closes its stderr pipe
            assert p.wait(60) == 0, p.stderr.read()
    from qiframe import store

    strengths = store.load(folder).assessments["2.2"].strengths
    assert sorted(s for s in strengths if " note " in s) == sorted(
        [f"cli note {i}" for i in range(4)] + [f"page note {i}" for i in range(4)]
    )


# --- the command -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_help_does_not_import_the_server_stack():
    code = (
        "import sys\nfrom qiframe.cli.main import run\ntry:\n    run(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'jinja2', "
        "'multipart', 'anyio') or m.startswith('qiframe.web')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "serve" in out  # the command is listed …
    assert out.strip().splitlines()[-1] == "[]"  # … but nothing of the server was imported


@pytest.mark.slow
def test_serve_prints_the_address_serves_the_page_and_stops_on_ctrl_c(folder):
    qiframe = str(Path(sys.executable).with_name("qiframe"))
    proc = subprocess.Popen(
        [qiframe, "serve", "-e", str(folder), "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        address = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line).group(1)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with opener.open(address, timeout=10) as response:
            assert response.status == 200
            assert "Glenmuir" in response.read().decode()
        bare = address.split("?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bare, timeout=10)
        assert refused.value.code == 403
        # DNS rebinding: the right secret, but a page of another name that now points here.
        import http.client

        host, port = re.search(r"http://([\d.]+):(\d+)/", address).groups()
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/" + address.split("/", 3)[3], headers={"Host": "evil.example"})
        rebound = conn.getresponse()
        assert rebound.status == 403 and "Glenmuir" not in rebound.read().decode()
        conn.close()
    finally:
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()  # never leave a server running
            raise
    assert proc.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err


def test_serve_refuses_a_port_in_use(folder):
    import socket

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        result = run_cli("serve", "-e", str(folder), "--port", str(busy.getsockname()[1]), "--no-browser")
    finally:
        busy.close()
    assert result.code == 2
    assert "cannot listen on 127.0.0.1:" in result.err and "--port" in result.err


def test_every_field_of_every_page_has_a_label(site, folder):
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.controls, self.labels = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "label" and a.get("for"):
                self.labels.add(a["for"])
            if tag in ("select", "textarea") or (
                tag == "input" and a.get("type") not in ("hidden", "submit")
            ):
                self.controls.append(a.get("id"))

    pages = [
        "/",
        "/indicators/2.1",
        "/evidence",
        "/evidence/E-pnj2q4",
        "/statement",
        "/statement/S1",
        "/actions",
        "/downloads",
    ]
    counted = 0
    for path in pages:
        parser = Fields()
        parser.feed(site.get(path).text)
        unlabelled = [c for c in parser.controls if c is None or c not in parser.labels]
        assert not unlabelled, (path, unlabelled)
        counted += len(parser.controls)
    assert counted > 40


def test_a_four_level_framework_with_named_indicators_is_graded_by_its_own_scale(tmp_path):
    from qiframe import store
    from tests.conftest import DATA

    (tmp_path / "frameworks").mkdir()
    shutil.copy(
        DATA / "frameworks" / "valid" / "four-level.yaml", tmp_path / "frameworks" / "test-four-level.yaml"
    )
    root = store.init(tmp_path / "ev", "test-four-level")
    ident = next(iter(store.load(root).assessments))
    c = client(root)
    page = c.get(f"/indicators/{ident}").text
    options = re.findall(
        r'<option value="(\d+)"[^>]*>(\d+ \w+)</option>', page[page.index('id="grade-level"') :]
    )
    assert [label for _, label in options][:4] == ["4 Strong", "3 Sound", "2 Developing", "1 Weak"]
    assert post(c, f"/indicators/{ident}", "grade", level="Developing").status_code == 303
    assert store.load(root).assessments[ident].grade == 2
    r = post(c, f"/indicators/{ident}", "grade", level="5")
    assert r.status_code == 400 and "4 (Strong), 3 (Sound), 2 (Developing), 1" in field_errors(r.text)[0]
    assert c.get("/").status_code == 200 and c.get("/evidence").status_code == 200


def test_proposals_show_each_evaluators_reasons(site, folder):
    path = folder / "indicators" / "2.1.yaml"
    # The example's pair A already gives reasons: put hostile text and a citation in front of them.
    text = (
        path.read_text(encoding="utf-8")
        .replace(
            "    rationale: Record reading",
            "    rationale: Pair A saw <b>steady</b> gains [E-pnj2q4]. Record reading",
            1,
        )
        .replace(
            "      - Most records read showed",
            "      - Trusted adults for most children\n      - Most records read showed",
            1,
        )
    )
    assert "Pair A saw" in text and "Trusted adults" in text
    path.write_text(text, encoding="utf-8")
    page = site.get("/indicators/2.1").text
    assert "Pair A saw &lt;b&gt;steady&lt;/b&gt; gains" in page
    assert '<a class="cite" href="/evidence/E-pnj2q4">E-pnj2q4</a>' in page
    assert "Trusted adults for most children" in page


@pytest.mark.slow
def test_pages_load_in_worker_threads_without_crashing_the_server(tmp_path):
    """Pages are loaded in worker threads that come and go; none may crash the process (a fresh one)."""
    code = f"""
import shutil, warnings
warnings.simplefilter("ignore")
from starlette.testclient import TestClient
from qiframe.web.app import create_app
for k in range(12):
    target = {str(tmp_path)!r} + f"/ex{{k}}"
    shutil.copytree({str(EXAMPLE)!r}, target, ignore=shutil.ignore_patterns(".qiframe"))
    c = TestClient(create_app(target, "s", 8000), base_url="http://127.0.0.1:8000")
    c.get("/?token=s")
    for path in ("/indicators/2.1", "/indicators/2.1", "/", "/evidence"):
        assert c.get(path).status_code == 200
print("served")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "served"


def test_an_indicator_judged_on_its_own_scale_shows_labels_only(tmp_path):
    from qiframe import store

    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "joint-2018")
    c = client(root)
    page = c.get("/indicators/10.1").text
    assert "Confidence in the capacity for improvement</h2>" in page
    assert "Record the judgement" in page and "Record the grade" not in page
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page[page.index('id="grade-level"') :])
    assert options[0] == "Confident" and not any(o[0].isdigit() for o in options[:3])
    assert post(c, "/indicators/10.1", "grade", level="Confident").status_code == 303
    assert store.load(root).assessments["10.1"].grade == 3
    assert "Agreed judgement: <span" in c.get("/indicators/10.1").text
    overview = c.get("/").text
    row = overview[overview.index('<a href="/indicators/10.1">') :]
    assert re.search(r'<span class="grade g\d">Confident</span>', row[:2000])


def test_downloads_list_the_titles_still_to_confirm(tmp_path, site):
    from qiframe import store, wording

    assert (
        "not confirmed against an official source" not in site.get("/downloads").text
    )  # the example checked its
    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "joint-2018")
    expected = wording.unconfirmed(store.load(root))
    assert expected
    page = re.sub(r"<[^>]+>", "", html.unescape(client(root).get("/downloads").text))
    assert f"{len(expected)} titles these documents print are not confirmed" in page
    for u in expected:
        assert f"{u.item} {u.text}" in page


@pytest.mark.slow
def test_serve_opens_the_browser_on_its_address_unless_told_not_to(folder, tmp_path):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n', encoding="utf-8")
    browser.chmod(0o755)
    qiframe = str(Path(sys.executable).with_name("qiframe"))
    env = {**__import__("os").environ, "BROWSER": str(browser)}
    for flags in ([], ["--no-browser"]):
        proc = subprocess.Popen(
            [qiframe, "serve", "-e", str(folder), "--port", "0", *flags],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        address = re.search(r"(http://\S+)", proc.stdout.readline()).group(1)
        deadline = time.monotonic() + 10
        while not flags and not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0 if flags else 0)  # long enough for a browser to have been opened
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
        assert proc.returncode == 0
        if not flags:
            assert opened.read_text(encoding="utf-8").split() == [address]
    assert len(opened.read_text(encoding="utf-8").split()) == 1  # --no-browser opened nothing


def test_a_form_naming_a_path_outside_the_evaluation_is_refused(site, folder):
    before = snapshot(folder)
    page = site.get("/indicators/2.1").text
    for path in ("/indicators/..%2F..%2Fsecret", "/evidence/..%2F..%2Fsecret", "/statement/..%2F..%2Fsecret"):
        r = site.post(
            path, data={"csrf": hidden(page, "csrf"), "form": "grade", "level": "4", "version": "x"}
        )
        assert r.status_code in (400, 404), path
    assert snapshot(folder) == before
    from qiframe import store
    from qiframe.errors import InputError

    (folder.parent / "secret.yaml").write_text("x", encoding="utf-8")
    for relpath in ("indicators/../../secret.yaml", "../secret.yaml", str(folder.parent / "secret.yaml")):
        with pytest.raises(InputError):
            store.version(folder, relpath)
    assert store.version(folder, "indicators/2.1.yaml") != "absent"

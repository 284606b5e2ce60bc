"""A corpus of bad input files: each gives one located message, exit 2, no traceback, nothing written."""

from __future__ import annotations

import shutil

import pytest

from qiframe import store
from tests.conftest import snapshot

EVIDENCE = "evidence/E-bad222.yaml"
GOOD = "id: E-bad222\ntitle: A survey of staff\nsource: views\nindicators: ['2.1']\n"

# name: (file, content, expected "line:col: message" fragment after the path, or None for no position)
CORPUS: dict[str, tuple[str, bytes, str]] = {
    "malformed-yaml": (EVIDENCE, b"id: E-bad222\ntitle: [unclosed\n", "3:1: malformed YAML"),
    "wrong-type": (
        EVIDENCE,
        b"id: E-bad222\ntitle: A survey\nsubmission: maybe\n",
        "3:13: submission: expected boolean, found str 'maybe'",
    ),
    "unknown-field": (EVIDENCE, GOOD.encode() + b"colour: blue\n", "5:1: unknown field 'colour'"),
    "unknown-source": (
        EVIDENCE,
        b"id: E-bad222\ntitle: T\nsource: rumour\n",
        "3:9: source: 'rumour' is not one of: data, views, observation, documentation",
    ),
    "id-not-file-name": (
        EVIDENCE,
        b"id: E-other2\ntitle: T\n",
        "1:5: id 'E-other2' does not match the file name",
    ),
    "duplicate-key": (
        EVIDENCE,
        b"id: E-bad222\ntitle: T\ntitle: U\n",
        "3:1: malformed YAML: found duplicate key",
    ),
    "bom-and-error": (EVIDENCE, b"\xef\xbb\xbfid: E-bad222\ntitle: T\nsource: rumour\n", "3:9: source:"),
    "crlf-and-error": (EVIDENCE, b"id: E-bad222\r\ntitle: T\r\nsource: rumour\r\n", "3:9: source:"),
    "tab-indent": (EVIDENCE, b"id: E-bad222\ntitle: T\nindicators:\n\t- '2.1'\n", "4:1: malformed YAML"),
    "empty-file": (EVIDENCE, b"", "1:1: the file is empty"),
    "not-a-mapping": (EVIDENCE, b"- just\n- a list\n", "1:1: expected a mapping of fields"),
    "binary": (EVIDENCE, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file, not YAML text"),
    "invalid-utf8": (EVIDENCE, b"id: E-bad222\ntitle: caf\xe9\n", "2:11: is not valid UTF-8 text"),
    "alias-bomb": (
        EVIDENCE,
        b"id: E-bad222\ntitle: T\nthemes: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + b"".join(
            f"l{i}: &a{i} [*{'a' if i == 0 else f'a{i - 1}'}, *{'a' if i == 0 else f'a{i - 1}'}, "
            f"*{'a' if i == 0 else f'a{i - 1}'}, *{'a' if i == 0 else f'a{i - 1}'}, "
            f"*{'a' if i == 0 else f'a{i - 1}'}, *{'a' if i == 0 else f'a{i - 1}'}]\n".encode()
            for i in range(12)
        ),
        "values once aliases are expanded",
    ),
    "deep-nesting": (
        EVIDENCE,
        b"id: E-bad222\ntitle: T\nthemes: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "nesting deeper than",
    ),
    "very-long-string": (EVIDENCE, b"id: E-bad222\ntitle: " + b"x" * 200_000 + b"\n", "2:8: title: "),
    "python-tag": (
        EVIDENCE,
        b"id: E-bad222\ntitle: !!python/object/apply:os.system ['echo hi']\n",
        "2:8: malformed YAML: could not determine a constructor",
    ),
    "unknown-indicator-file": (
        "indicators/2.1.yaml",
        b"indicator: '2.1'\ngrade: 'good'\n",
        "2:8: grade: expected ['integer', 'null'], found str 'good'",
    ),
    "unknown-framework": (
        "evaluation.yaml",
        b"qiframe: 1\ntitle: T\nframework: no-such-framework\n",
        "unknown framework 'no-such-framework'",
    ),
    "unknown-programme": (
        "evaluation.yaml",
        b"qiframe: 1\ntitle: T\nframework: ci-care-protection-2019\nprogramme: nope\n",
        "has no programme 'nope'",
    ),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return store.init(tmp_path_factory.mktemp("tpl") / "ev", "ci-care-protection-2019", "risk-of-harm-2021")


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_gives_one_located_message(name, template, tmp_path, cli):
    relpath, content, expected = CORPUS[name]
    root = tmp_path / "ev"
    shutil.copytree(template, root)
    (root / relpath).write_bytes(content)
    before = snapshot(root)
    for command in (["status"], ["grade", "2.2", "good"], ["evidence", "add", "--title", "x"]):
        result = cli(*command, "-e", root)
        assert result.code == 2, (command, result.err)
        lines = result.err.strip().splitlines()
        assert len(lines) == 1, result.err
        assert lines[0].startswith("qiframe: error: ")
        assert expected in lines[0], lines[0]
        if relpath != "evaluation.yaml" or ":" in expected.split(" ")[0]:
            assert relpath in lines[0] or "framework" in expected or "programme" in expected
        assert "Traceback" not in result.err
        assert snapshot(root) == before


def test_oversized_file_is_refused_without_reading_it(template, tmp_path, cli):
    root = tmp_path / "ev"
    shutil.copytree(template, root)
    big = root / EVIDENCE
    with big.open("wb") as handle:
        handle.write(b"id: E-bad222\ntitle: T\nsummary: ")
        handle.seek(50 * 1024 * 1024)
        handle.write(b"x\n")
    result = cli("status", "-e", root)
    assert result.code == 2
    assert "bytes; qiframe reads files up to" in result.err and "E-bad222.yaml" in result.err


@pytest.mark.parametrize(
    "variant", [b"\xef\xbb\xbf" + GOOD.encode(), GOOD.replace("\n", "\r\n").encode()], ids=["bom", "crlf"]
)
def test_bom_and_crlf_alone_are_accepted(variant, template, tmp_path, cli):
    # Windows editors add these; a valid file must not be refused because of them.
    root = tmp_path / "ev"
    shutil.copytree(template, root)
    (root / EVIDENCE).write_bytes(variant)
    result = cli("evidence", "show", "E-bad222", "--format", "json", "-e", root)
    assert result.code == 0, result.err
    assert '"title": "A survey of staff"' in result.out

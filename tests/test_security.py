"""Security promises: no network, identifiers flagged before export, no formulas from user text."""

from __future__ import annotations

import shutil
import socket

import pytest

from qiframe import store
from tests.conftest import EXAMPLE


@pytest.fixture
def example(tmp_path):
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("cache.json", "lock"))
    return root


def test_no_command_opens_a_network_connection(example, tmp_path, cli, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("qiframe tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for command in (
        ["status"],
        ["check"],
        ["export", "matrix", "-o", tmp_path / "m.xlsx"],
        ["export", "statement", "-o", tmp_path / "s.docx"],
        ["export", "statement", "-o", tmp_path / "s.html"],
        ["export", "progress", "-o", tmp_path / "p.docx"],
        ["compare", "--with", example],
    ):
        result = cli(*command, "-e", example)
        assert result.code == 0, (command, result.err)
        assert "network" not in result.err


@pytest.mark.parametrize(
    "export", [["matrix", "-o", "m.xlsx"], ["statement", "-o", "s.md"], ["progress", "-o", "p.md"]]
)
def test_exports_flag_personal_identifiers_first(example, tmp_path, cli, export):
    item = next(iter(store.load(example).evidence.values()))
    store.update_evidence(example, item.id, {"summary": "Contact the worker at jo.bloggs@glenmuir.example"})
    args = [a if not a.endswith((".xlsx", ".md")) else tmp_path / a for a in export]
    result = cli("export", *args, "-e", example)
    assert result.code == 0, result.err
    flagged = [line for line in result.err.splitlines() if line.startswith("warning:") and item.id in line]
    assert flagged and "email" in flagged[0].lower()
    assert "likely personal identifier" in result.err


def test_a_clean_evaluation_exports_without_personal_data_warnings(example, tmp_path, cli):
    result = cli("export", "statement", "-o", tmp_path / "s.md", "-e", example)
    assert result.code == 0
    assert "personal identifier" not in result.err

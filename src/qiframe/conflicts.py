"""Sync-conflict copies and merge leftovers in an evaluation folder, recognised by name or content.

Partnerships keep evaluations in SharePoint, Teams, OneDrive or Dropbox, and some in git. When two people
change one file at once these tools keep both versions, the second as a copy beside the first:

- OneDrive and SharePoint: the computer's name appended, `2.1-LAPTOP-7K2.yaml`;
- a numbered copy (OneDrive, Teams, a browser download, a copy-paste): `E-2jzn4n (1).yaml`,
  `E-2jzn4n - Copy.yaml`;
- Dropbox: `E-2jzn4n (Ann's conflicted copy 2026-03-01).yaml`;
- a git merge: `E-2jzn4n.yaml.orig`, `E-2jzn4n.orig.yaml`, `E-2jzn4n_BASE_1234.yaml` (and `_LOCAL_`,
  `_REMOTE_`, `_BACKUP_`), or conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`) left inside the file.

qiframe reads the real files and leaves these alone: it never merges or deletes them. Reading skips them
with one warning, and the `conflict-copy` check reports each with the file it copies and how to resolve it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SYNC = "sync"
MERGE = "merge"
MARKERS = "markers"

_DROPBOX = re.compile(r"^(?P<base>[^ ]+?) \(.*conflicted copy.*\)(?P<ext>\.yaml)$", re.IGNORECASE)
_NUMBERED = re.compile(
    r"^(?P<base>.+?)(?: \(\d{1,3}\)| - Copy(?: \(\d{1,3}\))?)(?P<ext>\.yaml)$", re.IGNORECASE
)
_HOSTNAME = re.compile(r"^(?P<base>.+?)-(?P<host>[A-Z0-9][A-Z0-9-]{0,62})(?P<ext>\.yaml)$")
_MERGETOOL = re.compile(r"^(?P<base>.+?)_(?:BACKUP|BASE|LOCAL|REMOTE)_\d+(?P<ext>\.yaml)$")
_ORIG = re.compile(
    r"^(?P<base>.+?)(?:\.yaml\.(?:orig|rej)|\.orig\.yaml|\.yaml\.(?:BACKUP|BASE|LOCAL|REMOTE)\.\d+)$"
)
_QIFRAME_ID = re.compile(r"^[EA]-[23456789abcdefghjkmnpqrstuvwxyz]{6}$")


@dataclass(frozen=True)
class ConflictCopy:
    """A file that is a copy of another left by a sync tool or a merge, or a file holding conflict markers."""

    path: str
    """The copy, relative to the evaluation folder (forward slashes)."""
    original: str
    """The file it copies, relative to the evaluation folder; for conflict markers, the file itself."""
    cause: str
    """SYNC (a sync tool's conflict copy), MERGE (a merge tool's leftover) or MARKERS (conflict markers)."""
    tool: str
    """Who makes such copies, in words: "OneDrive or SharePoint", "Dropbox", "git", …"""
    line: int | None = None
    """For conflict markers: the line of the first marker."""

    def message(self) -> str:
        """What it is and how to resolve it, in one sentence for the user."""
        if self.cause == MARKERS:
            return (
                f"{self.path} holds unresolved merge conflict markers (line {self.line}); qiframe skips the "
                "file until they are gone: keep the right lines between <<<<<<<, ======= and >>>>>>>, "
                "delete the markers, and save"
            )
        exists = "" if self.original else " (whose original is missing)"
        return (
            f"{self.path} is a conflict copy of {self.original or '?'}{exists} made by {self.tool}; qiframe "
            f"ignores it: compare the two files, keep the right content in {self.original or 'the original'}, "
            "then delete the copy"
        )


def copy_of(
    name: str, names: set[str], folder: str, known: frozenset[str] | set[str] = frozenset()
) -> ConflictCopy | None:
    """Whether a file name in an evaluation folder is a conflict copy, and of what.

    `names` are the names beside it, `folder` the folder's path relative to the evaluation ("" for the
    evaluation folder itself), `known` ids the folder may hold (indicator and suite ids). A numbered or
    Dropbox copy is recognised by its name alone (a real file's name never has spaces); a computer-name
    suffix only when the rest names a file beside it, a known id or a qiframe id.
    """
    prefix = f"{folder}/" if folder else ""
    stem = name[:-5] if name.endswith(".yaml") else None
    if stem is not None and (
        stem in known or _QIFRAME_ID.match(stem) or (not folder and stem == "evaluation")
    ):
        return None  # the fast, common case: a real item's own file
    for pattern, cause, tool in (
        (_DROPBOX, SYNC, "Dropbox"),
        (_NUMBERED, SYNC, "a sync tool or a copy"),
        (_MERGETOOL, MERGE, "a git merge tool"),
        (_ORIG, MERGE, "a merge or a patch"),
    ):
        found = pattern.match(name)
        if found:
            original = found["base"] + ".yaml"
            return ConflictCopy(prefix + name, prefix + original if original in names else "", cause, tool)
    found = _HOSTNAME.match(name)
    if found and any(ch.isalpha() for ch in found["host"]):
        base = found["base"]
        original = base + ".yaml"
        if (
            original in names
            or base in known
            or _QIFRAME_ID.match(base)
            or (not folder and base == "evaluation")
        ):
            return ConflictCopy(
                prefix + name, prefix + original if original in names else "", SYNC, "OneDrive or SharePoint"
            )
    return None


def marker_line(text: str) -> int | None:
    """The line of the first git conflict marker in a text, or None: `<<<<<<< ` or `>>>>>>> ` starting a
    line, with a `=======` line between."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None
    lines = text.splitlines()
    starts = [
        i
        for i, line in enumerate(lines)
        if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line in ("<<<<<<<", ">>>>>>>")
    ]
    if starts and any(line.rstrip() == "=======" for line in lines):
        return starts[0] + 1
    return None


def is_candidate(name: str) -> bool:
    """Cheap test for names worth classifying (everything that is not a plain `NAME.yaml` id file)."""
    if not name.endswith(".yaml"):
        return True
    if _QIFRAME_ID.match(name, 0, len(name) - 5):  # an evidence or action file, the common case by far
        return False
    return " " in name or "-" in name or "_" in name or name.count(".") > 1

"""The one place that reads and writes YAML.

Reads use ruamel's C-based safe loader and return plain data (dates as ISO text). Positions for error
messages come from a second, round-trip parse that happens only when something is wrong, so the fast
path never pays for them. Edits use the round-trip loader on the one file being changed, keeping the
user's comments and layout. Every write is atomic, and writers to one evaluation take its lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import io
import json
import os
import re
import stat as st
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qiframe.errors import InputError, LockTimeout

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest YAML file qiframe reads; evaluation files are a few kilobytes."""
MAX_NODES = 200_000
"""Most values one file may hold once aliases are expanded (stops alias bombs)."""
MAX_DEPTH = 64
"""Deepest nesting accepted."""
SCHEMA_COMMENT = "# yaml-language-server: $schema={}\n"


def _yaml(typ: str):
    from ruamel.yaml import YAML

    yaml = YAML(typ=typ, pure=False)
    if typ == "safe":
        from qiframe.yaml_loader import text_dates_constructor

        yaml.Constructor = text_dates_constructor()
    if typ == "rt":
        yaml.Constructor = _lenient_dates_constructor()
        yaml.preserve_quotes = True
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.width = 1_000_000  # never fold long text: folding leaves trailing spaces and churns diffs
    return yaml


def _lenient_dates_constructor():
    """The round-trip constructor, but a date that does not exist (2026-02-30) stays text instead of
    raising: the schema then reports it at its line and column, like any other bad value."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class LenientDates(RoundTripConstructor):
        def construct_yaml_timestamp(self, node, values=None):
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                return self.construct_scalar(node)

    LenientDates.add_constructor("tag:yaml.org,2002:timestamp", LenientDates.construct_yaml_timestamp)
    return LenientDates


_SAFE = None
_RT = None


def _safe():
    """A loader function for plain data: YAML 1.2, safe tags, dates as text, duplicate keys refused."""
    global _SAFE
    if _SAFE is None:
        from qiframe import yaml_loader

        _SAFE = yaml_loader.fast_safe_load() or _yaml("safe").load
    return _SAFE


def _rt():
    global _RT
    if _RT is None:
        _RT = _yaml("rt")
    return _RT


def read_text(
    path: str | os.PathLike, limit: int = MAX_FILE_BYTES, stat: os.stat_result | None = None
) -> str:
    """A file's text, refusing oversized, binary and non-UTF-8 files with a located message.

    `stat` is the file's status when the caller has just taken it with `file_stat` (saving a second one).
    """
    try:
        size = (stat or file_stat(path)).st_size
        if size > limit:
            raise InputError(f"file is {size:,} bytes; qiframe reads files up to {limit:,} bytes", path)
        data = _read_bytes(path, size, limit)
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path) from None
    except PermissionError:
        raise InputError("permission denied", path) from None
    if b"\x00" in data:
        raise InputError("is a binary file, not YAML text", path)
    if data.isascii():  # most files: no byte-order mark, no character to refuse, nothing to decode
        return data.decode("ascii")
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark from Windows editors is harmless
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError("is not valid UTF-8 text", path, line, column) from None
    _refuse_hidden_breaks(text, path)
    return text


def _read_bytes(path: str | os.PathLike, size: int, limit: int) -> bytes:
    """The bytes of a file whose size was just taken: one system call for the usual small file (twice as
    fast as a buffered `open` over thousands of them), more only if it changed size since."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        data = os.read(fd, size + 1)
        if len(data) == size:
            return data
        chunks = [data]  # it grew or shrank since its size was taken: read on to its end
        total = len(data)
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputError(
                    f"file is over {limit:,} bytes; qiframe reads files up to {limit:,} bytes", path
                )
        return b"".join(chunks)
    finally:
        os.close(fd)


_FAST: Any = None
_FOR_REFERENCE = r"[\x00-\x09\x0b\x0c\x0e-\x1f\\\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
"""What the fast parser leaves to ruamel: characters outside YAML's printable set (controls other than the
line breaks, C1 controls with NEL among them, surrogates, U+FFFE and U+FFFF), the Unicode line and
paragraph separators, a BOM, tabs (refused in indentation, with a message of their own) and backslashes
(escapes in double-quoted text, which the two parsers read differently). Written as the few ranges it
holds, not as the complement of the printable set, which takes eight times longer to compile; compiled
when first needed, as ASCII files never use it."""


@functools.cache
def _for_reference() -> re.Pattern:
    return re.compile(_FOR_REFERENCE)


_MARKERS = re.compile(
    r"^(?:---|\.\.\.|%|[ \-]*\?(?:[ ]|$))|[{\[,][ ]*\?|(?:^|[\s\[{,:\-])[&*](?![ \n\r]|$)", re.M
)
"""Directives, document markers, explicit keys (`? key`), anchors and aliases, which qiframe never writes:
left to ruamel, which also bounds alias expansion."""


_NUMBER_UNDERSCORE = re.compile(r"[0-9.+\-]_|_[0-9.]|(?:^|[\s:\[{,])_")
"""Underscores in or before digits: the two parsers disagree on which of them make numbers ("_0", "1_0e1")."""
_TRAILING_BLOCK = re.compile(r"[|>][-+0-9]*[ ]*(?:#[^\n]*)?\Z")
"""A block scalar with no lines, ending the text: the two parsers give it different values."""


def _needs_reference(text: str) -> bool:
    """Whether a text must go to ruamel (see _FOR_REFERENCE and _MARKERS); cheap for ordinary files."""
    if text.isascii():
        # ASCII text goes to ruamel if it holds a backslash, a "!" or a control character other than a line
        # break; printable ASCII is " " to "~", so str.isprintable tests the last at C speed (three times
        # faster than a regular expression over an evaluation's files).
        if "\\" in text or "!" in text or not text.replace("\n", "").replace("\r", "").isprintable():
            return True
    elif "!" in text or _for_reference().search(text):
        return True
    if "_" in text and _NUMBER_UNDERSCORE.search(text):
        return True
    # An empty block scalar at the end ("" or "\n"?) sits on the last line, so only that line is searched.
    if _TRAILING_BLOCK.search(text.rstrip().rpartition("\n")[2]):
        return True
    # The markers all need one of these characters; most files hold none of them.
    if "&" in text or "*" in text or "?" in text or "%" in text or "---" in text or "..." in text:
        return _MARKERS.search(text) is not None
    return False


def ready() -> None:
    """Load the fast parser now, on this thread: before forking, so that copies of the process share it
    (loading its native library takes a few milliseconds)."""
    _fast()


def _fast():
    """The Rust-based parser (yaml-rs) for the read path, or False where it is not installed.

    It parses an evaluation's thousands of small files about ten times faster than ruamel's C loader,
    which is what a first read (after a clone, in `aggregate`) spends its time on. It is asked for YAML
    1.2 with dates kept as text and duplicate keys refused, and its own alias and depth limits hold.
    Anything it does not accept, and any text with an explicit tag, goes to ruamel, whose messages are
    the located ones users see; tests compare the two parsers on generated and hostile input.
    """
    global _FAST
    if _FAST is None:
        # yaml-rs 0.1.6 crashes the process (a segmentation fault) when it is first imported by a thread
        # that later exits, as a thread pool's workers do; imported by the main thread it is safe in any
        # thread. So only the main thread imports it, and other threads use ruamel until it has.
        if "yaml_rs" not in sys.modules and threading.current_thread() is not threading.main_thread():
            return False
        try:
            import yaml_rs
        except ImportError:
            _FAST = False
        else:
            limits = yaml_rs.AliasLimits()
            policy = yaml_rs.DuplicateKeyPolicy.Error

            def load(text: str) -> Any:
                return yaml_rs.loads(
                    text, parse_datetime=False, alias_limits=limits, duplicate_key_policy=policy
                )

            _FAST = load
    return _FAST


_HIDDEN_BREAKS = {
    "\x85": "a NEL control character (U+0085), often a '…' saved in the wrong encoding",
    "\u2028": "a Unicode line separator (U+2028)",
    "\u2029": "a Unicode paragraph separator (U+2029)",
}


def _refuse_hidden_breaks(text: str, path: str | os.PathLike) -> None:
    """YAML reads NEL and the Unicode separators as line breaks, so a title holding one would silently
    read back as two words with a space between: refuse them, located, instead."""
    for char, what in _HIDDEN_BREAKS.items():
        at = text.find(char)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
            raise InputError(f"holds {what}; replace it with the character meant", path, line, column)


def file_stat(path: str | os.PathLike) -> os.stat_result:
    """The status of a file qiframe is about to read, refusing what is not an ordinary file: a dangling
    symbolic link, a loop of links, a FIFO (reading it would wait for ever), a device or a socket."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        path = Path(path)
        if path.is_symlink():
            raise InputError(
                f"is a symbolic link to {os.readlink(path)!r}, which does not exist", path
            ) from None
        raise InputError("file not found", path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("is a loop of symbolic links", path) from None
        if exc.errno == errno.EACCES:
            raise InputError("permission denied", path) from None
        raise InputError(f"cannot be read: {exc.strerror or exc}", path) from None
    if st.S_ISREG(info.st_mode):
        return info
    if st.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a file", path)
    if not st.S_ISREG(info.st_mode):
        kind = (
            "a FIFO (named pipe)"
            if st.S_ISFIFO(info.st_mode)
            else "a socket"
            if st.S_ISSOCK(info.st_mode)
            else "a device"
        )
        raise InputError(f"is {kind}, not an ordinary file", path)
    return info


def parse(text: str, path: str | os.PathLike = "<text>") -> Any:
    """Plain data from YAML text: safe tags only, dates as ISO text, bounded size and depth."""
    guard_depth(text, path)  # before either parser: both recurse natively and crash on very deep text
    fast = _fast()
    # "!" may start a tag (`!!binary`, `!!python/object`), which only ruamel checks against the safe set.
    if fast and not _needs_reference(text):
        # Anything the fast path refuses or finds wrong goes to ruamel, whose message is the one users see.
        with contextlib.suppress(Exception):
            data = fast(text)
            # Without aliases a text this short cannot hold more values than the budget, so only the
            # depth and the key types need checking, in place; otherwise the full walk counts them.
            if "*" not in text and len(text) <= 2 * MAX_NODES:
                with contextlib.suppress(_Unusual):
                    return _checked(data, path, 0)
            return plain(data, path)
    return _parse_reference(text, path)


class _Unusual(Exception):
    """Parser output that `_checked` leaves to the full walk (a key that is not text)."""


class _TooBig(Exception):
    """An integer too long to print (Python refuses to show more than 4,300 digits): left to ruamel,
    which refuses it with its place in the file."""


_BIG = 10**100


def _checked(value: Any, path: str | os.PathLike, depth: int) -> Any:
    """`plain` for fresh parser output without aliases: the same result, checked in place."""
    if depth > MAX_DEPTH:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", path)
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            kind = type(item)
            if kind is dict or kind is list:
                _checked(item, path, depth + 1)
            elif kind is float and item != item:
                value[key] = None
            elif kind is int and not -_BIG < item < _BIG:
                raise _TooBig
    elif type(value) is list:
        for i, item in enumerate(value):
            kind = type(item)
            if kind is dict or kind is list:
                _checked(item, path, depth + 1)
            elif kind is float and item != item:
                value[i] = None
            elif kind is int and not -_BIG < item < _BIG:
                raise _TooBig
    elif type(value) is float and value != value:
        return None
    return value


def _parse_reference(text: str, path: str | os.PathLike = "<text>") -> Any:
    """Plain data from YAML text through ruamel: the reference semantics and the located messages."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = _safe()(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if "found character '\\t'" in problem or "found character '\t'" in problem:
            problem = "a tab character; YAML indents with spaces"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError(f"malformed YAML: {_first_line(problem)}", path, line, column) from None
    except YAMLError as exc:
        raise InputError(f"malformed YAML: {_first_line(str(exc))}", path) from None
    except RecursionError:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", path) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar its tag cannot hold, e.g. !!int x
        raise InputError(f"malformed YAML: {_first_line(str(exc))}", path, *strange_node(text)) from None
    try:
        return plain(data, path)
    except InputError as exc:
        if exc.line is None and "unsupported value" in exc.message:
            raise InputError(exc.message, path, *strange_node(text)) from None
        raise


_CORE_TAGS = {
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "null", "bool", "int", "float", "map", "seq", "timestamp", "merge")
}


def strange_node(text: str) -> tuple[int | None, int | None]:
    """1-based (line, column) of the first value qiframe cannot take as plain data: a tag beyond YAML's
    core ones (!!set, !!binary), or a number its tag cannot hold (!!int abc, an integer of 5,000 digits).
    Used only after such a value has failed, to say where it is; (None, None) if it cannot be found."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    try:
        root = YAML(typ="safe", pure=True).compose(text)
    except Exception:
        return None, None
    constructor = SafeConstructor()
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        tag = getattr(node.tag, "value", node.tag)
        strange = tag not in _CORE_TAGS
        if not strange and isinstance(node, ScalarNode) and tag.endswith((":int", ":float")):
            try:
                constructor.construct_object(node, deep=True)
            except Exception:
                strange = True
        if strange:
            return node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return None, None


def guard_depth(text: str, path: str | os.PathLike = "<text>") -> None:
    """Refuse nesting deeper than MAX_DEPTH before the C parser sees the text.

    libyaml's composer (and the Rust parser of the fast path) recurses once per level in native code, so a
    file nested some 30,000 levels deep ends the process with a segmentation fault, which no `except` can
    catch. A cheap scan bounds the depth from
    above (flow brackets open at once, plus indentation and `- ` indicators on one line); only a file
    whose bound passes the limit is parsed event by event, without recursion, to find where it does.
    """
    if max_depth_bound(text) <= MAX_DEPTH:
        return
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise InputError(
                        f"nesting deeper than {MAX_DEPTH} levels", path, mark.line + 1, mark.column + 1
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        return  # malformed before it gets too deep: the normal parse reports it, located


_FLOW = None
_BLOCK = None


def max_depth_bound(text: str) -> int:
    """An upper bound of the nesting depth of YAML text that is cheap to compute."""
    # Each level of nesting opens with a flow bracket, a "-" of a sequence entry, or a ":" or "?" of a
    # mapping key, so their count bounds the depth; it is a few C-speed counts, and for the small files
    # of an evaluation it is nearly always below the limit, which spares the finer scan below.
    count = text.count
    coarse = count("[") + count("{") + count("-") + count(":") + count("?") + 1
    if coarse <= MAX_DEPTH:
        return coarse

    global _FLOW, _BLOCK
    if _FLOW is None:
        _FLOW = re.compile(r"[\[\]{}]")
        _BLOCK = re.compile(r"^( *)((?:[-?:][ \t]+)*)", re.M)
    flow = deepest = 0
    for match in _FLOW.finditer(text):
        flow += 1 if match.group() in "[{" else -1
        deepest = max(deepest, flow)
    block = max(
        (len(m.group(1)) + m.group(2).count(" ") + m.group(2).count("\t") for m in _BLOCK.finditer(text)),
        default=0,
    )
    return deepest + block + 1


def _first_line(text: str) -> str:
    text = text.strip().splitlines()[0] if text.strip() else "malformed YAML"
    return text.rstrip(":")


def load(path: str | os.PathLike) -> Any:
    """Read and parse one YAML file (fast path)."""
    return parse(read_text(path), path)


def plain(data: Any, path: str | os.PathLike = "<text>") -> Any:
    """Copy loaded YAML into JSON-compatible data, expanding aliases up to MAX_NODES values."""
    budget = [MAX_NODES]

    def walk(value: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise InputError(f"holds more than {MAX_NODES:,} values once aliases are expanded", path)
        if depth > MAX_DEPTH:
            raise InputError(f"nesting deeper than {MAX_DEPTH} levels", path)
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    if isinstance(key, bool) or key is None or isinstance(key, (dict, list)):
                        raise InputError(f"mapping key {key!r} must be text", path)
                    key = _scalar_text(key)
                out[key] = walk(item, depth + 1)
            return out
        if isinstance(value, list):
            return [walk(item, depth + 1) for item in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, float) and value != value:
            return None
        if type(value) is int and not -_BIG < value < _BIG:
            raise InputError("holds a number too large to be a value of qiframe's", path)
        if isinstance(value, (bytes, bytearray, set)):
            raise InputError(f"unsupported value of type {type(value).__name__}", path)
        return value

    return walk(data, 0)


def _scalar_text(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


# --- positions ---------------------------------------------------------------------------------------


def locate(path: str | os.PathLike, where: tuple, key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, column) of the value at a JSON path in a YAML file, or of its key when `key`.

    Falls back to the deepest part of the path that exists; (None, None) if the file cannot be read.
    """
    try:
        doc = _rt().load(read_text(path))
    except Exception:
        return None, None
    return locate_in(doc, where, key)


def locate_in(doc: Any, where: tuple, key: bool = False) -> tuple[int | None, int | None]:
    """Position within a round-trip document; see `locate`."""
    best: tuple[int | None, int | None] = (None, None)
    if hasattr(doc, "lc"):
        best = (doc.lc.line + 1, doc.lc.col + 1)
    node = doc
    for i, part in enumerate(where):
        last = i == len(where) - 1
        try:
            lc: Any = getattr(node, "lc", None)  # ruamel's record of positions; None raises below
            if isinstance(node, dict) and part in node:
                line, col = lc.key(part) if (key and last) else lc.value(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                line, col = lc.item(part)
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
        best = (line + 1, col + 1)
        node = node[part]
    return best


# --- round-trip editing -----------------------------------------------------------------------------


def load_roundtrip(path: str | os.PathLike) -> Any:
    """The document with comments and layout, for editing one file."""
    text = read_text(path)
    parse(text, path)  # same checks and messages as the fast path
    return parse_roundtrip(text, path)


def parse_roundtrip(text: str, path: str | os.PathLike | None = None) -> Any:
    """Text that `parse` accepted, as a document with comments, layout and the position of every node."""
    try:
        return _rt().load(text)
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an impossible date
        raise InputError(f"malformed YAML: {exc}", path) from None


def dump_roundtrip(doc: Any, header: str = "") -> str:
    """YAML text for a round-trip document (or plain data), in qiframe's layout."""
    buf = io.StringIO()
    _rt().dump(doc, buf)
    text = buf.getvalue()
    if header and not text.startswith(header):
        text = header + text
    return text


def to_commented(data: Any) -> Any:
    """Plain data as ruamel's commented types, so new files and edits share one layout."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(data, dict):
        out = CommentedMap()
        for k, v in data.items():
            out[k] = to_commented(v)
        return out
    if isinstance(data, (list, tuple)):
        return CommentedSeq(to_commented(v) for v in data)
    if isinstance(data, str) and "\n" in data and _literal_safe(data):
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(data)
    return data


def _trailing_slot(container: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment lines that follow an entry: (owner, key, slot index).

    Comment lines between two entries belong to the end of the first one; when the first one's value is
    a block collection they hang on its last item instead, so descend to it.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    value = container[key]
    if isinstance(value, CommentedMap) and len(value):
        return _trailing_slot(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and len(value):
        return _trailing_slot(value, len(value) - 1)
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def take_comment_lines(container: Any, key: Any) -> str:
    """Detach the full-line comments that follow an entry, leaving its end-of-line comment in place."""
    owner, slot_key, slot = _trailing_slot(container, key)
    entry = owner.ca.items.get(slot_key)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or "\n" not in token.value:
        return ""
    eol, _, rest = token.value.partition("\n")
    if not rest.strip():
        return ""
    token.value = eol + "\n"
    return rest


def give_comment_lines(container: Any, key: Any, lines: str) -> None:
    """Attach full-line comments after an entry (the counterpart of take_comment_lines)."""
    if not lines:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    owner, slot_key, slot = _trailing_slot(container, key)
    entry = owner.ca.items.setdefault(slot_key, [None, None, None, None])
    token = entry[slot]
    if token is None:
        entry[slot] = CommentToken("\n" + lines, CommentMark(0), None)
    else:
        token.value = token.value.rstrip("\n") + "\n" + lines


def _literal_safe(text: str) -> bool:
    # A block literal cannot hold trailing spaces, tabs or a leading space on its first line faithfully.
    lines = text.split("\n")
    return not (
        text.startswith((" ", "\n"))
        or any(line != line.rstrip(" \t") for line in lines)
        or "\t" in text
        or "\r" in text
    )


def schema_header(schema_name: str, depth: int) -> str:
    """The editor hint naming the evaluation's local copy of a schema, relative to the file."""
    rel = "../" * depth + f".qiframe/schemas/{schema_name}.schema.json"
    return SCHEMA_COMMENT.format(rel)


# --- atomic writes and locking -----------------------------------------------------------------------


def atomic_write(path: str | os.PathLike, text: str) -> None:
    """Write a text file so that it is always either the old or the new version, never a torn one."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Replace a file atomically: write a temporary file beside it, flush it to disk, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _match_mode(fd, path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _match_mode(fd: int, path: Path) -> None:
    """Give the new file the old one's permissions, or the usual ones (mkstemp makes it private)."""
    if os.name != "posix":
        return
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.fchmod(fd, mode)


def remove(path: str | os.PathLike) -> None:
    os.unlink(path)
    _fsync_dir(Path(path).parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


LOCK_NOTICE_AFTER = 1.0
"""Seconds of waiting for the lock before the user is told who holds it."""


@contextlib.contextmanager
def locked(lock_path: str | os.PathLike, timeout: float = 30.0) -> Iterator[None]:
    """Hold an exclusive lock on a file for the duration, waiting up to `timeout` seconds.

    The lock file records its holder (process, host, command, since when), so a command that has to wait
    can say whom it waits for. The operating system releases the lock when its holder dies, so a lock
    left by a killed command is taken over at once. Where the file system cannot lock files (some
    network shares), a lock file created exclusively stands in, and one left by a dead process on the
    same host is taken over at once.
    """
    from qiframe import notices

    lock_path = Path(lock_path)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise InputError(
            f"cannot take the evaluation's lock: {_os_reason(exc)}; nothing was written", lock_path
        ) from None
    start = time.monotonic()
    told = False
    fallback: Path | None = None
    try:
        while True:
            try:
                if fallback is None:
                    _lock(handle)
                    break
                if _lock_by_file(fallback):
                    break
            except OSError as exc:
                if fallback is None and exc.errno not in _BUSY:
                    fallback = lock_path.with_name(lock_path.name + ".held")  # no file locking here
                    continue
            waited = time.monotonic() - start
            holder = describe_holder(fallback or lock_path)
            if waited > timeout:
                raise LockTimeout(
                    f"another qiframe command has held the lock for {timeout:g} s"
                    f"{' (' + holder + ')' if holder else ''}; try again",
                    lock_path,
                ) from None
            if not told and waited > LOCK_NOTICE_AFTER:
                told = True
                notices.notify(
                    f"waiting for the evaluation's lock, held by {holder or 'another qiframe command'}"
                )
            time.sleep(0.02)
        _record_holder(handle)
        yield
    finally:
        with contextlib.suppress(OSError):
            handle.truncate(0)
        if fallback is not None:
            with contextlib.suppress(OSError):
                os.unlink(fallback)
        with contextlib.suppress(OSError):
            _unlock(handle)
        handle.close()


_BUSY = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK}


def _os_reason(exc: OSError) -> str:
    from qiframe.journal import os_reason

    return os_reason(exc)


def holder_record() -> dict:
    """Who this process is, as the lock records it."""
    import socket
    import sys

    command = (
        " ".join(["qiframe", *sys.argv[1:]])
        if sys.argv and sys.argv[0].endswith("qiframe")
        else " ".join(sys.argv) or "python"
    )
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command[:200],
        "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def _record_holder(handle) -> None:
    with contextlib.suppress(OSError):
        handle.truncate(0)
        handle.write(json.dumps(holder_record()).encode("utf-8"))
        handle.flush()


def read_holder(path: str | os.PathLike) -> dict | None:
    """The holder recorded in a lock file, or None."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    return raw if isinstance(raw, dict) and isinstance(raw.get("pid"), int) else None


def describe_holder(path: str | os.PathLike) -> str:
    """ "`qiframe evidence import x.csv` (process 4242 on LAPTOP, since 2026-03-01T09:00:00+00:00)", or ""."""
    holder = read_holder(path)
    if holder is None:
        return ""
    command = "".join(ch for ch in str(holder.get("command", "")) if ch.isprintable())[:120]
    return f"`{command}` (process {holder['pid']} on {holder.get('host', '?')}, since {holder.get('since', '?')})"


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # pragma: no cover - cannot tell cheaply; wait for it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_by_file(path: Path) -> bool:
    """Take a lock file created exclusively; take over one left by a dead process on this host."""
    import socket

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        holder = read_holder(path)
        if holder and holder.get("host") == socket.gethostname() and not _alive(holder["pid"]):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            return _lock_by_file(path)
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(holder_record()))
    return True


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# --- a cache of parsed files --------------------------------------------------------------------------


class ParseCache:
    """Parsed, validated file contents keyed by path, size and modification time.

    Parsing thousands of small YAML files costs seconds even with the C loader, while reading the same
    data as one JSON file costs milliseconds; the cache makes repeated reads of an unchanged evaluation
    fast. An entry is used only when size and mtime match; files changed within the last two seconds are
    not cached, so an edit in the same clock tick as a read can never be missed.
    """

    FORMAT = 1

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.entries: dict[str, list] = {}
        self.dirty = False
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("version") == self.version():
                self.entries = raw.get("files", {})
        except (OSError, ValueError, AttributeError):
            self.entries = {}

    @classmethod
    def version(cls) -> str:
        """Entries hold validated data, so a new qiframe (perhaps with new schemas) starts afresh."""
        from qiframe import __version__

        return f"{cls.FORMAT}:{__version__}"

    def get(self, key: str, stat: os.stat_result) -> Any | None:
        entry = self.entries.get(key)
        if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return entry[2]
        return None

    def put(self, key: str, stat: os.stat_result | tuple[int, int], data: Any) -> None:
        """Keep a file's data, under its status or its (size, modification time in ns)."""
        size, mtime = (stat.st_size, stat.st_mtime_ns) if isinstance(stat, os.stat_result) else stat
        if time.time_ns() - mtime < 2_000_000_000:
            return
        self.entries[key] = [size, mtime, data]
        self.dirty = True

    def keep_only(self, keys: set[str]) -> None:
        stale = set(self.entries) - keys
        for key in stale:
            del self.entries[key]
        self.dirty = self.dirty or bool(stale)

    def save(self) -> None:
        """Best effort: a read-only folder just means no cache.

        Replaced atomically but not flushed to disk: the cache only repeats what the files say, and a file
        cut short by a power cut fails to parse and is ignored. Skipping the flush matters to `aggregate`,
        which saves a hundred caches in one run.
        """
        if not self.dirty:
            return
        # The data comes from a parser, so it holds no cycles and need not be checked for them.
        text = json.dumps(
            {"version": self.version(), "files": self.entries}, separators=(",", ":"), check_circular=False
        )
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()

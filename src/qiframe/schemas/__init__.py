"""The published JSON Schemas, and validation that reports located problems.

jsonschema is imported only when something is validated: reads of unchanged files hit the parse cache
and never pay for it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from pathlib import Path
from typing import Any

from qiframe.errors import InputError

SCHEMA_DIR = Path(__file__).parent
TITLE_PREFIX = "^(?=[\\s\\S]*\\S)[^\\u0085"
"""How the pattern of titles begins (not blank, no NEL or Unicode line separator); its message is for people."""
NAMES = ("framework", "evaluation", "indicator", "evidence", "action", "section")


@functools.cache
def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@functools.cache
def _validator(name: str):
    from jsonschema import Draft202012Validator, FormatChecker

    # The format checker makes "format": "date" reject impossible dates such as 2025-02-30, and "period"
    # accept a day, a month or a year; both through qiframe's one date parser.
    checker = FormatChecker(())
    checker.checks("date")(_is_date)
    checker.checks("period")(_is_period)
    return Draft202012Validator(schema(name), format_checker=checker)


def _is_date(value: Any) -> bool:
    from qiframe import periods

    return not isinstance(value, str) or periods.stored(value, ("day",)) is not None


def _is_period(value: Any) -> bool:
    return not isinstance(value, str) or _stored_period(value)


@functools.lru_cache(maxsize=4096)  # an evaluation's thousands of items share a few hundred dates
def _stored_period(value: str) -> bool:
    from qiframe import periods

    return periods.stored(value) is not None


def problems(data: Any, name: str, path: str | os.PathLike) -> list[InputError]:
    """Every schema problem of `data`, each located in the file it came from."""
    from qiframe import yamlio

    errors = sorted(_validator(name).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    out = []
    for error in errors:
        where = tuple(error.absolute_path)
        is_key = error.validator == "additionalProperties"
        line, column = yamlio.locate(path, where, key=is_key) if os.path.exists(path) else (None, None)
        if is_key:
            extra = _extra_key(error)
            if extra is not None:
                line, column = yamlio.locate(path, (*where, extra), key=True)
        out.append(InputError(_message(error), path, line, column))
    return out


@functools.cache
def _fast(name: str):
    """A compiled validator for the common case of valid data; None where fastjsonschema is missing."""
    formats = {"date": _is_date, "period": _is_period}
    compiled = _compiled(name, formats)
    if compiled is None:
        return None
    check = functools.partial(compiled, custom_formats=formats)

    def is_valid(data: Any) -> bool:
        try:
            check(data)
        except Invalid:
            return False
        return True

    return is_valid


class Invalid(ValueError):
    """What a compiled validator raises for data it refuses, in place of fastjsonschema's exceptions."""

    def __init__(self, *args: Any, **details: Any) -> None:
        super().__init__(*args)


_GENERATED_IMPORTS = (
    "from decimal import Decimal\n",
    "import re\n",
    "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n",
)
"""The imports at the top of fastjsonschema's generated code. They are left out of the code compiled
here and their names given to it instead (`Invalid` for the exceptions, `_NoDecimal`), so that running
a cached validator imports neither fastjsonschema nor decimal: some 7 ms of every first read."""


def _compiled(name: str, formats: dict):
    """The generated validator function of a schema, from this machine's cache when it is there.

    Generating and compiling the validator of the framework schema costs about a tenth of a second, which
    a first read (after a clone, in `aggregate`) would pay in every process. Like Python's own byte-code
    cache, the compiled code is kept per machine, keyed by the schema's text and the versions that made it
    (fastjsonschema's known by its installed files, so that it need not be imported); an unwritable or
    damaged cache is simply not used.
    """
    import importlib.util
    import marshal
    import re
    import sys
    import zlib

    spec = importlib.util.find_spec("fastjsonschema")
    if spec is None or spec.origin is None:
        return None
    installed = os.stat(spec.origin)
    # Two 32-bit checksums and the length (zlib is loaded already; hashlib would add 3 ms to a first read):
    # the key only has to tell this machine's few versions of a schema apart, not resist forgery.
    text = (
        f"{json.dumps(schema(name), sort_keys=True)}|{spec.origin}|{installed.st_size}|"
        f"{installed.st_mtime_ns}|{sys.version}"
    ).encode()
    key = f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}{len(text):x}"
    folder = machine_cache_dir()
    path = folder / f"{name}-{key}.marshal" if folder else None
    code = None
    if path is not None:
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            code = marshal.loads(path.read_bytes())
    if code is None:
        import fastjsonschema

        source = fastjsonschema.compile_to_code(schema(name), formats=formats)
        head = "".join(_GENERATED_IMPORTS)
        if not source.startswith(f'VERSION = "{fastjsonschema.VERSION}"\n{head}'):
            return None  # generated differently from what this module knows: jsonschema validates alone
        code = compile(source.replace(head, "", 1), f"<validator of {name}.schema.json>", "exec")
        if path is not None:
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
                tmp.write_bytes(marshal.dumps(code))
                os.replace(tmp, path)
    namespace: dict = {
        "re": re,
        "Decimal": _NoDecimal,
        "JsonSchemaValueException": Invalid,
        "JsonSchemaValuesException": Invalid,
    }
    exec(code, namespace)  # our own generated code, from our own schema: defines one function
    return next(v for k, v in namespace.items() if k.startswith("validate_") and callable(v))


class _NoDecimal:
    """Stands for decimal.Decimal in the generated code, which names it only in `isinstance` tests of
    numbers: the parsers never make a Decimal, so no value is one. (Were one passed, the fast validator
    would refuse it and jsonschema, which accepts it, would have the last word, as for any refusal.)"""


def machine_cache_dir() -> Path | None:
    """Where this machine keeps what qiframe compiles from its own package (validators, the bundled
    frameworks read and checked): $QIFRAME_CACHE_DIR, else the user's cache folder; None to skip."""
    given = os.environ.get("QIFRAME_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "qiframe" / "validators"


def ready(name: str) -> None:
    """Load a schema's compiled validator now: before forking, so that copies of the process share it."""
    _fast(name)


def is_valid(data: Any, name: str) -> bool:
    fast = _fast(name)
    return fast(data) if fast is not None else _validator(name).is_valid(data)


def validate(data: Any, name: str, path: str | os.PathLike) -> None:
    """Raise the first schema problem, located.

    Valid data is confirmed by a compiled validator (about twenty times faster); only data with a problem
    goes through jsonschema, whose errors carry the path used to locate the message.
    """
    if is_valid(data, name):
        return
    found = problems(data, name, path)
    if found:
        raise found[0]


def _extra_key(error) -> str | None:
    allowed = set(error.schema.get("properties", {}))
    extras = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
    return extras[0] if extras else None


def _message(error) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    prefix = f"{where}: " if where else ""
    validator = error.validator
    if validator == "additionalProperties":
        extra = _extra_key(error)
        known = ", ".join(sorted(error.schema.get("properties", {})))
        return f"{prefix}unknown field {extra!r} (known fields: {known})"
    if validator == "required":
        return f"{prefix}{error.message.replace(' is a required property', '')} is required"
    if validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return f"{prefix}{error.instance!r} is not one of: {choices}"
    if validator == "type":
        found = type(error.instance).__name__
        hint = ""
        if error.validator_value == "string" and isinstance(error.instance, (int, float)):
            hint = f" (put it in quotes: '{error.instance}')"  # YAML reads 2.1 as a number
        return f"{prefix}expected {error.validator_value}, found {found} {_short(error.instance)}{hint}"
    if validator == "format" and error.validator_value == "date":
        return f"{prefix}{_short(error.instance)} is not a date of the calendar (YYYY-MM-DD)"
    if validator == "pattern" and error.validator_value.startswith(TITLE_PREFIX):
        return (
            f"{prefix}must not be blank, nor hold a NEL (U+0085) or a Unicode line or paragraph separator: "
            f"{_short(error.instance)}"
        )
    if validator == "pattern":
        return f"{prefix}{error.instance!r} does not have the expected form ({error.validator_value})"
    if validator in ("maxLength", "minLength", "maxItems", "minItems", "const"):
        # jsonschema's own wording quotes the whole value, which may be 100 KB long.
        limit = error.validator_value
        what = {
            "maxLength": f"longer than {limit:,} characters",
            "minLength": f"shorter than {limit} characters",
            "maxItems": f"more than {limit} items",
            "minItems": f"fewer than {limit} items",
            "const": f"not {limit!r}",
        }[validator]
        return f"{prefix}{_short(error.instance)} is {what}"
    return f"{prefix}{_short(error.message, 300)}"


def _short(value: Any, most: int = 60) -> str:
    from qiframe.safetext import short

    return short(value, most)

"""The published JSON Schemas, and validation that reports located problems.

jsonschema is imported only when something is validated: reads of unchanged files hit the parse cache
and never pay for it.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from qiframe.errors import InputError

SCHEMA_DIR = Path(__file__).parent
NAMES = ("framework", "evaluation", "indicator", "evidence", "action", "section")


@functools.cache
def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@functools.cache
def _validator(name: str):
    from jsonschema import Draft202012Validator

    # The format checker makes "format": "date" reject impossible dates such as 2025-02-30.
    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


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


def validate(data: Any, name: str, path: str | os.PathLike) -> None:
    """Raise the first schema problem, located."""
    if _validator(name).is_valid(data):
        return
    raise problems(data, name, path)[0]


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
    if validator == "pattern":
        return f"{prefix}{error.instance!r} does not have the expected form ({error.validator_value})"
    return f"{prefix}{error.message}"


def _short(value: Any, most: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"

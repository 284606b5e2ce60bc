"""The fast safe YAML loader: ruamel's C parser driven directly — the one module using ruamel internals.

Why internals: reading an evaluation means parsing thousands of small files, and ruamel's `YAML()` facade
costs as much per file as the parsing itself. `fast_safe_load` builds a loader from ruamel's C parser
(`ruamel.yaml.cyaml.CParser`), its safe constructor and its YAML 1.2 resolver with the rule table built
once (`ruamel.yaml.resolver.VersionedResolver`, `implicit_resolvers`), which halves the cost per file.
Semantics are the same as `YAML(typ="safe")` with dates kept as text; tests/test_fuzz.py compares the two
on generated YAML. Those names are not ruamel's documented API, so pyproject.toml caps ruamel.yaml below
the next minor release, to be lifted after the fuzz comparison passes on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def text_dates_constructor():
    """The safe constructor, but dates stay text: the schemas check them, so "2025-13-45" is a located
    problem instead of a crash, and the data is JSON-ready without conversion."""
    from ruamel.yaml.constructor import SafeConstructor

    class TextDates(SafeConstructor):
        pass

    TextDates.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
    return TextDates


def _yaml12_resolver():
    """ruamel's YAML 1.2 resolver with its rule table built once, not once per file.

    The stock resolver rebuilds its table for every loader and looks up the YAML version for every
    scalar; with thousands of small files that was a third of the reading time. The C parser never
    reports a %YAML directive, so the version is always 1.2, exactly as with ruamel's own C loader.
    """
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
    from ruamel.yaml.tag import Tag

    table: dict[str | None, list] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            for ch in first or (None,):
                table.setdefault(ch, []).append((tag, regexp))
    anywhere = tuple(table.get(None, ()))
    rules = {ch: tuple(found) + anywhere for ch, found in table.items() if ch is not None}

    class Yaml12Resolver(VersionedResolver):
        def resolve(self, kind, value, implicit):
            if kind is ScalarNode and implicit[0]:
                for tag, regexp in rules.get(value[:1], anywhere):
                    if regexp.match(value):
                        return Tag(suffix=tag)
                implicit = (False, implicit[1])
            return super().resolve(kind, value, implicit)

    return Yaml12Resolver


def fast_safe_load() -> Callable[[str], Any] | None:
    """A function loading plain data from YAML text through the C parser, or None without the C extension."""
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # no C extension: the caller falls back to the pure-Python loader (same results)
        return None
    constructor = text_dates_constructor()
    resolver = _yaml12_resolver()

    class Loader(CParser, constructor, resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream):
            CParser.__init__(self, stream)
            self._parser = self._composer = self
            constructor.__init__(self, loader=self)
            resolver.__init__(self, loadumper=self)

    def load(text: str) -> Any:
        loader = Loader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()

    return load

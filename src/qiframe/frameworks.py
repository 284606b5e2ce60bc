"""Finding, validating and loading frameworks and their programmes.

Frameworks are found in the bundled folder and in any `frameworks/` folder of the workspace (the folder
holding the evaluation and its ancestors); a workspace file overrides a bundled one with the same id.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qiframe import model, schemas, yamlio
from qiframe.errors import InputError, NotFound


def bundled_dir() -> Path:
    """The frameworks shipped with qiframe: inside the wheel, or the source tree's top-level folder."""
    here = Path(__file__).resolve().parent
    packaged = here / "bundled_frameworks"
    return packaged if packaged.is_dir() else here.parents[1] / "frameworks"


def workspace_dirs(start: str | os.PathLike | None = None) -> list[Path]:
    """The `frameworks/` folders searched before the bundled ones, nearest first.

    Inside an evaluation (`start`, or the current folder, is in one): its own `frameworks/` folder, then
    the one beside it (in the workspace holding the evaluations). Elsewhere: `frameworks/` in `start`,
    then in its parent (a folder of evaluations beside the workspace's frameworks). No folder further up
    is searched, so a stray file high up the tree can never replace a bundled framework.
    """
    try:
        start_path = Path(start or os.getcwd()).resolve()
    except FileNotFoundError:
        raise InputError("the current folder no longer exists; change to an existing folder") from None
    root = next((f for f in (start_path, *start_path.parents) if (f / "evaluation.yaml").is_file()), None)
    base = root or start_path
    candidates = [base / "frameworks", base.parent / "frameworks"]
    bundled = bundled_dir().resolve()
    return [c for c in dict.fromkeys(candidates) if c.is_dir() and c.resolve() != bundled]


@dataclass(frozen=True)
class Found:
    """A framework file found on the search path."""

    id: str
    """The framework id read from the file."""
    path: Path
    """The file."""
    origin: str
    """"bundled" or "workspace"."""


def discover(start: str | os.PathLike | None = None) -> dict[str, Found]:
    """Every framework id and the file that defines it; nearer workspace folders win. Files that cannot
    be read are left out (`survey` reports them)."""
    return survey(start)[0]


def survey(start: str | os.PathLike | None = None) -> tuple[dict[str, Found], list[InputError]]:
    """Like `discover`, also returning the problem of each framework file that cannot be read, so one
    broken file of a user's does not hide all the others."""
    result: dict[str, Found] = {}
    broken: list[InputError] = []
    searched = [(bundled_dir(), "bundled")] + [(d, "workspace") for d in reversed(workspace_dirs(start))]
    for folder, origin in searched:
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            try:
                data = yamlio.load(path)
            except InputError as exc:
                broken.append(exc)
                continue
            fid = data.get("id") if isinstance(data, dict) else None
            if isinstance(fid, str):
                result[fid] = Found(fid, path, origin)
            else:
                broken.append(InputError("not a framework file (no `id`)", path, 1, 1))
    return result, broken


@dataclass(frozen=True)
class Listed:
    """The frameworks that `frameworks list` shows, and the files it could not read."""

    frameworks: tuple[model.Framework, ...]
    """Valid frameworks, by id."""
    problems: tuple[InputError, ...]
    """One located problem per framework file that is broken."""


def listing(start: str | os.PathLike | None = None) -> Listed:
    """Every framework found, each validated; a broken file is reported, never fatal to the rest."""
    found, broken = survey(start)
    out = []
    for entry in sorted(found.values(), key=lambda f: f.id):
        try:
            out.append(load_file(entry.path, origin=entry.origin))
        except InputError as exc:
            broken.append(exc)
    return Listed(tuple(out), tuple(broken))


def load(
    framework_id: str, start: str | os.PathLike | None = None, cache: yamlio.ParseCache | None = None
) -> model.Framework:
    """The framework with this id, validated; `cache` skips re-validating an unchanged file."""
    # Files are normally named after their id, so look for that first instead of parsing every file.
    folders = [(d, "workspace") for d in workspace_dirs(start)] + [(bundled_dir(), "bundled")]
    for folder, origin in folders:
        for suffix in (".yaml", ".yml"):
            path = folder / f"{framework_id}{suffix}"
            if path.is_file():
                data = _validated(path, cache)
                if data.get("id") == framework_id:
                    return build(data, path, origin)
    entry = _find(framework_id, folders, cache)
    if entry is None:
        found = discover(start)
        known = ", ".join(sorted(found)) or "none"
        raise NotFound(f"unknown framework {framework_id!r} (known: {known})")
    return build(_validated(entry.path, cache), entry.path, entry.origin)


def _find(
    framework_id: str, folders: list[tuple[Path, str]], cache: yamlio.ParseCache | None
) -> Found | None:
    """The file defining an id whatever it is named: the nearest folder wins, as in `discover`, but the
    search stops there, and the id of an unchanged file comes from the cache instead of parsing it again."""
    for folder, origin in folders:
        match = None
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            key, stat = f"framework:id:{path.resolve()}", path.stat()
            fid = cache.get(key, stat) if cache is not None else None
            if fid is None:
                data = yamlio.load(path)
                fid = data.get("id") if isinstance(data, dict) else None
                if cache is not None and isinstance(fid, str):
                    cache.put(key, stat, fid)
            if fid == framework_id:
                match = path  # the last file of a folder wins, as in `discover`
        if match is not None:
            return Found(framework_id, match, origin)
    return None


def load_file(path: str | os.PathLike, origin: str = "workspace") -> model.Framework:
    """Load and validate one framework file; the first problem is raised, located."""
    path = Path(path)
    return build(_validated(path, None), path, origin)


_SEEN: dict[str, tuple[tuple[int, int], dict]] = {}
"""Framework files validated in this process, by path, with the size and mtime they had: `aggregate`
reads a hundred evaluations on the same framework and need not validate it a hundred times."""


def _validated(path: Path, cache: yamlio.ParseCache | None) -> dict:
    key = f"framework:{path.resolve()}"
    stat = path.stat()
    seen = _SEEN.get(key)
    if seen is not None and seen[0] == (stat.st_size, stat.st_mtime_ns):
        return seen[1]
    data = _validated_file(path, key, stat, cache)
    _SEEN[key] = ((stat.st_size, stat.st_mtime_ns), data)
    return data


def _validated_file(path: Path, key: str, stat: os.stat_result, cache: yamlio.ParseCache | None) -> dict:
    if cache is not None:
        data = cache.get(key, stat)
        if data is not None:
            return data
    machine = _machine_cache() if path.parent == bundled_dir() else None
    data = machine.get(key, stat) if machine is not None else None
    if data is None:
        data = yamlio.load(path)
        issues = problems(data, path)
        if issues:
            raise issues[0]
        if machine is not None:
            machine.put(key, stat, data)
            machine.save()
    if cache is not None:
        cache.put(key, stat, data)
    return data


def _machine_cache() -> yamlio.ParseCache | None:
    """The bundled frameworks as read and checked on this machine before.

    They are part of the installed package and change only with it, like its byte-code; a first read of
    an evaluation (after a clone, or in `aggregate`) then takes its framework from here rather than
    parsing and checking some hundred kilobytes of YAML again. Frameworks of a workspace are not kept.
    """
    folder = schemas.machine_cache_dir()
    return yamlio.ParseCache(folder / "frameworks.json") if folder is not None else None


def validate_file(path: str | os.PathLike) -> list[InputError]:
    """Every problem of one framework file: YAML, schema and meaning."""
    try:
        data = yamlio.load(path)
    except InputError as exc:
        return [exc]
    return problems(data, path)


def problems(data: Any, path: str | os.PathLike) -> list[InputError]:
    """Schema problems first; the meaning is checked only on data of the right shape."""
    if not isinstance(data, dict):
        return [InputError("a framework file must be a mapping of fields", path, 1, 1)]
    # The compiled validator confirms valid data quickly; jsonschema runs only to locate a problem.
    found = [] if schemas.is_valid(data, "framework") else schemas.problems(data, "framework", path)
    if found:
        return found
    return [InputError(message, path, *yamlio.locate(path, where)) for where, message in meaning(data)]


def meaning(data: dict) -> list[tuple[tuple, str]]:
    """Problems a schema cannot express, as (JSON path, message) pairs."""
    out: list[tuple[tuple, str]] = []

    def unique(items: list, key: str, where: tuple, what: str) -> set:
        seen: set = set()
        for i, item in enumerate(items):
            value = item[key]
            if value in seen:
                out.append(((*where, i, key), f"duplicate {what} {value!r}"))
            seen.add(value)
        return seen

    levels = data["scale"]["levels"]
    values = unique(levels, "value", ("scale", "levels"), "scale value")
    labels: set = set()
    for i, level in enumerate(levels):
        label = level["label"].casefold()
        if label in labels:
            out.append((("scale", "levels", i, "label"), f"duplicate scale label {level['label']!r}"))
        labels.add(label)
    for i in range(1, len(levels)):
        if levels[i]["value"] >= levels[i - 1]["value"]:
            out.append(
                (
                    ("scale", "levels", i, "value"),
                    "scale levels must be listed best first, with values strictly decreasing",
                )
            )
            break
    threshold = data["scale"].get("threshold")
    if threshold is not None and threshold not in values:
        out.append((("scale", "threshold"), f"threshold {threshold} is not a value of the scale"))

    out.extend(band_problems(data["quantity_terms"]["bands"]))

    judgement_scales: dict[str, set] = {}
    for n, extra in enumerate(data.get("scales", [])):
        where: tuple = ("scales", n)
        if extra["id"] in judgement_scales or extra["id"] == data["scale"]["id"]:
            out.append(((*where, "id"), f"duplicate scale id {extra['id']!r}"))
        judgement_scales[extra["id"]] = unique(extra["levels"], "value", (*where, "levels"), "scale value")
    area_ids = unique(data.get("areas", []), "id", ("areas",), "area id")

    unique(data["key_questions"], "id", ("key_questions",), "key question id")
    indicator_ids: set = set()
    alias_at: dict[str, tuple] = {}
    for k, kq in enumerate(data["key_questions"]):
        for i, ind in enumerate(kq["indicators"]):
            where = ("key_questions", k, "indicators", i)
            if ind["id"] in indicator_ids:
                out.append(((*where, "id"), f"duplicate indicator id {ind['id']!r}"))
            indicator_ids.add(ind["id"])
            for a, alias in enumerate(ind.get("aliases", [])):
                if alias in alias_at:
                    out.append(((*where, "aliases", a), f"alias {alias!r} is given to two indicators"))
                alias_at[alias] = (*where, "aliases", a)
            if "area" in ind and area_ids and ind["area"] not in area_ids:
                out.append(
                    ((*where, "area"), f"unknown area {ind['area']!r} (areas: {', '.join(sorted(area_ids))})")
                )
            own = values
            if "scale" in ind:
                if ind["scale"] not in judgement_scales:
                    out.append(((*where, "scale"), f"unknown scale {ind['scale']!r}: list it under `scales`"))
                own = judgement_scales.get(ind["scale"], values)
            for j, illustration in enumerate(ind.get("illustrations", [])):
                if illustration["level"] not in own:
                    out.append(
                        (
                            (*where, "illustrations", j, "level"),
                            f"illustration level {illustration['level']} is not a value of the scale",
                        )
                    )
    for alias, where in alias_at.items():
        if alias in indicator_ids:
            out.append((where, f"alias {alias!r} is also an indicator id"))

    voices = data.get("voices", {})
    unique(voices.get("groups", []), "id", ("voices", "groups"), "voice group id")
    for n, ref in enumerate(voices.get("indicators", [])):
        if ref not in indicator_ids:
            out.append((("voices", "indicators", n), f"unknown indicator {ref!r}"))

    programmes = data.get("programmes", [])
    unique(programmes, "id", ("programmes",), "programme id")
    for p, prog in enumerate(programmes):
        where = ("programmes", p)
        suites = prog.get("suites", [])
        suite_ids = unique(suites, "id", (*where, "suites"), "suite id")
        for s, suite in enumerate(suites):
            if suite["id"] in indicator_ids:
                out.append(((*where, "suites", s, "id"), f"suite id {suite['id']!r} is also an indicator id"))
            for n, ref in enumerate(suite["indicators"]):
                if ref not in indicator_ids:
                    out.append(((*where, "suites", s, "indicators", n), f"unknown indicator {ref!r}"))
        unique(prog["units"], "id", (*where, "units"), "unit id")
        for u, unit in enumerate(prog["units"]):
            for n, ref in enumerate(unit["indicators"]):
                if ref not in indicator_ids:
                    out.append(((*where, "units", u, "indicators", n), f"unknown indicator {ref!r}"))
        for n, ref in enumerate(prog.get("voice_indicators", [])):
            if ref not in indicator_ids:
                out.append(((*where, "voice_indicators", n), f"unknown indicator {ref!r}"))
        for n, ref in enumerate(prog.get("scope", [])):
            if ref not in indicator_ids:
                out.append(((*where, "scope", n), f"unknown indicator {ref!r}"))
        graded_seen: set = set()
        for n, ref in enumerate(prog["graded"]):
            if ref not in indicator_ids and ref not in suite_ids:
                out.append(((*where, "graded", n), f"unknown indicator or suite {ref!r}"))
            if ref in graded_seen:
                out.append(((*where, "graded", n), f"{ref!r} is listed twice"))
            graded_seen.add(ref)
        questions = prog.get("statement", {}).get("questions", [])
        unique(questions, "id", (*where, "statement", "questions"), "question id")
    return out


def band_problems(bands: list[dict]) -> list[tuple[tuple, str]]:
    """Quantity bands, in the order listed, must cover 0-100% exactly once."""
    out: list[tuple[tuple, str]] = []
    at, covered = 0.0, False  # `covered`: whether the point `at` itself already belongs to a band
    for i, band in enumerate(bands):
        where: tuple = ("quantity_terms", "bands", i)
        lo, hi = band["lower"], band["upper"]
        lo_in, hi_in = band.get("lower_inclusive", True), band.get("upper_inclusive", False)
        if lo > hi or (lo == hi and not (lo_in and hi_in)):
            out.append((where, f"band {band['term']!r} is empty"))
            return out
        if lo != at or lo_in == covered:
            if lo > at or (lo == at and not lo_in and not covered):
                gap = f"{at:g}%" if lo == at else f"{at:g}% to {lo:g}%"
                out.append(((*where, "lower"), f"gap before band {band['term']!r}: {gap} is in no band"))
            else:
                out.append(((*where, "lower"), f"band {band['term']!r} overlaps the band before it"))
            return out
        at, covered = hi, hi_in
    if at != 100 or not covered:
        where = ("quantity_terms", "bands", len(bands) - 1, "upper") if bands else ("quantity_terms",)
        out.append((where, "the bands must reach 100% inclusive"))
    return out


def _prov(data: dict | None) -> model.Provenance:
    data = data or {"status": "unconfirmed"}
    return model.Provenance(data["status"], data.get("source", ""), data.get("compared", ""))


def _scale(data: dict, kind: str = "grade") -> model.Scale:
    return model.Scale(
        id=data["id"],
        levels=tuple(
            model.Level(
                lv["value"],
                lv["label"],
                lv.get("descriptor", ""),
                lv.get("description", ""),
                tuple(lv.get("expects", ())),
            )
            for lv in data["levels"]
        ),
        threshold=data.get("threshold"),
        kind=kind,
        provenance=_prov(data.get("provenance")),
        title=data.get("title", ""),
    )


def build(data: dict, path: str | os.PathLike = "", origin: str = "bundled") -> model.Framework:
    """Dataclasses from validated framework data."""
    scale = _scale(data["scale"])
    qt = data["quantity_terms"]
    terms = model.QuantityTerms(
        bands=tuple(
            model.QuantityBand(
                b["term"],
                float(b["lower"]),
                float(b["upper"]),
                b.get("lower_inclusive", True),
                b.get("upper_inclusive", False),
                b.get("note", ""),
            )
            for b in qt["bands"]
        ),
        rounding=qt.get("rounding", "none"),
        provenance=_prov(qt.get("provenance")),
        minimum_sample=qt.get("minimum_sample"),
    )
    voices_data = data.get("voices", {})
    defaults = model.Voices()
    voices = model.Voices(
        groups=tuple(model.VoiceGroup(g["id"], g["label"], g["speaks_for"]) for g in voices_data["groups"])
        if "groups" in voices_data
        else defaults.groups,
        age_bands=tuple(voices_data.get("age_bands", defaults.age_bands)),
        indicators=tuple(voices_data.get("indicators", ())),
    )
    indicators: dict[str, model.Indicator] = {}
    key_questions = []
    for kq in data["key_questions"]:
        for ind in kq["indicators"]:
            indicators[ind["id"]] = model.Indicator(
                id=ind["id"],
                title=ind["title"],
                key_question=kq["id"],
                provenance=_prov(ind["provenance"]),
                area=ind.get("area", ""),
                themes=tuple(model.Theme(t["title"], _prov(t["provenance"])) for t in ind.get("themes", [])),
                illustrations=tuple((il["level"], il["text"]) for il in ind.get("illustrations", [])),
                challenge_questions=tuple(ind.get("challenge_questions", [])),
                owner=ind.get("owner", {}).get("inspectorate", ""),
                owner_provenance=_prov(ind["owner"]["provenance"]) if "owner" in ind else None,
                aliases=tuple(ind.get("aliases", ())),
                scale=ind.get("scale", ""),
            )
        key_questions.append(
            model.KeyQuestion(
                kq["id"], kq["title"], _prov(kq["provenance"]), tuple(i["id"] for i in kq["indicators"])
            )
        )
    programmes = []
    for prog in data.get("programmes", []):
        statement = prog.get("statement", {})
        programmes.append(
            model.Programme(
                id=prog["id"],
                title=prog["title"],
                provenance=_prov(prog["provenance"]),
                units=tuple(
                    model.Unit(u["id"], u["title"], tuple(u["indicators"]), _prov(u["provenance"]))
                    for u in prog["units"]
                ),
                graded=tuple(prog["graded"]),
                suites=tuple(
                    model.Suite(
                        s["id"],
                        s["title"],
                        tuple(s["indicators"]),
                        _prov(s.get("provenance", prog["provenance"])),
                    )
                    for s in prog.get("suites", [])
                ),
                questions=tuple(
                    model.Question(q["id"], q["text"], q.get("cites_evidence", False))
                    for q in statement.get("questions", [])
                ),
                word_limit=statement.get("word_limit"),
                page_limit=statement.get("page_limit"),
                scope=tuple(prog.get("scope", ())),
                voice_indicators=tuple(prog["voice_indicators"]) if "voice_indicators" in prog else None,
            )
        )
    return model.Framework(
        id=data["id"],
        title=data["title"],
        publisher=data["publisher"],
        edition=data["edition"],
        published=str(data["published"]),
        source=data["source"],
        reuse=data["reuse"],
        scale=scale,
        quantity_terms=terms,
        key_questions=tuple(key_questions),
        indicators=indicators,
        programmes=tuple(programmes),
        voices=voices,
        origin=origin,
        path=os.fspath(path),
        areas=tuple(model.Area(a["id"], a["title"], _prov(a["provenance"])) for a in data.get("areas", [])),
        scales=tuple(_scale(sc, "judgement") for sc in data.get("scales", [])),
    )


def programme(framework: model.Framework, programme_id: str) -> model.Programme:
    """A programme of the framework, or a NotFound naming the ones it has."""
    found = framework.programme(programme_id)
    if found is None:
        known = ", ".join(p.id for p in framework.programmes) or "none"
        raise NotFound(f"framework {framework.id!r} has no programme {programme_id!r} (known: {known})")
    return found


def owned_by(framework: model.Framework, owner: str) -> list[str]:
    """Ids of the indicators an inspectorate owns (case-insensitive), or a NotFound naming the owners."""
    key = " ".join(owner.split()).casefold()
    found = [i.id for i in framework.indicators.values() if i.owner.casefold() == key]
    if not found:
        owners = sorted({i.owner for i in framework.indicators.values() if i.owner})
        known = ", ".join(owners) if owners else "the framework names no owners"
        raise NotFound(f"no indicator of {framework.id!r} is owned by {owner!r} (owners: {known})")
    return found


@dataclass(frozen=True)
class Shown:
    """What `frameworks show` shows: a framework, the programme whose grading it marks, and the indicators
    shown (all, or one inspectorate's)."""

    framework: model.Framework
    programme: model.Programme | None
    indicators: tuple[str, ...]


def show(framework_id: str, programme_id: str | None = None, owner: str | None = None) -> Shown:
    """The framework named, with its programme and the indicators `owner` owns (every one without)."""
    fw = load(framework_id)
    prog = programme(fw, programme_id) if programme_id else None
    return Shown(fw, prog, tuple(owned_by(fw, owner) if owner else fw.indicators))


def as_json(framework: model.Framework, programme_id: str | None = None) -> dict:
    """The framework as JSON-ready data for `frameworks show --format json`."""
    prog = framework.programme(programme_id) if programme_id else None
    return {
        "id": framework.id,
        "title": framework.title,
        "publisher": framework.publisher,
        "edition": framework.edition,
        "published": framework.published,
        "origin": framework.origin,
        "scale": _scale_json(framework.scale),
        "scales": [_scale_json(s) for s in framework.scales],
        "areas": [
            {"id": a.id, "title": a.title, "provenance": _prov_json(a.provenance)} for a in framework.areas
        ],
        "quantity_terms": {
            "rounding": framework.quantity_terms.rounding,
            "provenance": _prov_json(framework.quantity_terms.provenance),
            "bands": [
                {
                    "term": b.term,
                    "lower": b.lower,
                    "upper": b.upper,
                    "lower_inclusive": b.lower_inclusive,
                    "upper_inclusive": b.upper_inclusive,
                    "interval": b.describe(),
                    "note": b.note,
                }
                for b in framework.quantity_terms.bands
            ],
        },
        "key_questions": [
            {
                "id": k.id,
                "title": k.title,
                "provenance": _prov_json(k.provenance),
                "indicators": list(k.indicators),
            }
            for k in framework.key_questions
        ],
        "indicators": [
            {
                "id": i.id,
                "title": i.title,
                "key_question": i.key_question,
                "area": i.area,
                "provenance": _prov_json(i.provenance),
                "owner": i.owner or None,
                "owner_provenance": _prov_json(i.owner_provenance) if i.owner_provenance else None,
                "aliases": list(i.aliases),
                "scale": i.scale or None,
                "themes": [{"title": t.title, "provenance": _prov_json(t.provenance)} for t in i.themes],
                "graded": bool(prog and prog.grading_unit(i.id)),
            }
            for i in framework.indicators.values()
        ],
        "programmes": [
            {
                "id": p.id,
                "title": p.title,
                "graded": list(p.graded),
                "provenance": _prov_json(p.provenance),
                "suites": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "indicators": list(s.indicators),
                        "provenance": _prov_json(s.provenance),
                    }
                    for s in p.suites
                ],
                "units": [
                    {
                        "id": u.id,
                        "title": u.title,
                        "indicators": list(u.indicators),
                        "provenance": _prov_json(u.provenance),
                    }
                    for u in p.units
                ],
                "questions": [{"id": q.id, "text": q.text} for q in p.questions],
                "word_limit": p.word_limit,
                "page_limit": p.page_limit,
            }
            for p in framework.programmes
        ],
    }


def _prov_json(p: model.Provenance) -> dict:
    out: dict[str, Any] = {"status": p.status, "source": p.source, "compared": p.compared or None}
    if p.partnership:
        out["partnership"] = {"record": p.partnership, "source": p.partnership_source}
    return out


def _scale_json(scale: model.Scale) -> dict:
    return {
        "id": scale.id,
        "kind": scale.kind,
        "title": scale.title or None,
        "threshold": scale.threshold,
        "provenance": _prov_json(scale.provenance),
        "levels": [
            {"value": lv.value, "label": lv.label, "descriptor": lv.descriptor, "description": lv.description}
            for lv in scale.levels
        ],
    }

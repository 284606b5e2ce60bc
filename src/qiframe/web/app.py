"""The routes of the local page: each parses its request, makes one core call, renders the result.

Every write runs in a worker thread inside one store transaction (the evaluation's lock), after checking
that the file the form was rendered from is still the same version (`store.require_versions`): a page showing an old
copy never overwrites a newer file, and a CLI command writing at the same moment waits for the lock like
any other. The core functions raise the same `InputError`s, with the same messages, as for the CLI; a
form shows them next to the field they concern and keeps what the user typed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from qiframe import __version__, store
from qiframe.errors import InputError, NotFound, QiframeError, Stale
from qiframe.web import guard, pages

STATIC = Path(__file__).with_name("static")
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".md": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


@dataclass
class Form:
    """A submitted form: its values, and the errors to show beside its fields."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    name: str = ""
    """Which form of the page was sent (a page may hold several)."""

    def text(self, key: str) -> str:
        value = self.values.get(key, "")
        return value if isinstance(value, str) else ""

    def texts(self, key: str) -> list[str]:
        value = self.values.get(key, [])
        return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v]


# Which field an error message of the core concerns: (words in the message, field), first match wins.
FIELD_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "grade": (("level of the scale", "level"), ("rationale", "rationale")),
    "propose": (("level of the scale", "level"), ("evaluator", "by")),
    "notes": (("note", "notes"),),
    "assign": (("status", "status"),),
    "add": (("indicator", "indicators"), ("date", "date"), ("title", "title"), ("voice", "voice")),
    "edit": (("date", "date"), ("title", "title"), ("voice", "voice")),
    "link": (("indicator", "qi"),),
    "unlink": (("linked", "qi"),),
    "section": (("question", "form"),),
    "action": (("status", "status"), ("progress", "progress"), ("date", "date")),
}


class Site:
    """The page over one evaluation folder."""

    def __init__(self, root: str | os.PathLike, secret: str, port: int) -> None:
        self.root = Path(root)
        # Load once here, on the calling (main) thread: yamlio sets up its fast YAML reader only on the main
        # thread (yaml-rs crashes a process that first imports it in a thread that exits), and the pages,
        # loaded in worker threads, then use it instead of the slower reader.
        with contextlib.suppress(QiframeError):
            store.load(self.root)
        self.secret = secret
        self.csrf = guard.csrf_token(secret)
        self.env = Environment(
            loader=PackageLoader("qiframe.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            indicator_href=pages.indicator_href,
            evidence_href=pages.evidence_href,
            section_href=pages.section_href,
            qiframe_version=__version__,
            grade_class=pages.grade_class,
        )
        self.env.filters["cited_unknown"] = pages.cited_unknown
        self.env.filters["cites"] = pages.linked_citations
        routes = [
            Route("/", self.overview),
            Route("/indicators/{ident}", self.indicator),
            Route("/indicators/{ident}", self.indicator_post, methods=["POST"]),
            Route("/evidence", self.register),
            Route("/evidence", self.evidence_add, methods=["POST"]),
            Route("/evidence/{ident}", self.evidence_item),
            Route("/evidence/{ident}", self.evidence_post, methods=["POST"]),
            Route("/statement", self.statement),
            Route("/statement/{unit}", self.section),
            Route("/statement/{unit}", self.section_post, methods=["POST"]),
            Route("/actions", self.actions),
            Route("/actions", self.action_post, methods=["POST"]),
            Route("/downloads", self.downloads),
            Route("/downloads/{name}", self.download),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
        self.app = guard.Guard(
            Starlette(routes=routes, exception_handlers={404: self.not_found}), secret, port
        )

    # --- rendering -----------------------------------------------------------------------------------

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("form", Form({}))
        context.setdefault("notice", request.query_params.get("said", ""))
        page = self.env.get_template(template).render(
            request=request,
            csrf=self.csrf,
            path=request.url.path,
            title_of_evaluation=context.pop("evaluation_title", ""),
            **context,
        )
        return HTMLResponse(page, status)

    def evaluation(self):
        return store.load(self.root)

    async def page(
        self, request: Request, template: str, build: Callable, *args: Any, status: int = 200, **extra: Any
    ) -> Response:
        """Load the evaluation and build a page's data in a worker thread, then render it."""

        def work():
            ev = self.evaluation()
            return ev.metadata.title, build(ev, *args)

        try:
            title, data = await run_in_threadpool(work)
        except NotFound as exc:
            return self.render(request, "error.html", 404, message=exc.message, heading="Not found")
        except QiframeError as exc:
            return self.render(request, "error.html", 400, message=str(exc), heading="Cannot show this page")
        return self.render(request, template, status, evaluation_title=title, **data, **extra)

    async def not_found(self, request: Request, exc) -> Response:
        return self.render(
            request, "error.html", 404, heading="Not found", message="There is no page at this address."
        )

    async def form(self, request: Request) -> Form | Response:
        """The submitted form, or a 403 when it lacks this run's CSRF token."""
        data = await request.form()
        values: dict[str, Any] = {}
        for key, value in data.multi_items():
            if isinstance(value, str):
                values.setdefault(key, []).append(value)
        flat = {k: v[0] if len(v) == 1 else v for k, v in values.items()}
        if not guard.same(flat.get("csrf") if isinstance(flat.get("csrf"), str) else None, self.csrf):
            return Response(
                "403 Forbidden: the form lacks this page's token; reload the page and try again.\n",
                403,
                media_type="text/plain",
            )
        return Form(flat, name=flat.get("form", "") if isinstance(flat.get("form"), str) else "")

    async def save(self, form: Form, versions: dict[str, str], call: Callable[[], Any]) -> Any:
        """Run one core write in one transaction after the compare-and-swap; errors go into `form`.

        The core call's own writes join the transaction, so they are committed together, after the check
        and under the same lock, or not at all.
        """

        def work():
            with store.transaction(self.root):
                store.require_versions(self.root, versions)
                return call()

        try:
            return await run_in_threadpool(work)
        except Stale as exc:
            form.errors["form"] = exc.message
            form.errors["stale"] = "yes"
        except QiframeError as exc:
            form.errors[field_of(form.name, exc.message, exc.options)] = exc.message
        return None

    @staticmethod
    def done(target: str, said: str, anchor: str = "") -> RedirectResponse:
        return RedirectResponse(f"{target}?{urlencode({'said': said})}{anchor}", 303)

    # --- overview ------------------------------------------------------------------------------------

    async def overview(self, request: Request) -> Response:
        return await self.page(request, "overview.html", pages.overview)

    # --- indicators ----------------------------------------------------------------------------------

    async def indicator(self, request: Request) -> Response:
        return await self.page(request, "indicator.html", pages.indicator, request.path_params["ident"])

    async def indicator_post(self, request: Request) -> Response:
        from qiframe import assessments

        form = await self.form(request)
        if isinstance(form, Response):
            return form
        ident = request.path_params["ident"]
        versions = {f"{store.FOLDERS['indicator']}/{ident}.yaml": form.text("version")}
        if form.name == "grade":
            rationale = form.text("rationale").strip() or None
            said = await self.save(
                form,
                versions,
                lambda: assessments.grade(
                    self.root,
                    ident,
                    form.text("level"),
                    rationale=rationale,
                    agreed=form.text("agreed") == "yes",
                ),
            )
        elif form.name == "propose":
            said = await self.save(
                form,
                versions,
                lambda: assessments.grade(self.root, ident, form.text("level"), by=form.text("by")),
            )
        elif form.name == "notes":
            notes = [
                [t.strip() for t in form.texts(key) if t.strip()]
                for key in ("strength", "improvement", "next_step")
            ]
            if not any(notes):
                form.errors["notes"] = "write a strength, an area for improvement or a next step"
                said = None
            else:
                said = await self.save(
                    form, versions, lambda: assessments.add_notes(self.root, ident, *notes)
                )
        elif form.name == "assign":
            contributors = [c.strip() for c in form.text("contributor").split(";") if c.strip()]
            said = await self.save(
                form,
                versions,
                lambda: assessments.assign(
                    self.root,
                    ident,
                    form.text("lead").strip() or None,
                    contributors,
                    form.text("status") or None,
                ),
            )
        else:
            return Response("Unknown form.", 400)
        if said is not None:
            return self.done(pages.indicator_href(ident), said, f"#{form.name}")
        return await self.page(
            request, "indicator.html", pages.indicator, ident, status=_status(form), form=form
        )

    # --- evidence ------------------------------------------------------------------------------------

    async def register(self, request: Request) -> Response:
        chosen = {f: request.query_params.get(f, "") for f in pages.FILTERS}
        return await self.page(request, "register.html", pages.register, chosen)

    async def evidence_add(self, request: Request) -> Response:
        form = await self.form(request)
        if isinstance(form, Response):
            return form
        fields = evidence_fields(form)
        item = None
        if not form.errors:
            item = await self.save(form, {}, lambda: store.add_evidence(self.root, **fields))
        if item is not None:
            return self.done(pages.evidence_href(item.id), f"{item.id}: added ({item.title})")
        return await self.page(
            request,
            "register.html",
            pages.register,
            {f: "" for f in pages.FILTERS},
            status=_status(form),
            form=form,
        )

    async def evidence_item(self, request: Request) -> Response:
        return await self.page(request, "evidence.html", pages.evidence_item, request.path_params["ident"])

    async def evidence_post(self, request: Request) -> Response:
        form = await self.form(request)
        if isinstance(form, Response):
            return form
        ident = request.path_params["ident"]
        versions = {f"{store.FOLDERS['evidence']}/{ident}.yaml": form.text("version")}
        if form.name in ("link", "unlink"):
            qis = form.texts("qi")
            if not qis:
                form.errors["qi"] = "choose an indicator"
                item = None
            else:
                item = await self.save(
                    form,
                    versions,
                    lambda: store.relink_evidence(self.root, ident, qis, add=form.name == "link"),
                )
            said = item and f"{item.id}: linked to {', '.join(item.indicators) or 'no indicator'}"
        elif form.name == "edit":
            fields = evidence_fields(form)

            def update():
                current = store.resolve(self.evaluation().evidence, ident, "evidence item")
                changes = {
                    k: v
                    for k, v in fields.items()
                    if k != "indicators"
                    and not (k == "source" and not v)
                    and (tuple(v) if isinstance(v, list) else v) != getattr(current, k)
                }
                return store.update_evidence(self.root, current.id, changes) if changes else current

            item = None if form.errors else await self.save(form, versions, update)
            said = item and f"{item.id}: saved"
        else:
            return Response("Unknown form.", 400)
        if item is not None:
            return self.done(pages.evidence_href(item.id), said or "", f"#{form.name}")
        return await self.page(
            request, "evidence.html", pages.evidence_item, ident, status=_status(form), form=form
        )

    # --- statement -----------------------------------------------------------------------------------

    async def statement(self, request: Request) -> Response:
        return await self.page(request, "statement.html", pages.statement_overview)

    async def section(self, request: Request) -> Response:
        return await self.page(request, "section.html", pages.section, request.path_params["unit"])

    async def section_post(self, request: Request) -> Response:
        from qiframe.statement import editing as statement_editing

        form = await self.form(request)
        if isinstance(form, Response):
            return form
        unit = request.path_params["unit"]
        answers = {
            k[len("answer-") :]: v
            for k, v in form.values.items()
            if k.startswith("answer-") and isinstance(v, str)
        }
        versions = {f"{store.FOLDERS['section']}/{unit}.yaml": form.text("version")}
        lines = await self.save(
            form, versions, lambda: statement_editing.save_answers(self.root, unit, answers)
        )
        if lines is not None:
            return self.done(pages.section_href(unit), lines[0])
        return await self.page(request, "section.html", pages.section, unit, status=_status(form), form=form)

    # --- actions -------------------------------------------------------------------------------------

    async def actions(self, request: Request) -> Response:
        return await self.page(request, "actions.html", pages.action_rows)

    async def action_post(self, request: Request) -> Response:
        from qiframe import actions

        form = await self.form(request)
        if isinstance(form, Response):
            return form
        ident = form.text("id")
        versions = {f"{store.FOLDERS['action']}/{ident}.yaml": form.text("version")}
        progress = form.text("progress").strip() or None
        action = await self.save(
            form,
            versions,
            lambda: actions.update(
                self.root,
                ident,
                status=form.text("status") or None,
                progress=progress,
                date=form.text("date").strip() or None,
            ),
        )
        if action is not None:
            return self.done(
                "/actions",
                f"{action.id}: {action.status}, {len(action.progress)} progress notes",
                f"#{quote(action.id)}",
            )
        return await self.page(request, "actions.html", pages.action_rows, status=_status(form), form=form)

    # --- downloads -----------------------------------------------------------------------------------

    async def downloads(self, request: Request) -> Response:
        def build(ev):
            from qiframe import checks, wording

            personal = checks.run(ev, only=["personal-data"]).problems
            return {
                "downloads": pages.downloads(ev),
                "personal": personal,
                "unconfirmed": wording.unconfirmed(ev),
                "framework_id": ev.framework.id,
            }

        return await self.page(request, "downloads.html", build)

    async def download(self, request: Request) -> Response:
        name = request.path_params["name"]

        def work() -> bytes | None:
            ev = self.evaluation()
            chosen = next((d for d in pages.downloads(ev) if d.name == name), None)
            return None if chosen is None else export(ev, chosen)

        try:
            data = await run_in_threadpool(work)
        except QiframeError as exc:
            return self.render(
                request, "error.html", 400, heading="Cannot write this export", message=str(exc)
            )
        if data is None:
            return await self.not_found(request, None)
        return Response(
            data,
            media_type=MEDIA_TYPES[Path(name).suffix],
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )


def export(evaluation, download: pages.Download) -> bytes:
    """Write one export to a private temporary folder and return its bytes (nothing is left behind)."""
    with tempfile.TemporaryDirectory(prefix="qiframe-download-") as tmp:
        target = Path(tmp) / download.name
        if download.kind == "statement":
            from qiframe.exports import write_statement

            write_statement(evaluation, target, by=download.by)
        elif download.kind == "matrix":
            from qiframe import checks
            from qiframe.exports.matrix import write_matrix

            problems = [p for p in checks.run(evaluation).problems if p.severity != "info"]
            write_matrix(evaluation, target, problems=problems)
        elif download.kind == "moderation":
            from qiframe.exports import moderation

            moderation.export(evaluation, target, ())
        else:
            from qiframe.exports import write_progress

            write_progress(evaluation, target)
        return target.read_bytes()


def evidence_fields(form: Form) -> dict[str, Any]:
    """An evidence form's fields as `store.add_evidence` takes them; a bad date is put in form.errors."""
    from qiframe.model import parse_period

    try:
        start, end = parse_period(form.text("date").strip())
    except InputError as exc:
        form.errors["date"] = exc.message
        start, end = "", ""
    return {
        "title": " ".join(form.text("title").split()),
        "summary": form.text("summary").strip(),
        "kind": form.text("kind") or "other",
        "source": form.text("source"),  # blank: the store takes it from the kind
        "date": start,
        "date_to": end,
        "agency": form.text("agency").strip(),
        "owner": form.text("owner").strip(),
        "location": form.text("location").strip(),
        "indicators": form.texts("indicators"),
        "voice": form.texts("voice"),
        "ages": form.texts("ages"),
        "submission": form.text("submission") == "yes",
        "personal_data": form.text("personal_data") == "yes",
    }


def field_of(form_name: str, message: str, options: tuple[str, ...] = ()) -> str:
    """The field an error concerns: the first form field among the parameters it names, else by its words."""
    for _, name in FIELD_WORDS.get(form_name, ()):
        if name in options:
            return name
    lowered = message.casefold()
    for words, name in FIELD_WORDS.get(form_name, ()):
        if words in lowered:
            return name
    return "form"


def _status(form: Form) -> int:
    return 409 if form.errors.get("stale") else 400


def create_app(root: str | os.PathLike, secret: str, port: int):
    """The ASGI application serving one evaluation folder behind `secret`, for 127.0.0.1:`port`."""
    return Site(root, secret, port).app

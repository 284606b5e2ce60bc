"""Every command group of the CLI, attached in one place."""

import importlib

import typer

# Each module has `register(app)`, adding its commands or its group to the app.
MODULES = (
    "frameworks",
    "evaluation",
    "evidence",
    "evidence_import",
    "exports",
    "analysis",
    "check",
    "compare",
    "actions",
    "statement",
    "workbooks",
    "portfolio",
    "serve",
    "templates",
)


def all_commands(app: typer.Typer) -> None:
    for name in MODULES:
        importlib.import_module(f"qiframe.cli.{name}").register(app)

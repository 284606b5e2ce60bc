"""`qiframe serve`: the local web page over an evaluation folder."""

from pathlib import Path

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(
    evaluation: Path = EVALUATION_OPTION,
    port: int = typer.Option(
        8765, "--port", min=0, max=65535, help="Port on 127.0.0.1 to serve on (0: any free port)."
    ),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open the page in a web browser."),
) -> None:
    """Serve a local web page over the evaluation (127.0.0.1 only, behind a secret); Ctrl-C stops it."""
    from qiframe import store
    from qiframe.web import server

    root = store.find_root(evaluation)
    store.load(root)  # a broken evaluation is reported here, as by every other command
    server.serve(root, port, not no_browser, lambda line: typer.echo(line))

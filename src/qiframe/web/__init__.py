"""`qiframe serve`: a local web page over an evaluation folder.

The page is another face of the same core as the CLI: each route parses a request, makes one call to a
core or store function (the same functions, rules and messages the commands use, so a page and a command
writing at once go through the same lock) and renders the result with a Jinja2 template. Pages are
rendered on the server and work without JavaScript; a little script (shipped in `static/`, never from a
CDN) counts words as you type.

    app.py       the routes: parse → one call → render
    pages.py     what each page shows, built from a loaded evaluation
    guard.py     the per-run secret, the Host check, CSRF and security headers
    server.py    uvicorn on 127.0.0.1, the address printed, the browser opened, Ctrl-C

Nothing here is imported by the CLI at start-up: `qiframe serve` imports it when it runs.
"""

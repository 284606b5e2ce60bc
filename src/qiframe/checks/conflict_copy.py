"""Rule `conflict-copy`: a sync tool's conflict copy, a merge leftover, or a file with conflict markers."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule


@rule("conflict-copy", "error")
def conflict_copy(ctx: Context) -> Iterator[Finding]:
    """A second version of a file was left beside it, or a file holds unresolved merge conflict markers.

    When two people change the same file at once, OneDrive and SharePoint keep the second version with
    the computer's name added (`2.1-LAPTOP-7K2.yaml`), other tools as a numbered copy (`E-2jzn4n (1).yaml`)
    or, in Dropbox, a "conflicted copy"; a git merge can leave `.orig` files or `<<<<<<<` markers inside a
    file. qiframe reads only the real files and skips these, so whatever the copy holds is missing from
    every report until someone decides. Compare the copy with the file it copies, keep the right content in
    the real file, then delete the copy (or, for markers, keep the right lines and delete the markers).
    qiframe never merges or deletes them itself.

    Passes:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Minutes of the chief officers' group
        indicators: ["9.2"]

    Fails:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Minutes of the chief officers' group
        indicators: ["9.2"]

        # evidence/E-k3m9qx-LAPTOP-7K2.yaml (OneDrive kept the other person's version)
        id: E-k3m9qx
        title: Minutes of the chief officers' group, March
        indicators: ["9.2", "9.3"]
    """
    for copy in ctx.evaluation.conflict_copies:
        yield Finding(copy.message(), path=copy.path, item=copy.path)

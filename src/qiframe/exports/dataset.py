"""Writing the dataset's tables as Parquet (through pyarrow) or CSV files, all or nothing.

Files are written into a temporary folder beside the output and moved into place only when every table
is written, so a failed export never leaves a mix of old and new tables for an analyst to load.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from qiframe.cells import csv_safe
from qiframe.errors import InputError
from qiframe.portfolio.dataset import Table

FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class Written:
    """One table file written."""

    name: str
    """Table name."""
    path: str
    """File written."""
    rows: int
    """Rows in it."""


def write(tables: tuple[Table, ...], folder: str | os.PathLike, fmt: str = "parquet") -> list[Written]:
    folder = Path(folder)
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: choose parquet or csv")
    if folder.exists() and not folder.is_dir():
        raise InputError("exists and is not a folder", folder)
    writer = _parquet_writer() if fmt == "parquet" else _write_csv
    parent = folder.parent if folder.parent != Path("") else Path(".")
    if not parent.is_dir():
        raise InputError(f"folder {str(parent)!r} does not exist; create it first", folder)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".qiframe-dataset-", dir=parent))
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", parent) from None
    try:
        written = []
        for table in tables:
            path = staging / f"{table.name}.{fmt}"
            writer(table, path)
            written.append(Written(table.name, str(folder / path.name), len(table.rows)))
        folder.mkdir(exist_ok=True)
        for table in tables:  # replace table by table; each rename is atomic
            os.replace(staging / f"{table.name}.{fmt}", folder / f"{table.name}.{fmt}")
    except OSError as exc:
        raise InputError(f"cannot write the dataset: {exc.strerror or exc}", folder) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _parquet_writer():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "writing Parquet needs pyarrow: pip install 'qiframe[dataset]' (or use {format} csv)",
            options=("format",),
        ) from None
    types = {"string": pa.string(), "int": pa.int64(), "bool": pa.bool_()}

    def write_parquet(table: Table, path: Path) -> None:
        schema = pa.schema([pa.field(c.name, types[c.type]) for c in table.columns])
        columns = list(zip(*table.rows, strict=True)) if table.rows else [() for _ in table.columns]
        arrays = [
            pa.array(list(values), type=types[c.type])
            for c, values in zip(table.columns, columns, strict=True)
        ]
        pq.write_table(pa.Table.from_arrays(arrays, schema=schema), path)

    return write_parquet


def _write_csv(table: Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow([c.name for c in table.columns])
        for row in table.rows:
            # Text a spreadsheet would evaluate is guarded, as in every CSV qiframe writes.
            out.writerow(
                [
                    ""
                    if v is None
                    else (csv_safe(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else v)
                    for v in row
                ]
            )

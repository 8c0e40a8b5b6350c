"""``govoffice document``: the issued 公文 as a file, and checking a printed file.

- ``govoffice document render ID --format pdf|docx -o FILE [--version N] [--copy K]``:
  the 公文 (or a meeting's minutes) laid out per GB/T 9704-2012 from the record as of
  version N (the latest by default), written to FILE; prints the file's SHA-256.
- ``govoffice document verify-print ID [--file FILE] [--printing N]``: renders again the
  version that 印制 recorded and compares with the recorded digest (and FILE's bytes);
  exit status 0 when they match, 1 when not.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click

from govoffice.cli import STORE_OPTION, console, main, opened
from govoffice.domain.errors import InvalidInput


@main.group()
def document() -> None:
    """公文: render the issued document from the record; check a printed file against it."""


@document.command()
@STORE_OPTION
@click.argument("record_id")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Where to write the file (default: the 发文字号 with the format's suffix).",
)
@click.option("--version", "version", type=click.IntRange(min=1), default=None)
@click.option("--copy", "copy", type=click.IntRange(min=1), default=None, help="份号 to print.")
def render(
    store: str,
    record_id: str,
    fmt: str,
    output: Path | None,
    version: int | None,
    copy: int | None,
) -> None:
    """Lay out a 公文 (or minutes) per GB/T 9704-2012 and write it as PDF or DOCX."""
    with opened(store) as office:
        printing = office.printing
        models = printing.model(record_id, version=version)
        content = printing.render(record_id, format=fmt, version=version, copy=copy)
    target = output or Path(f"{models[0].number}.{fmt}")
    try:
        target.write_bytes(content)
    except OSError as e:
        raise InvalidInput(f"不能写入 {target}: {e.strerror} (cannot write the file)") from None
    digest = hashlib.sha256(content).hexdigest()
    console().print(
        f"{models[0].number} 《{models[0].title}》 版本 {models[0].version} → {target} "
        f"({len(content)} 字节, SHA-256 {digest})"
    )


@document.command("verify-print")
@STORE_OPTION
@click.argument("record_id")
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A printed file to compare with what 印制 recorded.",
)
@click.option("--printing", type=click.IntRange(min=1), default=None, help="Which 印制 (from 1).")
def verify_print(store: str, record_id: str, file: Path | None, printing: int | None) -> None:
    """Check that a printed file is the signed version that 印制 recorded.

    Exit status 0: it matches; 1: it does not (or cannot be checked)."""
    content = file.read_bytes() if file is not None else None
    with opened(store) as office:
        result = office.audit.verify_print(record_id, file=content, printing=printing)
    click.echo(result.describe(), err=not result.ok)
    if not result.ok:
        sys.exit(1)

"""What a command-line call imports (issue 14, ADR 0060): checked by the modules it loads,
never by timings (those are in ``benchmarks/import_time.py``)."""

from __future__ import annotations

import subprocess
import sys

NOT_FOR_AN_OFFICE = (
    "importlib.metadata",  # package versions: read only when a file is printed
    "email.message",
    "zipfile",
    "docx",
    "fpdf",
    "jinja2",  # the HTML report's templates
    "rich",  # the command line's tables
    "click",
    "psycopg",  # PostgreSQL only
    "hypothesis",
)


def test_opening_an_office_imports_only_what_it_uses() -> None:
    """A command that opens an office (memory store, the default calendar and renderer)
    loads no printing library, no template engine, no terminal library, no PostgreSQL
    driver and not ``importlib.metadata`` (about a tenth of a second on every call)."""
    code = (
        "import sys, govoffice\n"
        "govoffice.open_office('memory').close()\n"
        f"print([m for m in {NOT_FOR_AN_OFFICE!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_calendar_still_names_its_data_version() -> None:
    """The calendar's source names the chinesecalendar release it was built from, read
    from the package itself (the same as its installed metadata)."""
    from importlib.metadata import version

    from govoffice.adapters.calendar_cn import _data_version

    assert _data_version() == version("chinesecalendar")

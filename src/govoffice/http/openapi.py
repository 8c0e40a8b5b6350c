"""The service's OpenAPI document, as the running service serves it at
``/schema/openapi.json``.

``python -m govoffice.http.openapi docs/openapi.json`` writes it (``tests/http`` checks that
the checked-in copy is current: regenerate it when a facade method changes).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["document", "main"]


def document() -> dict[str, Any]:
    """The OpenAPI document of the service (of an empty in-memory office: the routes come
    from the facade's signatures, not from the data)."""
    from govoffice.bootstrap import open_office
    from govoffice.http.app import create_app

    office = open_office("memory", renderer=None)
    try:
        app = create_app(office)
        schema: dict[str, Any] = app.openapi_schema.to_schema()
        return schema
    finally:
        office.close()


def text() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m govoffice.http.openapi FILE", file=sys.stderr)
        return 2
    Path(args[0]).write_text(text(), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

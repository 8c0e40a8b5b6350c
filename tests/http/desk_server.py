"""A real server process for the desk's browser test: ``python -m uvicorn --factory
tests.http.desk_server:app`` serves the office at ``$GOVOFFICE_STORE`` (used until the
test can start ``govoffice serve``)."""

from __future__ import annotations

import os
from typing import Any


def app() -> Any:
    from litestar import Litestar

    from govoffice import open_office
    from govoffice.http.desk import desk_router

    office = open_office(os.environ["GOVOFFICE_STORE"])
    application = Litestar(route_handlers=[desk_router], on_shutdown=[lambda: office.close()])
    application.state.office = office
    application.state.identity = None
    return application

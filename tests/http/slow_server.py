"""The service as ``govoffice serve`` builds it, with one test hook: a request carrying
``X-Test-Pause: <seconds>`` waits that long before it is handled (a slow command in flight,
for the graceful-shutdown test). Run: ``python -m uvicorn --factory
tests.http.slow_server:app``."""

from __future__ import annotations

import asyncio
from typing import Any


def app() -> Any:
    from govoffice.http.app import from_environment

    inner = from_environment()

    async def paused(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"x-test-pause":
                    await asyncio.sleep(float(value))
        await inner(scope, receive, send)

    return paused

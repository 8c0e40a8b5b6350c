"""``govoffice init``: create an empty store (the only command besides ``demo`` that does)."""

from __future__ import annotations

from govoffice.cli import STORE_OPTION, console, main, opened, store_url


@main.command()
@STORE_OPTION
def init(store: str | None) -> None:
    """Create the office's store (the event table and the views' tables) at --store, or
    check an existing one. Every other command except demo refuses a store that does not
    exist (StoreNotFound), so a mistyped path never becomes an empty office."""
    from govoffice.adapters.config import resolve_store
    from govoffice.adapters.store_presence import require_store
    from govoffice.domain.errors import StoreNotFound

    url = store_url(store)
    config = resolve_store(url)
    try:
        require_store(config.settings, config.shown)
        existed = True
    except StoreNotFound:
        existed = False
    with opened(url, create=True) as office:
        last = office.app.recorder.max_notification_id() or 0
    if existed:
        console().print(f"存储 {config.shown} 已存在,共 {last} 个事件 (already initialised)")
    else:
        console().print(f"已建立存储 {config.shown} (store created)")

"""``petshots-records``: serve the API, or run its housekeeping once."""

from __future__ import annotations

import argparse
import asyncio

from petshots_core.db import create_engine
from petshots_core.pending_uploads import purge_stale_pending
from petshots_core.settings import get_settings
from petshots_core.storage import Storage


async def _purge_pending() -> int:
    settings = get_settings()
    engine = create_engine(settings)
    try:
        return await purge_stale_pending(engine, Storage(settings), settings.pending_doc_max_age_s)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="petshots-records")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the records API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8102)
    serve.add_argument("--workers", type=int, default=1)
    commands.add_parser("purge-pending", help="delete records whose upload never completed")
    args = parser.parse_args(argv)
    if args.command == "serve":
        import uvicorn

        uvicorn.run(
            "petshots_records.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            timeout_graceful_shutdown=20,
            proxy_headers=True,
            access_log=False,
        )
    else:
        print(f"purged {asyncio.run(_purge_pending())} pending records")  # noqa: T201 - CLI output

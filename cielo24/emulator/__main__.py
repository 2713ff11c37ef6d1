"""Command line: ``python -m cielo24.emulator [--host H] [--port P] [--api-token T]``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from .emulator import Emulator


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cielo24.emulator",
        description="Run a local emulator of the cielo24 API until Ctrl-C or SIGTERM.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    parser.add_argument(
        "--port", type=int, default=8024, help="TCP port, 0 for any free one (%(default)s)"
    )
    parser.add_argument("--api-token", help="the API token to accept (default: a random one)")
    parser.add_argument(
        "--customer-authorization",
        action="store_true",
        help='hold new jobs in "Authorizing" until job/authorize',
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; the exit status."""
    args = _arguments(argv)
    emulator = Emulator(
        host=args.host,
        port=args.port,
        api_token=args.api_token,
        customer_authorization=args.customer_authorization,
    )
    try:
        emulator.start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def _request_stop(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _request_stop)
    signal.signal(signal.SIGINT, _request_stop)
    print(f"cielo24 emulator listening on {emulator.url}", flush=True)
    print(f"api token: {emulator.api_token}", flush=True)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m cielo24.emulator [--host H] [--port P] [--api-token T] ...``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from .emulator import Emulator


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="cielo24 emulator",
        description="Run a local emulator of the cielo24 API until Ctrl-C or SIGTERM.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    parser.add_argument(
        "--port", type=int, default=8024, help="TCP port, 0 for any free one (%(default)s)"
    )
    parser.add_argument("--api-token", help="an API token that never expires (default: random)")
    parser.add_argument(
        "--customer-authorization",
        action="store_true",
        help='hold the demo account\'s new jobs in "Authorizing" until job/authorize',
    )
    parser.add_argument(
        "--processing-seconds",
        type=_seconds,
        default=0.0,
        help="how long a job stays In Process before it is Complete (%(default)s; try 5)",
    )
    parser.add_argument(
        "--token-lifetime",
        type=_seconds,
        default=3600.0,
        help="seconds of inactivity after which a login token expires (%(default)s)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="refuse parameter names the API does not document (default: off, unless the "
        "environment variable CIELO24_EMULATOR_STRICT is 1 or true)",
    )
    parser.add_argument(
        "--allow-remote-callbacks",
        action="store_true",
        help="send callbacks to any host (by default only to loopback addresses)",
    )
    return parser.parse_args(argv)


def _seconds(text: str) -> float:
    """A number of seconds, zero or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be zero or more: {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; the exit status."""
    args = _arguments(argv)
    emulator = Emulator(
        host=args.host,
        port=args.port,
        api_token=args.api_token,
        customer_authorization=args.customer_authorization,
        processing_seconds=args.processing_seconds,
        token_lifetime=args.token_lifetime,
        allow_remote_callbacks=args.allow_remote_callbacks,
        strict=args.strict,
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
    print(f"demo username: {emulator.demo_username}", flush=True)
    print(f"demo password: {emulator.demo_password}", flush=True)
    print(f"demo securekey: {emulator.demo_securekey}", flush=True)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

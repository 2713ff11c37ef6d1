"""A callback receiver: saves a job's captions when cielo24 calls back (standard library only).

cielo24 calls a job's callback_url with a GET when the job is done. This server answers it,
fetches the captions and saves them as ``<job id>.srt`` (``<job id>.<IWP>.srt`` for an
interim version). It answers 200 once they are saved, and 500 when fetching failed, so that
cielo24 calls again later (three more times over half an hour).

Run it against the service (credentials from the CIELO24_* variables, see docs/workflows.md),
at an address cielo24 can reach; give each job the callback URL it prints:

    CALLBACK_SECRET=... python examples/callback_receiver.py --port 8080 --out captions \\
        --public-url https://example.com/cielo24/callback

Or see the whole round trip offline, against a local emulator of the service: it submits
examples/media/sample.wav with this receiver's URL as the callback, and exits once the
captions are saved:

    python examples/callback_receiver.py --demo

The URL carries a secret (CALLBACK_SECRET, or a random one) so that the receiver can tell
cielo24's calls from anyone else's; the secret is checked in constant time.
"""

from __future__ import annotations

import argparse
import hmac
import os
import secrets
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.callbacks import build_callback_url, parse_callback
from cielo24.captions import CAPTION_EXTENSIONS

PATH = "/cielo24/callback"
MEDIA = Path(__file__).parent / "media" / "sample.wav"


class CaptionSaver:
    """Handles one callback: checks it, fetches the captions, saves them."""

    def __init__(
        self, jobs: JobApi, directory: Path, secret: str, caption_format: str = "SRT"
    ) -> None:
        self.jobs = jobs
        self.directory = directory
        self.secret = secret
        self.caption_format = caption_format
        self.saved: list[Path] = []
        self.final_saved = threading.Event()

    def handle(self, target: str) -> int:
        """The HTTP status to answer the request for ``target`` (its path and query) with."""
        if urlsplit(target).path != PATH:
            return 404
        try:
            callback = parse_callback(target)
        except cielo24.ApiValueError:
            return 400
        given = callback.params.get("secret", "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return 403
        extension = CAPTION_EXTENSIONS[self.caption_format]
        interim = "" if callback.is_final else f".{callback.iwp_name or 'interim'}"
        path = self.directory / f"{callback.job_id}{interim}.{extension}"
        try:
            self.jobs.get_caption(
                callback.job_id,
                self.caption_format,
                elementlist_version=callback.elementlist_version,
                destination=path,
            )
        except cielo24.Cielo24Error as error:
            print(f"could not fetch the captions of {callback.job_id}: {error}", file=sys.stderr)
            return 500  # cielo24 calls again later
        self.saved.append(path)
        print(f"saved {path}", flush=True)
        if callback.is_final:
            self.final_saved.set()
        return 200


def make_server(saver: CaptionSaver, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server answering callbacks with ``saver``, one thread per request."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = saver.handle(self.path)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # a request line holds the secret: never log it

    return ThreadingHTTPServer((host, port), Handler)


def callback_url(base: str, secret: str) -> str:
    """The callback URL for jobs: the receiver's URL, the secret, and cielo24's tags."""
    return build_callback_url(base, {"secret": secret})


def serve_in_background(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    return thread


def demo() -> int:
    """The round trip against a local emulator: submit, get called back, save captions."""
    from cielo24.emulator import Emulator

    with Emulator() as configuration, tempfile.TemporaryDirectory() as folder:
        client = cielo24.ApiClient(configuration)
        saver = CaptionSaver(JobApi(client), Path(folder), secrets.token_urlsafe(16))
        server = make_server(saver)
        serve_in_background(server)
        try:
            base = f"http://127.0.0.1:{server.server_port}{PATH}"
            result = cielo24.transcribe(
                MEDIA,
                fidelity="MECHANICAL",
                callback_url=callback_url(base, saver.secret),
                wait=False,
                api_client=client,
            )
            print(f"submitted job {result.job_id}; waiting for cielo24 to call back")
            if not saver.final_saved.wait(30):
                print("no callback came within 30 s", file=sys.stderr)
                return 1
            print((Path(folder) / f"{result.job_id}.srt").read_text(encoding="utf-8")[:200])
        finally:
            server.shutdown()
            server.server_close()
            client.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on")
    parser.add_argument("--out", type=Path, default=Path("."), help="where captions go")
    parser.add_argument("--format", default="SRT", choices=sorted(CAPTION_EXTENSIONS))
    parser.add_argument("--public-url", help="the URL cielo24 reaches this receiver at")
    parser.add_argument("--demo", action="store_true", help="round trip with an emulator")
    args = parser.parse_args(argv)
    if args.demo:
        return demo()
    secret = os.environ.get("CALLBACK_SECRET") or secrets.token_urlsafe(16)
    configuration = cielo24.Configuration.from_env()
    args.out.mkdir(parents=True, exist_ok=True)
    with cielo24.ApiClient(configuration) as client:
        saver = CaptionSaver(JobApi(client), args.out, secret, args.format)
        server = make_server(saver, args.host, args.port)
        base = args.public_url or f"http://{args.host}:{server.server_port}{PATH}"
        print(f"callback_url for your jobs: {callback_url(base, secret)}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except cielo24.Cielo24Error as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)

"""A Pagefind service process, spoken to directly (no asyncio, no future per record).

``pagefind --service`` reads requests on stdin and writes answers on stdout,
each the base64 of a JSON object followed by a comma: the protocol of
Pagefind's Python package, whose ``PagefindService`` waits 0.1 s between
answers and makes an asyncio future per request. Here the requests are
written in order by the caller's thread while a reader thread takes the
answers as they come: only errors and the answers asked for are kept. Pagefind
reads its input on a thread of its own into an unbounded queue, so a blocked
write never waits for our reading; at most ``in_flight`` requests are left
unanswered, which bounds that queue. Everything else (the binary, the
requests and answers) is Pagefind's own.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from typing import Any

READ_CHUNK = 1 << 20
EXIT_TIMEOUT = 120  # seconds Pagefind may take to exit once its input is closed


class PagefindError(RuntimeError):
    """Pagefind answered with an error, or exited before answering."""


class PagefindProcess:
    """One ``pagefind --service`` process (the extended binary when installed)."""

    def __init__(self, in_flight: int = 64):
        # imported here: it brings asyncio, which a build that indexes nothing never needs
        from pagefind.service import _must_get_executable

        self._proc = subprocess.Popen(
            [str(_must_get_executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            bufsize=0,
        )
        self._slots = threading.Semaphore(in_flight)
        self._in_flight = in_flight
        self._next_id = 0
        self._wanted: set[int] = set()
        self._answers: dict[int, dict[str, Any]] = {}
        self._error: str | None = None
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="pagefind-answers", daemon=True)
        self._reader.start()

    def __enter__(self) -> PagefindProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, payload: dict[str, Any], *, want: bool = False) -> int:
        """Write one request; return its message id. Its answer is kept (see
        :meth:`answer`) only when ``want``; an error answer fails a later call."""
        self._slots.acquire()  # released by the reader when the answer arrives
        self._check()
        self._next_id += 1
        message_id = self._next_id
        if want:
            with self._changed:
                self._wanted.add(message_id)
        request = json.dumps({"message_id": message_id, "payload": payload})
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(base64.b64encode(request.encode("utf-8")) + b",")
        except BrokenPipeError:
            self._check()
            raise PagefindError("Pagefind closed its input") from None
        return message_id

    def answer(self, message_id: int) -> dict[str, Any]:
        """The payload of the answer to a request sent with ``want``, once it has come."""
        with self._changed:
            self._changed.wait_for(lambda: message_id in self._answers or self._error is not None)
            self._check()
            return self._answers.pop(message_id)

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a request and wait for its answer."""
        return self.answer(self.send(payload, want=True))

    def close(self) -> None:
        """Close Pagefind's input: it exits (having answered everything it read)."""
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._proc.terminate()
            self._proc.wait()
        self._reader.join()
        assert self._proc.stdout is not None
        self._proc.stdout.close()

    def _check(self) -> None:
        if self._error is not None:
            raise PagefindError(self._error)

    def _read(self) -> None:
        """Split stdout at the commas and take each answer (the reader thread)."""
        assert self._proc.stdout is not None
        stdout = self._proc.stdout
        pending: list[bytes] = []
        try:
            while chunk := stdout.read(READ_CHUNK):
                start = 0
                while (end := chunk.find(b",", start)) >= 0:
                    pending.append(chunk[start:end])
                    self._take(b"".join(pending))
                    pending = []
                    start = end + 1
                if start < len(chunk):
                    pending.append(chunk[start:])
            self._fail("Pagefind exited before answering every request")
        except Exception as exc:  # handed to the caller's thread
            self._fail(f"unreadable answer from Pagefind: {exc!r}")

    def _take(self, raw: bytes) -> None:
        answer = json.loads(base64.b64decode(raw))
        if answer is None:
            return
        payload = answer["payload"]
        message_id = answer.get("message_id")
        if payload.get("type") == "Error":
            self._fail(f"Pagefind: {payload.get('message')} (request {message_id})")
            return
        if message_id in self._wanted:
            with self._changed:
                self._wanted.discard(message_id)
                self._answers[message_id] = payload
                self._changed.notify_all()
        self._slots.release()

    def _fail(self, message: str) -> None:
        with self._changed:
            if self._error is None:
                self._error = message
            self._changed.notify_all()
        for _ in range(self._in_flight + 1):  # wake a sender waiting for a slot
            self._slots.release()

"""Pagefind's Python service without its polling delay.

``pagefind.service.PagefindService`` reads one response from the Pagefind
process, then sleeps 0.1 s before reading the next, so indexing is capped at
ten records a second (3,200 pages took 5.5 minutes). This subclass reads
responses as they arrive, and accepts responses up to 256 MiB so that a whole
shard's files can be fetched with ``get_files()`` (Pagefind's own disk writes
were seen to leave files empty when the process ends soon after: it writes
through tokio without flushing). Everything else (the protocol, the binary,
the ``PagefindIndex`` methods) is Pagefind's own.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from pagefind.service import PagefindService, _must_get_executable

MAX_RESPONSE = 2**28


class PromptPagefindService(PagefindService):
    """A ``PagefindService`` that resolves each response as soon as it is read."""

    async def launch(self) -> PromptPagefindService:
        """Start ``pagefind --service`` with a large enough stdout buffer."""
        self._backend = await asyncio.create_subprocess_exec(
            _must_get_executable(),
            "--service",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            limit=MAX_RESPONSE,
        )
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    async def _wait_for_responses(self) -> None:
        assert self._backend.stdout is not None
        while True:
            output = await self._backend.stdout.readuntil(b",")
            response = json.loads(base64.b64decode(output[:-1]))
            if response is not None:
                self._resolve(response)

    def _resolve(self, response: dict[str, Any]) -> None:
        payload = response["payload"]
        message_id = response.get("message_id")
        if message_id is None and (original := payload.get("original_message")):
            message_id = json.loads(original).get("message_id")
        future = self._responses.get(message_id) if message_id is not None else None
        if future is None or future.done():
            return
        if payload["type"] == "Error":
            future.set_exception(RuntimeError(f"Pagefind: {payload['message']}"))
        else:
            future.set_result(payload)

    async def close(self) -> None:
        """Let Pagefind finish writing and exit on end of input; terminate only if it hangs.

        (The base class terminates at once, which was seen to leave files such
        as pagefind-entry.json empty.)
        """
        self._poll_task.cancel()
        if self._backend.stdin is not None:
            self._backend.stdin.close()
        try:
            await asyncio.wait_for(self._backend.wait(), timeout=120)
        except TimeoutError:
            self._backend.terminate()
            await self._backend.wait()


async def launch_service() -> PromptPagefindService:
    """Start a Pagefind process (the extended binary when installed)."""
    service = PromptPagefindService()
    service._loop = asyncio.get_running_loop()
    return await service.launch()

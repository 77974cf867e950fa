"""Headless Chromium (Debian's ``chromium``) driven through the DevTools protocol, for tests that
check what a person sees. Started privately (a fresh profile, no background networking, a free
debugging port) and stopped by :meth:`Browser.close`.
"""
from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--remote-debugging-port=0", "--window-size=1280,1000"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    def __init__(self, seconds: float = 30.0):
        import websocket

        # chromium's helper processes may still write to the profile as it closes: they are stopped
        # as one process group, and the folder is removed past what they leave
        self.profile = tempfile.TemporaryDirectory(prefix="adminkg-chromium-", ignore_cleanup_errors=True)
        self.process = subprocess.Popen([chromium(), *FLAGS, f"--user-data-dir={self.profile.name}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + seconds
        while not port_file.exists() or not port_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            page = next(t for t in json.load(resp) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=seconds, suppress_origin=True)
        self.ids = itertools.count(1)
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params):
        ident = next(self.ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def _wait_event(self, name: str) -> None:
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == name:
                return

    def open(self, url: str) -> None:
        """Navigate and wait until the page has loaded."""
        ident = next(self.ids)
        self.ws.send(json.dumps({"id": ident, "method": "Page.navigate", "params": {"url": url}}))
        self._wait_event("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def text(self) -> str:
        """What the page shows as text (``document.body.innerText``)."""
        return self.evaluate("document.body.innerText")

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(10)
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # the helpers left behind, if any
            except ProcessLookupError:
                pass
            self.profile.cleanup()
            shutil.rmtree(self.profile.name, ignore_errors=True)

"""cdp.py - a small client of Chromium's DevTools protocol for the portal's
browser tests: Debian's chromium, headless, driven over a WebSocket with
Debian's python3-websocket (no npm, no downloaded browser)."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--mute-audio", "--remote-debugging-port=0",
    "--window-size=1100,900",
]


class Browser:
    def __init__(self, timeout=90):
        self.profile = tempfile.mkdtemp(prefix="mspdoc-chromium-")
        exe = shutil.which("chromium") or "/usr/bin/chromium"
        self.proc = subprocess.Popen(
            [exe] + FLAGS + ["--user-data-dir=" + self.profile, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        end = time.time() + timeout
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if time.time() > end or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        time.sleep(0.2)
        with open(port_file) as f:
            self.port = int(f.readline().strip())
        self.timeout = timeout

    def tab(self):
        """A new tab, with a session of its own (no opener)."""
        req = urllib.request.Request("http://127.0.0.1:%d/json/new?about:blank" % self.port,
                                     method="PUT")
        with urllib.request.urlopen(req, timeout=self.timeout) as r:
            info = json.load(r)
        return Tab(info["webSocketDebuggerUrl"], self.timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


class Tab:
    def __init__(self, url, timeout):
        self.ws = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self.timeout = timeout
        self.next_id = 0
        self.events = []
        self.requests = []
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Network.enable")

    def _pump(self, msg):
        m = json.loads(msg)
        if m.get("method") == "Network.requestWillBeSent":
            self.requests.append(m["params"]["request"]["url"])
        elif "method" in m:
            self.events.append(m)
        return m

    def send(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        end = time.time() + self.timeout
        while time.time() < end:
            m = self._pump(self.ws.recv())
            if m.get("id") == mid:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
        raise TimeoutError(method)

    def wait_event(self, name):
        end = time.time() + self.timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e["method"] == name:
                    del self.events[: i + 1]
                    return e
            self._pump(self.ws.recv())
        raise TimeoutError(name)

    def goto(self, url):
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def js(self, expr):
        """The value of a JavaScript expression (awaited when a promise)."""
        r = self.send("Runtime.evaluate", expression=expr, awaitPromise=True,
                      returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def until(self, expr, seconds=None):
        """Wait until a JavaScript expression is true; its last value."""
        end = time.time() + (seconds or self.timeout)
        v = None
        while time.time() < end:
            v = self.js(expr)
            if v:
                return v
            time.sleep(0.1)
        return v

    def key(self, key, code, keycode, text=None):
        for kind in ("keyDown", "keyUp"):
            p = dict(type=kind, key=key, code=code, windowsVirtualKeyCode=keycode)
            if text and kind == "keyDown":
                p["text"] = text
            self.send("Input.dispatchKeyEvent", **p)

    def type(self, text):
        self.send("Input.insertText", text=text)

    def close(self):
        self.ws.close()

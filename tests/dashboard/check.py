"""Loads the dashboard in headless Chromium over the DevTools protocol and
checks it against `loclint status --format json` of the same tree:
the counts per locale, the rows, sorting, filtering, the diff on demand,
that nothing from the tree ran as script, and that the page made no network
request. Takes a screenshot.

Usage: check.py CHROMIUM PAGE.html STATUS.json SCREENSHOT.png
Prints PASS/FAIL lines; exits 1 when a check fails.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

failures = 0


def check(name, condition, detail=""):
    global failures
    if condition:
        print(f"PASS {name}")
    else:
        failures += 1
        print(f"FAIL {name} {detail}")


class Browser:
    def __init__(self, chromium, url):
        self.profile = tempfile.mkdtemp(prefix="loclint-chromium-")
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "--window-size=1400,1700",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        page = next(target for target in targets if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events = []
        self.send("Network.enable")
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1400, height=1700, deviceScaleFactor=1, mobile=False)
        self.send("Page.navigate", url=url)
        self.wait_for("document.body && document.body.dataset.ready === 'true'")

    def send(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def eval(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression):
        for _ in range(200):
            try:
                if self.eval(expression):
                    return
            except RuntimeError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"timed out waiting for {expression}")

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


ROWS = "[...document.querySelectorAll('#articles tbody tr')]"


def main():
    chromium, page, status_file, screenshot = sys.argv[1:5]
    status = json.load(open(status_file, encoding="utf-8"))
    browser = Browser(chromium, "file://" + os.path.abspath(page))
    try:
        run_checks(browser, status)
        shot = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        with open(screenshot, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        check("screenshot taken", os.path.getsize(screenshot) > 10_000, screenshot)
    finally:
        browser.close()
    print(f"{failures} failure(s)")
    sys.exit(1 if failures else 0)


def run_checks(browser, status):
    # Counts per locale, as the page shows them, against the JSON.
    shown = browser.eval(
        "Object.fromEntries([...document.querySelectorAll('#locales tbody tr')].map(tr => [tr.dataset.locale, "
        "Object.fromEntries([...tr.querySelectorAll('[data-count]')].map(td => [td.dataset.count, td.textContent]))]))"
    )
    check("every locale of the JSON is on the page", sorted(shown) == sorted(status["locales"]), f"{sorted(shown)}")
    for locale, counts in status["locales"].items():
        for name in ("fresh", "stale", "missing", "orphaned", "with_errors", "unknown"):
            check(f"{locale} {name} = {counts[name]}", shown.get(locale, {}).get(name) == str(counts[name]),
                  f"page shows {shown.get(locale, {}).get(name)}")
        check(f"{locale} current share", shown.get(locale, {}).get("current_share") == f"{counts['current_share']:.1f}%",
              f"{shown.get(locale, {}).get('current_share')} vs {counts['current_share']}")
    check("some copies are stale, missing, orphaned and with errors",
          all(any(counts[name] for counts in status["locales"].values())
              for name in ("fresh", "stale", "missing", "orphaned", "with_errors")))

    # The table: one row per article, in the queue's order.
    paths = browser.eval(f"{ROWS}.map(tr => tr.dataset.path)")
    check("one row per article, in queue order", paths == [article["path"] for article in status["queue"]], f"{paths}")
    cells = browser.eval(
        f"{ROWS}.map(tr => Object.fromEntries([...tr.querySelectorAll('td[data-state]')].map(td => [td.dataset.locale, td.dataset.state])))"
    )
    expected_cells = [{locale: copy["state"] for locale, copy in article["copies"].items()} for article in status["queue"]]
    check("every cell's state is the JSON's", cells == expected_cells)
    links = browser.eval("[...document.querySelectorAll('#articles td a')].map(a => a.getAttribute('href'))")
    check("cells link to the copies", links and all(link.endswith(".md") and ":" not in link for link in links), f"{links[:3]}")

    # Sorting.
    browser.eval("document.querySelector('th[data-sort=path]').click()")
    paths = browser.eval(f"{ROWS}.map(tr => tr.dataset.path)")
    check("sorted by path ascending", paths == sorted(paths) and len(paths) == len(status["queue"]))
    browser.eval("document.querySelector('th[data-sort=path]').click()")
    paths = browser.eval(f"{ROWS}.map(tr => tr.dataset.path)")
    check("sorted by path descending", paths == sorted(paths, reverse=True))
    check("the header says which way",
          browser.eval("document.querySelector('th[data-sort=path]').getAttribute('aria-sort')") == "descending")
    browser.eval("document.querySelector('th[data-sort=score]').click()")
    scores = browser.eval(f"{ROWS}.map(tr => Number(tr.children[4].textContent))")
    check("sorted by score ascending", scores == sorted(scores) and scores[0] < scores[-1], f"{scores}")
    browser.eval("document.querySelector('th[data-sort=\"locale:0\"]').click()")
    first_locale = sorted(status["locales"])[0]
    states = browser.eval(f"{ROWS}.map(tr => (tr.querySelector('td[data-locale=\"{first_locale}\"]') || {{}}).dataset?.state)")
    order = {"missing": 0, "stale": 1, "unknown": 2, "orphaned": 3, "fresh": 4, None: 5}
    ranks = [order[state] for state in states]
    check(f"sorted by {first_locale}'s state, lagging first", ranks == sorted(ranks), f"{states}")

    # Filtering.
    def set_control(selector, value):
        browser.eval(
            f"(() => {{ const c = document.querySelector({json.dumps(selector)}); c.value = {json.dumps(value)}; "
            "c.dispatchEvent(new Event('input')); c.dispatchEvent(new Event('change')); })()"
        )

    set_control("#filter", "export")
    paths = browser.eval(f"{ROWS}.map(tr => tr.dataset.path)")
    expected = [a["path"] for a in status["queue"] if "export" in a["path"].lower()]
    check("the path filter keeps matching articles", sorted(paths) == sorted(expected) and paths, f"{paths}")
    check("the count of shown articles", browser.eval("document.getElementById('shown').textContent")
          == f"{len(expected)} of {len(status['queue'])} articles")
    set_control("#filter", "")
    set_control("#state-filter", "missing")
    paths = browser.eval(f"{ROWS}.map(tr => tr.dataset.path)")
    expected = [a["path"] for a in status["queue"] if any(c["state"] == "missing" for c in a["copies"].values())]
    check("the state filter keeps articles with a missing copy", sorted(paths) == sorted(expected) and paths, f"{paths}")
    set_control("#locale-filter", "ja-jp")
    paths = browser.eval(f"{ROWS}.map(tr => tr.dataset.path)")
    expected = [a["path"] for a in status["queue"] if a["copies"].get("ja-jp", {}).get("state") == "missing"]
    check("the locale filter narrows it to ja-jp", sorted(paths) == sorted(expected), f"{paths} vs {expected}")
    set_control("#locale-filter", "")
    set_control("#state-filter", "all")

    # The diff on demand, shown as text.
    check("the diff panel starts hidden", browser.eval("document.getElementById('diff-panel').hidden") is True)
    set_control("#filter", "export-reports")
    browser.eval("document.querySelector('button.show-diff').click()")
    check("a diff button opens the panel", browser.eval("document.getElementById('diff-panel').hidden") is False)
    diff = browser.eval("document.getElementById('diff').textContent")
    check("the panel shows the source diff", "@@" in diff and "+++ b/en-us/export-reports.md" in diff, diff[:200])
    check("markup in a diff is shown as text", "<script>window.__pwned = 1</script>" in diff, diff[:400])
    check("nothing from the tree ran", browser.eval("window.__pwned === undefined"))
    check("only the page's own scripts", browser.eval("document.scripts.length") == 2)
    set_control("#filter", "<b>")
    check("markup in a file name is shown as text",
          browser.eval(f"{ROWS}.map(tr => tr.children[0].textContent)") == ["en-us/x<b>bold</b>.md"])
    check("and makes no element", browser.eval("document.querySelectorAll('#articles b').length") == 0)
    browser.eval("document.getElementById('diff-close').click()")
    set_control("#filter", "")
    check("the trend chart is drawn", browser.eval("document.querySelectorAll('#trend polyline').length")
          == 2 * len(status["locales"]))
    requests = [event["params"]["request"]["url"] for event in browser.events
                if event.get("method") == "Network.requestWillBeSent"]
    check("no request but the page itself", all(url.startswith("file://") for url in requests), f"{requests}")


if __name__ == "__main__":
    main()

"""A docs tree in a git repository with six months of history, for the
dashboard test and the README screenshot.

Twelve articles in en-us; ja-jp, ko-kr, de-de and fr-fr copies made at
different months from different source versions, so that every state shows:
fresh, stale of each class, missing, orphaned, a copy with an error, and a
trend that moves. One article's source change holds a `<script>` and one file
name holds markup: the page must show both as text.

Usage: make_tree.py FOLDER
"""

import hashlib
import os
import subprocess
import sys

ARTICLES = [
    "get-started", "install", "configure", "billing", "export-reports", "permissions",
    "api-keys", "webhooks", "troubleshoot", "faq", "release-notes", "x<b>bold</b>",
]
LOCALES = {"ja-jp": "ja-JP", "ko-kr": "ko-KR", "de-de": "de-DE", "fr-fr": "fr-FR"}
MONTHS = ["2024-01-15", "2024-02-15", "2024-03-15", "2024-04-15", "2024-05-15", "2024-06-15"]


def git(folder, *args, date=None):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date + "T12:00:00Z"
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL,
    )


def source(name, version):
    priority = "high" if name in ("get-started", "billing") else ("low" if name == "release-notes" else "medium")
    body = [f"# {name}", "", f"Read [the overview](overview.md) before you use {name}.", "", "## Steps", "", "Run `setup`."]
    if version >= 2:
        body += ["", "## Limits", "", "Each workspace has limits on exports, keys and webhooks that apply per day, reset at midnight UTC, and can be raised by an administrator from the billing page."]
    if version >= 3:
        body[6] = "Run `setup` twice."
    if version >= 4 and name == "export-reports":
        body += ["", "Embed with `<script>window.__pwned = 1</script>` only in trusted pages."]
    front = ["---", f"title: {name}", f"ms.localizationpriority: {priority}"]
    if version >= 5:
        front.append("ms.date: 06/01/2024")
    return "\n".join(front + ["---"] + body) + "\n"


def copy(name, source_text, tag):
    digest = hashlib.sha1(source_text.encode()).hexdigest()
    lines = ["---", f"title: {name} ({tag})", f"ms.openlocfilehash: {digest}", f"ms.contentlocale: {tag}", "---",
             f"# {name}", "", f"[概要](overview.md)を読んでください。", "", "## 手順", "", "`setup` を実行します。"]
    if "## Limits" in source_text:
        lines += ["", "## 制限", "", "制限があります。"]
    return "\n".join(lines) + "\n"


def write(root, relative, text):
    path = os.path.join(root, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def main():
    root = sys.argv[1]
    os.makedirs(root, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    # Source version per article per month: most change once or twice.
    plan = {name: [1, 1, 1, 1, 1, 1] for name in ARTICLES}
    for index, name in enumerate(ARTICLES):
        for month in range(6):
            plan[name][month] = 1 + min(3, (month * (index % 4 + 1)) // 4)
    plan["export-reports"] = [1, 2, 2, 3, 4, 4]
    plan["faq"] = [1, 1, 1, 1, 1, 5]
    for month, day in enumerate(MONTHS):
        for index, name in enumerate(ARTICLES):
            version = plan[name][month]
            write(root, f"en-us/{name}.md", source(name, version))
            for number, (locale, tag) in enumerate(LOCALES.items()):
                # Each locale starts later and catches up every few months.
                start = number
                if month < start or (index + number) % 5 == 4:
                    continue
                if (month - start) % (number + 2) == 0:
                    write(root, f"{locale}/{name}.md", copy(name, source(name, version), tag))
        if month == 3:
            write(root, "ko-kr/removed-page.md", copy("removed-page", source("removed-page", 1), "ko-KR"))
        if month == 4:
            # A wrong locale tag: an error finding in a fresh copy.
            write(root, "de-de/install.md", copy("install", source("install", plan["install"][4]), "fr-FR"))
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", day, date=day)


if __name__ == "__main__":
    main()

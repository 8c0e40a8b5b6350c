"""Docs that stand alone: every relative link in the README and the docs resolves inside
the repository (a user of the wheel or a clone has nothing else), anchors included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    [
        *(ROOT / name for name in ("README.md", "CONTRIBUTING.md", "CHANGELOG.md")),
        ROOT / "benchmarks" / "README.md",
        *(ROOT / "docs").rglob("*.md"),
    ]
)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """The anchor GitHub and most renderers give a heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, flags=re.M)}


def links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return LINK.findall(text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(page: Path) -> None:
    broken = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        missing = not resolved.is_relative_to(ROOT) or not resolved.exists()
        if missing or (anchor and resolved.suffix == ".md" and anchor not in anchors(resolved)):
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)}: {broken}"


def test_no_page_sends_readers_outside_the_repository() -> None:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text and "shared/seeds" not in text, page


def test_the_docs_carry_the_office_rules_and_their_sources() -> None:
    rules = (ROOT / "docs" / "office-rules.md").read_text(encoding="utf-8")
    for heading in ("## 2. Outgoing documents", "## 8. Time", "## 9. Read models"):
        assert heading in rules
    sources = sorted((ROOT / "docs" / "sources").glob("*.txt"))
    assert [p.name[:3] for p in sources] == ["000", "001", "002", "003", "004"]
    described = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for p in sources:
        assert f"sources/{p.name}" in described
    handbook = (ROOT / "docs" / "sources" / "001-office-handbook.txt").read_text("utf-8")
    assert "发文管理工作规程" in handbook and "涉密公文" in handbook


def test_the_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start") :]
    block = quick[quick.index("```sh") + 5 : quick.index("```", quick.index("```sh") + 5)]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["./dev demo", "./dev test"]


def test_the_wheel_carries_the_license_and_the_templates() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    data = project["tool"]["setuptools"]["package-data"]["govoffice.adapters"]
    templates = ROOT / "src" / "govoffice" / "adapters" / "templates" / "report"
    assert data == ["templates/report/*"] and (templates / "annual.html.j2").exists()

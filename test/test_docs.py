"""The README and docs pages: every Python example runs, every relative link resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from doc_examples import HOST, example_emulator, python_blocks, run

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_examples_run_as_written(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every block, exactly as printed, with the variables docs/emulator.md shows, from the
    repository's root (README's examples use examples/media/sample.wav)."""
    monkeypatch.chdir(ROOT)
    media_file = tmp_path / "file"
    media_file.write_bytes(b"\x00")
    emulator = example_emulator()
    try:
        for number, code in enumerate(python_blocks(page.read_text()), 1):
            name = f"{page_id(page)} example {number}"
            assert HOST not in code and "YOUR_API_KEY'" not in code, f"{name} hard-codes them"
            output = run(code, emulator, media_file, name)
            assert emulator.api_token not in output
    finally:
        emulator.stop()


def test_emulator_md_shows_the_variables_the_examples_run_with() -> None:
    text = (ROOT / "docs" / "emulator.md").read_text()
    assert "export CIELO24_HOST=http://127.0.0.1:8024/api" in text
    assert "export CIELO24_API_TOKEN=" in text


def anchors(page: Path) -> set[str]:
    """The heading anchors of a Markdown page, as GitHub makes them (lower case)."""
    headings = re.findall(r"^#+\s+(.*)$", page.read_text(), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_links_resolve(page: Path) -> None:
    for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", page.read_text()):
        if "://" in target or target.startswith("mailto:"):
            continue
        linked = (page.parent / target).resolve() if target else page
        assert linked.exists(), f"{page_id(page)} links to missing {target}"
        if anchor and linked.suffix == ".md":
            assert anchor.lower() in anchors(linked), f"{page_id(page)}: no #{anchor} in {target}"


def test_every_model_and_api_class_has_a_page() -> None:
    import cielo24.apis
    import cielo24.models

    for name in [*cielo24.models.__all__, *cielo24.apis.__all__]:
        assert (ROOT / "docs" / f"{name}.md").exists(), f"docs/{name}.md is missing"


@pytest.mark.parametrize("api", ["JobApi", "AccountApi"])
def test_every_public_method_has_its_entry(api: str) -> None:
    import inspect

    import cielo24.apis

    cls = getattr(cielo24.apis, api)
    page = (ROOT / "docs" / f"{api}.md").read_text()
    entries = set(re.findall(r"^# \*\*(\w+)\*\*\s*$", page, flags=re.M))
    methods = {
        name
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }
    assert methods, f"{api} has no public method"
    missing = sorted(methods - entries)
    assert not missing, f"docs/{api}.md has no '# **name**' entry for {missing}"
    stale = sorted(entries - methods)
    assert not stale, f"docs/{api}.md documents methods {api} does not have: {stale}"


def test_every_model_has_its_page() -> None:
    import cielo24.models

    assert cielo24.models.__all__
    for name in cielo24.models.__all__:
        assert (ROOT / "docs" / f"{name}.md").is_file(), f"docs/{name}.md is missing"

"""Run mypy and pyright on mistakes.py; fail unless each reports exactly the marked lines.

Each line of mistakes.py that ends with ``# expect: mypy[code] pyright[rule]`` must get an
error with that code (or one of ``a|b``) from mypy and that rule from pyright, and no other
line may get any error. Run from anywhere: ``python test/typing/check_mistakes.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MISTAKES = Path(__file__).with_name("mistakes.py")
EXPECT = re.compile(r"# expect: mypy\[([\w|-]+)\] pyright\[([\w|]+)\]\s*$")


def expected() -> dict[str, dict[int, set[str]]]:
    """For each checker, the line numbers (1-based) of the mistakes and the accepted codes."""
    wanted: dict[str, dict[int, set[str]]] = {"mypy": {}, "pyright": {}}
    for number, line in enumerate(MISTAKES.read_text().splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            wanted["mypy"][number] = set(match.group(1).split("|"))
            wanted["pyright"][number] = set(match.group(2).split("|"))
    return wanted


def run(command: list[str]) -> str:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def mypy_errors() -> dict[int, set[str]]:
    output = run([sys.executable, "-m", "mypy", "--no-error-summary", str(MISTAKES)])
    found: dict[int, set[str]] = {}
    for line, code in re.findall(r"^.*mistakes\.py:(\d+): error: .*\[([\w-]+)\]$", output, re.M):
        found.setdefault(int(line), set()).add(code)
    return found


def pyright_errors() -> dict[int, set[str]]:
    # pyproject.toml excludes mistakes.py, and pyright honours that even for a file named on
    # its command line: give it a configuration of its own, as strict as the project's.
    with tempfile.TemporaryDirectory() as directory:
        config = Path(directory) / "pyrightconfig.json"
        config.write_text(
            json.dumps(
                {
                    "extraPaths": [str(ROOT)],
                    "pythonVersion": "3.9",
                    "typeCheckingMode": "strict",
                }
            )
        )
        command = [sys.executable, "-m", "pyright", "--outputjson", "-p", str(config)]
        output = run([*command, str(MISTAKES)])
    report = json.loads(output)
    found: dict[int, set[str]] = {}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            line = diagnostic["range"]["start"]["line"] + 1
            found.setdefault(line, set()).add(diagnostic.get("rule", "(no rule)"))
    return found


def compare(checker: str, wanted: dict[int, set[str]], found: dict[int, set[str]]) -> list[str]:
    problems: list[str] = []
    for line, codes in sorted(wanted.items()):
        if not codes & found.get(line, set()):
            got = ", ".join(sorted(found.get(line, set()))) or "nothing"
            problems.append(
                f"{checker}: line {line} should be {'|'.join(sorted(codes))}, got {got}"
            )
    for line in sorted(set(found) - set(wanted)):
        problems.append(f"{checker}: line {line} is no known mistake: {sorted(found[line])}")
    return problems


def main() -> int:
    wanted = expected()
    problems = compare("mypy", wanted["mypy"], mypy_errors())
    problems += compare("pyright", wanted["pyright"], pyright_errors())
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"mypy and pyright each report exactly the {len(wanted['mypy'])} known mistakes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

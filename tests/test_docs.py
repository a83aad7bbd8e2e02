"""The README's promises: two one-line commands first, every command documented with examples."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_exactly_two_one_line_bash_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    assert README.startswith("```bash\n")
    first, second = blocks[0].strip(), blocks[1].strip()
    assert "\n" not in first and "\n" not in second
    assert "pip install -e ." in first and first.endswith("kg build")
    assert "'.[test]'" in second and "pytest" in second
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "block==2" in ci  # CI runs the README's second command, not a copy of it


def test_every_command_has_help_with_an_example_and_a_readme_section():
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "-h"])
        assert result.exit_code == 0 and "Example:" in result.output, name
        assert f"### `kg {name}" in README, name


def test_help_is_fast_because_imports_are_lazy():
    import subprocess
    import sys

    code = "import sys, kg.cli; print(sorted(m for m in ('rdflib', 'networkx', 'pyvis', 'pyoxigraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

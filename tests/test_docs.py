"""README documents every setting and every command (../shared/STYLE.md)."""
from pathlib import Path

import pytest

from lib.cli import cli
from lib.settings import SPECS, env_name

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    assert README.index("make run") < README.index("## Command line") < README.index("## Configuration")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_setting_is_documented(spec):
    assert f"`{env_name(spec)}`" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name):
    assert f"`{name}" in README, f"command {name!r} missing from README"

"""A stack file read again is not parsed again, yet every read behaves as the first: its own copy, the file's
current text, and a broken file's error every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from lattice_components.config import ConfigError
from lattice_components.config import stack_file

GOOD = "config:\n  lattice:account: orders\n  lattice:services:\n    api:\n      port: 443\n"


def test_each_read_is_a_copy_of_its_own(tmp_path: Path):
    path = tmp_path / "Pulumi.orders-dev.yaml"
    path.write_text(GOOD)
    first = stack_file.load_stack_file(path)
    first["lattice:services"]["api"]["port"] = 80  # a caller changing what it got
    assert stack_file.load_stack_file(path)["lattice:services"]["api"]["port"] == 443


def test_a_changed_file_is_read_as_it_is_now(tmp_path: Path):
    path = tmp_path / "Pulumi.orders-dev.yaml"
    path.write_text(GOOD)
    stack_file.load_stack_file(path)
    path.write_text(GOOD.replace("443", "8443"))
    assert stack_file.load_stack_file(path)["lattice:services"]["api"]["port"] == 8443


def test_a_broken_file_fails_on_every_read_with_its_own_name(tmp_path: Path):
    path = tmp_path / "Pulumi.orders-dev.yaml"
    path.write_text(GOOD + "  lattice:account: payments\n")  # a duplicate key
    for source in ("stacks/Pulumi.orders-dev.yaml", "stacks/Pulumi.orders-dev.yaml", "elsewhere.yaml"):
        with pytest.raises(ConfigError) as raised:
            stack_file.load_stack_file(path, source)
        assert source in str(raised.value) and "lattice:account" in str(raised.value)


def test_the_same_text_under_another_name_names_that_file(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("config: [1]\n")
    (tmp_path / "b.yaml").write_text("config: [1]\n")
    for name in ("a.yaml", "b.yaml"):
        with pytest.raises(ConfigError, match=name):
            stack_file.load_stack_file(tmp_path / name, name)

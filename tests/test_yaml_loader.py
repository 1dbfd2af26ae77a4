"""bordermap._yaml: the one YAML loader (layers and the frontier catalogue)."""

from __future__ import annotations

import pytest

from bordermap import _yaml, frontiers
from bordermap.errors import FrontierError, LayerError


def test_lines_of_keys_and_items():
    data = _yaml.load("a: 1\nb:\n  - x\n  - {c: 2}\n")
    assert isinstance(data, _yaml.LinedMap) and isinstance(data["b"], _yaml.LinedSeq)
    assert (data.line_of("a"), data.line_of("b"), data["b"].line_of(1)) == (1, 2, 4)
    assert data["b"][1].line == 4


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: 190:30", "190:30"),
        ("v: -1:30:00", "-1:30:00"),
        ("v: 010", 10),
        ("v: 0x1f", 31),
        ("v: 1_000", 1000),
        ("v: 2024-01-16", "2024-01-16"),
        ("v: 1.5e3", 1500.0),
        ("v: .5", 0.5),
        ("v: 1e3", 1000.0),
        ("v: .inf", float("inf")),
    ],
)
def test_yaml_12_numbers_and_dates_as_text(text, value):
    assert _yaml.load(text)["v"] == value


def test_aliases_within_the_cap_are_shared_not_copied():
    text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
    data = _yaml.load(text)
    assert data["b"][0] is data["b"][1] and data["b"][0] == [1, 2, 3]


def test_recursive_alias_refused():
    with pytest.raises(LayerError, match="nested more than 64 levels"):
        _yaml.load("a: &a [*a]\n")


def test_refusals_carry_the_callers_error_class_and_line():
    with pytest.raises(FrontierError) as info:
        _yaml.load("x: 1\ny:\n  x: 2\n  x: 3\n", path="f.yaml", error=FrontierError)
    assert info.value.line == 4 and "appears twice" in info.value.message
    with pytest.raises(LayerError) as info:
        _yaml.load("v: " + "9" * 101, path="n.yaml")
    assert info.value.line == 1 and "101 digits" in info.value.message


def test_unsafe_tags_refused():
    with pytest.raises(LayerError, match="safe loader"):
        _yaml.load('v: !!python/object/apply:os.system ["true"]')


def test_lined_caps_depth():
    deep: list = []
    node = deep
    for _ in range(100):
        node.append([])
        node = node[0]
    with pytest.raises(ValueError, match="nested more than 64"):
        _yaml.lined(deep, 1)


def test_frontier_catalogue_read_with_the_shared_loader(tmp_path):
    path = tmp_path / "frontiers.yaml"
    path.write_text("frontiers:\n  a-b:\n    countries: [AAA, BBB]\n  a-b:\n    countries: [X]\n")
    with pytest.raises(FrontierError) as info:
        frontiers._catalogue(str(path), 0)
    assert info.value.line == 4 and "'a-b' appears twice" in info.value.message
    assert info.value.path == str(path)


@pytest.mark.parametrize(
    "text", ["v: !!int abc", "v: !!float abc", "v: !!timestamp 2024-99-99", "v: !!binary x"]
)
def test_bad_tagged_values_are_clear_errors(text):
    with pytest.raises(LayerError, match="cannot read YAML"):
        _yaml.load(text, path="t.yaml")

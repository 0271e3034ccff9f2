"""Embedded example reports.

``seed``: the real 2020 report of 山东省商务厅 (2019 format), every table number and its full text.
``example2021``: a complete 2021-format report of a fictional agency (示例县人民政府办公室, clearly an example).
"""
from __future__ import annotations

from importlib import resources

EXAMPLES = {
    "seed": "seed-2020-shandong-commerce.json",
    "example2021": "example-2021-demo-county.json",
}


def path(name: str):
    """A path-like to the example's JSON inside the package."""
    return resources.files(__package__).joinpath(EXAMPLES[name])


def load(name: str):
    """The example as a validated Report."""
    from ..model import parse_json
    p = path(name)
    return parse_json(p.read_bytes(), f"<示例 {EXAMPLES[name]}>")

"""The Terraform configurations under terraform/, parsed with python-hcl2 for property tests.

Values come back as python-hcl2 gives them: literals as Python values, expressions as
``"${...}"`` strings (``"${var.cidr}"``), nested blocks as lists of dicts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions
from tf_tools import TERRAFORM_ROOT, config_dirs, rel

_OPTIONS = SerializationOptions(
    with_comments=False,
    strip_string_quotes=True,
    preserve_heredocs=False,
    explicit_blocks=True,
)
_LABELLED_TWICE = ("resource", "data")
_LABELLED_ONCE = ("variable", "output", "module", "provider")


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _unquote(label: str) -> str:
    return label[1:-1] if len(label) >= 2 and label[0] == label[-1] == '"' else label


@dataclass(frozen=True)
class Block:
    kind: str  # resource, data, variable, output, module, provider, locals, terraform
    type: str  # resource/data type; "" for the others
    name: str
    body: dict[str, Any]
    file: Path

    @property
    def address(self) -> str:
        prefix = "data." if self.kind == "data" else ""
        return f"{prefix}{self.type}.{self.name}" if self.type else f"{self.kind}.{self.name}"

    def where(self) -> str:
        return f"{self.address} in {rel(self.file)}"

    def get(self, key: str, default: Any = None) -> Any:
        return self.body.get(key, default)

    def blocks(self, key: str) -> list[dict[str, Any]]:
        """Nested blocks named ``key`` (each a dict), or []."""
        value = self.body.get(key, [])
        return value if isinstance(value, list) else [value]

    def lifecycle(self) -> dict[str, Any]:
        found = self.blocks("lifecycle")
        return found[0] if found else {}


@dataclass(frozen=True)
class Config:
    """One Terraform root (a module or an environment): every block of its *.tf files."""

    path: Path
    blocks: tuple[Block, ...]

    @property
    def name(self) -> str:
        return rel(self.path)

    def of(self, kind: str, type_: str | None = None) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind and (type_ is None or b.type == type_)]

    def resources(self, type_: str | None = None) -> list[Block]:
        return self.of("resource", type_)

    def resource(self, type_: str, name: str) -> Block:
        return self._one("resource", type_, name)

    def data(self, type_: str, name: str) -> Block:
        return self._one("data", type_, name)

    def variables(self) -> dict[str, Block]:
        return {b.name: b for b in self.of("variable")}

    def outputs(self) -> dict[str, Block]:
        return {b.name: b for b in self.of("output")}

    def modules(self) -> dict[str, Block]:
        return {b.name: b for b in self.of("module")}

    def locals(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for block in self.of("locals"):
            merged.update(block.body)
        return merged

    def _one(self, kind: str, type_: str, name: str) -> Block:
        found = [b for b in self.of(kind, type_) if b.name == name]
        assert len(found) == 1, f"{self.name}: expected one {kind} {type_}.{name}, got {len(found)}"
        return found[0]


def _parse_file(path: Path) -> list[Block]:
    with path.open() as handle:
        data = hcl2.load(handle, serialization_options=_OPTIONS)
    blocks: list[Block] = []
    for kind, entries in data.items():
        if kind.startswith("__"):
            continue
        for entry in entries:
            if kind in _LABELLED_TWICE:
                for type_, named in entry.items():
                    for name, body in named.items():
                        blocks.append(
                            Block(kind, _unquote(type_), _unquote(name), _clean(body), path)
                        )
            elif kind in _LABELLED_ONCE:
                for name, body in entry.items():
                    blocks.append(Block(kind, "", _unquote(name), _clean(body), path))
            else:  # locals, terraform
                blocks.append(Block(kind, "", kind, _clean(entry), path))
    return blocks


def load(path: Path) -> Config:
    blocks = [b for tf in sorted(path.glob("*.tf")) for b in _parse_file(tf)]
    return Config(path, tuple(blocks))


@functools.cache
def all_configs() -> dict[str, Config]:
    """Every module and environment, by path under terraform/ (``modules/network``)."""
    return {rel(path): load(path) for path in config_dirs()}


def module(name: str) -> Config:
    return all_configs()[f"modules/{name}"]


def env(name: str) -> Config:
    return all_configs()[f"envs/{name}"]


def every_block() -> list[Block]:
    return [b for config in all_configs().values() for b in config.blocks]


def tf_files() -> list[Path]:
    return sorted(TERRAFORM_ROOT.rglob("*.tf"))


# --- expressions --------------------------------------------------------------------------

_INTERPOLATION = re.compile(r"^\$\{(.*)\}$", re.DOTALL)


def expr(value: Any) -> str:
    """The expression text of an attribute: ``"${var.x}"`` -> ``var.x``; literals as text."""
    if isinstance(value, str):
        match = _INTERPOLATION.match(value)
        return match.group(1).strip() if match else value
    return repr(value)

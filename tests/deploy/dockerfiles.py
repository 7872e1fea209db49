"""Just enough of a Dockerfile parser and of ``.dockerignore`` matching for the image tests.

No Docker engine here, so the images are checked by reading: instructions (continuations
joined, comments dropped), stages, the sources each ``COPY`` and ``--mount=type=bind`` takes
from the build context, and whether ``.dockerignore`` lets those sources through (Docker's
rules: patterns in order, the last match wins, a match on a parent directory counts).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SERVICE_DOCKERFILES = sorted(REPO.glob("services/*/Dockerfile"))
EDGE_DOCKERFILE = REPO / "deploy" / "edge" / "Dockerfile"
ALL_DOCKERFILES = [*SERVICE_DOCKERFILES, EDGE_DOCKERFILE]


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form CMD/ENTRYPOINT/RUN, or None for the shell form."""
        text = self.arguments.strip()
        if not text.startswith("["):
            return None
        loaded = json.loads(text)
        assert isinstance(loaded, list) and all(isinstance(item, str) for item in loaded)
        return loaded

    def flags(self) -> dict[str, str]:
        """``--from=uv`` style flags at the start of the arguments (repeated ones joined by ;)."""
        found: dict[str, str] = {}
        for token in shlex.split(self.arguments):
            if not token.startswith("--"):
                break
            key, _, value = token[2:].partition("=")
            found[key] = f"{found[key]};{value}" if key in found else value
        return found

    def words(self) -> list[str]:
        return [t for t in shlex.split(self.arguments) if not t.startswith("--")]


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def of(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


@dataclass(frozen=True)
class Dockerfile:
    path: Path

    @cached_property
    def instructions(self) -> list[Instruction]:
        logical: list[str] = []
        pending = ""
        for raw in self.path.read_text().splitlines():
            stripped = raw.strip()
            if not pending and (not stripped or stripped.startswith("#")):
                continue
            if pending and stripped.startswith("#"):
                continue  # a comment inside a continued instruction
            if stripped.endswith("\\"):
                pending += stripped[:-1] + " "
                continue
            logical.append(pending + stripped)
            pending = ""
        assert not pending, f"{self.path}: dangling line continuation"
        out = []
        for line in logical:
            keyword, _, arguments = line.partition(" ")
            out.append(Instruction(keyword.upper(), arguments.strip()))
        return out

    @cached_property
    def stages(self) -> list[Stage]:
        stages: list[Stage] = []
        for instruction in self.instructions:
            if instruction.keyword == "FROM":
                words = instruction.words()
                name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
                stages.append(Stage(words[0], name))
            else:
                assert stages, f"{self.path}: {instruction.keyword} before FROM"
                stages[-1].instructions.append(instruction)
        return stages

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    def context_sources(self) -> list[str]:
        """Paths taken from the build context: COPY/ADD sources (not --from) and bind mounts."""
        sources: list[str] = []
        for instruction in self.instructions:
            if instruction.keyword in ("COPY", "ADD") and "from" not in instruction.flags():
                sources += instruction.words()[:-1]
            if instruction.keyword == "RUN":
                for mount in instruction.flags().get("mount", "").split(";"):
                    options = dict(part.partition("=")[::2] for part in mount.split(",") if part)
                    if options.get("type") == "bind" and "from" not in options:
                        sources.append(options.get("source", "."))
        return sources

    def uv_packages(self) -> list[str]:
        return re.findall(
            r"--package[ =]([\w-]+)", " ".join(i.arguments for i in self.instructions)
        )


# -- .dockerignore ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IgnoreRule:
    pattern: re.Pattern[str]
    exclude: bool


def dockerignore_rules(path: Path = REPO / ".dockerignore") -> list[IgnoreRule]:
    rules = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclude = not line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        rules.append(IgnoreRule(re.compile(_translate(pattern)), exclude))
    return rules


def _translate(pattern: str) -> str:
    # Go's filepath.Match plus Docker's "**" (any number of directories).
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out += "[" + pattern[i + 1 : end].replace("^", "\\^", 1) + "]"
            i = end + 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return out


def is_ignored(relative: str, rules: list[IgnoreRule]) -> bool:
    """Whether the build context leaves ``relative`` (a path from the repository root) out."""
    parts = relative.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for rule in rules:
        if any(rule.pattern.fullmatch(candidate) for candidate in candidates):
            ignored = rule.exclude
    return ignored


def context_files(source: str, rules: list[IgnoreRule]) -> list[str]:
    """The files under ``source`` that reach the build context."""
    root = REPO / source
    files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    relative = [str(p.relative_to(REPO)) for p in files]
    return [r for r in relative if not is_ignored(r, rules)]

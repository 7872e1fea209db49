"""Just enough of a Dockerfile parser and of ``.dockerignore`` matching for the image tests.

No Docker engine here, so the images are checked by reading: instructions (continuations
joined, comments dropped), build arguments substituted where Docker substitutes them, stages
and the chain of stages a ``--target`` builds, the sources each ``COPY`` and
``--mount=type=bind`` takes from the build context, and whether ``.dockerignore`` lets those
sources through (Docker's rules: patterns in order, the last match wins, a match on a parent
directory counts). The Python images are the builds ``docker-compose.yml`` declares.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
SERVICE_DOCKERFILE = REPO / "deploy" / "service" / "Dockerfile"
EDGE_DOCKERFILE = REPO / "deploy" / "edge" / "Dockerfile"
ALL_DOCKERFILES = [SERVICE_DOCKERFILE, EDGE_DOCKERFILE]
# Where Docker expands ${ARG}; RUN sees build arguments as environment variables. CMD,
# ENTRYPOINT and HEALTHCHECK run in the container, where only ENV is left.
SUBSTITUTED = {"FROM", "ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME",
               "WORKDIR", "ARG", "RUN"}  # fmt: skip
REFERENCE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


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

    def assignments(self) -> dict[str, str]:
        """``ENV``/``ARG`` ``KEY=value`` pairs (an ``ARG`` without a default maps to "")."""
        pairs = (token.partition("=") for token in shlex.split(self.arguments))
        return {key: value for key, _, value in pairs}


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def of(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def env(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for instruction in self.of("ENV"):
            found |= instruction.assignments()
        return found


@dataclass(frozen=True)
class Dockerfile:
    """A Dockerfile as one build reads it: ``args`` are the ``--build-arg`` values, ``target``
    the ``--target`` stage (default: the last one)."""

    path: Path
    args: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None

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
        declared: dict[str, str] = {}
        for line in logical:
            keyword, _, arguments = line.partition(" ")
            instruction = Instruction(keyword.upper(), arguments.strip())
            if instruction.keyword == "FROM":
                declared = {}  # a build argument is seen only in the stages that declare it
            if instruction.keyword in SUBSTITUTED:
                expanded = _expand(instruction.arguments, declared)
                instruction = Instruction(instruction.keyword, expanded)
            if instruction.keyword == "ARG":
                for name, default in instruction.assignments().items():
                    declared[name] = self.args.get(name, default)
            out.append(instruction)
        return out

    def undeclared_arguments(self) -> list[str]:
        """Build arguments used where the stage building them does not declare them (Docker
        would silently use "" there): ``${SERVICE}`` left in an instruction Docker expands."""
        return [
            f"{i.keyword} {i.arguments}"
            for stage in self.built_stages()
            for i in stage.instructions
            if i.keyword in SUBSTITUTED
            and any(name in self.args for name in _referenced(i.arguments))
        ]

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
        """The ``--target`` stage with the stages it is built ``FROM`` folded in: its base is an
        image, its instructions those of the whole chain, in order."""
        by_name = {stage.name: stage for stage in self.stages if stage.name}
        stage = by_name[self.target] if self.target else self.stages[-1]
        chain = [stage]
        while chain[-1].base in by_name:
            chain.append(by_name[chain[-1].base])
        instructions = [i for link in reversed(chain) for i in link.instructions]
        return Stage(chain[-1].base, stage.name, instructions)

    @property
    def build(self) -> Stage:
        """The stage the final one copies its virtualenv from."""
        (source,) = {i.flags()["from"] for i in self.final.of("COPY") if "from" in i.flags()}
        return next(stage for stage in self.stages if stage.name == source)

    def built_stages(self) -> list[Stage]:
        """The stages a build of the target runs: its chain and the stages it copies from."""
        by_name = {stage.name: stage for stage in self.stages if stage.name}
        todo = [by_name[self.target] if self.target else self.stages[-1]]
        built: set[int] = set()
        while todo:
            stage = todo.pop()
            if id(stage) in built:
                continue
            built.add(id(stage))
            copied = [i.flags()["from"] for i in stage.of("COPY") if "from" in i.flags()]
            todo += [by_name[name] for name in (stage.base, *copied) if name in by_name]
        return [stage for stage in self.stages if id(stage) in built]

    def context_sources(self) -> list[str]:
        """Paths taken from the build context: COPY/ADD sources (not --from) and bind mounts,
        by the stages this build runs."""
        sources: list[str] = []
        for instruction in (i for stage in self.built_stages() for i in stage.instructions):
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
            r"--package[ =]\"?([\w-]+)",
            " ".join(i.arguments for stage in self.built_stages() for i in stage.instructions),
        )


def _referenced(text: str) -> list[str]:
    return [braced or bare for braced, bare in REFERENCE.findall(text)]


def _expand(text: str, declared: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return declared[name] if name in declared else match.group(0)

    return REFERENCE.sub(value, text)


# -- the images docker-compose.yml builds ----------------------------------------------------


@dataclass(frozen=True)
class Image:
    """One Python image: the compose service that builds it and its Dockerfile as built."""

    service: str
    dockerfile: Dockerfile

    @property
    def package(self) -> str:
        return f"petshots-{self.service}"


def compose_images() -> list[Image]:
    """The product's images built from deploy/service/Dockerfile, one per image name."""
    loaded: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    images: dict[str, Image] = {}
    for service in loaded["services"].values():
        build = service.get("build")
        if build is None or REPO / build["dockerfile"] != SERVICE_DOCKERFILE:
            continue
        args = {key: str(value) for key, value in build.get("args", {}).items()}
        dockerfile = Dockerfile(SERVICE_DOCKERFILE, args, build.get("target"))
        images.setdefault(service["image"], Image(args["SERVICE"], dockerfile))
    return sorted(images.values(), key=lambda image: image.service)


SERVICE_IMAGES = compose_images()


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

"""Shape of terraform/ (module files, typed and validated inputs, described outputs, provider
constraints, S3 state with locking), the Helm-facing outputs against the app's real settings,
and the docs that describe them."""

from __future__ import annotations

import re

import yaml
from tf_config import Config, all_configs, env, expr, module
from tf_tools import REPO, TERRAFORM_ROOT, module_dirs

from petshots_testkit.configuration import setting_names

MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
PROVIDER_CONSTRAINT = ">= 5.80, < 6.0"
# Inputs that need no validation block: switches, free-form tags, and optional objects whose
# fields the provider checks.
UNVALIDATED_OK = {"tags", "access_logs"}
CHART_VALUES = REPO / "charts/petshots/values.yaml"
# Maps in the chart whose keys are free-form (settings, annotations).
FREE_FORM = {("config",), ("ingress", "annotations")}
DOCUMENTED_OUTPUTS = (
    "helm_values",
    "app_secret_inputs",
    "cognito_client_secret",
    "aws_load_balancer_controller_values",
    "external_secrets_values",
)


def test_every_module_has_the_standard_files_and_a_plan_test() -> None:
    for directory in module_dirs():
        for name in MODULE_FILES:
            assert (directory / name).is_file(), f"{directory.name}/{name} is missing"
        tests = sorted((directory / "tests").glob("*.tftest.hcl"))
        assert tests, f"{directory.name} has no tests/*.tftest.hcl"
        for test in tests:
            text = test.read_text()
            assert "mock_provider" in text and "command = plan" in text, test
            assert "command = apply" not in text, test


def _handed_to_a_validated_input(config: Config, name: str) -> bool:
    """Whether ``var.<name>`` goes unchanged into an input of a called module that validates
    it (the stack passes most of its inputs straight to the module that owns them)."""
    for call in config.modules().values():
        source = str(call.get("source", ""))
        if not source.startswith("../"):
            continue
        callee = module(source.removeprefix("../"))
        for argument, value in call.body.items():
            if expr(value) != f"var.{name}" or argument not in callee.variables():
                continue
            if callee.variables()[argument].blocks("validation"):
                return True
    return False


def test_inputs_are_typed_described_and_validated() -> None:
    for directory in module_dirs():
        config = module(directory.name)
        for name, variable in config.variables().items():
            where = f"modules/{directory.name}: variable {name}"
            assert variable.get("type"), f"{where} has no type"
            assert len(str(variable.get("description", ""))) > 10, f"{where} has no description"
            if expr(variable.get("type")) == "bool" or name in UNVALIDATED_OK:
                continue
            assert variable.blocks("validation") or _handed_to_a_validated_input(config, name), (
                f"{where} has no validation block and is not handed unchanged to a module "
                "input that validates it"
            )
        for name, output in config.outputs().items():
            assert output.get("description"), f"modules/{directory.name}: output {name}"


def test_provider_and_terraform_constraints() -> None:
    for config in all_configs().values():
        terraform = [b for b in config.of("terraform") if "required_providers" in b.body]
        assert len(terraform) == 1, config.name
        assert terraform[0].get("required_version") == ">= 1.10", config.name
        (providers,) = terraform[0].blocks("required_providers")
        assert providers["aws"]["source"] == "hashicorp/aws"
        assert providers["aws"]["version"] == PROVIDER_CONSTRAINT, config.name
        assert set(providers) == {"aws"}, (
            f"{config.name}: only the aws provider is available offline"
        )


def test_environments_keep_state_in_s3_with_locking() -> None:
    keys = set()
    for name in ("prod", "staging"):
        config = env(name)
        backends = [b for b in config.of("terraform") if "backend" in b.body]
        assert len(backends) == 1 and backends[0].file.name == "backend.tf", name
        (backend,) = backends[0].blocks("backend")
        s3 = backend["s3"]
        assert s3["use_lockfile"] is True and s3["encrypt"] is True, name
        assert "dynamodb_table" not in s3, f"{name}: S3-native locking replaces the DynamoDB table"
        assert "bucket" not in s3, f"{name}: the state bucket is given at init (-backend-config)"
        keys.add(s3["key"])
        default_provider = [p for p in config.of("provider") if "alias" not in p.body]
        assert expr(default_provider[0].get("allowed_account_ids")[0]) == "var.aws_account_id"
    assert len(keys) == 2, "each environment has its own state key"


def test_helm_env_names_are_real_settings() -> None:
    known = setting_names()
    stack = module("stack")
    service_env = stack.locals()["service_env"]
    assert expr(stack.outputs()["helm_values"].get("value")["config"]) == "local.service_env"
    unknown = sorted(set(service_env) - known)
    assert not unknown, f"helm_values.config sets names no service reads: {unknown}"
    for key, value in service_env.items():
        assert isinstance(value, str), f"{key} must be a string (Kubernetes env)"
    # The chart's schema refuses config keys that name a secret; so does this.
    secretish = [
        k
        for k in service_env
        if re.search(
            r"(SECRET|PASSWORD|SECRET_ACCESS_KEY|ACCESS_KEY_ID|SIGNING_KEYS|SEALING_KEY|DATABASE_URL|REDIS_URL)$",
            k,
        )
    ]
    assert not secretish, f"secrets belong in the app secret, not config: {secretish}"


def _key_paths(value: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(value, dict) or prefix in FREE_FORM:
        return [prefix] if prefix else []
    paths = [prefix] if prefix else []
    for key, child in value.items():
        paths.extend(_key_paths(child, (*prefix, key)))
    return paths


def test_helm_values_use_only_keys_the_chart_defines() -> None:
    """helm_values is layered onto charts/petshots: every key it sets must exist there."""
    chart = yaml.safe_load(CHART_VALUES.read_text())
    stack = module("stack")
    value = stack.outputs()["helm_values"].get("value")
    assert isinstance(value, dict)
    for path in _key_paths(value):
        node: object = chart
        for key in path:
            assert isinstance(node, dict) and key in node, (
                f"helm_values.{'.'.join(path)} is not a key of {CHART_VALUES.relative_to(REPO)}"
            )
            node = node[key]
    assert stack.outputs()["cognito_client_secret"].get("sensitive") is True
    for name in ("prod", "staging"):
        # Both environments feed the chart the stack's one helm_values, nothing of their own.
        outputs = env(name).outputs()
        assert expr(outputs["helm_values"].get("value")) == "module.stack.helm_values", name
        assert outputs["cognito_client_secret"].get("sensitive") is True, name


def test_environments_are_thin_callers_of_the_stack() -> None:
    """An environment is providers, backend, its operator inputs and one call of
    modules/stack; every output is the stack's output of the same name."""
    stack = module("stack")
    required = {n for n, v in stack.variables().items() if "default" not in v.body}
    for name in ("prod", "staging"):
        config = env(name)
        assert not config.resources() and not config.of("data"), f"{name} declares resources"
        assert set(config.modules()) == {"stack"}, f"{name} calls modules besides the stack"
        call = config.modules()["stack"]
        assert call.get("source") == "../../modules/stack", name
        missing = sorted(required - set(call.body))
        assert not missing, f"{name} does not state the stack inputs {missing}"
        unknown = sorted(set(call.body) - set(stack.variables()) - {"source", "providers"})
        assert not unknown, f"{name} passes inputs the stack does not have: {unknown}"
        used = {expr(v) for v in call.body.values() if isinstance(v, str)}
        unused = sorted(v for v in config.variables() if f"var.{v}" not in used)
        assert not unused, f"{name}: variables the stack never sees: {unused}"
        # The environments leave validation to the stack and the modules: each operator input
        # must land on a stack input that is a switch or is validated there or further down.
        for argument, value in call.body.items():
            if not isinstance(value, str) or not expr(value).startswith("var."):
                continue
            target = stack.variables()[argument]
            assert (
                expr(target.get("type")) == "bool"
                or target.blocks("validation")
                or _handed_to_a_validated_input(stack, argument)
            ), f"{name}: {expr(value)} reaches no validation (stack input {argument})"
        assert set(config.outputs()) == set(stack.outputs()), name
        for output, block in config.outputs().items():
            assert expr(block.get("value")) == f"module.stack.{output}", f"{name}: {output}"
            assert block.get("description"), f"{name}: output {output}"
            assert block.get("sensitive", False) == stack.outputs()[output].get(
                "sensitive", False
            ), f"{name}: {output} must be as sensitive as the stack's"
        assert (config.path / "terraform.tfvars.example").is_file(), name


def test_deploy_doc_documents_the_terraform_outputs() -> None:
    deploy = (REPO / "docs/deploy.md").read_text()
    assert "## Provision with Terraform" in deploy
    section = deploy.split("## Provision with Terraform", 1)[1].split("\n## ", 1)[0]
    for output in DOCUMENTED_OUTPUTS:
        assert f"`{output}`" in section, f"docs/deploy.md does not document the output {output}"
        for name in ("prod", "staging"):
            assert output in env(name).outputs(), f"{name} lacks the output {output}"


def test_readme_lists_every_module_and_the_cost_comparison() -> None:
    readme = (TERRAFORM_ROOT / "README.md").read_text()
    for directory in module_dirs():
        assert f"modules/{directory.name}" in readme, f"terraform/README.md misses {directory.name}"
    for needle in ("| **Total", "NAT gateway", "$5", "scale-to-zero", "15 s"):
        assert needle in readme, f"terraform/README.md lacks {needle!r}"
    for directory in module_dirs():
        text = (directory / "README.md").read_text()
        assert text.startswith(f"# {directory.name}\n"), directory.name
        assert len(text) > 400, f"modules/{directory.name}/README.md is a stub"


def test_cost_table_adds_up() -> None:
    """The idle cost lines of prod sum to the stated total (so an edited line cannot drift)."""
    readme = (TERRAFORM_ROOT / "README.md").read_text()
    section = readme.split("## Idle monthly cost of prod", 1)[1].splitlines()
    start = next(i for i, row in enumerate(section) if row.startswith("| line"))
    table = []
    for row in section[start:]:
        if not row.startswith("|"):
            break
        table.append(row)
    lines, total = [], None
    for row in table:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        match = re.search(r"([0-9]+(?:\.[0-9]+)?)\**$", cells[-1])
        if match is None:
            continue
        if cells[0].startswith("**Total"):
            total = float(match.group(1))
        else:
            lines.append(float(match.group(1)))
    assert total is not None and len(lines) >= 10
    assert abs(sum(lines) - total) <= 1.0, f"lines sum to {sum(lines):.2f}, the table says {total}"

"""Edge properties: Origin Access Control (never an OAI), the us-east-1 certificate, SPA-only
error handling, the API paths uncached to the ALB, security headers, Route 53 aliases; and the
CloudFront Function's routing, executed with Node when Node is installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tf_checks import REPORT
from tf_config import all_configs, env, expr, module
from tf_tools import TERRAFORM_ROOT

CDN = module("cdn")
DISTRIBUTION = CDN.resource("aws_cloudfront_distribution", "this")
FUNCTION_TEMPLATE = TERRAFORM_ROOT / "modules/cdn/functions/viewer-request.js.tftpl"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def _origins() -> dict[str, dict[str, object]]:
    return {expr(o["origin_id"]): o for o in DISTRIBUTION.blocks("origin")}


def test_spa_origin_uses_origin_access_control_and_no_oai_exists_anywhere() -> None:
    for config in all_configs().values():
        assert not config.resources("aws_cloudfront_origin_access_identity"), config.name
        for block in config.resources("aws_cloudfront_distribution"):
            for origin in block.blocks("origin"):
                assert "s3_origin_config" not in origin, f"{block.where()}: OAI origin"
    spa = _origins()["local.spa_origin_id"]
    assert expr(spa["origin_access_control_id"]) == "aws_cloudfront_origin_access_control.spa.id"
    assert expr(spa["domain_name"]) == "aws_s3_bucket.spa.bucket_regional_domain_name"
    oac = CDN.resource("aws_cloudfront_origin_access_control", "spa")
    assert (oac.get("signing_behavior"), oac.get("signing_protocol")) == ("always", "sigv4")
    policy = CDN.data("aws_iam_policy_document", "spa")
    (read,) = [s for s in policy.blocks("statement") if s.get("effect", "Allow") == "Allow"]
    assert read["actions"] == ["s3:GetObject"]
    assert read["principals"][0]["identifiers"] == ["cloudfront.amazonaws.com"]
    (condition,) = read["condition"]
    assert condition["variable"] == "AWS:SourceArn"
    assert [expr(v) for v in condition["values"]] == ["aws_cloudfront_distribution.this.arn"]
    public = CDN.resource("aws_s3_bucket_public_access_block", "spa")
    assert all(
        public.get(k) is True
        for k in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )


def test_certificate_is_issued_in_us_east_1_and_validated_by_dns() -> None:
    viewer = DISTRIBUTION.blocks("viewer_certificate")[0]
    assert (
        expr(viewer["acm_certificate_arn"]) == "aws_acm_certificate_validation.this.certificate_arn"
    )
    assert viewer["minimum_protocol_version"] == "TLSv1.2_2021"
    assert viewer["ssl_support_method"] == "sni-only"
    certificate = CDN.resource("aws_acm_certificate", "this")
    validation = CDN.resource("aws_acm_certificate_validation", "this")
    assert expr(certificate.get("provider")) == "aws.us_east_1"
    assert expr(validation.get("provider")) == "aws.us_east_1"
    assert certificate.get("validation_method") == "DNS"
    assert expr(certificate.get("domain_name")) == "var.domain_name"
    versions = (TERRAFORM_ROOT / "modules/cdn/versions.tf").read_text()
    assert "configuration_aliases = [aws.us_east_1]" in versions
    stack_versions = (TERRAFORM_ROOT / "modules/stack/versions.tf").read_text()
    assert "configuration_aliases = [aws.us_east_1]" in stack_versions
    calls = {"modules/stack": module("stack").modules()["cdn"]}
    for name in ("prod", "staging"):
        providers = [p for p in env(name).of("provider") if p.get("alias") == "us_east_1"]
        assert len(providers) == 1 and providers[0].get("region") == "us-east-1", name
        calls[f"envs/{name}"] = env(name).modules()["stack"]
    for where, call in calls.items():
        mapping = {expr(k): expr(v) for k, v in call.get("providers").items()}
        assert mapping == {"aws": "aws", "aws.us_east_1": "aws.us_east_1"}, where


def test_spa_fallback_is_on_the_spa_behaviour_only() -> None:
    """CloudFront custom error responses are distribution-wide: they would turn the API's
    404/410/401 into index.html. The SPA fallback is a viewer-request function on the default
    (SPA) behaviour; the API behaviours have none."""
    assert "custom_error_response" not in DISTRIBUTION.body
    assert DISTRIBUTION.get("default_root_object") == "index.html"
    default = DISTRIBUTION.blocks("default_cache_behavior")[0]
    assert expr(default["target_origin_id"]) == "local.spa_origin_id"
    (association,) = default["function_association"]
    assert association["event_type"] == "viewer-request"
    assert expr(association["function_arn"]) == "aws_cloudfront_function.spa_router.arn"
    (dynamic,) = [
        d["ordered_cache_behavior"]
        for d in DISTRIBUTION.blocks("dynamic")
        if "ordered_cache_behavior" in d
    ]
    behaviour = dynamic["content"][0]
    assert (
        "function_association" not in behaviour and "lambda_function_association" not in behaviour
    )
    assert "ordered_cache_behavior" not in DISTRIBUTION.body


def test_api_paths_go_uncached_to_the_alb_with_authorization() -> None:
    assert CDN.variables()["api_path_patterns"].get("default") == [
        "/api",
        "/api/*",
        "/auth/*",
        "/p/*",
    ]
    (dynamic,) = [
        d["ordered_cache_behavior"]
        for d in DISTRIBUTION.blocks("dynamic")
        if "ordered_cache_behavior" in d
    ]
    assert expr(dynamic["for_each"]) == "var.api_path_patterns"
    behaviour = dynamic["content"][0]
    assert expr(behaviour["target_origin_id"]) == "local.api_origin_id"
    managed = CDN.locals()
    assert expr(behaviour["cache_policy_id"]) == "local.managed_cache_policy.caching_disabled"
    assert managed["managed_cache_policy"]["caching_disabled"] == CACHING_DISABLED
    # Every viewer header (with caching disabled, Authorization too) plus the viewer's address.
    assert (
        expr(behaviour["origin_request_policy_id"]) == "aws_cloudfront_origin_request_policy.api.id"
    )
    policy = CDN.resource("aws_cloudfront_origin_request_policy", "api")
    headers = policy.blocks("headers_config")[0]
    assert headers["header_behavior"] == "allViewerAndWhitelistCloudFront"
    assert headers["headers"][0]["items"] == ["CloudFront-Viewer-Address"]
    # Host is forwarded, so the ALB's certificate must name what viewers use.
    origin_certificate = CDN.resource("aws_acm_certificate", "origin")
    assert expr(origin_certificate.get("domain_name")) == "var.domain_name"
    assert sorted(expr(n) for n in origin_certificate.get("subject_alternative_names")) == [
        "local.api_origin_domain",
        "local.www_domain",
    ]
    assert {"POST", "PUT", "PATCH", "DELETE"} <= set(behaviour["allowed_methods"])
    alb = _origins()["local.api_origin_id"]
    custom = alb["custom_origin_config"][0]  # type: ignore[index]
    assert custom["origin_protocol_policy"] == "https-only"
    assert custom["origin_ssl_protocols"] == ["TLSv1.2"]


def _to_alb(path: str, patterns: list[str]) -> bool:
    """CloudFront path-pattern matching: `*` is any run of characters, the rest is literal."""
    return any(re.fullmatch(re.escape(p).replace(r"\*", ".*"), path) for p in patterns)


def test_cloudfront_routes_like_the_edge_routing_table() -> None:
    """The edge routing table (tools/devstack) is the one copy of SPEC §4's routing; CloudFront
    must send the same paths to the services, and everything else to the SPA."""
    from petshots_devstack.edge_routes import EDGE_ROUTES, Fallback, Match, route_for

    patterns = CDN.variables()["api_path_patterns"].get("default")
    samples = {
        "/",
        "/dashboard",
        "/pets/42",
        "/apix",
        "/authx",
        "/px",
        "/index.html",
        "/assets/a.js",
    }
    for route in EDGE_ROUTES:
        samples.update(
            {route.path, f"{route.path}/", f"{route.path}/x", f"{route.path}/x/y", f"{route.path}x"}
        )
        if route.match is Match.BELOW:
            samples.add(route.path)
    for path in sorted(samples):
        expected_alb = route_for(path) is not Fallback.SPA
        assert _to_alb(path, patterns) is expected_alb, (
            f"{path}: edge table says {route_for(path)}, CloudFront sends it to "
            f"{'the ALB' if _to_alb(path, patterns) else 'the SPA'}"
        )


def test_security_headers_tls_and_ipv6() -> None:
    assert DISTRIBUTION.get("is_ipv6_enabled") is True
    headers = CDN.resource("aws_cloudfront_response_headers_policy", "security")
    config = headers.blocks("security_headers_config")[0]
    assert config["strict_transport_security"][0]["access_control_max_age_sec"] >= 31536000
    assert "content_type_options" in config
    assert config["frame_options"][0]["frame_option"] == "DENY"
    assert (
        "frame-ancestors 'none'" in config["content_security_policy"][0]["content_security_policy"]
    )
    assert config["referrer_policy"][0]["referrer_policy"]
    default = DISTRIBUTION.blocks("default_cache_behavior")[0]
    (dynamic,) = [
        d["ordered_cache_behavior"]
        for d in DISTRIBUTION.blocks("dynamic")
        if "ordered_cache_behavior" in d
    ]
    for behaviour in (default, dynamic["content"][0]):
        assert (
            expr(behaviour["response_headers_policy_id"])
            == "aws_cloudfront_response_headers_policy.security.id"
        )
        assert behaviour["viewer_protocol_policy"] == "redirect-to-https"


def test_route53_alias_a_and_aaaa_for_apex_and_www() -> None:
    records = CDN.resource("aws_route53_record", "alias")
    wanted = {
        ("var.domain_name", "A"),
        ("var.domain_name", "AAAA"),
        ("local.www_domain", "A"),
        ("local.www_domain", "AAAA"),
    }
    found = {(expr(v["name"]), v["type"]) for v in records.get("for_each").values()}
    assert found == wanted
    alias = records.blocks("alias")[0]
    assert expr(alias["name"]) == "aws_cloudfront_distribution.this.domain_name"
    assert expr(alias["zone_id"]) == "aws_cloudfront_distribution.this.hosted_zone_id"
    assert "records" not in records.body and records.get("type") != "CNAME"


def _render_function() -> str:
    text = FUNCTION_TEMPLATE.read_text()
    return text.replace("${redirect_host}", "www.petshots.example").replace(
        "${canonical_host}", "petshots.example"
    )


_NODE_HARNESS = """
const source = require('fs').readFileSync(process.argv[1], 'utf8');
const handler = new Function(source + '\\nreturn handler;')();
const cases = JSON.parse(process.argv[2]);
const out = cases.map(([host, uri, query]) => {
  const event = { request: { uri, headers: { host: { value: host } }, querystring: query } };
  const result = handler(event);
  return result.statusCode
    ? { status: result.statusCode, location: result.headers.location.value }
    : { uri: result.uri };
});
process.stdout.write(JSON.stringify(out));
"""


def test_cloudfront_function_routes_like_the_spa_needs(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        REPORT.add("[SKIPPED] CloudFront Function executed with Node: node is not installed")
        pytest.skip("node is not installed: the router's logic was checked statically only")
    script = tmp_path / "router.js"
    script.write_text(_render_function())
    cases = [
        ["petshots.example", "/dashboard", {}],
        ["petshots.example", "/pets/42/records", {}],
        ["petshots.example", "/", {}],
        ["petshots.example", "/assets/index-3f9a.js", {}],
        ["petshots.example", "/favicon.ico", {}],
        ["www.petshots.example", "/pets", {"tab": {"value": "docs"}}],
    ]
    result = subprocess.run(
        [node, "-e", _NODE_HARNESS, str(script), json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    out = json.loads(result.stdout)
    assert out[0] == {"uri": "/index.html"}
    assert out[1] == {"uri": "/index.html"}
    assert out[2] == {"uri": "/index.html"}
    assert out[3] == {"uri": "/assets/index-3f9a.js"}
    assert out[4] == {"uri": "/favicon.ico"}
    assert out[5] == {"status": 301, "location": "https://petshots.example/pets?tab=docs"}
    REPORT.add("[executed] CloudFront Function (SPA router) run with Node against 6 requests: ok")

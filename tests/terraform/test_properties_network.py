"""Network properties, read from the HCL: CIDRs and tiers, a NAT instance (never a NAT
gateway), the S3 gateway endpoint on the right route tables, optional extras off by default."""

from __future__ import annotations

import ipaddress
from itertools import combinations

from tf_config import Block, all_configs, env, expr, module

NET = module("network")
TIERS = ("public", "app", "data")


def _default(variable: str) -> object:
    return NET.variables()[variable].get("default")


def test_vpc_is_10_0_0_0_16_in_every_environment() -> None:
    assert _default("cidr") == "10.0.0.0/16"
    assert expr(NET.resource("aws_vpc", "this").get("cidr_block")) == "var.cidr"
    call = module("stack").modules()["network"]
    for key in ("cidr", "public_subnets", "app_subnets", "data_subnets"):
        assert key not in call.body, f"the stack must keep the network module's {key}"
    assert expr(call.get("azs")) == "var.azs"
    for name in ("prod", "staging"):
        azs = env(name).variables()["azs"].get("default")
        assert isinstance(azs, list) and len(set(azs)) == 2, f"{name}: two AZs"
        assert expr(env(name).modules()["stack"].get("azs")) == "var.azs"


def test_three_tiers_of_disjoint_24s_inside_the_vpc() -> None:
    vpc = ipaddress.IPv4Network(str(_default("cidr")))
    blocks = []
    for tier in TIERS:
        cidrs = _default(f"{tier}_subnets")
        assert isinstance(cidrs, list) and len(cidrs) == 2, f"{tier}: one subnet per AZ"
        for cidr in cidrs:
            network = ipaddress.IPv4Network(cidr)
            assert network.prefixlen == 24, f"{tier} {cidr} is not a /24"
            assert network.subnet_of(vpc), f"{tier} {cidr} is outside {vpc}"
            blocks.append(network)
    for a, b in combinations(blocks, 2):
        assert not a.overlaps(b), f"{a} overlaps {b}"


def test_each_tier_has_one_subnet_per_az_from_its_own_list() -> None:
    for tier in TIERS:
        subnet = NET.resource("aws_subnet", tier)
        assert expr(subnet.get("count")) == "length(var.azs)"
        assert expr(subnet.get("cidr_block")) == f"var.{tier}_subnets[count.index]"
        assert expr(subnet.get("availability_zone")) == "var.azs[count.index]"
        association = NET.resource("aws_route_table_association", tier)
        assert expr(association.get("subnet_id")) == f"aws_subnet.{tier}[count.index].id"
        assert expr(association.get("route_table_id")) == f"aws_route_table.{tier}.id"
    assert NET.resource("aws_subnet", "public").get("map_public_ip_on_launch") is False


def test_routes_public_to_igw_app_to_nat_data_nowhere() -> None:
    routes: dict[str, list[Block]] = {}
    for route in NET.resources("aws_route"):
        routes.setdefault(expr(route.get("route_table_id")), []).append(route)
    (public,) = routes.pop("aws_route_table.public.id")
    assert public.get("destination_cidr_block") == "0.0.0.0/0"
    assert expr(public.get("gateway_id")) == "aws_internet_gateway.this.id"
    (app,) = routes.pop("aws_route_table.app.id")
    assert app.get("destination_cidr_block") == "0.0.0.0/0"
    assert expr(app.get("network_interface_id")) == "aws_network_interface.nat.id"
    assert app.get("nat_gateway_id") is None and app.get("gateway_id") is None
    assert not routes, f"unexpected routes (the data tier must have none): {list(routes)}"
    for table in NET.resources("aws_route_table"):
        assert "route" not in table.body, f"{table.where()}: inline routes bypass this check"


def test_a_nat_instance_and_never_a_nat_gateway() -> None:
    for config in all_configs().values():
        assert not config.resources("aws_nat_gateway"), f"{config.name} has a NAT gateway"
        for call in config.modules().values():
            assert not any("nat_gateway" in key for key in call.body), call.where()
    launch = NET.resource("aws_launch_template", "nat")
    assert expr(launch.get("instance_type")) == "var.nat_instance_type"
    assert _default("nat_instance_type") == "t4g.nano"
    group = NET.resource("aws_autoscaling_group", "nat")
    assert (group.get("min_size"), group.get("max_size"), group.get("desired_capacity")) == (
        1,
        1,
        1,
    )
    assert expr(group.blocks("launch_template")[0]["id"]) == "aws_launch_template.nat.id"
    eni = NET.resource("aws_network_interface", "nat")
    assert eni.get("source_dest_check") is False
    # The static ENI is attached at boot (fck-nat's eni_id), so the route never changes.
    assert "eni_id=${aws_network_interface.nat.id}" in str(launch.get("user_data"))
    assert launch.blocks("metadata_options")[0]["http_tokens"] == "required"


def test_nat_security_group_accepts_only_the_private_app_subnets() -> None:
    rules = [
        r
        for r in NET.resources("aws_vpc_security_group_ingress_rule")
        if expr(r.get("security_group_id")) == "aws_security_group.nat.id"
    ]
    assert len(rules) == 1
    (rule,) = rules
    assert expr(rule.get("for_each")) == "toset(var.app_subnets)"
    assert expr(rule.get("cidr_ipv4")) == "each.key"
    assert "ingress" not in NET.resource("aws_security_group", "nat").body


def test_s3_gateway_endpoint_on_the_app_and_data_route_tables() -> None:
    endpoints = [
        e for e in NET.resources("aws_vpc_endpoint") if str(e.get("service_name")).endswith(".s3")
    ]
    assert len(endpoints) == 1
    (s3,) = endpoints
    assert s3.get("vpc_endpoint_type") == "Gateway"
    tables = sorted(expr(t) for t in s3.get("route_table_ids"))
    assert tables == ["aws_route_table.app.id", "aws_route_table.data.id"]


def test_interface_endpoints_and_flow_logs_are_opt_in() -> None:
    assert _default("enable_interface_endpoints") is False
    assert _default("enable_flow_logs") is False
    interface = NET.resource("aws_vpc_endpoint", "interface")
    assert expr(interface.get("for_each")).startswith("var.enable_interface_endpoints ?")
    assert expr(NET.resource("aws_flow_log", "this").get("count")) == "var.enable_flow_logs ? 1 : 0"
    assert env("prod").variables()["enable_flow_logs"].get("default") is True
    assert (
        expr(module("stack").modules()["network"].get("enable_flow_logs")) == "var.enable_flow_logs"
    )
    assert expr(env("prod").modules()["stack"].get("enable_flow_logs")) == "var.enable_flow_logs"

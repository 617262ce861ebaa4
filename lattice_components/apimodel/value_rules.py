"""Values that other AWS APIs constrain, checked the way those APIs do, from their botocore models where the
model says it: CloudWatch Logs retention, tags, IAM names and principal ARNs, Organizations ARNs, security
group IDs, CIDRs, and the ID a target of each target-group type takes.

Every function returns None for an acceptable value, or the rule the value breaks, in words (no key path: the
config schema adds it). Where AWS documents nothing we can check, the function says so instead of guessing.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import Any


from . import model
from .values import pattern_fullmatch


def _service(name: str):
    return model.aws_service_model(name)


def _meta(service: str, shape: str) -> dict[str, Any]:
    return dict(_service(service).shape_for(shape).metadata)


# --------------------------------------------------------------------------------------------------------------
# CloudWatch Logs retention
# --------------------------------------------------------------------------------------------------------------


@functools.cache
def retention_days() -> tuple[int, ...]:
    """The retention values CloudWatch Logs accepts, as `PutRetentionPolicy.retentionInDays` lists them.

    The model's shape (`Days`) has no enum; the list lives in the member's documentation ("Possible values are:
    1, 3, 5, ..."), so it is read from there and tests/test_value_rules.py fails if a botocore upgrade rewords it.
    """
    member = _service("logs").operation_model("PutRetentionPolicy").input_shape.members["retentionInDays"]
    text = model.documentation_text(member.documentation)
    found = re.search(r"Possible values are:?\s*([\d,\sand]+)", text)
    if found is None:
        raise LookupError("botocore's logs model no longer lists retentionInDays values in its documentation")
    return tuple(int(number) for number in re.findall(r"\d+", found.group(1)))


def retention_problem(days: int) -> str | None:
    allowed = retention_days()
    if days in allowed:
        return None
    return f"{days} is not a retention CloudWatch Logs accepts: use one of {', '.join(map(str, allowed))}"


# --------------------------------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------------------------------


def tag_key_problem(key: str) -> str | None:
    """The Lattice model's `TagKey` lengths, and the `aws:` prefix AWS reserves in any letter case (AWS General
    Reference, "Tagging best practices": "you can't use aws: ... as a prefix"). The same page asks not to start
    *values* with `aws:` either, but no Lattice API documents rejecting such a value, so values are not checked
    for it."""
    limits = model.shape("TagKey").metadata
    low, high = limits.get("min", 0), limits.get("max", len(key))
    if not low <= len(key) <= high:
        return f"tag key {key[:40]!r}{'...' if len(key) > 40 else ''} has {len(key)} characters; the API takes {low}-{high}"
    if key.lower().startswith("aws:"):
        return f"tag key {key!r} starts with 'aws:', which AWS reserves for its own tags"
    return None


def tag_value_problem(value: str) -> str | None:
    limits = model.shape("TagValue").metadata
    low, high = limits.get("min", 0), limits.get("max", len(value))
    if not low <= len(value) <= high:
        return f"tag value has {len(value)} characters; the API takes {low}-{high}"
    return None


# --------------------------------------------------------------------------------------------------------------
# IAM names and principals
# --------------------------------------------------------------------------------------------------------------


def _iam_name_problem(shape: str, kind: str, name: str) -> str | None:
    meta = _meta("iam", shape)
    low, high, pattern = meta.get("min", 1), meta.get("max"), meta.get("pattern")
    if high is not None and not low <= len(name) <= high:
        return f"{name!r} is not a valid IAM {kind} name: {low}-{high} characters"
    if pattern and not pattern_fullmatch(pattern, name):
        return f"{name!r} is not a valid IAM {kind} name: letters, digits and +=,.@_- only"
    return None


def role_name_problem(name: str) -> str | None:
    """IAM's `roleNameType`: 1-64 characters of `[\\w+=,.@-]`."""
    return _iam_name_problem("roleNameType", "role", name)


def role_with_path_problem(value: str) -> str | None:
    """A role as `role/<value>` of its ARN names it: `Name`, or `path/to/Name` for a role created with a path."""
    path, slash, name = value.rpartition("/")
    return (_path_problem(f"/{path}/") if slash else None) or role_name_problem(name)


def _path_problem(path: str) -> str | None:
    meta = _meta("iam", "pathType")
    if not pattern_fullmatch(meta.get("pattern", ".*"), path) or len(path) > meta.get("max", len(path)):
        return f"{path!r} is not a valid IAM path: '/' or '/segments/' of printable ASCII, at most {meta.get('max')} characters"
    return None


_PRINCIPAL_ARN = re.compile(r"arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)")


def principal_problem(principal: str) -> str | None:
    """A principal an auth policy may name: a 12-digit account, or the ARN of an account root, an IAM role or
    user (with its path), or an STS role or federated-user session, with names IAM accepts."""
    if re.fullmatch(r"\d{12}", principal):
        return None
    found = _PRINCIPAL_ARN.fullmatch(principal)
    if found is None:
        return f"{principal!r} is neither an IAM principal ARN (arn:aws:iam::<account>:role/<name>) nor a 12-digit account ID"
    service, resource = found.group(2), found.group(4)
    if service == "iam":
        if resource == "root":
            return None
        kind, _, rest = resource.partition("/")
        if kind not in ("role", "user") or not rest:
            return f"{principal!r} names {kind!r}: an IAM principal is root, role/<name> or user/<name>"
        path, slash, name = rest.rpartition("/")
        problem = _path_problem(f"/{path}/") if slash else None
        return problem or _iam_name_problem("roleNameType" if kind == "role" else "userNameType", kind, name)
    kind, _, rest = resource.partition("/")
    if kind == "assumed-role" and rest.count("/") == 1:
        return role_name_problem(rest.split("/")[0])
    if kind == "federated-user" and rest:
        return None
    return f"{principal!r} is not an STS principal: assumed-role/<role>/<session> or federated-user/<name>"


# --------------------------------------------------------------------------------------------------------------
# Organizations
# --------------------------------------------------------------------------------------------------------------


def organization_arn_problem(arn: str) -> str | None:
    """The Organizations model's `OrganizationArn` pattern (anchored at its start only; matched whole here)."""
    pattern = _meta("organizations", "OrganizationArn")["pattern"]
    if pattern_fullmatch(pattern, arn):
        return None
    return f"{arn!r} is not an organization ARN (arn:aws:organizations::<management account>:organization/o-...)"


def organization_id_of(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------------------------------------------
# EC2: security groups and CIDRs
# --------------------------------------------------------------------------------------------------------------


def security_group_id_problem(group_id: str) -> str | None:
    """The Lattice model's `SecurityGroupId` pattern (what `securityGroupIds` of an association takes)."""
    pattern = model.shape("SecurityGroupId").metadata.get("pattern")
    if pattern is None or pattern_fullmatch(pattern, group_id):
        return None
    return f"{group_id!r} is not a security group ID ('sg-' followed by 8 or 17 lowercase letters or digits)"


def ipv4_cidr_problem(cidr: str) -> str | None:
    """An IPv4 CIDR as a security group rule's `CidrIp` takes it.

    EC2 stores the canonical network address (its API reference: 100.68.0.18/18 becomes 100.68.0.0/18, and a
    second rule in the other spelling fails as a duplicate), so a CIDR with host bits set is refused here with
    the address to write: a config that says what AWS stores has no drift. IPv6 ranges belong in a different
    field (`ipv6_cidr_blocks`), which the created security group does not use.
    """
    try:
        network = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return f"{cidr!r} is not a CIDR block (for example 10.0.0.0/16)"
    if network.version != 4:
        return f"{cidr!r} is an IPv6 range; the created security group admits IPv4 client CIDRs only"
    if "/" not in cidr:
        return f"{cidr!r} is an address, not a CIDR block: write {str(network)!r}"
    if str(network) != cidr:
        return f"{cidr!r} has host bits set: EC2 stores it as {str(network)!r}, write that"
    return None


# --------------------------------------------------------------------------------------------------------------
# Targets: what `Target.id` holds for each target-group type
# --------------------------------------------------------------------------------------------------------------

# EC2's model gives `InstanceId` no pattern; the EC2 User Guide ("Resource IDs") documents `i-` followed by 8
# or, for resources created since 2016, 17 characters, which EC2 prints as lowercase hexadecimal.
_INSTANCE_ID = re.compile(r"i-(?:[0-9a-f]{8}|[0-9a-f]{17})")
# elbv2's model gives `LoadBalancerArn` no pattern; the ELB User Guide documents an Application Load Balancer's
# ARN as `arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>`.
_ALB_ARN = re.compile(r"arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+")


def target_kind(group_type: str, ip_address_type: str | None = None) -> str:
    return {
        "INSTANCE": "an EC2 instance ID (i-...)",
        "IP": f"an {'IPv6' if ip_address_type == 'IPV6' else 'IPv4'} address",
        "LAMBDA": "a Lambda function ARN",
        "ALB": "an Application Load Balancer ARN",
    }.get(group_type, "a target ID")


def target_problem(group_type: str, target_id: str, ip_address_type: str | None = None) -> str | None:
    """Whether `target_id` is what a `group_type` target group registers (Lattice `Target.id`: "If the target
    group type is INSTANCE, this is an instance ID. If ... IP, this is an IP address. If ... LAMBDA, this is the
    ARN of a Lambda function. If ... ALB, this is the ARN of an Application Load Balancer")."""
    wanted = target_kind(group_type, ip_address_type)
    if group_type == "INSTANCE":
        ok = _INSTANCE_ID.fullmatch(target_id) is not None
    elif group_type == "IP":
        try:
            address = ipaddress.ip_address(target_id)
        except ValueError:
            return f"{target_id!r} is not {wanted}, which IP target groups register"
        version = 6 if ip_address_type == "IPV6" else 4
        if address.version != version:
            declared = ip_address_type or "IPV4 (the default)"
            fitting = "IPV6" if address.version == 6 else "IPV4"
            return (
                f"{target_id!r} is an IPv{address.version} address but the group's ipAddressType is {declared}: "
                f"set ipAddressType {fitting} or register IPv{version} addresses"
            )
        return None
    elif group_type == "LAMBDA":
        # The Lambda model's `FunctionArn` admits a version or alias qualifier; whether Lattice registers a
        # qualified ARN is not documented, so both are accepted here.
        ok = pattern_fullmatch(_meta("lambda", "FunctionArn")["pattern"], target_id)
    elif group_type == "ALB":
        ok = _ALB_ARN.fullmatch(target_id) is not None
    else:
        return None
    return None if ok else f"{target_id!r} is not {wanted}, which {group_type} target groups register"


def target_identity(group_type: str, target_id: str) -> str:
    """The target as AWS identifies it: IP addresses in their canonical spelling (`fd00:0::1` is `fd00::1`)."""
    if group_type == "IP":
        try:
            return str(ipaddress.ip_address(target_id))
        except ValueError:
            return target_id
    return target_id

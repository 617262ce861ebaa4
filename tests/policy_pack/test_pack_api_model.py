"""The pack's API-model policy, as the engine runs it, catches every invalid value of the API-model table on
raw `aws.vpclattice` resources (resources written without our components): GIVEN the table's resource with
one bad value, WHEN the engine sends it to the running pack over gRPC, THEN `lattice-api-model` reports the
same message, mandatory."""

from __future__ import annotations

import pytest

from test_api_check import CASES  # the table of invalid values and their exact messages


@pytest.mark.parametrize("case", CASES, ids=[case.title for case in CASES])
def test_the_pack_rejects_the_value_the_api_would(pack, case):
    diagnostics = pack.analyze({"type": case.kind, "name": "raw", "props": case.inputs()})
    api_findings = [d for d in diagnostics if d.policy_name == "lattice-api-model"]
    assert api_findings and all(d.enforcement_level == "mandatory" for d in api_findings)
    for expected in case.expected:
        assert any(expected in d.message for d in api_findings), (expected, [d.message for d in api_findings])

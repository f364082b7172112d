"""pyHanko's AdES (ETSI EN 319 102-1) long-term validation of every
signature of a PDF, offline: revocation information required, nothing
fetched (neither revocation data nor certificates), so what validates the
file must be in it. The pyhanko CLI's `adesverify` cannot be told not to
fetch, and pyHanko ignores embedded OCSP responses for a certificate with
an OCSP URL whenever fetching is on.

Usage: python ades_offline.py FILE.pdf ROOT.pem
Prints one line per signature: `field:INDICATION[:SUBINDICATION]`.
"""

import asyncio
import dataclasses
import sys

from pyhanko.cli._trust import build_cert_validation_policy_and_extract_extra_certs
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    REQUIRE_REVINFO,
    CertRevTrustPolicy,
    FreshnessReqType,
)


def main(path, root):
    policy, _ = build_cert_validation_policy_and_extract_extra_certs(
        cli_config=None,
        validation_context=None,
        trust=[root],
        trust_replace=True,
        other_certs=[],
        eutl_all=False,
        eutl_force_redownload=False,
        eutl_territories=None,
        revocation_policy=None,
    )
    policy = dataclasses.replace(
        policy,
        revinfo_policy=CertRevTrustPolicy(
            REQUIRE_REVINFO,
            freshness=None,
            freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION,
        ),
    )
    spec = PdfSignatureValidationSpec(
        signature_validation_spec=SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
                certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
            ),
        ),
        diff_policy=DEFAULT_DIFF_POLICY,
    )
    with open(path, "rb") as f:
        reader = PdfFileReader(f)
        for sig in reader.embedded_regular_signatures:
            result = asyncio.run(
                ades_lta_validation(sig, spec, timing_info=ValidationTimingInfo.now())
            )
            status = result.api_status
            line = f"{sig.field_name}:{'PASSED' if status.bottom_line else 'FAILED'}"
            if result.ades_subindic is not None:
                line += f":{result.ades_subindic.name}"
            print(line)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

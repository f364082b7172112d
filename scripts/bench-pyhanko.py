"""pyHanko's side of `egov bench pdf`: signs the same one-page PDF with the
same key and certificates as egov, PAdES B-B, again and again for the given
seconds, in one process (no start-up cost counted), and prints the rate.

Usage: bench-pyhanko.py KEY.pem CERT.pem CHAIN.pem IN.pdf SECONDS
Prints one line: `<signatures per second> <signatures> <seconds>`.
"""

import io
import sys
import time

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers


def main() -> None:
    key, cert, chain, pdf, seconds = sys.argv[1:6]
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,))
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES
    )
    with open(pdf, "rb") as f:
        original = f.read()
    budget = float(seconds)
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < budget:
        writer = IncrementalPdfFileWriter(io.BytesIO(original))
        out = signers.sign_pdf(writer, meta, signer=signer)
        if len(out.getvalue()) <= len(original):
            raise SystemExit("pyHanko produced no signature")
        count += 1
    elapsed = time.perf_counter() - started
    print(f"{count / elapsed:.3f} {count} {elapsed:.3f}")


if __name__ == "__main__":
    main()

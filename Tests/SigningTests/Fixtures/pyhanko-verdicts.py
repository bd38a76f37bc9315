"""Judges every signed PDF fixture with pyHanko (the reference validator, offline, with the same trust
anchors and CRLs the tests give our verifier, revocation checking hard-fail) and writes what it says
to pyhanko-verdicts.json: per signature whether it is intact, valid, trusted, revoked, what later
revisions did (pyHanko's modification level, DocMDP), and its bottom line. Revocation mode "require":
every certificate needs revocation data (our certificates name no CRL distribution point, and in
"hard-fail" pyHanko would then skip the check). A signature with a trusted signature timestamp is
judged again at the timestamp's time (`bottom_line_at_timestamp`), and a signature that a later
trusted document timestamp covers at that one's time: the rule our verifier follows; pyHanko's basic
validation judges at the present time only."""
import glob
import json
import os
import sys

from asn1crypto import pem
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext

OUT = sys.argv[1]


def der(path):
    data = open(path, "rb").read()
    return pem.unarmor(data)[2] if pem.detect(data) else data


def context(moment=None):
    return ValidationContext(
        moment=moment,
        trust_roots=[load_cert_from_pemder(f"{OUT}/trust-root.pem")],
        other_certs=[load_cert_from_pemder(f"{OUT}/trust-intermediate.pem"), load_cert_from_pemder(f"{OUT}/trust-revoked-ca.pem")],
        crls=[der(f"{OUT}/{name}.crl.pem") for name in ("intermediate", "root", "intermediate-2025-02", "root-2025-02")], allow_fetching=False, revocation_mode="require")


verdicts = {}
for path in sorted(glob.glob(f"{OUT}/*.pdf")):
    name = os.path.basename(path)
    if name == "unsigned.pdf":
        continue
    signatures = []
    try:
        with open(path, "rb") as f:
            reader = PdfFileReader(f, strict=False)
            embedded_all = reader.embedded_signatures
            # The earliest trusted document timestamp after each signature.
            stamps = []
            for embedded in embedded_all:
                if embedded.sig_object_type == "/DocTimeStamp":
                    status = validate_pdf_timestamp(embedded, context())
                    if status.intact and status.valid and status.trusted:
                        stamps.append((embedded.signed_revision, status.timestamp))
            for embedded in embedded_all:
                try:
                    if embedded.sig_object_type == "/DocTimeStamp":
                        status = validate_pdf_timestamp(embedded, context())
                        signatures.append({"field": embedded.field_name, "document_timestamp": str(status.timestamp),
                                           "intact": status.intact, "valid": status.valid, "trusted": status.trusted,
                                           "bottom_line": bool(status.intact and status.valid and status.trusted)})
                        continue
                    status = validate_pdf_signature(embedded, context(), ts_validation_context=context())
                    at_timestamp = None
                    later = [moment for revision, moment in stamps if revision > embedded.signed_revision]
                    moment = None
                    if status.timestamp_validity and status.timestamp_validity.trusted:
                        moment = status.timestamp_validity.timestamp
                    elif later:
                        moment = min(later)
                    if moment is not None:
                        at_timestamp = validate_pdf_signature(
                            embedded, context(moment), ts_validation_context=context()).bottom_line
                    signatures.append({
                        "field": embedded.field_name, "intact": status.intact, "valid": status.valid, "trusted": status.trusted,
                        "revoked": status.revoked, "coverage": status.coverage.name if status.coverage else None,
                        "modification_level": status.modification_level.name if status.modification_level else None,
                        "docmdp_ok": status.docmdp_ok, "bottom_line": status.bottom_line,
                        "timestamp": str(status.timestamp_validity.timestamp) if status.timestamp_validity else None,
                        "bottom_line_at_timestamp": at_timestamp,
                    })
                except Exception as error:  # a signature pyHanko cannot even evaluate
                    signatures.append({"field": embedded.field_name, "error": type(error).__name__, "bottom_line": False})
        verdict = "passed" if signatures and all(
            s["bottom_line"] or s.get("bottom_line_at_timestamp") for s in signatures) else "not passed"
    except Exception as error:
        signatures, verdict = [{"error": type(error).__name__}], "not passed"
    verdicts[name] = {"verdict": verdict, "signatures": signatures}

with open(f"{OUT}/pyhanko-verdicts.json", "w") as f:
    json.dump(verdicts, f, indent=1, sort_keys=True)
    f.write("\n")
for name, verdict in verdicts.items():
    print(f"pyHanko: {name}: {verdict['verdict']}")

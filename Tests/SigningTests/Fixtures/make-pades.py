"""Signs with pyHanko, the reference implementation, from make-fixtures.sh's work folder: the agency's
PAdES seal (ETSI.CAdES.detached: no signingTime in the CMS, the time in /M) over the person's
signature, the ordinary Decree 30 case; an expired signer's signature carrying an RFC 3161 signature
timestamp from 2025-03-01, inside the certificate's validity; and document timestamps (PAdES-LTA's
last step) over the seal, and over the expired signer's backdated signature (2025-03-02)."""
import datetime
import sys

from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

OUT = sys.argv[1]


def validation_context():
    """The CRLs pyHanko embeds in the document security store when asked to."""
    from asn1crypto import pem
    from pyhanko_certvalidator import ValidationContext

    def der(path):
        data = open(path, "rb").read()
        return pem.unarmor(data)[2] if pem.detect(data) else data
    return ValidationContext(
        trust_roots=[load_cert_from_pemder("root.pem")], other_certs=[load_cert_from_pemder("intermediate.pem")],
        crls=[der("intermediate.crl.pem"), der("root.crl.pem")], allow_fetching=False, revocation_mode="require")


def sign(source, target, who, field, subfilter, timestamper=None, embed=False):
    signer = signers.SimpleSigner.load(who + ".key", who + ".pem", ca_chain_files=("intermediate.pem",))
    meta = signers.PdfSignatureMetadata(
        field_name=field, subfilter=subfilter, md_algorithm="sha256", embed_validation_info=embed,
        validation_context=validation_context() if embed else None)
    with open(source, "rb") as inf, open(target, "wb") as out:
        signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, timestamper=timestamper, output=out)


sign(f"{OUT}/one-signature.pdf", f"{OUT}/signer-then-seal.pdf", "agency", "Seal", fields.SigSeedSubFilter.PADES)
# The seal with its revocation data in the document security store (PAdES-LT): no CRL folder needed.
sign(f"{OUT}/one-signature.pdf", f"{OUT}/seal-with-dss.pdf", "agency", "Seal", fields.SigSeedSubFilter.PADES, embed=True)
def authority(year, month, day, hour=9):
    return DummyTimeStamper(
        tsa_cert=load_cert_from_pemder("tsa.pem"), tsa_key=load_private_key_from_pemder("tsa.key", None),
        certs_to_embed=SimpleCertificateStore.from_certs([load_cert_from_pemder("intermediate.pem")]),
        fixed_dt=datetime.datetime(year, month, day, hour, 0, tzinfo=datetime.timezone.utc))


def timestamp(source, target, stamper):
    with open(source, "rb") as inf, open(target, "wb") as out:
        signers.PdfTimeStamper(stamper).timestamp_pdf(IncrementalPdfFileWriter(inf), md_algorithm="sha256", output=out)

sign(f"{OUT}/unsigned.pdf", f"{OUT}/expired-timestamped.pdf", "expired", "Signer", fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
     timestamper=authority(2025, 3, 1))
timestamp(f"{OUT}/signer-then-seal.pdf", f"{OUT}/seal-then-document-timestamp.pdf", authority(2026, 11, 2))
timestamp(f"{OUT}/expired-backdated.pdf", f"{OUT}/expired-backdated-document-timestamp.pdf", authority(2025, 3, 2))

"""Builds the signed PDF fixtures: minimal, valid PDFs whose signature dictionaries are filled by
`openssl cms -sign` over exactly their /ByteRange, as signing tools do. Run by make-fixtures.sh from
its work folder (keys and certificates are there); writes into the folder given as argument."""
import re
import subprocess
import sys

OUT = sys.argv[1]
CONTENTS_HEX = 16384  # room for the CMS blob, in hex digits
PLACEHOLDER_RANGE = b"[0 0000000000 0000000000 0000000000]"


def obj(number, body):
    return b"%d 0 obj\n" % number + body + b"\nendobj\n"


def stream(number, data):
    return obj(number, b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")


def sig_dict(number, when):
    return obj(
        number,
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange "
        + PLACEHOLDER_RANGE
        + b" /Contents <"
        + b"0" * CONTENTS_HEX
        + b"> /M (D:" + when + b"+07'00') >>",
    )


def revision(base, objects, root, size, prev=None):
    """Appends `objects` (number -> bytes) to `base` with an xref section and trailer."""
    data = bytearray(base)
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(data)
        data += objects[number]
    xref_at = len(data)
    data += b"xref\n"
    if prev is None:
        data += b"0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):
        data += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    trailer = b"<< /Size %d /Root %d 0 R" % (size, root)
    if prev is not None:
        trailer += b" /Prev %d" % prev
    data += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(data), xref_at


def sign_last(data, who):
    """Fills the last signature placeholder of `data`: ByteRange around its /Contents, then the CMS."""
    start = data.rindex(b"/Contents <") + len(b"/Contents ")
    end = data.index(b">", start) + 1
    ranges = b"[0 %010d %010d %010d]" % (start, end, len(data) - end)
    at = data.rindex(PLACEHOLDER_RANGE)
    data = data[:at] + ranges + data[at + len(PLACEHOLDER_RANGE):]
    signed = data[:start] + data[end:]
    chain = "rogue_root.pem" if who == "rogue" else "intermediate.pem"
    cms = subprocess.run(
        ["openssl", "cms", "-sign", "-binary", "-signer", who + ".pem", "-inkey", who + ".key", "-certfile", chain,
         "-md", "sha256", "-outform", "DER", "-nosmimecap"],
        input=signed, capture_output=True, check=True).stdout
    hexed = cms.hex().encode()
    assert len(hexed) <= CONTENTS_HEX, "CMS too large for the placeholder"
    return data[:start + 1] + hexed + b"0" * (CONTENTS_HEX - len(hexed)) + data[end - 1:]


def page_content(text):
    return b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"


def first_revision(who):
    objects = {
        1: obj(1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>"),
        2: obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        3: obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R] "
                  b"/Resources << /Font << /F1 7 0 R >> >> >>"),
        4: stream(4, page_content(b"Cong van so 399/LDLD-VP ve viec trien khai phan mem")),
        5: obj(5, b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 6 0 R /T (Signer) /P 3 0 R /F 132 >>"),
        6: sig_dict(6, b"20251120090000"),
        7: obj(7, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
    }
    data, xref = revision(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", objects, root=1, size=8)
    return sign_last(data, who), xref


def add_second_signature(data, prev, who):
    objects = {
        1: obj(1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 8 0 R] /SigFlags 3 >> >>"),
        3: obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R 8 0 R] "
                  b"/Resources << /Font << /F1 7 0 R >> >> >>"),
        8: obj(8, b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 9 0 R /T (Agency) /P 3 0 R /F 132 >>"),
        9: sig_dict(9, b"20251120100000"),
    }
    appended, xref = revision(data, objects, root=1, size=10, prev=prev)
    return sign_last(appended, who)


def write(name, data):
    with open(f"{OUT}/{name}", "wb") as f:
        f.write(data)


one, xref = first_revision("signer")
write("one-signature.pdf", one)
write("two-signatures.pdf", add_second_signature(one, xref, "agency"))
# After signing, the page's content stream is replaced: what a reader sees is no longer what was signed.
swapped, _ = revision(one, {4: stream(4, page_content(b"Cong van da bi sua sau khi ky"))}, root=1, size=8, prev=xref)
write("modified-after-signing.pdf", swapped)
write("untrusted.pdf", first_revision("rogue")[0])
write("revoked.pdf", first_revision("revoked")[0])
# A byte inside the signed range flipped: the digest no longer matches.
tampered = bytearray(one)
tampered[tampered.index(b"trien khai")] = ord("T")
write("tampered.pdf", bytes(tampered))
# The benchmark's document: about 1 MB of page content, signed by the signer and then the agency.
def first_revision_big():
    text = b"Bao cao tong ket cong tac nam 2025 cua Lien doan Lao dong tinh Cao Bang. " * 14000
    objects = {
        1: obj(1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>"),
        2: obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        3: obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R] "
                  b"/Resources << /Font << /F1 7 0 R >> >> >>"),
        4: stream(4, page_content(text)),
        5: obj(5, b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 6 0 R /T (Signer) /P 3 0 R /F 132 >>"),
        6: sig_dict(6, b"20251120090000"),
        7: obj(7, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
    }
    data, xref = revision(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", objects, root=1, size=8)
    return sign_last(data, "signer"), xref


big, big_xref = first_revision_big()
write("bench-1mb-two-signatures.pdf", add_second_signature(big, big_xref, "agency"))

"""Builds the signed PDF fixtures: minimal, valid PDFs whose signature dictionaries are filled by
`openssl cms -sign` over exactly their /ByteRange, as signing tools do. Run by make-fixtures.sh from
its work folder (keys and certificates are there); writes into the folder given as argument."""
import re
import subprocess
import sys
import zlib

OUT = sys.argv[1]
CONTENTS_HEX = 16384  # room for the CMS blob, in hex digits
PLACEHOLDER_RANGE = b"[0 0000000000 0000000000 0000000000]"


def obj(number, body):
    return b"%d 0 obj\n" % number + body + b"\nendobj\n"


def stream(number, data):
    return obj(number, b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")


def sig_dict(number, when, extra=b""):
    return obj(
        number,
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange "
        + PLACEHOLDER_RANGE
        + b" /Contents <"
        + b"0" * CONTENTS_HEX
        + b"> /M (D:" + when + b"+07'00')" + extra + b" >>",
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


def sign_last(data, who, extra_signers=(), faked=None, attributes=True):
    """Fills the last signature placeholder of `data`: ByteRange around its /Contents, then the CMS
    (by `who`, and `extra_signers` in the same CMS; at the time `faked` says, through faketime)."""
    start = data.rindex(b"/Contents <") + len(b"/Contents ")
    end = data.index(b">", start) + 1
    ranges = b"[0 %010d %010d %010d]" % (start, end, len(data) - end)
    at = data.rindex(PLACEHOLDER_RANGE)
    data = data[:at] + ranges + data[at + len(PLACEHOLDER_RANGE):]
    signed = data[:start] + data[end:]
    chain = {"rogue": "rogue_root.pem", "under_revoked_ca": "revoked_ca.pem"}.get(who, "intermediate.pem")
    command = ["openssl", "cms", "-sign", "-binary", "-signer", who + ".pem", "-inkey", who + ".key"]
    for other in extra_signers:
        command += ["-signer", other + ".pem", "-inkey", other + ".key"]
    command += ["-certfile", chain, "-md", "sha256", "-outform", "DER", "-nosmimecap"]
    if not attributes:
        command.append("-noattr")
    if faked:
        command = ["faketime", faked] + command
    cms = subprocess.run(command, input=signed, capture_output=True, check=True).stdout
    hexed = cms.hex().encode()
    assert len(hexed) <= CONTENTS_HEX, "CMS too large for the placeholder"
    return data[:start + 1] + hexed + b"0" * (CONTENTS_HEX - len(hexed)) + data[end - 1:]


def page_content(text):
    return b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"


def first_revision(who, **signing):
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
    return sign_last(data, who, **signing), xref


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


# ---- Changes after signing, each disguised differently: every one must be found. ----

def xref_stream_revision(base, objects, root, size, prev, compressed=None, predictor=True):
    """Appends `objects` (number -> bytes) and, if given, `compressed` (number -> body) in one object
    stream, indexed by a cross-reference stream (PNG Up predictor, as writers do) instead of a table."""
    data = bytearray(base)
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(data)
        data += objects[number]
    slots = {}
    objstm = None
    if compressed:
        objstm = size
        size += 1
        header, bodies = b"", b""
        for index, number in enumerate(sorted(compressed)):
            header += b"%d %d " % (number, len(bodies))
            bodies += compressed[number] + b"\n"
            slots[number] = (objstm, index)
        packed = zlib.compress(header + bodies)
        offsets[objstm] = len(data)
        data += obj(objstm, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                    % (len(compressed), len(header), len(packed)) + packed + b"\nendstream")
    xs = size
    size += 1
    offsets[xs] = len(data)
    numbers = sorted(set(offsets) | set(slots))
    rows = []
    for number in numbers:
        if number in slots:
            rows.append(bytes([2]) + slots[number][0].to_bytes(4, "big") + slots[number][1].to_bytes(2, "big"))
        else:
            rows.append(bytes([1]) + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big"))
    raw, previous = bytearray(), bytes(7)
    for row in rows:
        if predictor:
            raw += bytes([2]) + bytes((a - b) % 256 for a, b in zip(row, previous))
        else:
            raw += row
        previous = row
    packed = zlib.compress(bytes(raw))
    index = b" ".join(b"%d 1" % n for n in numbers)
    parms = b" /DecodeParms << /Predictor 12 /Columns 7 >>" if predictor else b""
    prev_key = b" /Prev %d" % prev if prev is not None else b""
    data += obj(xs, b"<< /Type /XRef /Size %d /Root %d 0 R /W [1 4 2] /Index [%s]%s /Filter /FlateDecode%s /Length %d >>\nstream\n"
                % (size, root, index, prev_key, parms, len(packed)) + packed + b"\nendstream")
    data += b"startxref\n%d\n%%%%EOF\n" % offsets[xs]
    return bytes(data), offsets[xs], size


swapped_text = page_content(b"Cong van da bi sua sau khi ky")
# The object header written over two lines: a search for " obj" never sees it.
write("swap-header-split.pdf", revision(
    one, {4: b"4 0\nobj\n<< /Length %d >>\nstream\n" % len(swapped_text) + swapped_text + b"\nendstream\nendobj\n"},
    root=1, size=8, prev=xref)[0])
# The new content stream's dictionary says it is a signature.
write("swap-disguised-as-signature.pdf", revision(
    one, {4: obj(4, b"<< /Type /Sig /Length %d >>\nstream\n" % len(swapped_text) + swapped_text + b"\nendstream")},
    root=1, size=8, prev=xref)[0])
# The page's resources point at another font; then the font object itself replaced.
write("changed-resources.pdf", revision(one, {
    3: obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R] "
              b"/Resources << /Font << /F1 8 0 R >> >> >>"),
    8: obj(8, b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>")}, root=1, size=9, prev=xref)[0])
write("changed-font.pdf", revision(one, {7: obj(7, b"<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>")}, root=1, size=8, prev=xref)[0])
write("changed-media-box.pdf", revision(one, {
    3: obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 400] /Contents 4 0 R /Annots [5 0 R] "
              b"/Resources << /Font << /F1 7 0 R >> >> >>")}, root=1, size=8, prev=xref)[0])
write("open-action.pdf", revision(one, {
    1: obj(1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> "
              b"/OpenAction << /S /JavaScript /JS (app.alert\\('da ky'\\)) >> >>")}, root=1, size=8, prev=xref)[0])
# The swap indexed by a cross-reference stream, and then with the page inside an object stream.
write("swap-xref-stream.pdf", xref_stream_revision(one, {4: stream(4, swapped_text)}, root=1, size=8, prev=xref)[0])
write("swap-object-stream.pdf", xref_stream_revision(
    one, {8: stream(8, swapped_text)}, root=1, size=9, prev=xref,
    compressed={3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 8 0 R /Annots [5 0 R] "
                   b"/Resources << /Font << /F1 7 0 R >> >> >>"})[0])


# ---- Files written with object and cross-reference streams, signed twice: must pass. ----

def first_revision_streams():
    compressed = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R] "
           b"/Resources << /Font << /F1 7 0 R >> >> >>",
        5: b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 6 0 R /T (Signer) /P 3 0 R /F 132 >>",
        7: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    objects = {4: stream(4, page_content(b"Cong van so 399/LDLD-VP")), 6: sig_dict(6, b"20251120090000")}
    data, xs, size = xref_stream_revision(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", objects, root=1, size=8, prev=None, compressed=compressed)
    return sign_last(data, "signer"), xs, size


streams_one, streams_xs, streams_size = first_revision_streams()
second_objects = {11: sig_dict(11, b"20251120100000")}
second_compressed = {
    1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 10 0 R] /SigFlags 3 >> >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R 10 0 R] "
       b"/Resources << /Font << /F1 7 0 R >> >> >>",
    10: b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 11 0 R /T (Agency) /P 3 0 R /F 132 >>",
}
streams_two, _, _ = xref_stream_revision(streams_one, second_objects, root=1, size=streams_size + 2, prev=streams_xs, compressed=second_compressed)
write("object-streams-two-signatures.pdf", sign_last(streams_two, "agency"))


# ---- Certification (DocMDP) and form filling. ----

def certified(level):
    """Certified by the agency at DocMDP level `level`, with an unfilled text field (object 8)."""
    reference = (b" /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams "
                 b"<< /Type /TransformParams /P %d /V /1.2 >> >>]" % level)
    objects = {
        1: obj(1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 8 0 R] /SigFlags 3 >> /Perms << /DocMDP 6 0 R >> >>"),
        2: obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        3: obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R 8 0 R] "
                  b"/Resources << /Font << /F1 7 0 R >> >> >>"),
        4: stream(4, page_content(b"Giay moi hop - so van ban:")),
        5: obj(5, b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 6 0 R /T (Agency) /P 3 0 R /F 132 >>"),
        6: sig_dict(6, b"20251120090000", reference),
        7: obj(7, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        8: obj(8, b"<< /Type /Annot /Subtype /Widget /FT /Tx /Rect [300 750 500 770] /T (SoVanBan) /P 3 0 R /F 4 /DA (/F1 12 Tf 0 g) >>"),
    }
    data, xref = revision(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", objects, root=1, size=9)
    return sign_last(data, "agency"), xref


def fill_number(data, prev):
    """Fills the text field with a document number and its appearance."""
    appearance = b"/Tx BMC BT /F1 12 Tf 2 4 Td (399/LDLD-VP) Tj ET EMC"
    return revision(data, {
        8: obj(8, b"<< /Type /Annot /Subtype /Widget /FT /Tx /Rect [300 750 500 770] /T (SoVanBan) /P 3 0 R /F 4 "
                  b"/DA (/F1 12 Tf 0 g) /V (399/LDLD-VP) /AP << /N 9 0 R >> >>"),
        9: obj(9, b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 7 0 R >> >> /Length %d >>\nstream\n"
                  % len(appearance) + appearance + b"\nendstream"),
    }, root=1, size=10, prev=prev)


def add_approval(data, prev):
    """A second signature (the signer's) after the certification."""
    objects = {
        1: obj(1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 8 0 R 10 0 R] /SigFlags 3 >> /Perms << /DocMDP 6 0 R >> >>"),
        3: obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R 8 0 R 10 0 R] "
                  b"/Resources << /Font << /F1 7 0 R >> >> >>"),
        10: obj(10, b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 11 0 R /T (Signer) /P 3 0 R /F 132 >>"),
        11: sig_dict(11, b"20251120100000"),
    }
    appended, _ = revision(data, objects, root=1, size=12, prev=prev)
    return sign_last(appended, "signer")


for level, name in [(2, "certified-fill-forms"), (1, "certified-no-changes")]:
    base, base_xref = certified(level)
    write(f"{name}.pdf", base)
    filled, _ = fill_number(base, base_xref)
    write(f"{name}-then-filled.pdf", filled)
    write(f"{name}-then-signed.pdf", add_approval(base, base_xref))


# ---- Certificates: two signers in one CMS (one TLS-only), TLS-only, a revoked intermediate, an
# expired signer whose signing time is backdated, claimed in the CMS and in /M. ----

write("two-signers-one-bad.pdf", first_revision("signer", extra_signers=("tls",))[0])
write("tls-only.pdf", first_revision("tls")[0])
write("revoked-intermediate.pdf", first_revision("under_revoked_ca")[0])
write("expired-backdated.pdf", first_revision("expired", faked="2025-03-01 09:00:00")[0])
# Unsigned, for pyHanko to sign (make-pades.py).
unsigned_objects = {
    1: obj(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
    2: obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    3: obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"),
    4: stream(4, page_content(b"Quyet dinh so 12/QD-LDLD")),
    5: obj(5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
}
write("unsigned.pdf", revision(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", unsigned_objects, root=1, size=6)[0])

#!/usr/bin/env bash
# Makes the Signing test fixtures with the openssl command line, faketime (Debian) for times in the
# past, and Python: the standard library writes the PDFs (make-pdfs.py), pyHanko (PyPI, in a venv
# here) adds a PAdES seal and a timestamped signature (make-pades.py) and then judges every fixture
# (pyhanko-verdicts.py, written to generated/pyhanko-verdicts.json next to our expected results in
# expected.json). A test root, intermediates (one revoked by the root), signers (good, revoked,
# encipher-only, TLS-only, expired, untrusted), a time-stamping authority, CRLs (current and stale),
# detached CMS signatures and signed PDFs. The output is committed; run this again only to change the
# fixtures. Certificates are valid from 2025 to 2045 unless named otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
out=generated
rm -rf "$out" work && mkdir -p "$out" work
cd work

cat >ca.cnf <<'CNF'
[ca]
default_ca = test_ca
[test_ca]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
crlnumber = crlnumber
default_md = sha256
default_crl_days = 7300
policy = any
unique_subject = no
[any]
commonName = supplied
organizationName = optional
countryName = optional
[root]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[signer]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tls]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[responder]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[encipher]
basicConstraints = critical, CA:false
keyUsage = critical, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
# Each CA keeps its own database, so that each CRL lists only what its CA revoked.
for ca in root intermediate revoked_ca rogue_root; do
    sed "s/^database = index.txt/database = index-$ca.txt/; s/^crlnumber = crlnumber/crlnumber = crlnumber-$ca/" ca.cnf >"ca-$ca.cnf"
    touch "index-$ca.txt"
    echo 1000 >"crlnumber-$ca"
done
echo 1000 >serial
dates=(-startdate 20250101000000Z -enddate 20450101000000Z)

key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
# issue <name> <subject> <issuer-name|self> <extensions> [start end]
issue() {
    key "$1"
    local validity=("${dates[@]}")
    [[ $# -ge 6 ]] && validity=(-startdate "$5" -enddate "$6")
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
    if [[ "$3" == self ]]; then
        openssl ca -batch -config "ca-$1.cnf" -selfsign -keyfile "$1.key" -cert /dev/null -in "$1.csr" -out "$1.pem" \
            -extensions "$4" "${validity[@]}" -notext 2>/dev/null
    else
        openssl ca -batch -config "ca-$3.cnf" -keyfile "$3.key" -cert "$3.pem" -in "$1.csr" -out "$1.pem" \
            -extensions "$4" "${validity[@]}" -notext 2>/dev/null
    fi
}

issue root "/C=VN/O=iOffice Test/CN=iOffice Test Root CA" self root
issue intermediate "/C=VN/O=iOffice Test/CN=iOffice Test Signing CA" root intermediate
issue signer "/C=VN/O=Lien doan Lao dong tinh Cao Bang/CN=Tran Cong Huan" intermediate signer
issue agency "/C=VN/O=Lien doan Lao dong tinh Cao Bang/CN=Lien doan Lao dong tinh Cao Bang" intermediate signer
issue revoked "/C=VN/O=iOffice Test/CN=Revoked Signer" intermediate signer
issue encipher "/C=VN/O=iOffice Test/CN=Encipherment Only" intermediate encipher
issue tls "/C=VN/O=iOffice Test/CN=TLS Server Only" intermediate tls
issue expired "/C=VN/O=Lien doan Lao dong tinh Cao Bang/CN=Expired Signer" intermediate signer 20250101000000Z 20250630000000Z
issue tsa "/C=VN/O=iOffice Test/CN=iOffice Test Time Stamping Authority" intermediate tsa
issue responder "/C=VN/O=iOffice Test/CN=iOffice Test OCSP Responder" intermediate responder
issue revoked_ca "/C=VN/O=iOffice Test/CN=Revoked Signing CA" root intermediate
issue under_revoked_ca "/C=VN/O=iOffice Test/CN=Signer Under Revoked CA" revoked_ca signer
issue rogue_root "/C=VN/O=Nobody/CN=Untrusted Root" self root
issue rogue "/C=VN/O=Nobody/CN=Untrusted Signer" rogue_root signer

# revoke <ca> <certificate> <date>: revoked for key compromise on that date.
revoke() {
    openssl ca -config "ca-$1.cnf" -keyfile "$1.key" -cert "$1.pem" -revoke "$2.pem" -crl_reason keyCompromise 2>/dev/null
    sed -i "s/^R\t\([0-9Z]*\)\t[0-9Z]*,keyCompromise/R\t\1\t$3,keyCompromise/" "index-$1.txt"
}
# crl <ca> <out> <lastUpdate> <nextUpdate>
crl() {
    openssl ca -gencrl -config "ca-$1.cnf" -keyfile "$1.key" -cert "$1.pem" -crl_lastupdate "$3" -crl_nextupdate "$4" -out "$2" 2>/dev/null
}
# The CRLs of February 2025 (an archive: current then, for the expired signer's 2025 timestamp), before
# anything is revoked.
crl intermediate intermediate-2025-02.crl.pem 20250201000000Z 20251231000000Z
crl root root-2025-02.crl.pem 20250201000000Z 20251231000000Z
# The revoked signer on 2025-06-01; the revoked CA (and so every signer under it) on 2025-05-01.
revoke intermediate revoked 250601000000Z
revoke root revoked_ca 250501000000Z
# The CRLs of June 2025, current to 2045, and one of them stale since 2025-07-01.
crl intermediate intermediate.crl.pem 20250615000000Z 20450101000000Z
crl root root.crl.pem 20250615000000Z 20450101000000Z
crl intermediate intermediate-stale.crl.pem 20250615000000Z 20250701000000Z
# OCSP responses, as the signing CA's delegated responder answers (current for 20 years), for the
# agency and the revoked signer: what a PAdES-LT file may carry instead of the CA's CRL.
ocsp() {
    openssl ocsp -issuer "$1.pem" -cert "$2.pem" -no_nonce -reqout "$2.ocsp-request" 2>/dev/null
    openssl ocsp -index "index-$1.txt" -CA "$1.pem" -rsigner responder.pem -rkey responder.key -reqin "$2.ocsp-request" \
        -respout "$3" -ndays 7300 2>/dev/null
}
ocsp intermediate agency agency.ocsp.der
ocsp intermediate revoked revoked.ocsp.der

# sign <name> <content-file> <out>: detached CMS in DER, with the signer's chain up to the intermediate.
sign() {
    local chain="intermediate.pem"
    [[ "$1" == rogue ]] && chain="rogue_root.pem"
    openssl cms -sign -binary -in "$2" -signer "$1.pem" -inkey "$1.key" -certfile "$chain" -md sha256 \
        -outform DER -out "$3" -nosmimecap 2>/dev/null
}

printf '%s\n' "Công văn số 399/LĐLĐ-VP về việc triển khai phần mềm quản lý văn bản điện tử." >content.txt
sign signer content.txt signer.cms.der
sign revoked content.txt revoked.cms.der
sign encipher content.txt encipher.cms.der 2>/dev/null || true
sign rogue content.txt rogue.cms.der
openssl cms -sign -binary -in content.txt -signer signer.pem -inkey signer.key -certfile intermediate.pem -md sha256 \
    -outform PEM -out signer.cms.pem -nosmimecap 2>/dev/null

cp root.pem ../$out/trust-root.pem
cp intermediate.pem ../$out/trust-intermediate.pem
cp revoked_ca.pem ../$out/trust-revoked-ca.pem
cp agency.ocsp.der revoked.ocsp.der intermediate.crl.pem root.crl.pem intermediate-2025-02.crl.pem root-2025-02.crl.pem intermediate-stale.crl.pem ../$out/
cp content.txt signer.cms.der signer.cms.pem revoked.cms.der rogue.cms.der ../$out/
[[ -s encipher.cms.der ]] && cp encipher.cms.der ../$out/
python3 ../make-pdfs.py ../$out
# pyHanko, pinned, in a venv of its own: the reference signer and validator.
python3 -m venv venv && venv/bin/pip install -q "pyhanko==0.38.0" "pyhanko-certvalidator==0.33.0"
venv/bin/python ../make-pades.py ../$out
venv/bin/python ../pyhanko-verdicts.py ../$out
cd ..
rm -rf work
ls -l "$out"

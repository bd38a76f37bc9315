#!/usr/bin/env bash
# Makes the Signing test fixtures with the openssl command line and Python's standard library (no
# PyPI tool): a test root, an intermediate, a good and a revoked signer, a signer without the
# signing key usages, an untrusted signer, a CRL, detached CMS signatures and signed PDFs. The output
# is committed; run this again only to change the fixtures. Certificates are valid from 2025 to 2045.
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
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[encipher]
basicConstraints = critical, CA:false
keyUsage = critical, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
touch index.txt
echo 1000 >serial
echo 1000 >crlnumber
dates=(-startdate 20250101000000Z -enddate 20450101000000Z)

key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
# issue <name> <subject> <issuer-name|self> <extensions>
issue() {
    key "$1"
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
    if [[ "$3" == self ]]; then
        openssl ca -batch -config ca.cnf -selfsign -keyfile "$1.key" -cert /dev/null -in "$1.csr" -out "$1.pem" \
            -extensions "$4" "${dates[@]}" -notext 2>/dev/null || {
            openssl x509 -req -in "$1.csr" -signkey "$1.key" -out "$1.pem" -days 7300 -extfile ca.cnf -extensions "$4" 2>/dev/null
        }
    else
        openssl ca -batch -config ca.cnf -keyfile "$3.key" -cert "$3.pem" -in "$1.csr" -out "$1.pem" \
            -extensions "$4" "${dates[@]}" -notext 2>/dev/null
    fi
}

issue root "/C=VN/O=iOffice Test/CN=iOffice Test Root CA" self root
issue intermediate "/C=VN/O=iOffice Test/CN=iOffice Test Signing CA" root intermediate
issue signer "/C=VN/O=Lien doan Lao dong tinh Cao Bang/CN=Tran Cong Huan" intermediate signer
issue agency "/C=VN/O=Lien doan Lao dong tinh Cao Bang/CN=Lien doan Lao dong tinh Cao Bang" intermediate signer
issue revoked "/C=VN/O=iOffice Test/CN=Revoked Signer" intermediate signer
issue encipher "/C=VN/O=iOffice Test/CN=Encipherment Only" intermediate encipher
issue rogue_root "/C=VN/O=Nobody/CN=Untrusted Root" self root
issue rogue "/C=VN/O=Nobody/CN=Untrusted Signer" rogue_root signer

# The revoked signer, revoked on 2025-06-01 for key compromise; the CRL of the intermediate.
openssl ca -config ca.cnf -keyfile intermediate.key -cert intermediate.pem -revoke revoked.pem \
    -crl_reason keyCompromise 2>/dev/null
sed -i 's/^R\t\([0-9Z]*\)\t[0-9Z]*/R\t\1\t250601000000Z/' index.txt
sed -i 's/^R\t\([0-9Z]*\)\t250601000000Z\t/R\t\1\t250601000000Z,keyCompromise\t/' index.txt
openssl ca -gencrl -config ca.cnf -keyfile intermediate.key -cert intermediate.pem -out intermediate.crl.pem 2>/dev/null

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
cp intermediate.crl.pem ../$out/intermediate.crl.pem
cp content.txt signer.cms.der signer.cms.pem revoked.cms.der rogue.cms.der ../$out/
[[ -s encipher.cms.der ]] && cp encipher.cms.der ../$out/
python3 ../make-pdfs.py ../$out
cd ..
rm -rf work
ls -l "$out"

#ifndef IOFFICE_COPENSSL_H
#define IOFFICE_COPENSSL_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/x509_vfy.h>

/* A thin C layer over OpenSSL 3 for the Signing service: OpenSSL's stacks, attributes and times are
   macros and out-parameters that Swift cannot call well. Each function verifies or reads one thing
   and reports plain values; every OpenSSL object is freed here. */

typedef struct ioffice_trust ioffice_trust;

/* Trust anchors and intermediates (PEM), and CRLs (PEM or DER). */
ioffice_trust *ioffice_trust_new(void);
void ioffice_trust_free(ioffice_trust *trust);
/* How many certificates (or CRLs) of `data` were added; 0 when none could be read. */
int ioffice_trust_add_certificates(ioffice_trust *trust, const unsigned char *data, size_t length);
int ioffice_trust_add_crls(ioffice_trust *trust, const unsigned char *data, size_t length);
/* A copy of `base` (sharing its store and objects) with the CRLs (DER) and OCSP responses (DER
   OCSPResponse) added, then sealed: the revocation data a PDF carries in its document security store.
   Each CRL still counts only if its issuer's key verifies it, each response only if its issuer or an
   authorised responder signed it. Free with ioffice_trust_free. */
ioffice_trust *ioffice_trust_with_revocation(const ioffice_trust *base, const unsigned char *const *crls, const size_t *lengths, int count,
                                            const unsigned char *const *ocsps, const size_t *ocsp_lengths, int ocsp_count);
/* Call once everything is added: verifies each CRL's signature with a trusted certificate once, so
   checks against this trust need not repeat it. The trust is read-only afterwards. */
void ioffice_trust_seal(ioffice_trust *trust);

enum {
    IOFFICE_REVOCATION_GOOD = 0,
    IOFFICE_REVOCATION_REVOKED = 1,
    IOFFICE_REVOCATION_UNKNOWN = 2,
};

enum {
    IOFFICE_CMS_OK = 0,
    /* Not a CMS/PKCS#7 signed-data structure OpenSSL can read. */
    IOFFICE_CMS_MALFORMED = 1,
    /* The content digest does not match the signed one. */
    IOFFICE_CMS_DIGEST_MISMATCH = 2,
    /* The signature over the signed attributes does not verify. */
    IOFFICE_CMS_BAD_SIGNATURE = 3,
    /* No signer certificate inside the CMS. */
    IOFFICE_CMS_NO_SIGNER = 4,
    /* The signature can only be checked against the content itself (no signed attributes, or another
       digest algorithm than the one given): use ioffice_verify_detached_parts. */
    IOFFICE_CMS_NEEDS_CONTENT = 5,
};

enum {
    IOFFICE_TIMESTAMP_NONE = 0,
    /* An RFC 3161 signature timestamp token over this signer's signature value, from a TSA whose
       certificate chains to a trust anchor and is for time stamping. */
    IOFFICE_TIMESTAMP_VALID = 1,
    /* A token is there but does not verify (its signature, its imprint, or its TSA). */
    IOFFICE_TIMESTAMP_INVALID = 2,
};

typedef struct {
    int status;               /* IOFFICE_CMS_* */
    char *subject;            /* signer subject, RFC 2253 (malloc'd) */
    char *serial;             /* signer serial, hex (malloc'd) */
    int has_signing_time;
    int64_t signing_time;     /* the signed signingTime attribute, Unix seconds */
    int key_usage_ok;         /* nonRepudiation present (or no keyUsage extension) */
    int extended_key_usage_ok;/* no extendedKeyUsage, or one for signing documents (see shim.c) */
    int timestamp;            /* IOFFICE_TIMESTAMP_* */
    int64_t timestamp_time;   /* the token's genTime, when valid */
    char *timestamp_authority;/* the TSA's subject (malloc'd), when valid */
    int64_t validated_at;     /* the time the chain and revocation were checked at */
    int chain_ok;             /* a chain to a trust anchor, valid at validated_at */
    int chain_error;          /* X509_V_ERR_* when not */
    char **chain;             /* subjects from the signer up to the anchor (malloc'd) */
    int chain_count;
    int revocation;           /* IOFFICE_REVOCATION_*, over every certificate below the anchor */
    int revocation_stale;     /* some certificate had CRLs, none current at validated_at */
    int64_t revoked_at;
    int revoked_reason;       /* CRL reason code, -1 when none given */
    char *revoked_subject;    /* which certificate of the chain is revoked (malloc'd) */
    char error[256];          /* OpenSSL's own words, for the log */
} ioffice_signer_report;

void ioffice_signer_report_free(ioffice_signer_report *report);

/* Every signer of one CMS. `status` is IOFFICE_CMS_MALFORMED when the CMS cannot be read at all,
   IOFFICE_CMS_NEEDS_CONTENT when a signer can only be checked against the content itself. */
typedef struct {
    int status;
    int count;
    ioffice_signer_report *signers;
} ioffice_cms_report;

/* Verifies a detached CMS signature (DER) over content given in up to two parts (a PDF's signed byte
   ranges, read without copying): each signer's signature and digest, then its certificate's chain,
   key purposes and revocation against `trust`, at the time of a valid signature timestamp, else at
   `proven_time` (Unix seconds, a later document timestamp's; 0 for none), else now. Always fills
   `report`; free it with ioffice_cms_report_free. */
void ioffice_verify_detached_parts(const unsigned char *cms, size_t cms_length, const unsigned char *first,
                                   size_t first_length, const unsigned char *second, size_t second_length,
                                   const ioffice_trust *trust, int64_t proven_time, ioffice_cms_report *report);
/* A PDF document timestamp (/SubFilter ETSI.RFC3161): the token's signature, its TSA (for time stamping,
   chained now, not revoked) and its imprint over the signed bytes. `subject` is the TSA's,
   `timestamp_time` the token's time; free with ioffice_signer_report_free. */
void ioffice_verify_document_timestamp(const unsigned char *token, size_t token_length, const unsigned char *first, size_t first_length,
                                       const unsigned char *second, size_t second_length, const ioffice_trust *trust,
                                       ioffice_signer_report *report);
void ioffice_cms_report_free(ioffice_cms_report *report);

/* A CMS read once, for the functions below; NULL when it is not CMS/PKCS#7 signed data. */
typedef struct ioffice_cms ioffice_cms;
ioffice_cms *ioffice_cms_read(const unsigned char *cms, size_t cms_length);
void ioffice_cms_free(ioffice_cms *cms);
/* The digest algorithm (an OpenSSL NID) the first signer names; 0 when OpenSSL knows none. */
int ioffice_cms_digest_nid(const ioffice_cms *cms);
/* As ioffice_verify_detached_parts, with the content's digest (algorithm `digest_nid`) computed by the
   caller: a PDF's signatures share most of their signed bytes, which are then hashed once. Reports
   IOFFICE_CMS_NEEDS_CONTENT when the digest cannot settle every signer. */
void ioffice_verify_cms_digest(ioffice_cms *cms, int digest_nid, const unsigned char *digest, size_t digest_length,
                               const ioffice_trust *trust, int64_t proven_time, ioffice_cms_report *report);

/* A running message digest that can be copied midway: hash a shared prefix once, then finish each copy
   with its own remainder. */
typedef struct ioffice_digest ioffice_digest;
ioffice_digest *ioffice_digest_new(int nid);
int ioffice_digest_update(ioffice_digest *digest, const unsigned char *data, size_t length);
ioffice_digest *ioffice_digest_copy(const ioffice_digest *digest);
/* Writes at most 64 bytes to `out`; the digest's length, 0 on failure. Frees nothing. */
size_t ioffice_digest_final(ioffice_digest *digest, unsigned char *out);
void ioffice_digest_free(ioffice_digest *digest);

/* The benchmark's baseline: OpenSSL's own CMS_verify of a detached DER signature over `content`, with
   the whole chain checked against the CRLs by an X509_STORE made once from `trust`
   (X509_V_FLAG_CRL_CHECK_ALL), which verifies each CRL's signature at every check. 1 when it verifies. */
X509_STORE *ioffice_baseline_store_new(const ioffice_trust *trust);
void ioffice_baseline_store_free(X509_STORE *store);
int ioffice_openssl_cms_verify(const unsigned char *cms, size_t cms_length, const unsigned char *content, size_t content_length,
                               X509_STORE *store);
/* Whether checks against `trust` reuse the CRL signatures verified when it was sealed (1, the
   default) or verify every CRL again (0), as OpenSSL's store does: the benchmark's like-for-like. */
void ioffice_trust_set_crl_cache(ioffice_trust *trust, int enabled);

#endif

#include "COpenSSL.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ioffice_trust {
    X509_STORE *store;
    STACK_OF(X509) *certificates;
    STACK_OF(X509_CRL) *crls;
    /* For each CRL, the trusted certificate whose key verified its signature when the trust was
       sealed (NULL if none): a revocation check then skips verifying that CRL again. */
    X509 **crl_signers;
};

ioffice_trust *ioffice_trust_new(void) {
    ioffice_trust *trust = calloc(1, sizeof *trust);
    if (!trust) return NULL;
    trust->store = X509_STORE_new();
    trust->certificates = sk_X509_new_null();
    trust->crls = sk_X509_CRL_new_null();
    if (!trust->store || !trust->certificates || !trust->crls) {
        ioffice_trust_free(trust);
        return NULL;
    }
    return trust;
}

void ioffice_trust_free(ioffice_trust *trust) {
    if (!trust) return;
    X509_STORE_free(trust->store);
    sk_X509_pop_free(trust->certificates, X509_free);
    sk_X509_CRL_pop_free(trust->crls, X509_CRL_free);
    free(trust->crl_signers);
    free(trust);
}

int ioffice_trust_add_certificates(ioffice_trust *trust, const unsigned char *data, size_t length) {
    BIO *bio = BIO_new_mem_buf(data, (int)length);
    if (!bio) return 0;
    int added = 0;
    X509 *certificate;
    while ((certificate = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (X509_STORE_add_cert(trust->store, certificate) == 1 && sk_X509_push(trust->certificates, certificate) > 0) {
            added++;
        } else {
            X509_free(certificate);
        }
    }
    BIO_free(bio);
    ERR_clear_error(); /* the end of the PEM data reads as an error */
    return added;
}

int ioffice_trust_add_crls(ioffice_trust *trust, const unsigned char *data, size_t length) {
    BIO *bio = BIO_new_mem_buf(data, (int)length);
    if (!bio) return 0;
    int added = 0;
    X509_CRL *crl;
    while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
        if (sk_X509_CRL_push(trust->crls, crl) > 0) added++; else X509_CRL_free(crl);
    }
    if (added == 0) {
        const unsigned char *cursor = data;
        crl = d2i_X509_CRL(NULL, &cursor, (long)length);
        if (crl) {
            if (sk_X509_CRL_push(trust->crls, crl) > 0) added++; else X509_CRL_free(crl);
        }
    }
    BIO_free(bio);
    ERR_clear_error();
    return added;
}

void ioffice_trust_seal(ioffice_trust *trust) {
    int count = sk_X509_CRL_num(trust->crls);
    free(trust->crl_signers);
    trust->crl_signers = count > 0 ? calloc((size_t)count, sizeof(X509 *)) : NULL;
    if (!trust->crl_signers) return;
    for (int i = 0; i < count; i++) {
        X509_CRL *crl = sk_X509_CRL_value(trust->crls, i);
        for (int j = 0; j < sk_X509_num(trust->certificates); j++) {
            X509 *candidate = sk_X509_value(trust->certificates, j);
            if (X509_NAME_cmp(X509_get_subject_name(candidate), X509_CRL_get_issuer(crl)) != 0) continue;
            EVP_PKEY *key = X509_get0_pubkey(candidate);
            if (key && X509_CRL_verify(crl, key) == 1) {
                trust->crl_signers[i] = candidate;
                break;
            }
        }
    }
    ERR_clear_error();
}

/* RFC 2253 text of `name`, printed through `bio` (reused across names, reset here). */
static char *name_string_with(BIO *bio, const X509_NAME *name) {
    if (!bio) return NULL;
    (void)BIO_reset(bio);
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char *text = NULL;
    long length = BIO_get_mem_data(bio, &text);
    char *copy = malloc((size_t)length + 1);
    if (copy) {
        memcpy(copy, text, (size_t)length);
        copy[length] = 0;
    }
    return copy;
}

static char *name_string(const X509_NAME *name) {
    BIO *bio = BIO_new(BIO_s_mem());
    char *text = name_string_with(bio, name);
    BIO_free(bio);
    return text;
}

static int64_t unix_time(const ASN1_TIME *time) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
    return (int64_t)timegm(&tm);
}

static void remember_error(ioffice_signer_report *report) {
    unsigned long code = ERR_peek_last_error();
    if (code) ERR_error_string_n(code, report->error, sizeof report->error);
    ERR_clear_error();
}

static int signing_time(CMS_SignerInfo *signer, int64_t *out) {
    int index = CMS_signed_get_attr_by_NID(signer, NID_pkcs9_signingTime, -1);
    if (index < 0) return 0;
    X509_ATTRIBUTE *attribute = CMS_signed_get_attr(signer, index);
    ASN1_TYPE *value = X509_ATTRIBUTE_get0_type(attribute, 0);
    if (!value) return 0;
    if (value->type == V_ASN1_UTCTIME || value->type == V_ASN1_GENERALIZEDTIME) {
        *out = unix_time((const ASN1_TIME *)value->value.asn1_string);
        return 1;
    }
    return 0;
}

/* Revocation from a CRL of the signer's issuer whose signature verifies with the issuer's key. */
static void check_revocation(const ioffice_trust *trust, X509 *certificate, X509 *issuer, ioffice_signer_report *report) {
    report->revocation = IOFFICE_REVOCATION_UNKNOWN;
    report->revoked_reason = -1;
    if (!issuer) return;
    EVP_PKEY *key = X509_get0_pubkey(issuer);
    for (int i = 0; i < sk_X509_CRL_num(trust->crls); i++) {
        X509_CRL *crl = sk_X509_CRL_value(trust->crls, i);
        if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(certificate)) != 0) continue;
        int known = trust->crl_signers && trust->crl_signers[i] && X509_cmp(trust->crl_signers[i], issuer) == 0;
        if (!known && (!key || X509_CRL_verify(crl, key) != 1)) {
            ERR_clear_error();
            continue;
        }
        X509_REVOKED *entry = NULL;
        if (X509_CRL_get0_by_cert(crl, &entry, certificate) == 1 && entry) {
            report->revocation = IOFFICE_REVOCATION_REVOKED;
            report->revoked_at = unix_time(X509_REVOKED_get0_revocationDate(entry));
            ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, NULL, NULL);
            if (reason) {
                report->revoked_reason = (int)ASN1_ENUMERATED_get(reason);
                ASN1_ENUMERATED_free(reason);
            }
            return;
        }
        report->revocation = IOFFICE_REVOCATION_GOOD;
    }
    ERR_clear_error();
}

static void check_chain(const ioffice_trust *trust, X509 *certificate, STACK_OF(X509) *embedded, ioffice_signer_report *report) {
    X509_STORE_CTX *context = X509_STORE_CTX_new();
    if (!context) return;
    if (X509_STORE_CTX_init(context, trust->store, certificate, embedded) == 1) {
        X509_VERIFY_PARAM *parameters = X509_STORE_CTX_get0_param(context);
        X509_VERIFY_PARAM_set_time(parameters, report->has_signing_time ? (time_t)report->signing_time : time(NULL));
        report->chain_ok = X509_verify_cert(context) == 1;
        report->chain_error = report->chain_ok ? 0 : X509_STORE_CTX_get_error(context);
        STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(context);
        int count = chain ? sk_X509_num(chain) : 0;
        if (count > 0) {
            report->chain = calloc((size_t)count, sizeof(char *));
            BIO *names = BIO_new(BIO_s_mem());
            if (report->chain) {
                /* The signer's own subject is already printed: the chain starts with it. */
                report->chain[0] = report->subject ? strdup(report->subject) : name_string_with(names, X509_get_subject_name(certificate));
                for (int i = 1; i < count; i++) report->chain[i] = name_string_with(names, X509_get_subject_name(sk_X509_value(chain, i)));
                report->chain_count = count;
            }
            BIO_free(names);
        }
        X509 *issuer = count > 1 ? sk_X509_value(chain, 1) : NULL;
        check_revocation(trust, certificate, issuer, report);
    }
    X509_STORE_CTX_free(context);
    ERR_clear_error();
}

void ioffice_verify_detached(const unsigned char *cms_data, size_t cms_length, const unsigned char *content,
                             size_t content_length, const ioffice_trust *trust, ioffice_signer_report *report) {
    ioffice_verify_detached_parts(cms_data, cms_length, content, content_length, NULL, 0, trust, report);
}

/* Reads `bio` to its end, through whatever digest BIOs sit in front of it. */
static void drain(BIO *chain) {
    unsigned char buffer[16384];
    while (BIO_read(chain, buffer, sizeof buffer) > 0) {}
}

/* A CMS as OpenSSL reads it, or NULL when it is not CMS/PKCS#7 signed data. */
static CMS_ContentInfo *read_cms(const unsigned char *cms_data, size_t cms_length) {
    if (cms_length == 0 || cms_length > (size_t)INT32_MAX) return NULL;
    BIO *input = BIO_new_mem_buf(cms_data, (int)cms_length);
    CMS_ContentInfo *cms = input ? d2i_CMS_bio(input, NULL) : NULL;
    BIO_free(input);
    if (cms && OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
        CMS_ContentInfo_free(cms);
        return NULL;
    }
    return cms;
}

/* The common first half of a verification: finds the first signer of `cms` and that signer's
   certificate among those embedded, and fills the signer's facts into `report`. 0 (with `report`
   saying why) when the CMS cannot be checked at all; `cms` stays the caller's. */
static int open_signer(CMS_ContentInfo *cms, ioffice_signer_report *report, CMS_SignerInfo **signer_out, X509 **certificate_out,
                       STACK_OF(X509) **embedded_out) {
    memset(report, 0, sizeof *report);
    report->revocation = IOFFICE_REVOCATION_UNKNOWN;
    report->revoked_reason = -1;
    report->status = IOFFICE_CMS_MALFORMED;
    if (!cms) {
        remember_error(report);
        return 0;
    }
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
    STACK_OF(X509) *embedded = CMS_get1_certs(cms);
    if (!signers || sk_CMS_SignerInfo_num(signers) < 1) {
        sk_X509_pop_free(embedded, X509_free);
        return 0;
    }
    CMS_SignerInfo *signer = sk_CMS_SignerInfo_value(signers, 0);
    /* Match the signer's certificate among those embedded; the chain is checked separately. */
    CMS_set1_signers_certs(cms, NULL, 0);
    X509 *certificate = NULL;
    CMS_SignerInfo_get0_algs(signer, NULL, &certificate, NULL, NULL);
    if (!certificate) {
        report->status = IOFFICE_CMS_NO_SIGNER;
        remember_error(report);
        sk_X509_pop_free(embedded, X509_free);
        return 0;
    }
    report->subject = name_string(X509_get_subject_name(certificate));
    const ASN1_INTEGER *serial = X509_get0_serialNumber(certificate);
    BIGNUM *number = ASN1_INTEGER_to_BN(serial, NULL);
    if (number) {
        char *hex = BN_bn2hex(number);
        if (hex) {
            report->serial = strdup(hex);
            OPENSSL_free(hex);
        }
        BN_free(number);
    }
    report->has_signing_time = signing_time(signer, &report->signing_time);
    uint32_t usage = X509_get_key_usage(certificate);
    report->key_usage_ok = (usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) != 0;
    *signer_out = signer;
    *certificate_out = certificate;
    *embedded_out = embedded;
    return 1;
}

/* The common second half: the signer's chain, key usage and revocation; frees what open_signer made. */
static void close_signer(X509 *certificate, STACK_OF(X509) *embedded, const ioffice_trust *trust, ioffice_signer_report *report) {
    ERR_clear_error();
    check_chain(trust, certificate, embedded, report);
    sk_X509_pop_free(embedded, X509_free);
}

void ioffice_verify_detached_parts(const unsigned char *cms_data, size_t cms_length, const unsigned char *first,
                                   size_t first_length, const unsigned char *second, size_t second_length,
                                   const ioffice_trust *trust, ioffice_signer_report *report) {
    CMS_SignerInfo *signer = NULL;
    X509 *certificate = NULL;
    STACK_OF(X509) *embedded = NULL;
    int sizes_ok = first_length <= (size_t)INT32_MAX && second_length <= (size_t)INT32_MAX;
    CMS_ContentInfo *cms = sizes_ok ? read_cms(cms_data, cms_length) : NULL;
    if (!open_signer(cms, report, &signer, &certificate, &embedded)) {
        CMS_ContentInfo_free(cms);
        return;
    }

    /* The signature itself: signed attributes against the signer's key, then the content digest. */
    int signature = CMS_SignerInfo_verify(signer);
    if (signature != 1) {
        report->status = IOFFICE_CMS_BAD_SIGNATURE;
        remember_error(report);
    } else {
        /* The content is read through the digest BIOs CMS_dataInit chains in front of it, the signer's
           messageDigest attribute is then compared with what they computed. A PDF's two signed ranges
           are read one after the other from the file's own memory, without copying them together. */
        BIO *data = BIO_new_mem_buf(first_length ? first : (const unsigned char *)"", (int)first_length);
        BIO *digests = data ? CMS_dataInit(cms, data) : NULL;
        int digest = 0;
        if (digests) {
            drain(digests);
            if (second_length > 0 && digests != data) {
                BIO *before = digests;
                while (BIO_next(before) && BIO_next(before) != data) before = BIO_next(before);
                BIO_pop(data);
                BIO_free(data);
                data = BIO_new_mem_buf(second, (int)second_length);
                if (data) {
                    BIO_push(before, data);
                    drain(digests);
                }
            }
            digest = data ? CMS_SignerInfo_verify_content(signer, digests) : 0;
            BIO_free_all(digests); /* frees `data` too: it ends the chain */
        } else {
            BIO_free(data);
        }
        if (digest == 1) {
            report->status = IOFFICE_CMS_OK;
        } else {
            report->status = IOFFICE_CMS_DIGEST_MISMATCH;
            remember_error(report);
        }
    }
    close_signer(certificate, embedded, trust, report);
    CMS_ContentInfo_free(cms);
}

struct ioffice_cms {
    CMS_ContentInfo *cms;
};

ioffice_cms *ioffice_cms_read(const unsigned char *cms_data, size_t cms_length) {
    CMS_ContentInfo *cms = read_cms(cms_data, cms_length);
    ERR_clear_error();
    if (!cms) return NULL;
    ioffice_cms *handle = malloc(sizeof *handle);
    if (!handle) {
        CMS_ContentInfo_free(cms);
        return NULL;
    }
    handle->cms = cms;
    return handle;
}

void ioffice_cms_free(ioffice_cms *handle) {
    if (!handle) return;
    CMS_ContentInfo_free(handle->cms);
    free(handle);
}

/* The first signer's digest algorithm, or NULL. */
static const ASN1_OBJECT *digest_algorithm(CMS_ContentInfo *cms) {
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
    if (!signers || sk_CMS_SignerInfo_num(signers) < 1) return NULL;
    X509_ALGOR *algorithm = NULL;
    CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(signers, 0), NULL, NULL, &algorithm, NULL);
    const ASN1_OBJECT *object = NULL;
    if (algorithm) X509_ALGOR_get0(&object, NULL, NULL, algorithm);
    return object;
}

int ioffice_cms_digest_nid(const ioffice_cms *handle) {
    const ASN1_OBJECT *object = digest_algorithm(handle->cms);
    int nid = object ? OBJ_obj2nid(object) : 0;
    return nid != 0 && EVP_get_digestbynid(nid) ? nid : 0;
}

void ioffice_verify_cms_digest(ioffice_cms *handle, int digest_nid, const unsigned char *digest, size_t digest_length,
                               const ioffice_trust *trust, ioffice_signer_report *report) {
    CMS_SignerInfo *signer = NULL;
    X509 *certificate = NULL;
    STACK_OF(X509) *embedded = NULL;
    if (!open_signer(handle->cms, report, &signer, &certificate, &embedded)) return;

    /* Without signed attributes the signature is over the content itself: only the content can check it. */
    const ASN1_OBJECT *object = digest_algorithm(handle->cms);
    if (CMS_signed_get_attr_count(signer) < 0 || !object || OBJ_obj2nid(object) != digest_nid) {
        report->status = IOFFICE_CMS_NEEDS_CONTENT;
    } else if (CMS_SignerInfo_verify(signer) != 1) {
        report->status = IOFFICE_CMS_BAD_SIGNATURE;
        remember_error(report);
    } else {
        /* The comparison CMS_SignerInfo_verify_content makes, with the digest computed by the caller. */
        ASN1_OCTET_STRING *signed_digest =
            CMS_signed_get0_data_by_OBJ(signer, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
        int same = signed_digest && (size_t)ASN1_STRING_length(signed_digest) == digest_length &&
                   CRYPTO_memcmp(ASN1_STRING_get0_data(signed_digest), digest, digest_length) == 0;
        report->status = same ? IOFFICE_CMS_OK : IOFFICE_CMS_DIGEST_MISMATCH;
    }
    close_signer(certificate, embedded, trust, report);
}

void ioffice_signer_report_free(ioffice_signer_report *report) {
    free(report->subject);
    free(report->serial);
    for (int i = 0; i < report->chain_count; i++) free(report->chain[i]);
    free(report->chain);
    memset(report, 0, sizeof *report);
}

X509_STORE *ioffice_baseline_store_new(const ioffice_trust *trust) {
    X509_STORE *store = X509_STORE_new();
    if (!store) return NULL;
    for (int i = 0; i < sk_X509_num(trust->certificates); i++) X509_STORE_add_cert(store, sk_X509_value(trust->certificates, i));
    for (int i = 0; i < sk_X509_CRL_num(trust->crls); i++) X509_STORE_add_crl(store, sk_X509_CRL_value(trust->crls, i));
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    return store;
}

void ioffice_baseline_store_free(X509_STORE *store) { X509_STORE_free(store); }

int ioffice_openssl_cms_verify(const unsigned char *cms_data, size_t cms_length, const unsigned char *content, size_t content_length,
                               X509_STORE *store) {
    BIO *input = BIO_new_mem_buf(cms_data, (int)cms_length);
    CMS_ContentInfo *cms = input ? d2i_CMS_bio(input, NULL) : NULL;
    BIO_free(input);
    if (!cms) return 0;
    BIO *data = BIO_new_mem_buf(content, (int)content_length);
    int ok = data && CMS_verify(cms, NULL, store, data, NULL, CMS_BINARY) == 1;
    BIO_free(data);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return ok;
}

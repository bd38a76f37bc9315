#include "COpenSSL.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
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
    /* 0 only in the benchmark's like-for-like rounds: every check verifies every CRL again, as
       OpenSSL's own store does. */
    int crl_cache;
    /* OCSP responses a document carried (its DSS), checked when they answer for a certificate. */
    OCSP_BASICRESP **ocsps;
    int ocsp_count;
};

ioffice_trust *ioffice_trust_new(void) {
    ioffice_trust *trust = calloc(1, sizeof *trust);
    if (!trust) return NULL;
    trust->store = X509_STORE_new();
    trust->certificates = sk_X509_new_null();
    trust->crls = sk_X509_CRL_new_null();
    trust->crl_cache = 1;
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
    for (int i = 0; i < trust->ocsp_count; i++) OCSP_BASICRESP_free(trust->ocsps[i]);
    free(trust->ocsps);
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

ioffice_trust *ioffice_trust_with_revocation(const ioffice_trust *base, const unsigned char *const *crls, const size_t *lengths, int count,
                                            const unsigned char *const *ocsps, const size_t *ocsp_lengths, int ocsp_count) {
    ioffice_trust *trust = calloc(1, sizeof *trust);
    if (!trust) return NULL;
    trust->crl_cache = base->crl_cache;
    trust->store = base->store;
    X509_STORE_up_ref(trust->store);
    trust->certificates = sk_X509_dup(base->certificates);
    trust->crls = sk_X509_CRL_dup(base->crls);
    if (!trust->certificates || !trust->crls) {
        if (trust->certificates) sk_X509_free(trust->certificates);
        if (trust->crls) sk_X509_CRL_free(trust->crls);
        trust->certificates = NULL;
        trust->crls = NULL;
        ioffice_trust_free(trust);
        return NULL;
    }
    for (int i = 0; i < sk_X509_num(trust->certificates); i++) X509_up_ref(sk_X509_value(trust->certificates, i));
    for (int i = 0; i < sk_X509_CRL_num(trust->crls); i++) X509_CRL_up_ref(sk_X509_CRL_value(trust->crls, i));
    for (int i = 0; i < count; i++) {
        if (lengths[i] == 0 || lengths[i] > (size_t)INT32_MAX) continue;
        const unsigned char *cursor = crls[i];
        X509_CRL *crl = d2i_X509_CRL(NULL, &cursor, (long)lengths[i]);
        if (crl && sk_X509_CRL_push(trust->crls, crl) <= 0) X509_CRL_free(crl);
    }
    trust->ocsps = ocsp_count > 0 ? calloc((size_t)ocsp_count, sizeof(OCSP_BASICRESP *)) : NULL;
    for (int i = 0; i < ocsp_count && trust->ocsps; i++) {
        if (ocsp_lengths[i] == 0 || ocsp_lengths[i] > (size_t)INT32_MAX) continue;
        const unsigned char *cursor = ocsps[i];
        OCSP_RESPONSE *response = d2i_OCSP_RESPONSE(NULL, &cursor, (long)ocsp_lengths[i]);
        OCSP_BASICRESP *basic = response && OCSP_response_status(response) == OCSP_RESPONSE_STATUS_SUCCESSFUL ? OCSP_response_get1_basic(response) : NULL;
        OCSP_RESPONSE_free(response);
        if (!basic) continue;
        trust->ocsps[trust->ocsp_count++] = basic;
    }
    ERR_clear_error();
    ioffice_trust_seal(trust);
    return trust;
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

void ioffice_trust_set_crl_cache(ioffice_trust *trust, int enabled) { trust->crl_cache = enabled; }

static CMS_ContentInfo *read_cms_bytes(const unsigned char *cms_data, size_t cms_length);

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

/* The purposes a document signer's certificate may name in extendedKeyUsage: e-mail protection
   (S/MIME, what most CAs issue for signing), any purpose, document signing (RFC 9336), Adobe authentic
   documents and Microsoft document signing. Without the extension every purpose is allowed. */
static int extended_key_usage_ok(X509 *certificate) {
    int critical = 0;
    EXTENDED_KEY_USAGE *usages = X509_get_ext_d2i(certificate, NID_ext_key_usage, &critical, NULL);
    if (!usages) {
        ERR_clear_error();
        return critical == -1; /* -1: no extension; -2 (several) or a parse error: refused */
    }
    static const char *documents[] = {"1.3.6.1.5.5.7.3.36", "1.2.840.113583.1.1.5", "1.3.6.1.4.1.311.10.3.12"};
    int ok = 0;
    for (int i = 0; i < sk_ASN1_OBJECT_num(usages) && !ok; i++) {
        ASN1_OBJECT *usage = sk_ASN1_OBJECT_value(usages, i);
        int nid = OBJ_obj2nid(usage);
        if (nid == NID_email_protect || nid == NID_anyExtendedKeyUsage) {
            ok = 1;
            break;
        }
        char text[80];
        if (OBJ_obj2txt(text, sizeof text, usage, 1) <= 0) continue;
        for (size_t j = 0; j < sizeof documents / sizeof *documents; j++) {
            if (strcmp(text, documents[j]) == 0) ok = 1;
        }
    }
    sk_ASN1_OBJECT_pop_free(usages, ASN1_OBJECT_free);
    return ok;
}

/* Whether `crl` speaks for `at`: current then (thisUpdate <= at <= nextUpdate). A CRL issued later does
   not count: a CA drops expired certificates from its CRLs, so a later "not listed" proves nothing. */
static int crl_current(X509_CRL *crl, time_t at) {
    const ASN1_TIME *this_update = X509_CRL_get0_lastUpdate(crl);
    const ASN1_TIME *next_update = X509_CRL_get0_nextUpdate(crl);
    if (!this_update || !next_update) return 0;
    return X509_cmp_time(this_update, &at) == -1 && X509_cmp_time(next_update, &at) == 1;
}

enum { STATUS_GOOD = 0, STATUS_REVOKED = 1, STATUS_UNKNOWN = 2, STATUS_STALE = 3 };

/* One certificate's status from the document's OCSP responses: a response counts when its signature
   verifies (by the issuer, or a responder the issuer authorised for OCSP signing, chained to a trust
   anchor) and it is current at `at` (thisUpdate <= at <= nextUpdate; one without nextUpdate is not). */
static int ocsp_status(const ioffice_trust *trust, X509 *certificate, X509 *issuer, time_t at, int64_t *revoked_at, int *reason) {
    int status = STATUS_UNKNOWN;
    STACK_OF(X509) *helpers = sk_X509_new_null();
    if (helpers) sk_X509_push(helpers, issuer);
    const EVP_MD *digests[] = {EVP_sha1(), EVP_sha256()};
    for (int i = 0; i < trust->ocsp_count && status != STATUS_REVOKED; i++) {
        OCSP_BASICRESP *basic = trust->ocsps[i];
        for (size_t d = 0; d < sizeof digests / sizeof *digests; d++) {
            OCSP_CERTID *id = OCSP_cert_to_id(digests[d], certificate, issuer);
            int state = -1, code = -1;
            ASN1_GENERALIZEDTIME *revoked = NULL, *this_update = NULL, *next_update = NULL;
            int found = id && OCSP_resp_find_status(basic, id, &state, &code, &revoked, &this_update, &next_update) == 1;
            OCSP_CERTID_free(id);
            if (!found) continue;
            if (OCSP_basic_verify(basic, helpers, trust->store, 0) != 1) {
                ERR_clear_error();
                break;
            }
            int current = this_update && next_update && X509_cmp_time(this_update, &at) == -1 && X509_cmp_time(next_update, &at) == 1;
            if (state == V_OCSP_CERTSTATUS_REVOKED) {
                *revoked_at = unix_time(revoked);
                *reason = code;
                status = STATUS_REVOKED;
            } else if (state == V_OCSP_CERTSTATUS_GOOD && current) {
                status = STATUS_GOOD;
            } else if (status == STATUS_UNKNOWN && state == V_OCSP_CERTSTATUS_GOOD) {
                status = STATUS_STALE;
            }
            break;
        }
    }
    sk_X509_free(helpers);
    ERR_clear_error();
    return status;
}

/* One certificate's status from the CRLs of its issuer whose signature verifies with the issuer's
   key. A listed serial counts whatever the CRL's dates; "not listed" counts only from a current CRL. */
static int certificate_status(const ioffice_trust *trust, X509 *certificate, X509 *issuer, time_t at, int64_t *revoked_at,
                              int *reason) {
    if (!issuer) return STATUS_UNKNOWN;
    EVP_PKEY *key = X509_get0_pubkey(issuer);
    int status = STATUS_UNKNOWN;
    for (int i = 0; i < sk_X509_CRL_num(trust->crls); i++) {
        X509_CRL *crl = sk_X509_CRL_value(trust->crls, i);
        if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(certificate)) != 0) continue;
        int known = trust->crl_cache && trust->crl_signers && trust->crl_signers[i] && X509_cmp(trust->crl_signers[i], issuer) == 0;
        if (!known && (!key || X509_CRL_verify(crl, key) != 1)) {
            ERR_clear_error();
            continue;
        }
        X509_REVOKED *entry = NULL;
        if (X509_CRL_get0_by_cert(crl, &entry, certificate) == 1 && entry) {
            *revoked_at = unix_time(X509_REVOKED_get0_revocationDate(entry));
            *reason = -1;
            ASN1_ENUMERATED *code = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, NULL, NULL);
            if (code) {
                *reason = (int)ASN1_ENUMERATED_get(code);
                ASN1_ENUMERATED_free(code);
            }
            ERR_clear_error();
            return STATUS_REVOKED;
        }
        if (crl_current(crl, at)) {
            status = STATUS_GOOD;
        } else if (status != STATUS_GOOD) {
            status = STATUS_STALE;
        }
    }
    ERR_clear_error();
    if (status == STATUS_GOOD || trust->ocsp_count == 0) return status;
    int answer = ocsp_status(trust, certificate, issuer, at, revoked_at, reason);
    return answer == STATUS_UNKNOWN ? status : answer;
}

/* The chain at `at` (the signer's, or a TSA's), its subjects, and the revocation of every certificate
   below the anchor. */
static void check_chain(const ioffice_trust *trust, X509 *certificate, STACK_OF(X509) *embedded, time_t at, ioffice_signer_report *report) {
    report->revocation = IOFFICE_REVOCATION_UNKNOWN;
    report->revoked_reason = -1;
    X509_STORE_CTX *context = X509_STORE_CTX_new();
    if (!context) return;
    if (X509_STORE_CTX_init(context, trust->store, certificate, embedded) == 1) {
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context), at);
        report->chain_ok = X509_verify_cert(context) == 1;
        report->chain_error = report->chain_ok ? 0 : X509_STORE_CTX_get_error(context);
        STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(context);
        int count = chain ? sk_X509_num(chain) : 0;
        if (count > 0) {
            report->chain = calloc((size_t)count, sizeof(char *));
            BIO *names = BIO_new(BIO_s_mem());
            if (report->chain) {
                report->chain[0] = report->subject ? strdup(report->subject) : name_string_with(names, X509_get_subject_name(certificate));
                for (int i = 1; i < count; i++) report->chain[i] = name_string_with(names, X509_get_subject_name(sk_X509_value(chain, i)));
                report->chain_count = count;
            }
            BIO_free(names);
        }
        /* Every certificate below the last one (the anchor, when the chain is complete). */
        int worst = count > 1 ? STATUS_GOOD : STATUS_UNKNOWN;
        for (int i = 0; i + 1 < count; i++) {
            X509 *subject = sk_X509_value(chain, i);
            int64_t revoked_at = 0;
            int reason = -1;
            int status = certificate_status(trust, subject, sk_X509_value(chain, i + 1), at, &revoked_at, &reason);
            if (status == STATUS_REVOKED) {
                worst = STATUS_REVOKED;
                report->revoked_at = revoked_at;
                report->revoked_reason = reason;
                report->revoked_subject = name_string(X509_get_subject_name(subject));
                break;
            }
            if (status == STATUS_STALE) report->revocation_stale = 1;
            if (status != STATUS_GOOD) worst = STATUS_UNKNOWN;
        }
        report->revocation = worst == STATUS_GOOD ? IOFFICE_REVOCATION_GOOD
                             : worst == STATUS_REVOKED ? IOFFICE_REVOCATION_REVOKED
                                                        : IOFFICE_REVOCATION_UNKNOWN;
    }
    X509_STORE_CTX_free(context);
    ERR_clear_error();
}

/* An RFC 3161 token (a CMS over a TSTInfo): its own signature, the TSA certificate (for time stamping
   only, chained to a trust anchor now, not revoked) into `tsa`, and its TSTInfo; NULL when any fails. */
static TS_TST_INFO *verified_token(const unsigned char *data, size_t length, const ioffice_trust *trust, ioffice_signer_report *tsa) {
    CMS_ContentInfo *token = read_cms_bytes(data, length);
    if (!token) return NULL;
    BIO *content = BIO_new(BIO_s_mem());
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(token);
    TS_TST_INFO *info = NULL;
    if (content && OBJ_obj2nid(CMS_get0_eContentType(token)) == NID_id_smime_ct_TSTInfo && signers && sk_CMS_SignerInfo_num(signers) == 1 &&
        CMS_verify(token, NULL, NULL, NULL, content, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1) {
        const unsigned char *bytes = NULL;
        long count = BIO_get_mem_data(content, (char **)&bytes);
        info = d2i_TS_TST_INFO(NULL, &bytes, count);
    }
    X509 *authority = NULL;
    if (info) CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(signers, 0), NULL, &authority, NULL, NULL);
    uint32_t purposes = authority ? X509_get_extended_key_usage(authority) : 0;
    if (info && authority && purposes != UINT32_MAX && (purposes & XKU_TIMESTAMP)) {
        tsa->subject = name_string(X509_get_subject_name(authority));
        STACK_OF(X509) *embedded = CMS_get1_certs(token);
        check_chain(trust, authority, embedded, time(NULL), tsa);
        sk_X509_pop_free(embedded, X509_free);
    }
    if (!tsa->chain_ok || tsa->revocation == IOFFICE_REVOCATION_REVOKED) {
        TS_TST_INFO_free(info);
        info = NULL;
    }
    BIO_free(content);
    CMS_ContentInfo_free(token);
    ERR_clear_error();
    return info;
}

/* Whether the token's imprint is the digest, with its algorithm, of `first` then `second`. */
static int imprint_matches(TS_TST_INFO *info, const unsigned char *first, size_t first_length, const unsigned char *second,
                           size_t second_length) {
    TS_MSG_IMPRINT *imprint = TS_TST_INFO_get_msg_imprint(info);
    const ASN1_OBJECT *algorithm = NULL;
    X509_ALGOR_get0(&algorithm, NULL, NULL, TS_MSG_IMPRINT_get_algo(imprint));
    const EVP_MD *md = algorithm ? EVP_get_digestbyobj(algorithm) : NULL;
    ASN1_OCTET_STRING *expected = TS_MSG_IMPRINT_get_msg(imprint);
    EVP_MD_CTX *context = md && expected ? EVP_MD_CTX_new() : NULL;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    int ok = context && EVP_DigestInit_ex(context, md, NULL) == 1 && EVP_DigestUpdate(context, first, first_length) == 1 &&
             (second_length == 0 || EVP_DigestUpdate(context, second, second_length) == 1) &&
             EVP_DigestFinal_ex(context, digest, &digest_length) == 1 && (int)digest_length == ASN1_STRING_length(expected) &&
             CRYPTO_memcmp(digest, ASN1_STRING_get0_data(expected), digest_length) == 0;
    EVP_MD_CTX_free(context);
    return ok;
}

/* The signer's signature timestamp (unsigned attribute id-aa-timeStampToken), over its signature value. */
static void check_timestamp(CMS_SignerInfo *signer, const ioffice_trust *trust, ioffice_signer_report *report) {
    int index = CMS_unsigned_get_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, -1);
    if (index < 0) return;
    report->timestamp = IOFFICE_TIMESTAMP_INVALID;
    ASN1_TYPE *value = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(signer, index), 0);
    ASN1_OCTET_STRING *signature = CMS_SignerInfo_get0_signature(signer);
    if (!value || value->type != V_ASN1_SEQUENCE || !value->value.sequence || !signature) return;
    ioffice_signer_report tsa;
    memset(&tsa, 0, sizeof tsa);
    TS_TST_INFO *info = verified_token(value->value.sequence->data, (size_t)value->value.sequence->length, trust, &tsa);
    if (info && imprint_matches(info, ASN1_STRING_get0_data(signature), (size_t)ASN1_STRING_length(signature), NULL, 0)) {
        report->timestamp = IOFFICE_TIMESTAMP_VALID;
        report->timestamp_time = unix_time(TS_TST_INFO_get_time(info));
        report->timestamp_authority = tsa.subject ? strdup(tsa.subject) : NULL;
    }
    TS_TST_INFO_free(info);
    ioffice_signer_report_free(&tsa);
}

void ioffice_verify_document_timestamp(const unsigned char *token, size_t token_length, const unsigned char *first, size_t first_length,
                                       const unsigned char *second, size_t second_length, const ioffice_trust *trust,
                                       ioffice_signer_report *report) {
    memset(report, 0, sizeof *report);
    report->revoked_reason = -1;
    report->key_usage_ok = 1;
    report->extended_key_usage_ok = 1;
    report->validated_at = (int64_t)time(NULL);
    TS_TST_INFO *info = verified_token(token, token_length, trust, report);
    if (!info) {
        /* A TSA that does not chain, or is revoked: those reasons say why. Otherwise the token is bad. */
        int authority_reason = report->subject && (!report->chain_ok || report->revocation == IOFFICE_REVOCATION_REVOKED);
        report->status = authority_reason ? IOFFICE_CMS_OK : IOFFICE_CMS_BAD_SIGNATURE;
        return;
    }
    report->status = imprint_matches(info, first, first_length, second, second_length) ? IOFFICE_CMS_OK : IOFFICE_CMS_DIGEST_MISMATCH;
    report->timestamp = IOFFICE_TIMESTAMP_VALID;
    report->timestamp_time = unix_time(TS_TST_INFO_get_time(info));
    report->timestamp_authority = report->subject ? strdup(report->subject) : NULL;
    TS_TST_INFO_free(info);
}

/* Reads `bio` to its end, through whatever digest BIOs sit in front of it. */
static void drain(BIO *chain) {
    unsigned char buffer[16384];
    while (BIO_read(chain, buffer, sizeof buffer) > 0) {}
}

/* A CMS as OpenSSL reads it, or NULL when it is not CMS/PKCS#7 signed data. */
static CMS_ContentInfo *read_cms_bytes(const unsigned char *cms_data, size_t cms_length) {
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

/* The signers of `cms`, each with its certificate matched among those embedded; 0 when none. */
static int open_report(CMS_ContentInfo *cms, ioffice_cms_report *report) {
    memset(report, 0, sizeof *report);
    report->status = IOFFICE_CMS_MALFORMED;
    STACK_OF(CMS_SignerInfo) *signers = cms ? CMS_get0_SignerInfos(cms) : NULL;
    int count = signers ? sk_CMS_SignerInfo_num(signers) : 0;
    if (count < 1 || count > 64) return 0;
    report->signers = calloc((size_t)count, sizeof *report->signers);
    if (!report->signers) return 0;
    report->count = count;
    report->status = IOFFICE_CMS_OK;
    CMS_set1_signers_certs(cms, NULL, 0);
    ERR_clear_error();
    return 1;
}

/* Everything about one signer but its signature: certificate facts, timestamp, chain, revocation. */
static void check_signer(CMS_ContentInfo *cms, CMS_SignerInfo *signer, STACK_OF(X509) *embedded, const ioffice_trust *trust,
                         int64_t proven_time, ioffice_signer_report *report) {
    report->revocation = IOFFICE_REVOCATION_UNKNOWN;
    report->revoked_reason = -1;
    X509 *certificate = NULL;
    CMS_SignerInfo_get0_algs(signer, NULL, &certificate, NULL, NULL);
    if (!certificate) {
        report->status = IOFFICE_CMS_NO_SIGNER;
        return;
    }
    report->subject = name_string(X509_get_subject_name(certificate));
    BIGNUM *number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), NULL);
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
    /* nonRepudiation (contentCommitment): a signature that commits its signer to a document, as pyHanko
       and EU DSS require of a document signer by default; digitalSignature alone is for authentication. */
    report->key_usage_ok = (usage & KU_NON_REPUDIATION) != 0;
    report->extended_key_usage_ok = extended_key_usage_ok(certificate);
    check_timestamp(signer, trust, report);
    report->validated_at = report->timestamp == IOFFICE_TIMESTAMP_VALID ? report->timestamp_time
                           : proven_time > 0                             ? proven_time
                                                                         : (int64_t)time(NULL);
    check_chain(trust, certificate, embedded, (time_t)report->validated_at, report);
    (void)cms;
}

void ioffice_verify_detached_parts(const unsigned char *cms_data, size_t cms_length, const unsigned char *first,
                                   size_t first_length, const unsigned char *second, size_t second_length,
                                   const ioffice_trust *trust, int64_t proven_time, ioffice_cms_report *report) {
    int sizes_ok = first_length <= (size_t)INT32_MAX && second_length <= (size_t)INT32_MAX;
    CMS_ContentInfo *cms = sizes_ok ? read_cms_bytes(cms_data, cms_length) : NULL;
    if (!open_report(cms, report)) {
        CMS_ContentInfo_free(cms);
        ERR_clear_error();
        return;
    }
    /* The content is read once through the digest BIOs CMS_dataInit chains in front of it (one per
       digest algorithm the signers use); each signer's messageDigest is then compared with its own. A
       PDF's two signed ranges are read one after the other from the file's own memory. */
    BIO *data = BIO_new_mem_buf(first_length ? first : (const unsigned char *)"", (int)first_length);
    BIO *digests = data ? CMS_dataInit(cms, data) : NULL;
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
    } else {
        BIO_free(data);
        data = NULL;
    }
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
    STACK_OF(X509) *embedded = CMS_get1_certs(cms);
    for (int i = 0; i < report->count; i++) {
        CMS_SignerInfo *signer = sk_CMS_SignerInfo_value(signers, i);
        ioffice_signer_report *one = &report->signers[i];
        check_signer(cms, signer, embedded, trust, proven_time, one);
        if (one->status == IOFFICE_CMS_NO_SIGNER) {
            remember_error(one);
            continue;
        }
        if (CMS_signed_get_attr_count(signer) >= 0 && CMS_SignerInfo_verify(signer) != 1) {
            one->status = IOFFICE_CMS_BAD_SIGNATURE;
        } else if (!digests || !data || CMS_SignerInfo_verify_content(signer, digests) != 1) {
            one->status = IOFFICE_CMS_DIGEST_MISMATCH;
        } else {
            one->status = IOFFICE_CMS_OK;
        }
        remember_error(one);
    }
    sk_X509_pop_free(embedded, X509_free);
    if (digests) BIO_free_all(digests); /* frees `data` too: it ends the chain */
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
}

void ioffice_cms_report_free(ioffice_cms_report *report) {
    for (int i = 0; i < report->count; i++) ioffice_signer_report_free(&report->signers[i]);
    free(report->signers);
    memset(report, 0, sizeof *report);
}

struct ioffice_cms {
    CMS_ContentInfo *cms;
};

ioffice_cms *ioffice_cms_read(const unsigned char *cms_data, size_t cms_length) {
    CMS_ContentInfo *cms = read_cms_bytes(cms_data, cms_length);
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

static int signer_digest_nid(CMS_SignerInfo *signer) {
    X509_ALGOR *algorithm = NULL;
    CMS_SignerInfo_get0_algs(signer, NULL, NULL, &algorithm, NULL);
    const ASN1_OBJECT *object = NULL;
    if (algorithm) X509_ALGOR_get0(&object, NULL, NULL, algorithm);
    return object ? OBJ_obj2nid(object) : 0;
}

int ioffice_cms_digest_nid(const ioffice_cms *handle) {
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(handle->cms);
    if (!signers || sk_CMS_SignerInfo_num(signers) < 1) return 0;
    int nid = signer_digest_nid(sk_CMS_SignerInfo_value(signers, 0));
    return nid != 0 && EVP_get_digestbynid(nid) ? nid : 0;
}

void ioffice_verify_cms_digest(ioffice_cms *handle, int digest_nid, const unsigned char *digest, size_t digest_length,
                               const ioffice_trust *trust, int64_t proven_time, ioffice_cms_report *report) {
    if (!open_report(handle->cms, report)) return;
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(handle->cms);
    /* Without signed attributes, or with another digest, only the content itself can settle a signer. */
    for (int i = 0; i < report->count; i++) {
        CMS_SignerInfo *signer = sk_CMS_SignerInfo_value(signers, i);
        if (CMS_signed_get_attr_count(signer) < 0 || signer_digest_nid(signer) != digest_nid) {
            ioffice_cms_report_free(report);
            report->status = IOFFICE_CMS_NEEDS_CONTENT;
            return;
        }
    }
    STACK_OF(X509) *embedded = CMS_get1_certs(handle->cms);
    for (int i = 0; i < report->count; i++) {
        CMS_SignerInfo *signer = sk_CMS_SignerInfo_value(signers, i);
        ioffice_signer_report *one = &report->signers[i];
        check_signer(handle->cms, signer, embedded, trust, proven_time, one);
        if (one->status == IOFFICE_CMS_NO_SIGNER) {
            remember_error(one);
            continue;
        }
        if (CMS_SignerInfo_verify(signer) != 1) {
            one->status = IOFFICE_CMS_BAD_SIGNATURE;
        } else {
            /* The comparison CMS_SignerInfo_verify_content makes, with the digest computed by the caller. */
            ASN1_OCTET_STRING *signed_digest =
                CMS_signed_get0_data_by_OBJ(signer, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
            int same = signed_digest && (size_t)ASN1_STRING_length(signed_digest) == digest_length &&
                       CRYPTO_memcmp(ASN1_STRING_get0_data(signed_digest), digest, digest_length) == 0;
            one->status = same ? IOFFICE_CMS_OK : IOFFICE_CMS_DIGEST_MISMATCH;
        }
        remember_error(one);
    }
    sk_X509_pop_free(embedded, X509_free);
    ERR_clear_error();
}

void ioffice_signer_report_free(ioffice_signer_report *report) {
    free(report->subject);
    free(report->serial);
    free(report->timestamp_authority);
    free(report->revoked_subject);
    for (int i = 0; i < report->chain_count; i++) free(report->chain[i]);
    free(report->chain);
    memset(report, 0, sizeof *report);
}

X509_STORE *ioffice_baseline_store_new(const ioffice_trust *trust) {
    X509_STORE *store = X509_STORE_new();
    if (!store) return NULL;
    for (int i = 0; i < sk_X509_num(trust->certificates); i++) X509_STORE_add_cert(store, sk_X509_value(trust->certificates, i));
    for (int i = 0; i < sk_X509_CRL_num(trust->crls); i++) X509_STORE_add_crl(store, sk_X509_CRL_value(trust->crls, i));
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
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

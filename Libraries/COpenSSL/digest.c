#include "COpenSSL.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* EVP_MD_CTX behind an opaque name: Swift holds the pointer, OpenSSL the state. */
struct ioffice_digest {
    EVP_MD_CTX *context;
};

ioffice_digest *ioffice_digest_new(int nid) {
    const EVP_MD *md = EVP_get_digestbynid(nid);
    if (!md) return NULL;
    ioffice_digest *digest = malloc(sizeof *digest);
    if (!digest) return NULL;
    digest->context = EVP_MD_CTX_new();
    if (!digest->context || EVP_DigestInit_ex(digest->context, md, NULL) != 1) {
        ioffice_digest_free(digest);
        return NULL;
    }
    return digest;
}

int ioffice_digest_update(ioffice_digest *digest, const unsigned char *data, size_t length) {
    if (length == 0) return 1;
    return EVP_DigestUpdate(digest->context, data, length) == 1;
}

ioffice_digest *ioffice_digest_copy(const ioffice_digest *digest) {
    ioffice_digest *copy = malloc(sizeof *copy);
    if (!copy) return NULL;
    copy->context = EVP_MD_CTX_new();
    if (!copy->context || EVP_MD_CTX_copy_ex(copy->context, digest->context) != 1) {
        ioffice_digest_free(copy);
        return NULL;
    }
    return copy;
}

size_t ioffice_digest_final(ioffice_digest *digest, unsigned char *out) {
    unsigned char value[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(digest->context, value, &length) != 1 || length > 64) return 0;
    memcpy(out, value, length);
    return length;
}

void ioffice_digest_free(ioffice_digest *digest) {
    if (!digest) return;
    EVP_MD_CTX_free(digest->context);
    free(digest);
}

#ifndef IOFFICE_CZLIB_H
#define IOFFICE_CZLIB_H

#include <stddef.h>

/* zlib (Debian zlib1g-dev) for the FlateDecode streams of PDFs: one bounded call, so that a small
   hostile stream cannot inflate into gigabytes. */

enum {
    IOFFICE_INFLATE_OK = 0,
    IOFFICE_INFLATE_CORRUPT = 1,
    IOFFICE_INFLATE_TOO_LARGE = 2,
    IOFFICE_INFLATE_NO_MEMORY = 3,
};

/* Inflates zlib-wrapped `input` into a malloc'd buffer of at most `limit` bytes (`*output`, freed by
   the caller with free(), also on error). Bytes after the end of the compressed data are ignored. */
int ioffice_inflate(const unsigned char *input, size_t input_length, size_t limit, unsigned char **output, size_t *output_length);

void ioffice_inflate_free(unsigned char *output);

#endif

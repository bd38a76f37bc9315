#include "CZlib.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int ioffice_inflate(const unsigned char *input, size_t input_length, size_t limit, unsigned char **output, size_t *output_length) {
    *output = NULL;
    *output_length = 0;
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK) return IOFFICE_INFLATE_NO_MEMORY;
    size_t capacity = input_length < 4096 ? 16384 : input_length * 4;
    if (capacity > limit) capacity = limit > 0 ? limit : 1;
    unsigned char *buffer = malloc(capacity);
    if (!buffer) {
        inflateEnd(&stream);
        return IOFFICE_INFLATE_NO_MEMORY;
    }
    size_t produced = 0;
    size_t remaining = input_length;
    const unsigned char *next = input;
    int status = IOFFICE_INFLATE_CORRUPT;
    for (;;) {
        if (produced == capacity) {
            if (capacity >= limit) {
                status = IOFFICE_INFLATE_TOO_LARGE;
                break;
            }
            size_t grown = capacity * 2 > limit ? limit : capacity * 2;
            unsigned char *bigger = realloc(buffer, grown);
            if (!bigger) {
                status = IOFFICE_INFLATE_NO_MEMORY;
                break;
            }
            buffer = bigger;
            capacity = grown;
        }
        /* zlib counts in uInt: feed and drain at most 1 GiB per call. */
        uInt in_chunk = remaining > (1u << 30) ? (1u << 30) : (uInt)remaining;
        size_t room = capacity - produced;
        uInt out_chunk = room > (1u << 30) ? (1u << 30) : (uInt)room;
        stream.next_in = (Bytef *)next;
        stream.avail_in = in_chunk;
        stream.next_out = buffer + produced;
        stream.avail_out = out_chunk;
        int result = inflate(&stream, Z_NO_FLUSH);
        next += in_chunk - stream.avail_in;
        remaining -= in_chunk - stream.avail_in;
        produced += out_chunk - stream.avail_out;
        if (result == Z_STREAM_END) {
            status = IOFFICE_INFLATE_OK;
            break;
        }
        if (result == Z_BUF_ERROR && remaining == 0 && stream.avail_out > 0) break; /* truncated */
        if (result != Z_OK && result != Z_BUF_ERROR) break;
    }
    inflateEnd(&stream);
    *output = buffer;
    *output_length = produced;
    return status;
}

void ioffice_inflate_free(unsigned char *output) { free(output); }

// The system zlib for Swift: deflateInit2 and inflateInit2 are macros (they pass the library version and the
// stream's size), which Swift cannot call; these functions stand in for them.
#ifndef INTERCOM_TRIGGERD_CZLIB_SHIM_H
#define INTERCOM_TRIGGERD_CZLIB_SHIM_H

#include <zlib.h>

static inline int czlib_deflate_init_raw(z_stream *stream, int level, int windowBits, int memLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, -windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init_raw(z_stream *stream, int windowBits) {
    return inflateInit2(stream, -windowBits);
}

#endif

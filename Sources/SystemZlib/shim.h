// zlib (Debian: zlib1g-dev), for inflating the entries of zip-based documents.
#include <zlib.h>

/// `inflateInit2(stream, -MAX_WBITS)`: raw deflate data, as a zip entry holds it (no zlib header).
/// A function, because Swift cannot call zlib's `inflateInit2` macro.
static inline int trove_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}

/// `inflateInit2(stream, 16 + MAX_WBITS)`: a gzip member (RFC 1952 header and trailer, the
/// trailer's CRC-32 and length checked by zlib), as a `.gz` file holds it.
static inline int trove_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}

#ifndef PARLEY_IMAGE_H
#define PARLEY_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/// The C side of ParleyMedia's image handling: libjpeg-turbo and libpng (linked), libwebp
/// (loaded at run time, when present) behind functions Swift can call. libjpeg reports
/// errors by longjmp, which Swift cannot catch, so every libjpeg call happens here under
/// setjmp. Callers check dimensions against their limits before decoding; these functions
/// check the decoder's own idea of the dimensions against `max_pixels` again.

/// Result codes of every function below.
#define PARLEY_IMAGE_OK 0
/// The bytes do not decode (the message says why).
#define PARLEY_IMAGE_DECODE_FAILED 1
/// The decoder's header names more pixels than `max_pixels`.
#define PARLEY_IMAGE_TOO_LARGE 2
#define PARLEY_IMAGE_ENCODE_FAILED 3
/// libwebp is not installed.
#define PARLEY_IMAGE_UNAVAILABLE 4
#define PARLEY_IMAGE_OUT_OF_MEMORY 5
/// parley_jpeg_transform cannot turn this JPEG without loss (a mirrored side that is not a
/// whole number of iMCUs, CMYK/YCCK/RGB, not 8-bit): turn its pixels instead.
#define PARLEY_IMAGE_NOT_LOSSLESS 6

/// Decoded pixels, 8 bits per channel, rows packed without padding. `data` is malloc'd:
/// release it with parley_image_free.
typedef struct parley_pixels {
    uint8_t *data;
    int width;
    int height;
    /// 3 (RGB) or 4 (RGBA, not premultiplied).
    int channels;
} parley_pixels;

/// Encoded bytes; `data` is malloc'd, release it with parley_image_free.
typedef struct parley_bytes {
    uint8_t *data;
    size_t size;
} parley_bytes;

int parley_image_version(void);
void parley_image_free(void *pointer);

/// Decodes a JPEG to RGB at 1/scale_denom of its size (1, 2, 4 or 8: libjpeg's DCT
/// scaling, far cheaper than decoding at full size and shrinking). CMYK/YCCK become RGB.
/// When `icc_profile` is not NULL it receives the embedded ICC profile of an RGB or
/// grey JPEG, if any (data NULL otherwise).
int parley_jpeg_decode(const uint8_t *data, size_t size, int scale_denom, uint64_t max_pixels,
                       parley_pixels *pixels, parley_bytes *icc_profile, char *message, size_t message_capacity);

/// Encodes RGB pixels (channels must be 3) as a baseline JPEG of the given quality,
/// embedding `icc_profile` when it is not NULL.
int parley_jpeg_encode(const parley_pixels *pixels, int quality, const uint8_t *icc_profile, size_t icc_profile_size,
                       parley_bytes *output, char *message, size_t message_capacity);

/// Turns a JPEG as the EXIF `orientation` (2 to 8) asks, losslessly: its DCT coefficients
/// are moved, transposed and negated, never requantised (what jpegtran does). Mirroring
/// along an axis is only exact when the image's size along it is a whole number of iMCUs
/// (8 x the largest sampling factor): otherwise PARLEY_IMAGE_NOT_LOSSLESS, as for
/// anything but 8-bit greyscale or YCbCr. The output is a baseline JPEG with the standard
/// Huffman tables (a progressive input too), JFIF, and the input's ICC profile if it has
/// one; no other marker (no EXIF: the orientation is spent).
int parley_jpeg_transform(const uint8_t *data, size_t size, int orientation, uint64_t max_pixels, parley_bytes *output,
                          char *message, size_t message_capacity);

/// Decodes a PNG to RGBA with libpng's simplified API.
int parley_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, parley_pixels *pixels, char *message,
                      size_t message_capacity);

/// Encodes RGB or RGBA pixels as a PNG.
int parley_png_encode(const parley_pixels *pixels, parley_bytes *output, char *message, size_t message_capacity);

/// 1 when libwebp.so.7 could be loaded (once, on first use), 0 otherwise.
int parley_webp_available(void);

/// Decodes a still WebP to RGBA through the run-time loaded libwebp (animations fail).
int parley_webp_decode(const uint8_t *data, size_t size, uint64_t max_pixels, parley_pixels *pixels, char *message,
                       size_t message_capacity);

#endif

#include "parley_image.h"

#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

/// Bounds libjpeg's large buffers (a progressive JPEG keeps all coefficients: about 6 bytes
/// a pixel, 300 MB at the 50 MP the Swift side allows). Past it libjpeg fails instead of
/// growing: it has no backing store here.
#define PARLEY_JPEG_MAX_MEMORY (512L * 1024 * 1024)

/// A progressive JPEG may hold thousands of tiny scans, each a pass over the whole
/// coefficient buffer (a known CPU bomb); real encoders write about 10.
#define PARLEY_JPEG_MAX_SCANS 200

int parley_image_version(void) { return 3; }

void parley_image_free(void *pointer) { free(pointer); }

static void parley_set_message(char *message, size_t capacity, const char *format, ...) {
    if (message == NULL || capacity == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, capacity, format, arguments);
    va_end(arguments);
}

// MARK: - libjpeg error handling

/// libjpeg's error manager, extended with where to jump back to and where the message goes.
struct parley_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
    size_t message_capacity;
};

static void parley_jpeg_error_exit(j_common_ptr cinfo) {
    struct parley_jpeg_error *error = (struct parley_jpeg_error *)cinfo->err;
    char buffer[JMSG_LENGTH_MAX];
    cinfo->err->format_message(cinfo, buffer);
    parley_set_message(error->message, error->message_capacity, "%s", buffer);
    longjmp(error->jump, 1);
}

/// Warnings about corrupt data are tolerated (libjpeg fills in, as browsers do), except
/// a file that ends early: that is a truncated upload, not an image.
static void parley_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) parley_jpeg_error_exit(cinfo);
        cinfo->err->num_warnings++;
    }
}

static void parley_jpeg_progress(j_common_ptr cinfo) {
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > PARLEY_JPEG_MAX_SCANS) {
        struct parley_jpeg_error *error = (struct parley_jpeg_error *)cinfo->err;
        parley_set_message(error->message, error->message_capacity, "more than %d progressive scans",
                           PARLEY_JPEG_MAX_SCANS);
        longjmp(error->jump, 1);
    }
}

static void parley_jpeg_init_error(struct parley_jpeg_error *error, char *message, size_t message_capacity) {
    jpeg_std_error(&error->base);
    error->base.error_exit = parley_jpeg_error_exit;
    error->base.emit_message = parley_jpeg_emit_message;
    error->message = message;
    error->message_capacity = message_capacity;
}

// MARK: - JPEG

/// Everything a decode allocates, reachable after a longjmp.
struct parley_jpeg_decode_state {
    struct jpeg_decompress_struct cinfo;
    struct parley_jpeg_error error;
    struct jpeg_progress_mgr progress;
    uint8_t *pixels;
    uint8_t *row;
    JOCTET *icc;
    unsigned int icc_size;
};

static void parley_jpeg_decode_cleanup(struct parley_jpeg_decode_state *state) {
    jpeg_destroy_decompress(&state->cinfo);
    free(state->pixels);
    free(state->row);
    free(state->icc);
    free(state);
}

/// CMYK as libjpeg hands it over: Adobe's files (the usual producer) store the inks inverted.
static void parley_cmyk_to_rgb(const uint8_t *cmyk, uint8_t *rgb, size_t count, int inverted) {
    for (size_t index = 0; index < count; index++) {
        unsigned c = cmyk[4 * index], m = cmyk[4 * index + 1], y = cmyk[4 * index + 2], k = cmyk[4 * index + 3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        rgb[3 * index] = (uint8_t)(c * k / 255);
        rgb[3 * index + 1] = (uint8_t)(m * k / 255);
        rgb[3 * index + 2] = (uint8_t)(y * k / 255);
    }
}

int parley_jpeg_decode(const uint8_t *data, size_t size, int scale_denom, uint64_t max_pixels,
                       parley_pixels *pixels, parley_bytes *icc_profile, char *message, size_t message_capacity) {
    memset(pixels, 0, sizeof *pixels);
    if (icc_profile != NULL) memset(icc_profile, 0, sizeof *icc_profile);
    if (scale_denom != 1 && scale_denom != 2 && scale_denom != 4 && scale_denom != 8) scale_denom = 1;
    // On the heap, so that nothing setjmp cannot restore lives in registers.
    struct parley_jpeg_decode_state *state = calloc(1, sizeof *state);
    if (state == NULL) return PARLEY_IMAGE_OUT_OF_MEMORY;
    state->cinfo.err = &state->error.base;
    parley_jpeg_init_error(&state->error, message, message_capacity);
    if (setjmp(state->error.jump)) {
        parley_jpeg_decode_cleanup(state);
        return PARLEY_IMAGE_DECODE_FAILED;
    }
    jpeg_create_decompress(&state->cinfo);
    state->cinfo.mem->max_memory_to_use = PARLEY_JPEG_MAX_MEMORY;
    state->progress.progress_monitor = parley_jpeg_progress;
    state->cinfo.progress = &state->progress;
    jpeg_mem_src(&state->cinfo, data, (unsigned long)size);
    if (icc_profile != NULL) jpeg_save_markers(&state->cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&state->cinfo, TRUE);
    if ((uint64_t)state->cinfo.image_width * state->cinfo.image_height > max_pixels) {
        parley_set_message(message, message_capacity, "%ux%u is over the pixel limit", state->cinfo.image_width,
                           state->cinfo.image_height);
        parley_jpeg_decode_cleanup(state);
        return PARLEY_IMAGE_TOO_LARGE;
    }
    int cmyk = state->cinfo.jpeg_color_space == JCS_CMYK || state->cinfo.jpeg_color_space == JCS_YCCK;
    // A CMYK profile would be wrong for the RGB we make of it.
    if (icc_profile != NULL && !cmyk) jpeg_read_icc_profile(&state->cinfo, &state->icc, &state->icc_size);
    state->cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    state->cinfo.scale_num = 1;
    state->cinfo.scale_denom = (unsigned int)scale_denom;
    jpeg_start_decompress(&state->cinfo);
    size_t width = state->cinfo.output_width, height = state->cinfo.output_height;
    if (width == 0 || height == 0 || state->cinfo.output_components != (cmyk ? 4 : 3)) {
        parley_set_message(message, message_capacity, "unexpected output shape");
        parley_jpeg_decode_cleanup(state);
        return PARLEY_IMAGE_DECODE_FAILED;
    }
    state->pixels = malloc(width * height * 3);
    state->row = cmyk ? malloc(width * 4) : NULL;
    if (state->pixels == NULL || (cmyk && state->row == NULL)) {
        parley_jpeg_decode_cleanup(state);
        return PARLEY_IMAGE_OUT_OF_MEMORY;
    }
    while (state->cinfo.output_scanline < height) {
        size_t line = state->cinfo.output_scanline;
        JSAMPROW target = cmyk ? state->row : state->pixels + line * width * 3;
        if (jpeg_read_scanlines(&state->cinfo, &target, 1) != 1) {
            parley_set_message(message, message_capacity, "no scanline %zu", line);
            parley_jpeg_decode_cleanup(state);
            return PARLEY_IMAGE_DECODE_FAILED;
        }
        if (cmyk) parley_cmyk_to_rgb(state->row, state->pixels + line * width * 3, width, state->cinfo.saw_Adobe_marker);
    }
    jpeg_finish_decompress(&state->cinfo);
    pixels->data = state->pixels;
    pixels->width = (int)width;
    pixels->height = (int)height;
    pixels->channels = 3;
    state->pixels = NULL;
    if (icc_profile != NULL && state->icc != NULL) {
        icc_profile->data = state->icc;
        icc_profile->size = state->icc_size;
        state->icc = NULL;
    }
    parley_jpeg_decode_cleanup(state);
    return PARLEY_IMAGE_OK;
}

// Our own growing memory destination, not libjpeg's jpeg_mem_dest: that one frees its
// first buffer when it grows and tells the caller the new one only when compression
// finishes, so after an error mid-way the caller holds a pointer it must not free and
// cannot reach the one it must. Here the buffer is always ours, in the state.
struct parley_jpeg_destination {
    struct jpeg_destination_mgr base;
    unsigned char *buffer;
    size_t capacity;
};

struct parley_jpeg_encode_state {
    struct jpeg_compress_struct cinfo;
    struct parley_jpeg_error error;
    struct parley_jpeg_destination destination;
};

static void parley_jpeg_destination_init(j_compress_ptr cinfo) {
    struct parley_jpeg_destination *destination = (struct parley_jpeg_destination *)cinfo->dest;
    destination->base.next_output_byte = destination->buffer;
    destination->base.free_in_buffer = destination->capacity;
}

static boolean parley_jpeg_destination_grow(j_compress_ptr cinfo) {
    struct parley_jpeg_destination *destination = (struct parley_jpeg_destination *)cinfo->dest;
    // libjpeg calls this when the whole buffer is full (free_in_buffer is 0).
    size_t used = destination->capacity;
    size_t capacity = destination->capacity * 2;
    unsigned char *grown = capacity > destination->capacity ? realloc(destination->buffer, capacity) : NULL;
    if (grown == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 11);
    destination->buffer = grown;
    destination->capacity = capacity;
    destination->base.next_output_byte = grown + used;
    destination->base.free_in_buffer = capacity - used;
    return TRUE;
}

static void parley_jpeg_destination_term(j_compress_ptr cinfo) { (void)cinfo; }

int parley_jpeg_encode(const parley_pixels *pixels, int quality, const uint8_t *icc_profile, size_t icc_profile_size,
                       parley_bytes *output, char *message, size_t message_capacity) {
    memset(output, 0, sizeof *output);
    if (pixels->channels != 3 || pixels->width <= 0 || pixels->height <= 0 || pixels->data == NULL) {
        parley_set_message(message, message_capacity, "JPEG takes RGB pixels");
        return PARLEY_IMAGE_ENCODE_FAILED;
    }
    struct parley_jpeg_encode_state *state = calloc(1, sizeof *state);
    if (state == NULL) return PARLEY_IMAGE_OUT_OF_MEMORY;
    state->cinfo.err = &state->error.base;
    parley_jpeg_init_error(&state->error, message, message_capacity);
    // A first buffer of a quarter of the RGB size, at least 64 KiB: most photos fit.
    state->destination.capacity = (size_t)pixels->width * (size_t)pixels->height * 3 / 4;
    if (state->destination.capacity < 65536) state->destination.capacity = 65536;
    state->destination.buffer = malloc(state->destination.capacity);
    if (state->destination.buffer == NULL) {
        free(state);
        return PARLEY_IMAGE_OUT_OF_MEMORY;
    }
    if (setjmp(state->error.jump)) {
        jpeg_destroy_compress(&state->cinfo);
        free(state->destination.buffer);
        free(state);
        return PARLEY_IMAGE_ENCODE_FAILED;
    }
    jpeg_create_compress(&state->cinfo);
    state->destination.base.init_destination = parley_jpeg_destination_init;
    state->destination.base.empty_output_buffer = parley_jpeg_destination_grow;
    state->destination.base.term_destination = parley_jpeg_destination_term;
    state->cinfo.dest = &state->destination.base;
    state->cinfo.image_width = (JDIMENSION)pixels->width;
    state->cinfo.image_height = (JDIMENSION)pixels->height;
    state->cinfo.input_components = 3;
    state->cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&state->cinfo);
    jpeg_set_quality(&state->cinfo, quality, TRUE);
    state->cinfo.optimize_coding = TRUE;
    jpeg_start_compress(&state->cinfo, TRUE);
    if (icc_profile != NULL && icc_profile_size > 0 && icc_profile_size <= 0xFFFFFFFFu)
        jpeg_write_icc_profile(&state->cinfo, icc_profile, (unsigned int)icc_profile_size);
    size_t stride = (size_t)pixels->width * 3;
    while (state->cinfo.next_scanline < state->cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels->data + (size_t)state->cinfo.next_scanline * stride);
        jpeg_write_scanlines(&state->cinfo, &row, 1);
    }
    jpeg_finish_compress(&state->cinfo);
    output->data = state->destination.buffer;
    output->size = state->destination.capacity - state->destination.base.free_in_buffer;
    jpeg_destroy_compress(&state->cinfo);
    free(state);
    return PARLEY_IMAGE_OK;
}

// MARK: - Lossless JPEG turn

/// Everything a lossless turn allocates, reachable after a longjmp. Both structs share
/// one error manager; the destination's coefficient arrays belong to the source's
/// memory manager (requested before jpeg_read_coefficients realises the source's), so
/// destroying the source frees them.
struct parley_jpeg_transform_state {
    struct jpeg_decompress_struct source;
    struct jpeg_compress_struct target;
    struct parley_jpeg_error error;
    struct jpeg_progress_mgr progress;
    struct parley_jpeg_destination destination;
    jvirt_barray_ptr target_arrays[MAX_COMPONENTS];
    JOCTET *icc;
    unsigned int icc_size;
};

static void parley_jpeg_transform_cleanup(struct parley_jpeg_transform_state *state) {
    // Zeroed structs that were never created are skipped by libjpeg (mem is NULL).
    jpeg_destroy_compress(&state->target);
    jpeg_destroy_decompress(&state->source);
    free(state->destination.buffer);
    free(state->icc);
    free(state);
}

static JDIMENSION parley_round_up(JDIMENSION value, int multiple) {
    return (value + (JDIMENSION)multiple - 1) / (JDIMENSION)multiple * (JDIMENSION)multiple;
}

/// One turned block: target coefficient (row, column) from the source's, transposed when
/// the sides swap, negated where the basis function at an odd frequency along a mirrored
/// source axis changes sign. Blocks hold coefficients in natural (row-major) order.
static void parley_turn_block(const JCOEF *source, JCOEF *target, int transpose, int mirror_x, int mirror_y) {
    for (int row = 0; row < DCTSIZE; row++) {
        for (int column = 0; column < DCTSIZE; column++) {
            // The source coefficient's vertical (v) and horizontal (u) frequency.
            int v = transpose ? column : row;
            int u = transpose ? row : column;
            JCOEF value = source[v * DCTSIZE + u];
            int negate = ((mirror_x && (u & 1)) != 0) ^ ((mirror_y && (v & 1)) != 0);
            target[row * DCTSIZE + column] = negate ? (JCOEF)-value : value;
        }
    }
}

int parley_jpeg_transform(const uint8_t *data, size_t size, int orientation, uint64_t max_pixels, parley_bytes *output,
                          char *message, size_t message_capacity) {
    memset(output, 0, sizeof *output);
    if (orientation < 2 || orientation > 8) {
        parley_set_message(message, message_capacity, "orientation %d is not a turn", orientation);
        return PARLEY_IMAGE_NOT_LOSSLESS;
    }
    // As ImageOrientation.sourcePixel: which source axes are read backwards, and whether
    // the target's x is the source's y.
    int transpose = orientation >= 5;
    int mirror_x = orientation == 2 || orientation == 3 || orientation == 7 || orientation == 8;
    int mirror_y = orientation == 3 || orientation == 4 || orientation == 6 || orientation == 7;
    struct parley_jpeg_transform_state *state = calloc(1, sizeof *state);
    if (state == NULL) return PARLEY_IMAGE_OUT_OF_MEMORY;
    state->source.err = &state->error.base;
    state->target.err = &state->error.base;
    parley_jpeg_init_error(&state->error, message, message_capacity);
    if (setjmp(state->error.jump)) {
        parley_jpeg_transform_cleanup(state);
        return PARLEY_IMAGE_DECODE_FAILED;
    }
    struct jpeg_decompress_struct *source = &state->source;
    jpeg_create_decompress(source);
    source->mem->max_memory_to_use = PARLEY_JPEG_MAX_MEMORY;
    state->progress.progress_monitor = parley_jpeg_progress;
    source->progress = &state->progress;
    jpeg_mem_src(source, data, (unsigned long)size);
    jpeg_save_markers(source, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(source, TRUE);
    if ((uint64_t)source->image_width * source->image_height > max_pixels) {
        parley_set_message(message, message_capacity, "%ux%u is over the pixel limit", source->image_width,
                           source->image_height);
        parley_jpeg_transform_cleanup(state);
        return PARLEY_IMAGE_TOO_LARGE;
    }
    int components = source->num_components;
    int colours_ok = (components == 1 && source->jpeg_color_space == JCS_GRAYSCALE) ||
                     (components == 3 && source->jpeg_color_space == JCS_YCbCr);
    if (!colours_ok || source->data_precision != 8) {
        parley_set_message(message, message_capacity, "only 8-bit greyscale or YCbCr JPEGs turn losslessly");
        parley_jpeg_transform_cleanup(state);
        return PARLEY_IMAGE_NOT_LOSSLESS;
    }
    // A single component is coded in 8x8 blocks whatever its sampling factors say; an
    // interleaved image in iMCUs of the largest factors.
    int imcu_width = DCTSIZE * (components == 1 ? 1 : source->max_h_samp_factor);
    int imcu_height = DCTSIZE * (components == 1 ? 1 : source->max_v_samp_factor);
    if ((mirror_x && source->image_width % (JDIMENSION)imcu_width != 0) ||
        (mirror_y && source->image_height % (JDIMENSION)imcu_height != 0)) {
        parley_set_message(message, message_capacity, "%ux%u is not a whole number of %dx%d iMCUs along a mirrored side",
                           source->image_width, source->image_height, imcu_width, imcu_height);
        parley_jpeg_transform_cleanup(state);
        return PARLEY_IMAGE_NOT_LOSSLESS;
    }
    jpeg_read_icc_profile(source, &state->icc, &state->icc_size);
    // The target's arrays, the source's transposed when the sides swap; the compressor
    // reads them a v_samp_factor of block rows at a time, so they are whole MCUs tall.
    for (int index = 0; index < components; index++) {
        jpeg_component_info *component = &source->comp_info[index];
        int h = transpose ? component->v_samp_factor : component->h_samp_factor;
        int v = transpose ? component->h_samp_factor : component->v_samp_factor;
        JDIMENSION columns = transpose ? component->height_in_blocks : component->width_in_blocks;
        JDIMENSION rows = transpose ? component->width_in_blocks : component->height_in_blocks;
        state->target_arrays[index] = (*source->mem->request_virt_barray)(
            (j_common_ptr)source, JPOOL_IMAGE, FALSE, parley_round_up(columns, h), parley_round_up(rows, v), (JDIMENSION)v);
    }
    jvirt_barray_ptr *source_arrays = jpeg_read_coefficients(source);
    if (source_arrays == NULL) {
        parley_set_message(message, message_capacity, "no coefficients");
        parley_jpeg_transform_cleanup(state);
        return PARLEY_IMAGE_DECODE_FAILED;
    }

    struct jpeg_compress_struct *target = &state->target;
    jpeg_create_compress(target);
    state->destination.capacity = size + size / 8 + 65536;
    state->destination.buffer = malloc(state->destination.capacity);
    if (state->destination.buffer == NULL) {
        parley_jpeg_transform_cleanup(state);
        return PARLEY_IMAGE_OUT_OF_MEMORY;
    }
    state->destination.base.init_destination = parley_jpeg_destination_init;
    state->destination.base.empty_output_buffer = parley_jpeg_destination_grow;
    state->destination.base.term_destination = parley_jpeg_destination_term;
    target->dest = &state->destination.base;
    jpeg_copy_critical_parameters(source, target);
    if (transpose) {
        JDIMENSION width = target->image_width;
        target->image_width = target->image_height;
        target->image_height = width;
        // Non-square pixels (JFIF density) turn with the image.
        UINT16 density = target->X_density;
        target->X_density = target->Y_density;
        target->Y_density = density;
        for (int index = 0; index < components; index++) {
            jpeg_component_info *component = &target->comp_info[index];
            int h = component->h_samp_factor;
            component->h_samp_factor = component->v_samp_factor;
            component->v_samp_factor = h;
        }
        // A coefficient is stored divided by its table entry: moved to (v, u), it must be
        // multiplied back by the entry it was divided by, so the tables turn with it.
        // They are the target's own copies (jpeg_copy_critical_parameters allocates them).
        for (int index = 0; index < NUM_QUANT_TBLS; index++) {
            JQUANT_TBL *table = target->quant_tbl_ptrs[index];
            if (table == NULL) continue;
            for (int row = 0; row < DCTSIZE; row++) {
                for (int column = row + 1; column < DCTSIZE; column++) {
                    UINT16 value = table->quantval[row * DCTSIZE + column];
                    table->quantval[row * DCTSIZE + column] = table->quantval[column * DCTSIZE + row];
                    table->quantval[column * DCTSIZE + row] = value;
                }
            }
        }
    }
    // Baseline (a progressive source too: every later decode, the thumbnail's first, is
    // the faster one) with libjpeg's standard Huffman tables, as phone cameras write:
    // optimised tables are a whole extra pass over the coefficients (a 12 MP photo:
    // 300 ms instead of 160) for about 7% fewer bytes, and upright photos are stored as
    // uploaded, unoptimised, anyway.
    target->optimize_coding = FALSE;
    jpeg_write_coefficients(target, state->target_arrays);
    if (state->icc != NULL) jpeg_write_icc_profile(target, state->icc, state->icc_size);

    for (int index = 0; index < components; index++) {
        jpeg_component_info *from = &source->comp_info[index];
        jpeg_component_info *to = &target->comp_info[index];
        JDIMENSION source_columns = from->width_in_blocks, source_rows = from->height_in_blocks;
        JDIMENSION columns = to->width_in_blocks, rows = to->height_in_blocks;
        if (columns != (transpose ? source_rows : source_columns) || rows != (transpose ? source_columns : source_rows)) {
            parley_set_message(message, message_capacity, "component %d has %ux%u blocks, expected them turned from %ux%u",
                               index, columns, rows, source_columns, source_rows);
            parley_jpeg_transform_cleanup(state);
            return PARLEY_IMAGE_DECODE_FAILED;
        }
        JDIMENSION padded_columns = parley_round_up(columns, to->h_samp_factor);
        JDIMENSION padded_rows = parley_round_up(rows, to->v_samp_factor);
        for (JDIMENSION row = 0; row < padded_rows; row++) {
            JBLOCKROW blocks =
                (*source->mem->access_virt_barray)((j_common_ptr)source, state->target_arrays[index], row, 1, TRUE)[0];
            for (JDIMENSION column = 0; column < padded_columns; column++) {
                // Padding blocks past the image are never coded (the compressor makes
                // its own dummies) but are defined all the same.
                if (row >= rows || column >= columns) {
                    memset(blocks[column], 0, sizeof(JBLOCK));
                    continue;
                }
                JDIMENSION x = transpose ? row : column, y = transpose ? column : row;
                if (mirror_x) x = source_columns - 1 - x;
                if (mirror_y) y = source_rows - 1 - y;
                JBLOCKROW from_row =
                    (*source->mem->access_virt_barray)((j_common_ptr)source, source_arrays[index], y, 1, FALSE)[0];
                parley_turn_block(from_row[x], blocks[column], transpose, mirror_x, mirror_y);
            }
        }
    }
    jpeg_finish_compress(target);
    // Before the output is handed over: it may still fail (and jump to the cleanup).
    jpeg_finish_decompress(source);
    output->data = state->destination.buffer;
    output->size = state->destination.capacity - state->destination.base.free_in_buffer;
    state->destination.buffer = NULL;
    parley_jpeg_transform_cleanup(state);
    return PARLEY_IMAGE_OK;
}

// MARK: - PNG

int parley_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, parley_pixels *pixels, char *message,
                      size_t message_capacity) {
    memset(pixels, 0, sizeof *pixels);
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, size)) {
        parley_set_message(message, message_capacity, "%s", image.message);
        png_image_free(&image);
        return PARLEY_IMAGE_DECODE_FAILED;
    }
    if (image.width == 0 || image.height == 0 || (uint64_t)image.width * image.height > max_pixels) {
        parley_set_message(message, message_capacity, "%ux%u is over the pixel limit", image.width, image.height);
        png_image_free(&image);
        return PARLEY_IMAGE_TOO_LARGE;
    }
    image.format = PNG_FORMAT_RGBA;
    size_t stride = (size_t)image.width * 4;
    uint8_t *buffer = malloc(stride * image.height);
    if (buffer == NULL) {
        png_image_free(&image);
        return PARLEY_IMAGE_OUT_OF_MEMORY;
    }
    if (!png_image_finish_read(&image, NULL, buffer, (png_int_32)stride, NULL)) {
        parley_set_message(message, message_capacity, "%s", image.message);
        png_image_free(&image);
        free(buffer);
        return PARLEY_IMAGE_DECODE_FAILED;
    }
    pixels->data = buffer;
    pixels->width = (int)image.width;
    pixels->height = (int)image.height;
    pixels->channels = 4;
    return PARLEY_IMAGE_OK;
}

int parley_png_encode(const parley_pixels *pixels, parley_bytes *output, char *message, size_t message_capacity) {
    memset(output, 0, sizeof *output);
    if ((pixels->channels != 3 && pixels->channels != 4) || pixels->width <= 0 || pixels->height <= 0 ||
        pixels->data == NULL) {
        parley_set_message(message, message_capacity, "PNG takes RGB or RGBA pixels");
        return PARLEY_IMAGE_ENCODE_FAILED;
    }
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = (png_uint_32)pixels->width;
    image.height = (png_uint_32)pixels->height;
    image.format = pixels->channels == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    png_int_32 stride = pixels->width * pixels->channels;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, NULL, &size, 0, pixels->data, stride, NULL) || size == 0) {
        parley_set_message(message, message_capacity, "%s", image.message);
        png_image_free(&image);
        return PARLEY_IMAGE_ENCODE_FAILED;
    }
    uint8_t *buffer = malloc(size);
    if (buffer == NULL) return PARLEY_IMAGE_OUT_OF_MEMORY;
    if (!png_image_write_to_memory(&image, buffer, &size, 0, pixels->data, stride, NULL)) {
        parley_set_message(message, message_capacity, "%s", image.message);
        png_image_free(&image);
        free(buffer);
        return PARLEY_IMAGE_ENCODE_FAILED;
    }
    output->data = buffer;
    output->size = size;
    return PARLEY_IMAGE_OK;
}

// MARK: - WebP (libwebp loaded at run time: Debian ships it here without headers)

// The prototypes of the three functions used, as libwebp 1.x declares them.
typedef int (*parley_webp_get_info)(const uint8_t *data, size_t size, int *width, int *height);
typedef uint8_t *(*parley_webp_decode_rgba)(const uint8_t *data, size_t size, int *width, int *height);
typedef void (*parley_webp_free)(void *pointer);

static pthread_once_t parley_webp_once = PTHREAD_ONCE_INIT;
static parley_webp_get_info parley_webp_get_info_function;
static parley_webp_decode_rgba parley_webp_decode_rgba_function;
static parley_webp_free parley_webp_free_function;

static void parley_webp_load(void) {
    void *library = dlopen("libwebp.so.7", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return;
    parley_webp_get_info get_info = (parley_webp_get_info)dlsym(library, "WebPGetInfo");
    parley_webp_decode_rgba decode_rgba = (parley_webp_decode_rgba)dlsym(library, "WebPDecodeRGBA");
    parley_webp_free free_function = (parley_webp_free)dlsym(library, "WebPFree");
    if (get_info == NULL || decode_rgba == NULL || free_function == NULL) {
        dlclose(library);
        return;
    }
    parley_webp_get_info_function = get_info;
    parley_webp_decode_rgba_function = decode_rgba;
    parley_webp_free_function = free_function;
}

int parley_webp_available(void) {
    pthread_once(&parley_webp_once, parley_webp_load);
    return parley_webp_decode_rgba_function != NULL;
}

int parley_webp_decode(const uint8_t *data, size_t size, uint64_t max_pixels, parley_pixels *pixels, char *message,
                       size_t message_capacity) {
    memset(pixels, 0, sizeof *pixels);
    if (!parley_webp_available()) {
        parley_set_message(message, message_capacity, "libwebp.so.7 is not installed");
        return PARLEY_IMAGE_UNAVAILABLE;
    }
    int width = 0, height = 0;
    if (!parley_webp_get_info_function(data, size, &width, &height) || width <= 0 || height <= 0) {
        parley_set_message(message, message_capacity, "not a WebP libwebp reads");
        return PARLEY_IMAGE_DECODE_FAILED;
    }
    if ((uint64_t)width * (uint64_t)height > max_pixels) {
        parley_set_message(message, message_capacity, "%dx%d is over the pixel limit", width, height);
        return PARLEY_IMAGE_TOO_LARGE;
    }
    uint8_t *decoded = parley_webp_decode_rgba_function(data, size, &width, &height);
    if (decoded == NULL || width <= 0 || height <= 0) {
        if (decoded != NULL) parley_webp_free_function(decoded);
        parley_set_message(message, message_capacity, "libwebp could not decode it");
        return PARLEY_IMAGE_DECODE_FAILED;
    }
    size_t count = (size_t)width * (size_t)height * 4;
    // Copied so that every buffer handed to Swift is released the same way.
    uint8_t *copy = malloc(count);
    if (copy == NULL) {
        parley_webp_free_function(decoded);
        return PARLEY_IMAGE_OUT_OF_MEMORY;
    }
    memcpy(copy, decoded, count);
    parley_webp_free_function(decoded);
    pixels->data = copy;
    pixels->width = width;
    pixels->height = height;
    pixels->channels = 4;
    return PARLEY_IMAGE_OK;
}

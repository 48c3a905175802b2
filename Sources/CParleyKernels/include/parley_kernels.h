#ifndef PARLEY_KERNELS_H
#define PARLEY_KERNELS_H

#include <stddef.h>

/// `output = input · matrix` for `rows` row vectors of `inner` values, where the matrix
/// (`inner` × `panel_count * 8`) is packed in panels of 8 columns, each stored whole, row
/// after row (element (k, j) of panel p at `(p * inner + k) * 8 + j`).
///
/// Row r of `input` starts at `input + r * input_stride` (rows may overlap); row r of the
/// result is written at `output + r * output_stride`. Runs an AVX2 and FMA kernel where
/// the processor has them (checked once), else a portable one.
void parley_multiply_packed(
    size_t rows, const float *input, size_t input_stride, const float *panels, size_t inner, size_t panel_count,
    float *output, size_t output_stride);

/// 1 when `parley_multiply_packed` runs its AVX2 and FMA kernel on this processor.
int parley_kernels_use_avx2(void);

/// The portable kernel alone, whatever the processor (for tests).
void parley_multiply_packed_portable(
    size_t rows, const float *input, size_t input_stride, const float *panels, size_t inner, size_t panel_count,
    float *output, size_t output_stride);

#endif

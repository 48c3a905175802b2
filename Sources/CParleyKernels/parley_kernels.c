// The sentence encoder's matrix products (see parley_kernels.h).
//
// Swift cannot ask for AVX2 in one function only: compiling the whole module for it would
// stop the server on processors without it. Here the AVX2 and FMA kernel is compiled for
// that target alone and chosen at run time, and the portable kernel stays for the rest.

#include "parley_kernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define PARLEY_HAVE_X86_KERNEL 1
#include <immintrin.h>
#endif

enum { PANEL = 8 };

// Portable kernel: each output panel's 8 sums in a small array the compiler keeps in
// vector registers.
static void multiply_portable(
    size_t rows, const float *input, size_t input_stride, const float *panels, size_t inner, size_t panel_count,
    float *output, size_t output_stride) {
    for (size_t panel = 0; panel < panel_count; panel++) {
        const float *weights = panels + panel * inner * PANEL;
        for (size_t row = 0; row < rows; row++) {
            const float *a = input + row * input_stride;
            float sum[PANEL] = {0};
            for (size_t k = 0; k < inner; k++) {
                const float value = a[k];
                const float *w = weights + k * PANEL;
                for (int j = 0; j < PANEL; j++) sum[j] += value * w[j];
            }
            float *out = output + row * output_stride + panel * PANEL;
            for (int j = 0; j < PANEL; j++) out[j] = sum[j];
        }
    }
}

#ifdef PARLEY_HAVE_X86_KERNEL

// One row vector times the matrix: four panels at a time, each with two sums (even and
// odd k) so eight fused multiply-adds are in flight.
__attribute__((target("avx2,fma"))) static void multiply_one_row_avx2(
    const float *input, const float *panels, size_t inner, size_t panel_count, float *output) {
    const size_t panel_size = inner * PANEL;
    size_t panel = 0;
    for (; panel + 4 <= panel_count; panel += 4) {
        const float *w0 = panels + panel * panel_size;
        const float *w1 = w0 + panel_size;
        const float *w2 = w1 + panel_size;
        const float *w3 = w2 + panel_size;
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
        __m256 t0 = _mm256_setzero_ps(), t1 = _mm256_setzero_ps(), t2 = _mm256_setzero_ps(), t3 = _mm256_setzero_ps();
        size_t k = 0;
        for (; k + 2 <= inner; k += 2) {
            const __m256 a = _mm256_broadcast_ss(input + k);
            const __m256 b = _mm256_broadcast_ss(input + k + 1);
            const size_t o = k * PANEL;
            s0 = _mm256_fmadd_ps(a, _mm256_loadu_ps(w0 + o), s0);
            s1 = _mm256_fmadd_ps(a, _mm256_loadu_ps(w1 + o), s1);
            s2 = _mm256_fmadd_ps(a, _mm256_loadu_ps(w2 + o), s2);
            s3 = _mm256_fmadd_ps(a, _mm256_loadu_ps(w3 + o), s3);
            t0 = _mm256_fmadd_ps(b, _mm256_loadu_ps(w0 + o + PANEL), t0);
            t1 = _mm256_fmadd_ps(b, _mm256_loadu_ps(w1 + o + PANEL), t1);
            t2 = _mm256_fmadd_ps(b, _mm256_loadu_ps(w2 + o + PANEL), t2);
            t3 = _mm256_fmadd_ps(b, _mm256_loadu_ps(w3 + o + PANEL), t3);
        }
        if (k < inner) {
            const __m256 a = _mm256_broadcast_ss(input + k);
            const size_t o = k * PANEL;
            s0 = _mm256_fmadd_ps(a, _mm256_loadu_ps(w0 + o), s0);
            s1 = _mm256_fmadd_ps(a, _mm256_loadu_ps(w1 + o), s1);
            s2 = _mm256_fmadd_ps(a, _mm256_loadu_ps(w2 + o), s2);
            s3 = _mm256_fmadd_ps(a, _mm256_loadu_ps(w3 + o), s3);
        }
        float *out = output + panel * PANEL;
        _mm256_storeu_ps(out, _mm256_add_ps(s0, t0));
        _mm256_storeu_ps(out + PANEL, _mm256_add_ps(s1, t1));
        _mm256_storeu_ps(out + 2 * PANEL, _mm256_add_ps(s2, t2));
        _mm256_storeu_ps(out + 3 * PANEL, _mm256_add_ps(s3, t3));
    }
    for (; panel < panel_count; panel++) {
        const float *w = panels + panel * panel_size;
        __m256 s = _mm256_setzero_ps();
        for (size_t k = 0; k < inner; k++) s = _mm256_fmadd_ps(_mm256_broadcast_ss(input + k), _mm256_loadu_ps(w + k * PANEL), s);
        _mm256_storeu_ps(output + panel * PANEL, s);
    }
}

// Several rows: tiles of 4 rows × 2 panels (16 columns), eight accumulators; a last,
// partial tile repeats its last row rather than reading past the input, and stores only
// the real rows.
__attribute__((target("avx2,fma"))) static void multiply_avx2(
    size_t rows, const float *input, size_t input_stride, const float *panels, size_t inner, size_t panel_count,
    float *output, size_t output_stride) {
    if (rows == 1) {
        multiply_one_row_avx2(input, panels, inner, panel_count, output);
        return;
    }
    const size_t panel_size = inner * PANEL;
    for (size_t panel = 0; panel < panel_count; panel += 2) {
        const int pair = panel + 1 < panel_count;
        const float *w0 = panels + panel * panel_size;
        const float *w1 = pair ? w0 + panel_size : w0;
        for (size_t row = 0; row < rows; row += 4) {
            const size_t last = rows - 1;
            const float *a0 = input + row * input_stride;
            const float *a1 = input + (row + 1 < last ? row + 1 : last) * input_stride;
            const float *a2 = input + (row + 2 < last ? row + 2 : last) * input_stride;
            const float *a3 = input + (row + 3 < last ? row + 3 : last) * input_stride;
            __m256 s00 = _mm256_setzero_ps(), s01 = _mm256_setzero_ps();
            __m256 s10 = _mm256_setzero_ps(), s11 = _mm256_setzero_ps();
            __m256 s20 = _mm256_setzero_ps(), s21 = _mm256_setzero_ps();
            __m256 s30 = _mm256_setzero_ps(), s31 = _mm256_setzero_ps();
            for (size_t k = 0; k < inner; k++) {
                const __m256 x0 = _mm256_loadu_ps(w0 + k * PANEL);
                const __m256 x1 = _mm256_loadu_ps(w1 + k * PANEL);
                __m256 a = _mm256_broadcast_ss(a0 + k);
                s00 = _mm256_fmadd_ps(a, x0, s00);
                s01 = _mm256_fmadd_ps(a, x1, s01);
                a = _mm256_broadcast_ss(a1 + k);
                s10 = _mm256_fmadd_ps(a, x0, s10);
                s11 = _mm256_fmadd_ps(a, x1, s11);
                a = _mm256_broadcast_ss(a2 + k);
                s20 = _mm256_fmadd_ps(a, x0, s20);
                s21 = _mm256_fmadd_ps(a, x1, s21);
                a = _mm256_broadcast_ss(a3 + k);
                s30 = _mm256_fmadd_ps(a, x0, s30);
                s31 = _mm256_fmadd_ps(a, x1, s31);
            }
            float *out = output + row * output_stride + panel * PANEL;
            _mm256_storeu_ps(out, s00);
            if (pair) _mm256_storeu_ps(out + PANEL, s01);
            if (row + 1 < rows) {
                _mm256_storeu_ps(out + output_stride, s10);
                if (pair) _mm256_storeu_ps(out + output_stride + PANEL, s11);
            }
            if (row + 2 < rows) {
                _mm256_storeu_ps(out + 2 * output_stride, s20);
                if (pair) _mm256_storeu_ps(out + 2 * output_stride + PANEL, s21);
            }
            if (row + 3 < rows) {
                _mm256_storeu_ps(out + 3 * output_stride, s30);
                if (pair) _mm256_storeu_ps(out + 3 * output_stride + PANEL, s31);
            }
        }
    }
}

static int detect_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

int parley_kernels_use_avx2(void) {
#ifdef PARLEY_HAVE_X86_KERNEL
    static int state = -1;  // a benign race: every thread computes the same answer
    if (state < 0) state = detect_avx2();
    return state;
#else
    return 0;
#endif
}

void parley_multiply_packed(
    size_t rows, const float *input, size_t input_stride, const float *panels, size_t inner, size_t panel_count,
    float *output, size_t output_stride) {
    if (rows == 0 || panel_count == 0) return;
#ifdef PARLEY_HAVE_X86_KERNEL
    if (parley_kernels_use_avx2()) {
        multiply_avx2(rows, input, input_stride, panels, inner, panel_count, output, output_stride);
        return;
    }
#endif
    multiply_portable(rows, input, input_stride, panels, inner, panel_count, output, output_stride);
}

void parley_multiply_packed_portable(
    size_t rows, const float *input, size_t input_stride, const float *panels, size_t inner, size_t panel_count,
    float *output, size_t output_stride) {
    multiply_portable(rows, input, input_stride, panels, inner, panel_count, output, output_stride);
}

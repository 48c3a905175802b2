import CParleyKernels

/// The arithmetic of the encoder's forward pass, over raw float buffers.
///
/// Swift keeps floating-point operations in source order, so a plain loop summing into one
/// variable never vectorises; these kernels spell the vector work out with `SIMD8<Float>`
/// accumulators over unsafe pointers (no bounds checks or copy-on-write in the inner loops).
/// Each output element is still a sum over the inner dimension taken in order.
enum VectorKernels {
    /// `output = input · matrix` for `rows` row vectors of `matrix.inner` values.
    ///
    /// Row `r` of `input` starts at `input + r * inputStride` (rows may overlap: the
    /// n-gram convolutions read windows of a padded sequence that way) and row `r` of the
    /// result is written at `output + r * outputStride`, `matrix.columns` values.
    ///
    /// The product is C (`CParleyKernels`): an AVX2 and fused multiply-add kernel chosen
    /// at run time where the processor has them, which Swift cannot compile for one
    /// function only, and a portable one elsewhere.
    static func multiply(
        rows: Int, _ input: UnsafePointer<Float>, stride inputStride: Int, by matrix: PackedMatrix,
        into output: UnsafeMutablePointer<Float>, stride outputStride: Int
    ) {
        guard rows > 0 else { return }
        matrix.panels.withUnsafeBufferPointer { panels in
            parley_multiply_packed(
                rows, input, inputStride, panels.baseAddress!, matrix.inner, matrix.panelCount, output, outputStride)
        }
    }

    /// Whether the matrix products run the AVX2 kernel on this processor.
    static var usesAVX2: Bool { parley_kernels_use_avx2() != 0 }

    /// `values[i] += addend[i]` for `count` values (a multiple of 8).
    static func add(_ addend: UnsafePointer<Float>, to values: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index < count {
            store(load(values + index) + load(addend + index), values + index)
            index += 8
        }
    }

    /// `values[i] = max(values[i] + bias[i], 0) + residual[i]` for `count` values (a
    /// multiple of 8): a convolution's bias, ReLU and skip connection in one pass.
    static func addBiasReLUResidual(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>, count: Int
    ) {
        var index = 0
        while index < count {
            let activated = pointwiseMax(load(values + index) + load(bias + index), SIMD8<Float>())
            store(activated + load(residual + index), values + index)
            index += 8
        }
    }

    /// `values[i] = max(values[i], 0)` for `count` values (a multiple of 8).
    static func relu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index < count {
            store(pointwiseMax(load(values + index), SIMD8<Float>()), values + index)
            index += 8
        }
    }

    /// Layer normalisation of one row of `count` values (a multiple of 8) in place: shift to
    /// mean 0, scale to variance 1 (plus `epsilon`), then `gain` and `bias` per value.
    static func layerNormalize(
        _ values: UnsafeMutablePointer<Float>, count: Int, gain: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        epsilon: Float
    ) {
        var sum = SIMD8<Float>()
        var index = 0
        while index < count {
            sum += load(values + index)
            index += 8
        }
        let mean = sum.sum() / Float(count)
        var squares = SIMD8<Float>()
        index = 0
        while index < count {
            let centred = load(values + index) - mean
            store(centred, values + index)
            squares += centred * centred
            index += 8
        }
        let scale = 1 / (squares.sum() / Float(count) + epsilon).squareRoot()
        index = 0
        while index < count {
            store(load(values + index) * scale * load(gain + index) + load(bias + index), values + index)
            index += 8
        }
    }

    /// The dot product of two vectors of `count` values (a multiple of 8).
    static func dot(_ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, count: Int) -> Float {
        var sum = SIMD8<Float>()
        var index = 0
        while index < count {
            sum += load(left + index) * load(right + index)
            index += 8
        }
        return sum.sum()
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ vector: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD8<Float>.self)
    }
}

/// The arithmetic of the encoder's forward pass, over raw float buffers.
///
/// Swift keeps floating-point operations in source order, so a plain loop summing into one
/// variable never vectorises; these kernels spell the vector work out with `SIMD8<Float>`
/// accumulators over unsafe pointers (no bounds checks or copy-on-write in the inner loops).
/// Each output element is still a sum over the inner dimension taken in order.
enum VectorKernels {
    /// Rows of the left operand computed together: four `SIMD8` accumulators fit the
    /// registers beside the weight vector and the broadcast value (8 + 4 of x86-64's 16).
    private static let rowTile = 4

    /// `output = input · matrix` for `rows` row vectors of `matrix.inner` values.
    ///
    /// Row `r` of `input` starts at `input + r * inputStride` (rows may overlap: the
    /// n-gram convolutions read windows of a padded sequence that way) and row `r` of the
    /// result is written at `output + r * outputStride`, `matrix.columns` values.
    static func multiply(
        rows: Int, _ input: UnsafePointer<Float>, stride inputStride: Int, by matrix: PackedMatrix,
        into output: UnsafeMutablePointer<Float>, stride outputStride: Int
    ) {
        guard rows > 0 else { return }
        let inner = matrix.inner
        let width = PackedMatrix.panelWidth
        matrix.panels.withUnsafeBufferPointer { panels in
            let weights = panels.baseAddress!
            if rows == 1 {
                multiplyOneRow(input, inner: inner, panelCount: matrix.panelCount, weights: weights, into: output)
                return
            }
            for panel in 0..<matrix.panelCount {
                let panelStart = weights + panel * inner * width
                var row = 0
                while row < rows {
                    // A last, partial tile repeats its last row rather than reading past
                    // the input; only the real rows are stored.
                    let a0 = input + row * inputStride
                    let a1 = input + min(row + 1, rows - 1) * inputStride
                    let a2 = input + min(row + 2, rows - 1) * inputStride
                    let a3 = input + min(row + 3, rows - 1) * inputStride
                    var sum0 = SIMD8<Float>()
                    var sum1 = SIMD8<Float>()
                    var sum2 = SIMD8<Float>()
                    var sum3 = SIMD8<Float>()
                    var w = panelStart
                    for k in 0..<inner {
                        let weight = load(w)
                        sum0 += a0[k] * weight
                        sum1 += a1[k] * weight
                        sum2 += a2[k] * weight
                        sum3 += a3[k] * weight
                        w += width
                    }
                    let out = output + row * outputStride + panel * width
                    store(sum0, out)
                    if row + 1 < rows { store(sum1, out + outputStride) }
                    if row + 2 < rows { store(sum2, out + 2 * outputStride) }
                    if row + 3 < rows { store(sum3, out + 3 * outputStride) }
                    row += rowTile
                }
            }
        }
    }

    /// One row vector times the matrix, four panels at a time so four independent sums are
    /// in flight.
    private static func multiplyOneRow(
        _ input: UnsafePointer<Float>, inner: Int, panelCount: Int, weights: UnsafePointer<Float>,
        into output: UnsafeMutablePointer<Float>
    ) {
        let width = PackedMatrix.panelWidth
        let panelSize = inner * width
        var panel = 0
        while panel < panelCount {
            let lanes = min(4, panelCount - panel)
            let w0 = weights + panel * panelSize
            // Panels past the end alias the last one; their sums are not stored.
            let w1 = weights + (panel + min(1, lanes - 1)) * panelSize
            let w2 = weights + (panel + min(2, lanes - 1)) * panelSize
            let w3 = weights + (panel + min(3, lanes - 1)) * panelSize
            var sum0 = SIMD8<Float>()
            var sum1 = SIMD8<Float>()
            var sum2 = SIMD8<Float>()
            var sum3 = SIMD8<Float>()
            var offset = 0
            for k in 0..<inner {
                let value = input[k]
                sum0 += value * load(w0 + offset)
                sum1 += value * load(w1 + offset)
                sum2 += value * load(w2 + offset)
                sum3 += value * load(w3 + offset)
                offset += width
            }
            let out = output + panel * width
            store(sum0, out)
            if lanes > 1 { store(sum1, out + width) }
            if lanes > 2 { store(sum2, out + 2 * width) }
            if lanes > 3 { store(sum3, out + 3 * width) }
            panel += lanes
        }
    }

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

import CParleyKernels
import Testing

/// The encoder's matrix products (`CParleyKernels`) against a plain triple loop in
/// double precision, for shapes that exercise every edge: one row (the head's
/// products), partial row tiles, an odd number of panels, overlapping input rows (the
/// n-gram convolutions' windows) and output rows wider than the product.
@Suite struct MatrixKernelTests {
    typealias Kernel = @Sendable (Int, UnsafePointer<Float>, Int, UnsafePointer<Float>, Int, Int, UnsafeMutablePointer<Float>, Int) -> Void

    static let kernels: [(String, Kernel)] = [
        ("chosen at run time", { parley_multiply_packed($0, $1, $2, $3, $4, $5, $6, $7) }),
        ("portable", { parley_multiply_packed_portable($0, $1, $2, $3, $4, $5, $6, $7) }),
    ]

    /// (rows, inner, panels, input stride, output stride)
    static let shapes: [(Int, Int, Int, Int, Int)] = [
        (1, 512, 64, 512, 512), (1, 3, 3, 3, 24), (2, 256, 32, 256, 256), (5, 7, 1, 7, 8), (7, 513, 5, 256, 44),
        (12, 256, 32, 256, 768), (13, 1, 2, 1, 16),
    ]

    @Test(arguments: [0, 1])
    func productsMatchAPlainLoop(kernelIndex: Int) {
        let (name, kernel) = Self.kernels[kernelIndex]
        var generator = SplitMix(seed: 42)
        for (rows, inner, panelCount, inputStride, outputStride) in Self.shapes {
            let columns = panelCount * 8
            let input = (0..<((rows - 1) * inputStride + inner)).map { _ in generator.nextFloat() }
            let panels = (0..<(inner * columns)).map { _ in generator.nextFloat() }
            var output = [Float](repeating: .nan, count: (rows - 1) * outputStride + columns)
            input.withUnsafeBufferPointer { input in
                panels.withUnsafeBufferPointer { panels in
                    output.withUnsafeMutableBufferPointer { output in
                        kernel(rows, input.baseAddress!, inputStride, panels.baseAddress!, inner, panelCount, output.baseAddress!, outputStride)
                    }
                }
            }
            var worst = 0.0
            for row in 0..<rows {
                for column in 0..<columns {
                    var sum = 0.0
                    for k in 0..<inner {
                        let weight = panels[((column / 8) * inner + k) * 8 + column % 8]
                        sum += Double(input[row * inputStride + k]) * Double(weight)
                    }
                    worst = max(worst, abs(sum - Double(output[row * outputStride + column])))
                }
            }
            #expect(worst < 1e-3, "\(name) kernel, \(rows)×\(inner)·\(inner)×\(columns): off by \(worst)")
        }
    }

    /// A small deterministic generator of values in [-1, 1).
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func nextFloat() -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(z >> 40) / Float(1 << 23) - 1
        }
    }
}

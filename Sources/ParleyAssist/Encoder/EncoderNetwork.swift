import Foundation

/// The weights of Universal Sentence Encoder multilingual v3 (as `fast-universal-sentence-
/// encoder` 0.2.1 packages them) and its forward pass from piece ids to a sentence vector.
///
/// The network, per sentence of T pieces (begin and end included):
/// 1. each piece's 512-value embedding, kept as uint8 in 17 chunks (piece `id` is row
///    `id / 17` of chunk `id % 17`) and dequantised with that chunk's scale and offset;
/// 2. three projections to 256 values (one per n-gram branch), layer-normalised together
///    over the 768;
/// 3. per branch of order n with `left` pieces of left context ((2, 0), (3, 1), (5, 2)),
///    two convolutions over windows of n consecutive pieces (zero beyond the sentence),
///    each followed by ReLU and a skip connection;
/// 4. the embedding and the three branch outputs (1280 values a piece) layer-normalised,
///    summed over the pieces, projected to 512 and divided by √T (the projection is
///    linear, so summing first is the same as projecting each piece);
/// 5. a dense head of two blocks with skip projections, tanh, and L2 normalisation.
struct EncoderNetwork: Sendable {
    static let embeddingWidth = 512
    static let branchWidth = 256
    static let outputWidth = 512
    static let chunkCount = 17
    static let rowsPerChunk = 7530
    /// (n-gram order, pieces of left context) of each convolution branch.
    static let branchShapes: [(order: Int, left: Int)] = [(2, 0), (3, 1), (5, 2)]
    static let maximumOrder = 5
    static let featureWidth = embeddingWidth + 3 * branchWidth
    static let projectionWidth = 3 * branchWidth
    static let headWidth = 320

    /// How many pieces the embedding table has rows for.
    static var vocabularyCapacity: Int { chunkCount * rowsPerChunk }

    struct Branch: Sendable {
        let order: Int
        let left: Int
        let firstConvolution: PackedMatrix
        let firstBias: [Float]
        let secondConvolution: PackedMatrix
        let secondBias: [Float]
    }

    /// The 17 chunks one after the other, each `rowsPerChunk × embeddingWidth`.
    private let embeddingTable: [UInt8]
    private let chunkScale: [Float]
    private let chunkOffset: [Float]
    /// The three branch projections, one after the other in the output columns.
    private let projections: [PackedMatrix]
    private let projectionBias: [Float]
    private let projectionNormGain: [Float]
    private let projectionNormBias: [Float]
    private let branches: [Branch]
    private let featureNormGain: [Float]
    private let featureNormBias: [Float]
    private let outputProjection: PackedMatrix
    private let outputBias: [Float]
    private let block1Inner: PackedMatrix
    private let block1Skip: PackedMatrix
    private let block1Outer: PackedMatrix
    private let block2Inner: PackedMatrix
    private let block2Skip: PackedMatrix
    private let block2Outer: PackedMatrix
    private let epsilon: Float

    /// Reads the `.npy` files `scripts/fetch-assist-model.sh` extracts into `directory`.
    init(directory: String) throws(SentenceEncoderError) {
        func array(_ name: String) throws(SentenceEncoderError) -> NumpyArray {
            try NumpyArray(path: (directory as NSString).appendingPathComponent("\(name).npy"))
        }
        func vector(_ name: String, _ count: Int) throws(SentenceEncoderError) -> [Float] {
            try array(name).float32Values(shape: [count])
        }
        func matrix(_ name: String, _ inner: Int, _ columns: Int) throws(SentenceEncoderError) -> PackedMatrix {
            PackedMatrix(rowMajor: try array(name).float32Values(shape: [inner, columns]), inner: inner, columns: columns)
        }

        var table = [UInt8]()
        table.reserveCapacity(Self.vocabularyCapacity * Self.embeddingWidth)
        for chunk in 1...Self.chunkCount {
            table.append(contentsOf: try array("q\(chunk)").uint8Values(shape: [Self.rowsPerChunk, Self.embeddingWidth]))
        }
        embeddingTable = table
        chunkScale = try vector("scale", Self.chunkCount)
        chunkOffset = try vector("lo", Self.chunkCount)

        var projections = [PackedMatrix]()
        var projectionBias = [Float]()
        var projectionNormGain = [Float]()
        var projectionNormBias = [Float]()
        var branches = [Branch]()
        for (order, left) in Self.branchShapes {
            projections.append(try matrix("proj\(order)", Self.embeddingWidth, Self.branchWidth))
            projectionBias += try vector("proj_b\(order)", Self.branchWidth)
            projectionNormGain += try vector("ln_g\(order)", Self.branchWidth)
            projectionNormBias += try vector("ln_b\(order)", Self.branchWidth)
            branches.append(
                Branch(
                    order: order, left: left,
                    firstConvolution: try matrix("w1_\(order)", order * Self.branchWidth, Self.branchWidth),
                    firstBias: try vector("b1_\(order)", Self.branchWidth),
                    secondConvolution: try matrix("w2_\(order)", order * Self.branchWidth, Self.branchWidth),
                    secondBias: try vector("b2_\(order)", Self.branchWidth)))
        }
        self.projections = projections
        self.projectionBias = projectionBias
        self.projectionNormGain = projectionNormGain
        self.projectionNormBias = projectionNormBias
        self.branches = branches
        featureNormGain = try vector("ln_g", Self.featureWidth)
        featureNormBias = try vector("ln_b", Self.featureWidth)
        outputProjection = try matrix("cnn_W", Self.featureWidth, Self.outputWidth)
        outputBias = try vector("cnn_b", Self.outputWidth)
        block1Inner = try matrix("d0", Self.outputWidth, Self.headWidth)
        block1Skip = try matrix("p1", Self.outputWidth, Self.headWidth)
        block1Outer = try matrix("d1", Self.headWidth, Self.headWidth)
        block2Inner = try matrix("d2", Self.headWidth, Self.outputWidth)
        block2Skip = try matrix("p3", Self.headWidth, Self.outputWidth)
        block2Outer = try matrix("d3", Self.outputWidth, Self.outputWidth)
        epsilon = Float(try array("eps").float64Scalar())
    }

    /// The L2-normalised vector of a sentence given as piece ids (begin and end included,
    /// each below ``vocabularyCapacity``).
    func embed(_ ids: [Int32]) -> [Float] {
        precondition(!ids.isEmpty, "a sentence has at least its begin and end pieces")
        let tokens = ids.count
        let features = UnsafeMutablePointer<Float>.allocate(capacity: tokens * Self.featureWidth)
        let projected = UnsafeMutablePointer<Float>.allocate(capacity: tokens * Self.projectionWidth)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: tokens * Self.branchWidth)
        // A branch's input with zero rows around it, so the window of n pieces at any
        // position is n consecutive rows and padding needs no special case.
        let paddedRows = tokens + Self.maximumOrder - 1
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: paddedRows * Self.branchWidth)
        defer {
            features.deallocate()
            projected.deallocate()
            hidden.deallocate()
            padded.deallocate()
        }

        dequantizeEmbeddings(ids, into: features)
        project(tokens: tokens, features: features, into: projected)
        for (index, branch) in branches.enumerated() {
            convolve(
                branch, tokens: tokens, input: projected + index * Self.branchWidth, hidden: hidden, padded: padded,
                paddedRows: paddedRows, into: features + Self.embeddingWidth + index * Self.branchWidth)
        }
        featureNormGain.withUnsafeBufferPointer { gain in
            featureNormBias.withUnsafeBufferPointer { bias in
                for token in 0..<tokens {
                    VectorKernels.layerNormalize(
                        features + token * Self.featureWidth, count: Self.featureWidth, gain: gain.baseAddress!,
                        bias: bias.baseAddress!, epsilon: epsilon)
                }
            }
        }
        // Summed over the pieces (in order), then projected once.
        for token in 1..<tokens {
            VectorKernels.add(features + token * Self.featureWidth, to: features, count: Self.featureWidth)
        }
        return head(pooled: features, tokens: tokens)
    }

    private func dequantizeEmbeddings(_ ids: [Int32], into features: UnsafeMutablePointer<Float>) {
        embeddingTable.withUnsafeBufferPointer { table in
            for (token, id) in ids.enumerated() {
                let chunk = Int(id) % Self.chunkCount
                let row = table.baseAddress! + (chunk * Self.rowsPerChunk + Int(id) / Self.chunkCount) * Self.embeddingWidth
                let scale = chunkScale[chunk]
                let offset = chunkOffset[chunk]
                let out = features + token * Self.featureWidth
                for index in 0..<Self.embeddingWidth {
                    out[index] = Float(row[index]) * scale + offset
                }
            }
        }
    }

    private func project(tokens: Int, features: UnsafeMutablePointer<Float>, into projected: UnsafeMutablePointer<Float>) {
        for (index, projection) in projections.enumerated() {
            VectorKernels.multiply(
                rows: tokens, features, stride: Self.featureWidth, by: projection,
                into: projected + index * Self.branchWidth, stride: Self.projectionWidth)
        }
        projectionBias.withUnsafeBufferPointer { bias in
            projectionNormGain.withUnsafeBufferPointer { gain in
                projectionNormBias.withUnsafeBufferPointer { normBias in
                    for token in 0..<tokens {
                        let row = projected + token * Self.projectionWidth
                        VectorKernels.add(bias.baseAddress!, to: row, count: Self.projectionWidth)
                        VectorKernels.layerNormalize(
                            row, count: Self.projectionWidth, gain: gain.baseAddress!, bias: normBias.baseAddress!,
                            epsilon: epsilon)
                    }
                }
            }
        }
    }

    /// One branch: `input` (rows `projectionWidth` apart) through both convolutions into
    /// `output` (rows `featureWidth` apart).
    private func convolve(
        _ branch: Branch, tokens: Int, input: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>,
        padded: UnsafeMutablePointer<Float>, paddedRows: Int, into output: UnsafeMutablePointer<Float>
    ) {
        let width = Self.branchWidth
        padded.initialize(repeating: 0, count: paddedRows * width)
        for token in 0..<tokens {
            (padded + (branch.left + token) * width).update(from: input + token * Self.projectionWidth, count: width)
        }
        VectorKernels.multiply(rows: tokens, padded, stride: width, by: branch.firstConvolution, into: hidden, stride: width)
        branch.firstBias.withUnsafeBufferPointer { bias in
            for token in 0..<tokens {
                VectorKernels.addBiasReLUResidual(
                    hidden + token * width, bias: bias.baseAddress!, residual: input + token * Self.projectionWidth, count: width)
            }
        }
        for token in 0..<tokens {
            (padded + (branch.left + token) * width).update(from: hidden + token * width, count: width)
        }
        VectorKernels.multiply(rows: tokens, padded, stride: width, by: branch.secondConvolution, into: output, stride: Self.featureWidth)
        branch.secondBias.withUnsafeBufferPointer { bias in
            for token in 0..<tokens {
                VectorKernels.addBiasReLUResidual(
                    output + token * Self.featureWidth, bias: bias.baseAddress!, residual: hidden + token * width, count: width)
            }
        }
    }

    /// From the features summed over the pieces to the normalised sentence vector.
    private func head(pooled: UnsafeMutablePointer<Float>, tokens: Int) -> [Float] {
        let output = Self.outputWidth
        let inner = Self.headWidth
        let workspace = UnsafeMutablePointer<Float>.allocate(capacity: 3 * output + 3 * inner)
        defer { workspace.deallocate() }
        let sentence = workspace
        let block1Hidden = sentence + output
        let block1 = block1Hidden + inner
        let block1Outer = block1 + inner
        let block2Hidden = block1Outer + inner
        let block2Outer = block2Hidden + output

        VectorKernels.multiply(rows: 1, pooled, stride: 0, by: outputProjection, into: sentence, stride: 0)
        let count = Float(tokens)
        let scale = 1 / count.squareRoot()
        for index in 0..<output {
            sentence[index] = (sentence[index] + count * outputBias[index]) * scale
        }

        VectorKernels.multiply(rows: 1, sentence, stride: 0, by: block1Inner, into: block1Hidden, stride: 0)
        VectorKernels.relu(block1Hidden, count: inner)
        VectorKernels.multiply(rows: 1, sentence, stride: 0, by: block1Skip, into: block1, stride: 0)
        VectorKernels.multiply(rows: 1, block1Hidden, stride: 0, by: self.block1Outer, into: block1Outer, stride: 0)
        VectorKernels.add(block1Outer, to: block1, count: inner)
        VectorKernels.relu(block1, count: inner)

        VectorKernels.multiply(rows: 1, block1, stride: 0, by: block2Inner, into: block2Hidden, stride: 0)
        VectorKernels.relu(block2Hidden, count: output)
        return [Float](unsafeUninitializedCapacity: output) { buffer, initialized in
            let result = buffer.baseAddress!
            VectorKernels.multiply(rows: 1, block1, stride: 0, by: block2Skip, into: result, stride: 0)
            VectorKernels.multiply(rows: 1, block2Hidden, stride: 0, by: self.block2Outer, into: block2Outer, stride: 0)
            VectorKernels.add(block2Outer, to: result, count: output)
            for index in 0..<output {
                result[index] = tanh(result[index])
            }
            let normalization = 1 / max(VectorKernels.dot(result, result, count: output), epsilon).squareRoot()
            for index in 0..<output {
                result[index] *= normalization
            }
            initialized = output
        }
    }
}

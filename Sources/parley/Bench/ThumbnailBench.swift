import ArgumentParser
import Foundation
import ParleyMedia

/// The server's image work for one upload, in process: `ImageCleaner.clean` (metadata
/// removed, orientation applied, thumbnail made) on one image, timed over several runs.
struct ThumbnailBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbnail", abstract: "Time ImageCleaner.clean (cleaning and thumbnail) on one image, in process.")

    /// Runs are bounded: a 12 MP photo takes a fraction of a second each.
    static let maxRuns = 1000

    @Option(help: "The image (JPEG, PNG, GIF or WebP).")
    var photo: String

    @Option(help: "Timed runs (one untimed run comes first).")
    var runs = 10

    func validate() throws {
        guard (1...Self.maxRuns).contains(runs) else { throw ValidationError("--runs: 1 to \(Self.maxRuns)") }
    }

    func run() async throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: photo)))
        guard case .image(let format) = ContentSniffer.sniff(bytes.prefix(ContentSniffer.prefixLength)) else {
            throw ValidationError("--photo: \(photo) is not a JPEG, PNG, GIF or WebP")
        }
        let cleaner = ImageCleaner()
        // The first run pays for loading the codec libraries and faulting in their pages.
        let first = try cleaner.clean(bytes, as: format)
        var milliseconds: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let cleaned = try cleaner.clean(bytes, as: format)
            milliseconds.append((ContinuousClock.now - start).seconds * 1000)
            precondition(cleaned.bytes.count == first.bytes.count, "cleaning the same bytes gave a different size")
        }
        milliseconds.sort()
        let median =
            milliseconds.count % 2 == 1
            ? milliseconds[milliseconds.count / 2]
            : (milliseconds[milliseconds.count / 2 - 1] + milliseconds[milliseconds.count / 2]) / 2
        print("\(photo): \(format.rawValue), \(bytes.count) bytes in")
        print(
            "  cleaned \(first.width)×\(first.height), \(first.bytes.count) bytes; thumbnail "
                + "\(first.thumbnail.map { "\($0.count) bytes \(first.thumbnailFormat?.rawValue ?? "")" } ?? "none")")
        print(
            String(
                format: "  clean + thumbnail over %d runs: min %.1f ms  median %.1f ms  max %.1f ms",
                runs, milliseconds.first!, median, milliseconds.last!))
    }
}

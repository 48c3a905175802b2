import ArgumentParser
import AsyncHTTPClient
import Foundation
import ParleyClient
import ParleyCore
import ParleyServer
import Synchronization

/// Attachment uploads through the real API: N uploaders, each in its own conversation
/// (a new one every 40 uploads or 200 MiB, below the server's cap on unsent uploads),
/// each sending the raw body and waiting for its `201` before the next (closed loop),
/// until M uploads in total are done or the time is up. Optionally samples the server's
/// resident memory, to show whether uploads are held whole in memory.
struct AttachmentBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachments",
        abstract: "Attachment uploads/s, MiB/s and latency with N concurrent uploaders; optionally the server's peak RSS.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        /// The JPEG given by `--photo` (or the JPEGs in that folder, in turn), declared
        /// `image/jpeg` (cleaned and thumbnailed by the server).
        case photo
        /// `--size` random bytes, a different file each upload (the store keeps equal bytes once).
        case file
    }

    /// A bench is bounded: at most this many uploads in one run.
    static let maxCount = 100_000
    /// Bytes of one `file` upload: up to 1 GiB (the server's own limit decides what passes).
    static let maxSize = 1 << 30
    /// The server keeps at most 50 unsent uploads and 250 MiB of them per user
    /// (`AttachmentLimits`); the bench uploads and never sends, so it stays below both by
    /// moving each uploader to a new buyer and conversation before it reaches either.
    static let uploadsPerUser = 40
    static let bytesPerUser = 200 * 1024 * 1024
    /// One upload may take long under 50 concurrent 20 MiB bodies on two cores; the
    /// client's default 30 s would count slow uploads as errors.
    static let uploadTimeout = Duration.seconds(300)

    @OptionGroup var target: BenchTarget

    @Option(help: "photo (the JPEG given by --photo) or file (--size random bytes).")
    var kind: Kind = .file

    @Option(help: "Bytes per file upload (kind file; a photo is the size of --photo).")
    var size = 100 * 1024

    @Option(help: "A JPEG to upload, or a folder of them uploaded in turn (distinct photos), for kind photo.")
    var photo: String?

    @Option(help: "Concurrent uploaders, each in its own conversation.")
    var concurrency = 8

    @Option(help: "Uploads in total.")
    var count = 500

    @Option(help: "Stop after this many seconds even if not all uploads are done.")
    var seconds = 300

    @Option(name: .customLong("server-pid"), help: "The server's PID: sample its VmRSS every 50 ms during the run.")
    var serverPID: Int32?

    func validate() throws {
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency: 1 to 1000") }
        guard (1...Self.maxCount).contains(count) else { throw ValidationError("--count: 1 to \(Self.maxCount)") }
        guard (1...3600).contains(seconds) else { throw ValidationError("--seconds: 1 to 3600") }
        switch kind {
        case .photo: guard photo != nil else { throw ValidationError("--kind photo needs --photo PATH (a JPEG)") }
        case .file: guard (1...Self.maxSize).contains(size) else { throw ValidationError("--size: 1 to \(Self.maxSize) bytes") }
        }
    }

    func run() async throws {
        let payload = try makePayload()
        let signer = try await TokenSigner(secret: try BenchSecret.resolve(target.jwtSecret))
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await measure(payload, signer: signer, httpClient: httpClient)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }

    /// What every upload sends: the photo's bytes, or one random buffer whose first bytes
    /// each upload overwrites with its number.
    private func makePayload() throws -> Payload {
        switch kind {
        case .photo:
            let paths = try Self.photoPaths(photo!)
            let photos = try paths.map { path in
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                guard bytes.starts(with: [0xFF, 0xD8, 0xFF]) else { throw ValidationError("--photo: \(path) is not a JPEG") }
                return bytes
            }
            return Payload(variants: photos, contentType: "image/jpeg", name: "foto.jpg", distinct: false)
        case .file:
            var generator = SystemRandomNumberGenerator()
            var bytes = Data(count: size)
            bytes.withUnsafeMutableBytes { raw in
                for index in 0..<(size / 8) { raw.storeBytes(of: generator.next() as UInt64, toByteOffset: index * 8, as: UInt64.self) }
                for index in (size / 8 * 8)..<size { raw[index] = UInt8.random(in: 0...255, using: &generator) }
            }
            return Payload(variants: [bytes], contentType: "application/octet-stream", name: "datos.bin", distinct: true)
        }
    }

    /// At most this many photos are read from a `--photo` folder (they are all held in memory).
    static let maxPhotos = 2000

    /// `path` itself, or the `.jpg`/`.jpeg` files in it when it is a folder, sorted.
    static func photoPaths(_ path: String) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ValidationError("--photo: no such file or folder \(path)")
        }
        guard isFolder.boolValue else { return [path] }
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.lowercased().hasSuffix(".jpg") || $0.lowercased().hasSuffix(".jpeg") }.sorted()
        guard !names.isEmpty, names.count <= maxPhotos else { throw ValidationError("--photo: 1 to \(maxPhotos) JPEGs in \(path)") }
        return names.map { path + "/" + $0 }
    }

    private func measure(_ payload: Payload, signer: TokenSigner, httpClient: HTTPClient) async throws {
        let runID = String(Identifier.make(prefix: "bench").suffix(8))
        let url = target.url
        let timeout = Self.uploadTimeout
        // Each uploader's first conversation is made before the clock starts.
        let open: @Sendable (Int, Int) async throws -> (ParleyRESTClient, String) = { index, generation in
            let buyer = "bench-\(runID)-b\(index)-\(generation)"
            let client = ParleyRESTClient(
                baseURL: url, token: try await signer.sign(userID: buyer, role: .buyer), timeout: timeout, httpClient: httpClient)
            let conversation = try await client.createConversation(
                .init(
                    participants: [.init(userId: buyer, role: .buyer), .init(userId: "bench-\(runID)-s\(index)", role: .seller)],
                    orderId: "bench-\(runID)-\(index)-\(generation)"))
            return (client, conversation.conversation.conversationID)
        }
        var uploaders: [(ParleyRESTClient, String)] = []
        for index in 0..<concurrency { uploaders.append(try await open(index, 0)) }
        print(
            "Attachment bench against \(target.url): \(kind.rawValue), \(payload.describedSize), "
                + "\(concurrency) uploaders, \(count) uploads (at most \(seconds) s)")

        let sampler = serverPID.map(ResidentMemorySampler.init(pid:))
        let rssBefore = sampler?.current()
        let highWaterBefore = sampler?.highWaterMark()
        if let sampler, rssBefore == nil { print("server PID \(sampler.pid): /proc/\(sampler.pid)/status unreadable, no RSS") }

        let recorder = LatencyRecorder()
        let failures = FailureTally()
        let tickets = Tickets()
        let uploadedBytes = ByteCount()
        let total = count
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        let all = uploaders
        let samplerTask = sampler.map { sampler in Task { await sampler.run() } }
        await ProgressReporter.reporting("\(concurrency) uploaders", recorder: recorder, until: deadline) {
            await withTaskGroup(of: Void.self) { group in
                for (index, first) in all.enumerated() {
                    group.addTask {
                        var (client, conversationID) = first
                        var generation = 0
                        var (uploadsHere, bytesHere) = (0, 0)
                        while ContinuousClock.now < deadline {
                            let ticket = tickets.take()
                            guard ticket < total else { return }
                            // Unsent uploads are capped per user: a new buyer (and
                            // conversation) before the cap, so no upload is refused for it.
                            if uploadsHere + 1 > Self.uploadsPerUser || bytesHere + payload.largest > Self.bytesPerUser {
                                generation += 1
                                do {
                                    (client, conversationID) = try await open(index, generation)
                                } catch {
                                    recorder.recordError()
                                    failures.add(error)
                                    return
                                }
                                (uploadsHere, bytesHere) = (0, 0)
                            }
                            uploadsHere += 1
                            bytesHere += payload.largest
                            let body = payload.body(for: ticket)
                            let sent = ContinuousClock.now
                            do {
                                _ = try await client.upload(
                                    conversationID, bytes: body, contentType: payload.contentType, name: payload.name)
                                recorder.record(ContinuousClock.now - sent)
                                uploadedBytes.add(body.count)
                            } catch {
                                recorder.recordError()
                                failures.add(error)
                            }
                        }
                    }
                }
            }
        }
        let elapsed = (ContinuousClock.now - start).seconds
        samplerTask?.cancel()
        await samplerTask?.value

        let done = Int(recorder.count)
        let mebibytes = Double(uploadedBytes.total) / 1_048_576
        print(
            String(
                format: "%d uploads in %.2f s = %.1f uploads/s, %.1f MiB/s  %@  errors %d",
                done, elapsed, Double(done) / elapsed, mebibytes / elapsed, recorder.summary(), recorder.errors))
        for (description, times) in failures.sorted() { print("  error ×\(times): \(description)") }
        if let sampler, let rssBefore {
            let peak = max(sampler.peak ?? rssBefore, rssBefore)
            var line = "server RSS before \(rssBefore.kibAsMiB), peak \(peak.kibAsMiB) (\(sampler.sampleCount) samples)"
            line += ", after \(sampler.current()?.kibAsMiB ?? "?")"
            if let highWaterBefore, let highWaterAfter = sampler.highWaterMark() {
                line += "; VmHWM \(highWaterBefore.kibAsMiB) → \(highWaterAfter.kibAsMiB)"
            }
            print(line)
        }
    }
}

extension AttachmentBench {
    /// The bytes one run uploads and how they are declared.
    struct Payload: Sendable {
        /// What the uploads send, in turn (one buffer for files, each photo of a folder).
        let variants: [Data]
        let contentType: String
        let name: String
        /// Whether each upload gets its own bytes (its number written at the start), so
        /// the store's deduplication by sha256 does not turn writes into no-ops.
        let distinct: Bool

        var largest: Int { variants.map(\.count).max() ?? 0 }

        var describedSize: String {
            let sizes = variants.map(\.count)
            guard sizes.count > 1 else { return "\(sizes.first ?? 0) bytes each" }
            return "\(sizes.count) different, \(sizes.min()!)–\(sizes.max()!) bytes (mean \(sizes.reduce(0, +) / sizes.count))"
        }

        func body(for ticket: Int) -> Data {
            let bytes = variants[ticket % variants.count]
            guard distinct, bytes.count >= 8 else { return bytes }
            var copy = bytes
            withUnsafeBytes(of: UInt64(ticket).littleEndian) { number in copy.replaceSubrange(0..<8, with: number) }
            return copy
        }
    }

    /// Hands out upload numbers 0, 1, 2 … to the uploaders.
    final class Tickets: Sendable {
        private let next = Atomic<Int>(0)
        func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
    }

    /// Bytes of the uploads answered `201`.
    final class ByteCount: Sendable {
        private let bytes = Atomic<Int>(0)
        func add(_ count: Int) { bytes.add(count, ordering: .relaxed) }
        var total: Int { bytes.load(ordering: .relaxed) }
    }

    /// Errors by description, to print each kind once with its count.
    final class FailureTally: Sendable {
        private let counts = Mutex<[String: Int]>([:])

        func add(_ error: any Error) {
            let description: String
            if let error = error as? ParleyClientError {
                description = "\(error.status) \(error.code ?? "") \(error.message ?? "")"
            } else {
                description = String(describing: error)
            }
            counts.withLock { $0[description, default: 0] += 1 }
        }

        func sorted() -> [(String, Int)] { counts.withLock { $0.sorted { $0.value > $1.value } } }
    }
}

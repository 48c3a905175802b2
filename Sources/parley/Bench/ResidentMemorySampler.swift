import Foundation
import Synchronization

/// A process's resident memory (`VmRSS` in `/proc/PID/status`), sampled at a fixed
/// interval while a bench runs, keeping the peak. Linux only; elsewhere every reading is
/// nil and the bench says so.
final class ResidentMemorySampler: Sendable {
    /// 50 ms: short enough to catch a peak that lasts as long as one upload's store,
    /// long enough that reading /proc costs the machine nothing measurable.
    static let interval = Duration.milliseconds(50)

    let pid: Int32
    private let peakKiB = Mutex<Int?>(nil)
    private let samples = Mutex(0)

    init(pid: Int32) { self.pid = pid }

    /// The process's resident set in KiB now, or nil when it cannot be read.
    func current() -> Int? { Self.field("VmRSS", pid: pid) }

    /// The kernel's own high-water mark of the resident set (`VmHWM`), over the process's life.
    func highWaterMark() -> Int? { Self.field("VmHWM", pid: pid) }

    var peak: Int? { peakKiB.withLock { $0 } }
    var sampleCount: Int { samples.withLock { $0 } }

    /// Samples until cancelled.
    func run() async {
        while !Task.isCancelled {
            if let now = current() {
                peakKiB.withLock { $0 = max($0 ?? 0, now) }
                samples.withLock { $0 += 1 }
            }
            try? await Task.sleep(for: Self.interval)
        }
    }

    /// `name:   123456 kB` from `/proc/PID/status`, in KiB.
    private static func field(_ name: String, pid: Int32) -> Int? {
        // /proc files report size 0, so they are read with plain read(2) to their end
        // rather than by size (Foundation's readers rely on the size).
        let descriptor = open("/proc/\(pid)/status", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            data += buffer[0..<count]
        }
        let status = String(decoding: data, as: UTF8.self)
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            // `VmRSS:\t  72872 kB`: a tab, then spaces.
            return line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        }
        return nil
    }
}

extension Int {
    /// KiB as `123.4 MiB`.
    var kibAsMiB: String { String(format: "%.1f MiB", Double(self) / 1024) }
}

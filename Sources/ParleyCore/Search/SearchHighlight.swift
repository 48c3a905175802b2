/// One matched word of a search snippet: `length` UTF-16 code units from `start`
/// (the units JavaScript strings index by; `String.utf16` in Swift).
public struct SearchHighlight: Codable, Sendable, Equatable {
    public var start: Int
    public var length: Int

    public init(start: Int, length: Int) {
        self.start = start
        self.length = length
    }
}

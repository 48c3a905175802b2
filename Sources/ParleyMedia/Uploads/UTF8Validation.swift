/// Checks that a stream of bytes, fed in chunks of any size, is valid UTF-8 without NUL
/// (what `text/plain` is served for). A sequence split across chunks is carried over.
struct UTF8Validation {
    private(set) var isValid = true
    /// Continuation bytes still expected by the current sequence.
    private var pending = 0
    /// Bounds for the next continuation byte (tighter after E0, ED, F0, F4: no overlong
    /// forms, surrogates or code points past U+10FFFF).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard isValid else { return }
        for byte in bytes {
            if pending > 0 {
                guard byte >= lower, byte <= upper else { isValid = false; return }
                pending -= 1
                lower = 0x80
                upper = 0xBF
                continue
            }
            switch byte {
            case 0x00: isValid = false; return
            case 0x01...0x7F: continue
            case 0xC2...0xDF: pending = 1
            case 0xE0: pending = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: pending = 2
            case 0xED: pending = 2; upper = 0x9F
            case 0xF0: pending = 3; lower = 0x90
            case 0xF1...0xF3: pending = 3
            case 0xF4: pending = 3; upper = 0x8F
            default: isValid = false; return
            }
        }
    }

    /// Whether everything fed was valid and no sequence was left unfinished.
    var isComplete: Bool { isValid && pending == 0 }
}

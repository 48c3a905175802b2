/// Decodes a GIF's first frame (LZW) onto a transparent canvas of the screen's size, for
/// the thumbnail. Tolerant as browsers are: data that ends early or an invalid code
/// stops decoding and leaves the rest transparent. Output never exceeds the frame.
enum GIFFrameDecoder {
    /// LZW codes in GIF are at most 12 bits.
    private static let maximumCodes = 4096

    static func decodeFirstFrame(of gif: GIFStructure) -> PixelImage? {
        guard let frame = gif.firstFrame, (1...8).contains(frame.minimumCodeSize) else { return nil }
        let indices = decodeIndices(frame.data, minimumCodeSize: frame.minimumCodeSize, count: frame.width * frame.height)
        var canvas = [UInt8](repeating: 0, count: gif.width * gif.height * 4)
        let rowOrder = frame.isInterlaced ? interlacedRows(height: frame.height) : Array(0..<frame.height)
        let colorCount = frame.colorTable.count / 3
        for (decodedRow, row) in rowOrder.enumerated() {
            let y = frame.top + row
            guard y < gif.height else { continue }
            for column in 0..<frame.width {
                let x = frame.left + column
                let position = decodedRow * frame.width + column
                guard x < gif.width, position < indices.count else { continue }
                let colorIndex = Int(indices[position])
                if colorIndex == frame.transparentIndex { continue }
                let target = (y * gif.width + x) * 4
                if colorIndex < colorCount {
                    canvas[target] = frame.colorTable[colorIndex * 3]
                    canvas[target + 1] = frame.colorTable[colorIndex * 3 + 1]
                    canvas[target + 2] = frame.colorTable[colorIndex * 3 + 2]
                }
                canvas[target + 3] = 255
            }
        }
        return PixelImage(width: gif.width, height: gif.height, channels: 4, pixels: canvas)
    }

    /// The rows in the order an interlaced GIF stores them: every 8th from 0, every 8th
    /// from 4, every 4th from 2, every 2nd from 1.
    static func interlacedRows(height: Int) -> [Int] {
        Array(stride(from: 0, to: height, by: 8)) + Array(stride(from: 4, to: height, by: 8))
            + Array(stride(from: 2, to: height, by: 4)) + Array(stride(from: 1, to: height, by: 2))
    }

    /// At most `count` colour indices from the LZW data.
    static func decodeIndices(_ data: [UInt8], minimumCodeSize: Int, count: Int) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(count)
        let clearCode = 1 << minimumCodeSize
        let endCode = clearCode + 1
        var prefix = [Int](repeating: 0, count: maximumCodes)
        var suffix = [UInt8](repeating: 0, count: maximumCodes)
        var firstByte = [UInt8](repeating: 0, count: maximumCodes)
        var length = [Int](repeating: 0, count: maximumCodes)
        for code in 0..<clearCode {
            suffix[code] = UInt8(truncatingIfNeeded: code)
            firstByte[code] = UInt8(truncatingIfNeeded: code)
            length[code] = 1
        }
        var codeSize = minimumCodeSize + 1
        var nextCode = endCode + 1
        var previous: Int?
        var bitBuffer = 0
        var bitCount = 0
        var dataIndex = 0
        while output.count < count {
            while bitCount < codeSize, dataIndex < data.count {
                bitBuffer |= Int(data[dataIndex]) << bitCount
                bitCount += 8
                dataIndex += 1
            }
            guard bitCount >= codeSize else { break }
            let code = bitBuffer & ((1 << codeSize) - 1)
            bitBuffer >>= codeSize
            bitCount -= codeSize
            if code == clearCode {
                codeSize = minimumCodeSize + 1
                nextCode = endCode + 1
                previous = nil
                continue
            }
            if code == endCode { break }
            guard let last = previous else {
                guard code < clearCode else { break }
                output.append(UInt8(truncatingIfNeeded: code))
                previous = code
                continue
            }
            let first: UInt8
            if code < nextCode {
                first = firstByte[code]
                append(code, to: &output, limit: count, prefix: prefix, suffix: suffix, length: length)
            } else if code == nextCode {
                first = firstByte[last]
                append(last, to: &output, limit: count, prefix: prefix, suffix: suffix, length: length)
                if output.count < count { output.append(first) }
            } else {
                break
            }
            if nextCode < maximumCodes {
                prefix[nextCode] = last
                suffix[nextCode] = first
                firstByte[nextCode] = firstByte[last]
                length[nextCode] = length[last] + 1
                nextCode += 1
                if nextCode == 1 << codeSize, codeSize < 12 { codeSize += 1 }
            }
            previous = code
        }
        return output
    }

    /// Appends the string a code stands for (walked backwards through the table), cut at `limit`.
    private static func append(_ code: Int, to output: inout [UInt8], limit: Int, prefix: [Int], suffix: [UInt8], length: [Int]) {
        let stringLength = length[code]
        let start = output.count
        let kept = min(stringLength, limit - start)
        guard kept > 0 else { return }
        output.append(contentsOf: repeatElement(0, count: kept))
        var current = code
        var position = stringLength - 1
        while position >= 0 {
            if position < kept { output[start + position] = suffix[current] }
            current = prefix[current]
            position -= 1
        }
    }
}

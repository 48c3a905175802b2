/// The `id` a client puts on a frame, echoed in the answer: a string or a number.
public enum FrameID: Codable, Sendable, Hashable {
    case string(String)
    case number(Double)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number):
            if number == number.rounded(), abs(number) < 9e15 { try container.encode(Int64(number)) } else { try container.encode(number) }
        }
    }
}

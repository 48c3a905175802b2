import Foundation

/// How the evaluation and training commands print their figures and write generated Swift.
enum ReportFormat {
    /// "97.3 %".
    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
    /// "0.917".
    static func decimal(_ value: Double) -> String { String(format: "%.3f", value) }

    /// The body lines of a Swift array literal: `perLine` rendered elements a line, each
    /// followed by a comma, indented for a literal inside a type's static property.
    static func literalLines<Element>(_ elements: [Element], perLine: Int, render: (Element) -> String) -> [String] {
        stride(from: 0, to: elements.count, by: perLine).map { start in
            "        " + elements[start..<min(start + perLine, elements.count)].map { "\(render($0))," }.joined(separator: " ")
        }
    }
}

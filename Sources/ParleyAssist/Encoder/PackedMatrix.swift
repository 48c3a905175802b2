/// A constant weight matrix (`inner` rows × `columns` columns, multiplied from the left by
/// row vectors) laid out for ``VectorKernels/multiply(rows:_:stride:by:into:stride:)``.
///
/// The columns are cut into panels of ``panelWidth``; each panel is stored whole, row after
/// row, so a product reads the weights in one sequential stream instead of striding
/// across the row-major matrix.
struct PackedMatrix: Sendable {
    /// Columns per panel: one `SIMD8<Float>` accumulator's worth.
    static let panelWidth = 8

    let inner: Int
    let columns: Int
    /// Panel `p` starts at `p * inner * panelWidth`; element (k, j) of it at `k * panelWidth + j`.
    let panels: [Float]

    var panelCount: Int { columns / Self.panelWidth }

    /// Packs a row-major `inner × columns` matrix; `columns` must be a multiple of ``panelWidth``.
    init(rowMajor values: [Float], inner: Int, columns: Int) {
        precondition(values.count == inner * columns && columns % Self.panelWidth == 0, "matrix shape does not fit its panels")
        self.inner = inner
        self.columns = columns
        var panels = [Float](repeating: 0, count: values.count)
        let width = Self.panelWidth
        for panel in 0..<columns / width {
            for row in 0..<inner {
                for column in 0..<width {
                    panels[(panel * inner + row) * width + column] = values[row * columns + panel * width + column]
                }
            }
        }
        self.panels = panels
    }
}

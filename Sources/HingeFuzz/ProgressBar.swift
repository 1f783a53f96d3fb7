import Foundation

/// A one-line progress bar, redrawn in place (at most ten times a second) on a terminal.
package struct ProgressBar {
    package let label: String
    package let total: Int
    /// Draw at all (standard error is a terminal).
    package let enabled: Bool
    private let write: (String) -> Void
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false

    /// - Parameter write: where the bar goes (standard error by default), without a newline.
    package init(
        label: String, total: Int, enabled: Bool = isatty(2) != 0,
        write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.total = total
        self.enabled = enabled
        self.write = write
    }

    /// The bar's text: `label [#####-----] done/total  N cases/s  N disagree`.
    package static func line(label: String, total: Int, done: Int, disagree: Int, seconds: Double, width: Int = 30) -> String {
        let filled = total > 0 ? min(width, width * done / total) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = seconds > 0 ? Int((Double(done) / seconds).rounded()) : 0
        return "\(label) [\(bar)] \(done)/\(total)  \(rate) cases/s  \(disagree) disagree"
    }

    package mutating func update(done: Int, disagree: Int, start: ContinuousClock.Instant) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if let lastDraw, now - lastDraw < .milliseconds(100), done < total { return }
        lastDraw = now
        let line = Self.line(label: label, total: total, done: done, disagree: disagree, seconds: (now - start).seconds)
        write("\r\u{1B}[K" + line)
        drawn = true
    }

    /// Erases the bar so a message can be printed on a clean line.
    package mutating func clear() {
        guard enabled, drawn else { return }
        write("\r\u{1B}[K")
        drawn = false
        lastDraw = nil
    }

    package mutating func finish() { clear() }
}

extension Duration {
    /// The duration in seconds.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

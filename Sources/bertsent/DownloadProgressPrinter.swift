import BertSent
import Foundation

/// Shows Hub downloads on standard error, one file at a time: on a terminal a bar redrawn in place
/// (bytes, rate); elsewhere a line when a file starts, every 10 s while it runs, and when it is done.
/// Warnings go out as `warning:` lines. Events may come from a networking thread, hence the lock.
// Sendable by hand: every var is read and written only under `lock`.
final class DownloadProgressPrinter: @unchecked Sendable {
    private let showsProgress: Bool
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var file: String?
    private var started = Date()
    private var startBytes: Int64 = 0
    private var lastShown = Date.distantPast
    private var barShown = false

    /// `quiet` keeps warnings but drops progress.
    init(quiet: Bool = false) {
        showsProgress = !quiet
    }

    func handle(_ event: HubEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .warning(let message):
            endBar()
            warn(message)
        case .progress(let progress) where showsProgress:
            show(progress)
        case .progress:
            break
        }
    }

    /// Ends a bar left on screen, e.g. by a failed download, so what follows starts on its own line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        endBar()
    }

    private func show(_ progress: HubFileProgress) {
        let now = Date()
        if progress.file != file {
            endBar()
            // A terminal draws the bar at once; a log's next line comes 10 s after the start line.
            (file, started, startBytes, lastShown) = (
                progress.file, now, progress.bytes, isTerminal ? .distantPast : now
            )
            if !isTerminal {
                let resumed = progress.bytes > 0 ? ", resuming at \(Self.bytes(progress.bytes))" : ""
                write("downloading \(progress.file) (\(progress.total.map(Self.bytes) ?? "size unknown")\(resumed))\n")
            }
        }
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(progress.bytes - startBytes) / elapsed : 0
        let amount =
            progress.total.map { "\(Self.bytes(progress.bytes)) / \(Self.bytes($0))" } ?? Self.bytes(progress.bytes)
        if isTerminal {
            // Redrawing more often than 10 times a second only costs time.
            guard progress.isComplete || now.timeIntervalSince(lastShown) >= 0.1 else { return }
            let width = 24
            let filled = progress.total.map { $0 > 0 ? Int(Int64(width) * min(progress.bytes, $0) / $0) : width } ?? 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            write("\r\(progress.file)  [\(bar)]  \(amount)  \(Self.bytes(Int64(rate)))/s\u{1B}[K")
            barShown = true
            if progress.isComplete { endBar() }
        } else if progress.isComplete {
            write("\(progress.file): done, \(Self.bytes(progress.bytes)) in \(String(format: "%.1f", elapsed)) s\n")
        } else if now.timeIntervalSince(lastShown) >= 10 {
            write("\(progress.file): \(amount), \(Self.bytes(Int64(rate)))/s\n")
        } else {
            return
        }
        lastShown = now
        if progress.isComplete { file = nil }
    }

    private func endBar() {
        if barShown { write("\n") }
        barShown = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Decimal units, as huggingface_hub's progress bars.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}

import BertSent
import Foundation

/// Shows a run's progress: on a terminal a progress bar redrawn in place (step, loss, samples/s, ETA)
/// with a line per evaluation; elsewhere plain lines; with `jsonl` every log entry as a JSON line. A quiet
/// printer (a rank other than 0 under mpirun) prints nothing.
final class ProgressPrinter {
    let format: RunOptions.LogFormat
    let isTerminal = isatty(STDOUT_FILENO) != 0
    let quiet: Bool
    private var lastPlainLine = Date.distantPast
    private var barShown = false

    init(format: RunOptions.LogFormat, quiet: Bool = false) {
        self.format = format
        self.quiet = quiet
    }

    /// A message for people; on standard error when standard output carries JSON lines.
    func note(_ message: String) {
        if quiet { return }
        if format == .jsonl {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        } else {
            clearBar()
            print(message)
            fflush(nil)
        }
    }

    func show(_ event: TrainingEvent) {
        if quiet { return }
        let e = event.entry
        if format == .jsonl {
            if let line = try? e.jsonLine() { print(line) }
            fflush(nil)
            return
        }
        if e.kind == .eval {
            let marker = event.isBest ? "  ★ best" : ""
            note(
                String(
                    format:
                        "eval  step %d  epoch %.2f  loss %.4f  accuracy %.4f  precision %.4f  recall %.4f  f1 %.4f%@",
                    e.step, e.epoch, e.loss, e.accuracy ?? .nan, e.precision ?? .nan, e.recall ?? .nan, e.f1 ?? .nan,
                    marker))
            return
        }
        let rate = Double(event.stepsThisRun) / max(event.elapsed, 1e-9)
        let eta = rate > 0 ? Double(event.totalSteps - e.step) / rate : 0
        let status = String(
            format: "step %d/%d  epoch %.2f  loss %.4f  lr %.2e  %.1f samples/s  ETA %@",
            e.step, event.totalSteps, e.epoch, e.loss, e.learningRate ?? 0, e.samplesPerSecond ?? 0, Self.duration(eta))
        if isTerminal {
            let width = 24, filled = width * e.step / max(1, event.totalSteps)
            print(
                "\r[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
                    + status + "\u{1B}[K", terminator: "")
            fflush(nil)
            barShown = true
        } else if Date().timeIntervalSince(lastPlainLine) >= 10 || e.step == event.totalSteps || e.step == 1 {
            print(status)
            fflush(nil)
            lastPlainLine = Date()
        }
    }

    func finish(state: TrainerState, trainer: Trainer) {
        var lines = ["done: \(state.globalStep) of \(state.totalSteps) updates → \(trainer.outputDirectory.path)"]
        if let best = state.bestMetric, let step = state.bestStep {
            lines.append(
                String(
                    format: "best %@ %.4f at step %d → %@", state.arguments.metricForBestModel.rawValue, best, step,
                    trainer.bestDirectory.path))
        } else {
            lines.append("model → \(trainer.bestDirectory.path)")
        }
        lines.append("log → \(trainer.logURL.path)")
        for line in lines { note(line) }
    }

    private func clearBar() {
        if barShown {
            print("\r\u{1B}[K", terminator: "")
            barShown = false
        }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

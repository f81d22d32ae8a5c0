import BertSent
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGTERM (a preempted machine, a scheduler), SIGINT (Ctrl-C) and SIGHUP ask a training run to stop at
/// the next step boundary with a checkpoint; the same signal a second time ends the process at once.
enum StopSignals {
    /// The request the handlers make; `Trainer.run` checks it after each step.
    static let request = TrainingStopRequest()

    /// Installs the handlers, and unblocks the signals on this thread (a blocked mask is inherited from
    /// whatever started the process); from here on they no longer end the process by themselves.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for number in [SIGTERM, SIGINT, SIGHUP] {
            _ = signal(number) { received in
                if StopSignals.request.requestedSignal != nil {
                    // Asked twice: the default action, now.
                    _ = signal(received, SIG_DFL)
                    raise(received)
                }
                StopSignals.request.request(signal: received)
            }
        }
    }

    /// The command line that continues the interrupted run from `checkpoint`: this one, with `--resume`
    /// pointing there (under `mpirun -np N` for a run of N ranks).
    static func resumeCommand(checkpoint: String) -> String {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let index = arguments.firstIndex(of: "--resume") {
            arguments.removeSubrange(index...min(index + 1, arguments.count - 1))
        }
        arguments.removeAll { $0.hasPrefix("--resume=") }
        let program = CommandLine.arguments.first ?? "bertsent"
        // A run shared among ranks resumes with as many.
        let ranks = (try? ProcessGroup.current().size) ?? 1
        let launcher = ranks > 1 ? ["mpirun", "-np", String(ranks)] : []
        return (launcher + [program] + arguments + ["--resume", checkpoint]).map(quoted).joined(separator: " ")
    }

    /// `word` as a POSIX shell reads it back.
    private static func quoted(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=:,@%+".unicodeScalars.contains($0)
        }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

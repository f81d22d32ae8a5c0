import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request that a running `Trainer` stop at the next step boundary, after saving a checkpoint there:
/// how a preempted machine's SIGTERM, or a Ctrl-C, ends a run without losing its progress. Setting it is
/// async-signal-safe (an atomic store), so a signal handler may.
public final class TrainingStopRequest: Sendable {
    private let signal = Atomic<Int32>(0)

    /// A request not yet made.
    public init() {}

    /// Asks the trainer to stop; `signal` names why (SIGTERM, SIGINT) in the message it stops with.
    public func request(signal: Int32) { self.signal.store(signal, ordering: .relaxed) }

    /// The signal the stop was requested with; nil while none was.
    public var requestedSignal: Int32? {
        let value = signal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// SIGTERM's or SIGINT's name, or "signal N".
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }
}

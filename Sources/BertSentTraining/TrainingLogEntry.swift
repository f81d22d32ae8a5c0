import BertSentCore
import Foundation

/// One line of a run's JSON-lines log (`log.jsonl`): a training step or an evaluation. Reports read
/// the same file back, so the log is the single record of a run.
public struct TrainingLogEntry: Sendable, Equatable, Codable {
    /// A training step (`train`) or an evaluation (`eval`): the entry's JSON `type`.
    public enum Kind: String, Sendable, Codable { case train, eval }

    /// Whether the entry is a training step or an evaluation.
    public var kind: Kind
    /// Optimizer updates taken so far.
    public var step: Int
    /// Fractional epoch: updates / updates per epoch.
    public var epoch: Double
    /// Mean training loss of the step, or validation loss of the evaluation.
    public var loss: Double
    /// Train entries: the learning rate the step used, its pre-clip gradient norm and throughput.
    public var learningRate: Double?
    /// The step's gradient norm before clipping.
    public var gradientNorm: Double?
    /// Training texts per second over the step.
    public var samplesPerSecond: Double?
    /// Under mpirun: seconds the step spent summing gradients and loss over the ranks (nil for one process).
    public var allReduceSeconds: Double?
    /// Eval entries: metrics on the validation set (precision, recall and F1 of the positive class for
    /// two classes, macro averages otherwise).
    public var accuracy: Double?
    /// Precision on the validation set.
    public var precision: Double?
    /// Recall on the validation set.
    public var recall: Double?
    /// F1 on the validation set.
    public var f1: Double?
    /// Seconds the evaluation took (its forward passes).
    public var runtime: Double?

    /// An entry of `kind` with the fields every entry has; the others start nil.
    public init(kind: Kind, step: Int, epoch: Double, loss: Double) {
        self.kind = kind
        self.step = step
        self.epoch = epoch
        self.loss = loss
    }

    /// The log's name in a run folder.
    static let fileName = "log.jsonl"

    enum CodingKeys: String, CodingKey {
        case kind = "type"
        case step, epoch, loss, accuracy, precision, recall, f1, runtime
        case learningRate = "learning_rate"
        case gradientNorm = "grad_norm"
        case samplesPerSecond = "samples_per_second"
        case allReduceSeconds = "allreduce_seconds"
    }

    /// The entry as one compact JSON line (keys sorted).
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a log written by `jsonLine`, naming the file and line of a malformed entry.
    public static func read(from url: URL) throws -> [TrainingLogEntry] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw FileError.unreadable(path: url.path, what: "the training log", reason: FileError.reason(error))
        }
        let decoder = JSONDecoder()
        return try text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap {
            index, line in
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            do { return try decoder.decode(TrainingLogEntry.self, from: Data(line.utf8)) } catch {
                throw TrainingError.malformedLog(path: url.path, line: index + 1, reason: "\(error)")
            }
        }
    }
}

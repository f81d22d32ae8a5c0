import BertSentCore
import BertSentFormats
import Foundation

/// Where a run is and everything needed to continue it exactly: saved as `trainer_state.json` in
/// every checkpoint (keys in snake_case, as transformers' file of that name).
public struct TrainerState: Sendable, Equatable, Codable {
    public var globalStep = 0
    public var totalSteps: Int
    public var updatesPerEpoch: Int
    public var epochsCompleted = 0
    /// Updates already taken in the current epoch.
    public var stepInEpoch = 0
    /// Seed of the current epoch's shuffle, so a resumed run sees the same order.
    public var epochSeed: UInt64 = 0
    /// Draws each epoch's shuffle seed.
    public var orderGenerator: [UInt64]
    /// The training engine's dropout generator.
    public var dropoutGenerator: [UInt64]
    public var bestMetric: Double?
    public var bestStep: Int?
    public var evaluationsWithoutImprovement = 0
    /// Identifies the training texts and labels, so a resume on other data is refused.
    public var dataFingerprint: String
    public var classes: [String]
    public var logHistory: [TrainingLogEntry] = []
    public var arguments: TrainingArguments

    public var epoch: Double { Double(globalStep) / Double(max(1, updatesPerEpoch)) }

    static let fileName = "trainer_state.json"

    func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = directory.appendingPathComponent(Self.fileName)
        do { try encoder.encode(self).write(to: url, options: .atomic) } catch {
            throw MessageError("cannot write the trainer state (\(FileError.reason(error)))", file: url.path)
        }
    }

    /// Reads `trainer_state.json` from a checkpoint folder.
    public static func read(from directory: URL) throws -> TrainerState {
        let url = directory.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else {
            throw MessageError("no trainer state: not a bertsent checkpoint folder", file: url.path)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(TrainerState.self, from: data) } catch {
            throw MessageError("malformed trainer state (\(error))", file: url.path)
        }
    }

    /// A digest of texts and labels (FNV-1a over their UTF-8), cheap enough for 50,000 reviews.
    static func fingerprint(texts: [String], labels: [Int]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for (text, label) in zip(texts, labels) {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            hash = (hash ^ UInt64(label &+ 0x1F)) &* 0x100_0000_01B3
        }
        return "\(texts.count):" + String(hash, radix: 16)
    }
}

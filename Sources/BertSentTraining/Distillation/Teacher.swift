import BertSentCore
import BertSentFormats
import BertSentInference
import BertSentModel
import BertSentText
import Foundation

/// A fine-tuned classifier whose logits a student learns from: its folder, model and tokenizer, and the
/// digest of its weights, which keys the logits cache and lets a resumed run check the teacher is the same.
public final class Teacher {
    /// The teacher's model folder.
    public let directory: URL
    /// The classifier, with its trained head.
    public let model: BertModel
    /// Its tokenizer; a student must share its vocabulary.
    public let tokenizer: BertTokenizer
    /// The SHA-256 identifying its weights (`model.safetensors`, or its shards).
    public let weightsDigest: String
    /// The arithmetic of its forward passes.
    public let precision: Precision

    /// Loads the teacher in `directory`.
    /// - Throws: `TrainingError.teacherWithoutHead` when the folder has no trained classification head
    ///   (a bare encoder): it would teach noise.
    public init(directory: URL, precision: Precision = .fp32) throws {
        let model = try BertModel.load(from: directory)
        guard model.untrainedTensors.isEmpty else {
            throw TrainingError.teacherWithoutHead(folder: directory.path, missing: model.untrainedTensors)
        }
        self.directory = directory
        self.model = model
        tokenizer = try BertTokenizer(directory: directory)
        weightsDigest = try CheckpointTensors(directory: directory).digest()
        self.precision = precision
    }

    /// The teacher's logits for each prepared text, in order, and how many distinct texts it had to
    /// compute: those in the cache under `cacheDirectory` (when given) are read, the rest computed once
    /// each in length-sorted batches and added to it.
    public func logits(for encodings: [Encoding], cacheDirectory: URL?) throws -> (logits: [[Float]], computed: Int) {
        var cache = cacheDirectory.map {
            TeacherLogitsCache(directory: $0, teacherDigest: weightsDigest, precision: precision)
        }
        let keys = encodings.map(TeacherLogitsCache.key)
        var known: [String: [Float]] = [:]
        var missing: [Int] = []  // the first index of each text not in the cache
        var pending = Set<String>()
        for (index, key) in keys.enumerated() where known[key] == nil && !pending.contains(key) {
            if let values = cache?[key], values.count == model.config.numLabels {
                known[key] = values
            } else {
                pending.insert(key)
                missing.append(index)
            }
        }
        if !missing.isEmpty {
            let predictor = try Predictor(
                model: model, tokenizer: tokenizer, maxLength: model.config.maxPositionEmbeddings, precision: precision)
            // A text that occurs twice (in both splits, say) is computed once: a batch's padding can move a
            // logit in its last bits, and a resumed run, reading the cache, must see the values this run used.
            let computed = try predictor.logits(encodings: missing.map { encodings[$0] })
            for (index, values) in zip(missing, computed) {
                known[keys[index]] = values
                cache?[keys[index]] = values
            }
            try cache?.save()
        }
        return (keys.map { known[$0]! }, missing.count)
    }
}

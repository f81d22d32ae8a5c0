import BertSentCore
import BertSentFormats
import BertSentModel
import Foundation

/// Times training steps and inference batches on random token ids of a fixed shape, the way the
/// side-by-side benchmark against PyTorch runs both (bench/): same shapes, same thread count.
package enum StepBenchmark {
    package struct Result: Sendable, Codable {
        package var task: String
        package var batchSize: Int
        package var sequenceLength: Int
        /// Seconds of each timed repetition.
        package var seconds: [Double]
        package var medianSeconds: Double
        package var samplesPerSecond: Double
        package var peakResidentMegabytes: Double
        /// Real tokens processed by one repetition, where texts vary in length (tokenizer, reviews).
        package var tokens: Int?
        /// The linear layers' arithmetic, for training, inference and reviews.
        package var precision: Precision? {
            didSet { kernel = precision.map(KernelSet.active.kernel(for:)) }
        }
        /// The kernel that ran the linear layers (`KernelSet.kernel(for:)`), with the precision.
        package var kernel: String?
    }

    /// A batch of random ids (avoiding special tokens' rows) of shape batch × sequence, all real tokens.
    static func randomBatch(config: BertConfig, batch: Int, sequence: Int, seed: UInt64) throws -> TrainingBatch {
        var generator = SeededGenerator(seed: seed)
        let ids = (0..<batch).map { _ in
            (0..<sequence).map { _ in Int32(1000 + Int(generator.next() % UInt64(max(1, config.vocabSize - 1000)))) }
        }
        let classes = max(2, config.numLabels)
        return TrainingBatch(tokens: try TokenBatch(ids: ids), labels: (0..<batch).map { $0 % classes })
    }

    /// Forward + backward + AdamW update on `model`, `repetitions` timed after `warmup` untimed, the
    /// linear products in `precision`.
    package static func training(
        model: BertModel, batch: Int, sequence: Int, warmup: Int = 1, repetitions: Int = 5,
        precision: Precision = .fp32
    ) throws -> Result {
        var arguments = TrainingArguments()
        arguments.precision = precision
        let engine = try TrainingEngine(
            model: model, arguments: arguments, totalSteps: warmup + repetitions,
            maxBatch: batch, maxSequence: sequence, seed: 1)
        let input = try randomBatch(config: model.config, batch: batch, sequence: sequence, seed: 2)
        var result = try time("train", batch: batch, sequence: sequence, warmup: warmup, repetitions: repetitions) {
            _ = try engine.step([input])
        }
        result.precision = precision
        return result
    }

    /// One inference forward pass of a full batch, its linear layers in `precision` (bf16 or int8
    /// weights are converted before the timing).
    package static func inference(
        model: BertModel, batch: Int, sequence: Int, warmup: Int = 1, repetitions: Int = 5,
        precision: Precision = .fp32
    ) throws -> Result {
        let acts = try Activations(config: model.config, maxBatch: batch, maxSequence: sequence, training: false)
        let input = try randomBatch(config: model.config, batch: batch, sequence: sequence, seed: 2)
        let packed = precision == .fp32 ? nil : try PackedEncoderWeights(model: model, precision: precision)
        var result = try time("inference", batch: batch, sequence: sequence, warmup: warmup, repetitions: repetitions) {
            _ = try model.forward(input.tokens, acts: acts, packed: packed)
        }
        result.precision = precision
        return result
    }

    static func time(
        _ task: String, batch: Int, sequence: Int, warmup: Int, repetitions: Int, _ body: () throws -> Void
    ) throws -> Result {
        for _ in 0..<warmup { try body() }
        let seconds = try (0..<repetitions).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let median = seconds.sorted()[seconds.count / 2]
        return Result(
            task: task, batchSize: batch, sequenceLength: sequence, seconds: seconds, medianSeconds: median,
            samplesPerSecond: Double(batch) / median, peakResidentMegabytes: peakResidentMegabytes())
    }

    /// The process's peak resident set (VmHWM on Linux, ru_maxrss on macOS), in MiB.
    package static func peakResidentMegabytes() -> Double { Double(PlatformMemory.peakResidentBytes()) / 1_048_576 }
}

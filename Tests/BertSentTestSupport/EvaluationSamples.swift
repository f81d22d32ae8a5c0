import BertSent
import Foundation

/// Plausible report inputs made up from a seed: a training log and scored reviews shaped like a real
/// fine-tuning run, for report tests and for looking at the page.
package enum EvaluationSamples {
    package static let positives = [
        "An absolutely wonderful film, the cast is superb and the ending made me cry.",
        "Great pacing, clever script, and a soundtrack I still hum. Loved it.",
        "Not perfect, but the performances carry it; I would happily watch it again.",
    ]
    package static let negatives = [
        "A tedious mess with wooden acting and a plot that goes nowhere.",
        "I wanted to like it, but two hours felt like five. Avoid.",
        "The trailer was better than the movie. What a waste of a good cast.",
    ]

    /// A 3-epoch run: `stepsPerEpoch` train entries per epoch with loss falling from ln 2 with noise,
    /// and one evaluation at the end of each epoch.
    package static func trainingLog(
        epochs: Int = 3, stepsPerEpoch: Int = 300, start: Double = 0.69, end: Double = 0.08,
        seed: UInt64 = 7
    ) -> [TrainingLogEntry] {
        var random = SeededGenerator(seed: seed)
        let total = epochs * stepsPerEpoch
        var log: [TrainingLogEntry] = []
        for step in 1...total {
            let progress = Double(step) / Double(total)
            let trend = end + (start - end) * exp(-4 * progress)
            var entry = TrainingLogEntry(
                kind: .train, step: step, epoch: Double(step) / Double(stepsPerEpoch),
                loss: trend * exp(Double.random(in: -0.6...0.6, using: &random)))
            entry.learningRate = 2e-5 * min(1, Double(step) / 90) * (1 - progress)
            entry.gradientNorm = Double.random(in: 0.5...4, using: &random)
            entry.samplesPerSecond = Double.random(in: 30...36, using: &random)
            log.append(entry)
            if step % stepsPerEpoch == 0 {
                var eval = TrainingLogEntry(
                    kind: .eval, step: step, epoch: Double(step) / Double(stepsPerEpoch), loss: trend * 1.4)
                let quality = 0.86 + 0.04 * Double(step / stepsPerEpoch)
                eval.accuracy = quality
                eval.precision = quality - 0.015
                eval.recall = quality + 0.012
                eval.f1 = quality - 0.002
                log.append(eval)
            }
        }
        return log
    }

    /// `count` scored binary reviews, about 92% right, most predictions very confident.
    package static func examples(count: Int = 600, seed: UInt64 = 3, texts: (Int, Int) -> String = defaultText)
        -> [ScoredExample]
    {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let label = index % 2
            let wrong = Double.random(in: 0..<1, using: &random) < (index % 7 == 0 ? 0.3 : 0.06)
            let margin = pow(Double.random(in: 0..<1, using: &random), wrong ? 1.5 : 0.25)
            let confidence = Float(0.5 + 0.4995 * margin)
            let positive = (label == 1) != wrong ? confidence : 1 - confidence
            return ScoredExample(text: texts(index, label), label: label, probabilities: [1 - positive, positive])
        }
    }

    /// Short template reviews, and every seventh a long one with IMDB-style `<br />` markup.
    package static func defaultText(index: Int, label: Int) -> String {
        let pool = label == 1 ? positives : negatives
        let text = pool[(index / 2) % pool.count]
        guard index % 7 == 0 else { return text }
        return "Review #\(index): " + text + "<br /><br />"
            + String(repeating: "The story keeps going & going, with \"twists\" nobody asked for. ", count: 12)
    }

    package static let binaryClasses = ["negative", "positive"]

    package static func input(
        log: [TrainingLogEntry]? = trainingLog(), examples: [ScoredExample] = examples(),
        classes: [String] = binaryClasses
    ) throws -> ReportInput {
        ReportInput(
            title: "bertsent — synthetic reviews",
            modelDescription: "bert-base-uncased · 109.5 M parameters · max length 256",
            metrics: try ClassificationMetrics(examples: examples, classes: classes),
            examples: examples, trainingLog: log,
            settings: [
                .init("learning rate", "2e-5"), .init("batch size", "8"), .init("epochs", "3"),
                .init("weight decay", "0.01"), .init("warmup steps", "90"), .init("seed", "42"),
            ])
    }
}

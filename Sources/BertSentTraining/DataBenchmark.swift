import BertSentInference
import BertSentText
import Foundation

/// Benchmarks on real text, the way bench/run.sh times them beside Hugging Face: the tokenizer on a
/// batch of reviews, and `Predictor` (tokenise, length-sorted batches, dynamic padding, forward) on
/// reviews. Both take already cleaned texts so that the Python side reads exactly the same strings.
package enum DataBenchmark {
    /// `tokenizer.encodeBatch` on all `texts` (truncated to `maxLength`, unpadded), timed `repetitions`
    /// times after `warmup`; samples are sentences, `tokens` the ids produced by one pass.
    package static func tokenizer(
        _ tokenizer: BertTokenizer, texts: [String], maxLength: Int = 512, warmup: Int = 1, repetitions: Int = 5
    ) throws -> StepBenchmark.Result {
        var tokens = 0
        var result = try StepBenchmark.time(
            "tokenizer", batch: texts.count, sequence: maxLength, warmup: warmup, repetitions: repetitions
        ) {
            let encodings = try tokenizer.encodeBatch(
                texts, maxLength: maxLength, truncation: .longestFirst, padding: .doNotPad)
            tokens = encodings.reduce(0) { $0 + $1.ids.count }
        }
        result.tokens = tokens
        return result
    }

    /// `predictor.predict` on already prepared (cleaned) `texts`: tokenisation included, batches of
    /// similar length padded to their longest text. Samples are texts; `tokens` counts real (unpadded)
    /// tokens of one pass.
    package static func predictions(
        _ predictor: Predictor, texts: [String], warmup: Int = 1, repetitions: Int = 3
    ) throws -> StepBenchmark.Result {
        let encodings = try predictor.profile.encode(texts, prepared: true)
        var result = try StepBenchmark.time(
            "reviews", batch: texts.count, sequence: predictor.maxLength, warmup: warmup, repetitions: repetitions
        ) {
            _ = try predictor.predict(encodings: predictor.profile.encode(texts, prepared: true))
        }
        result.tokens = encodings.reduce(0) { $0 + $1.ids.count }
        result.precision = predictor.precision
        return result
    }
}

import BertSent
import Foundation

/// Largest |a[i] − b[i]|; arrays of different sizes give infinity so a shape bug cannot pass.
package func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A fresh temporary folder, removed by the caller with `FileManager.default.removeItem`.
package func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bertsent-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A small BERT config for tests that need a model but not a pretrained one.
package func tinyConfig(labels: [String] = ["negative", "positive"], layers: Int = 2, hidden: Int = 32, heads: Int = 4)
    -> BertConfig
{
    var config = BertConfig()
    config.vocabSize = 120
    config.hiddenSize = hidden
    config.numHiddenLayers = layers
    config.numAttentionHeads = heads
    config.intermediateSize = 37
    config.maxPositionEmbeddings = 64
    config.id2label = labels
    return config
}

/// Rows `rows` of a (B, T, C) tensor's sample `b`, flattened.
package func slice(_ values: [Float], sample b: Int, length t: Int, channels c: Int, rows: Range<Int>) -> [Float] {
    Array(values[(b * t * c + rows.lowerBound * c)..<(b * t * c + rows.upperBound * c)])
}

extension SafeTensorsFile {
    /// The token batch stored as `input_ids` (and `attention_mask`, `token_type_ids` when present)
    /// under `prefix`, padded as stored.
    package func tokenBatch(prefix: String = "") throws -> TokenBatch {
        let shape = tensors[prefix + "input_ids"]!.shape
        let (b, t) = (shape[0], shape[1])
        let ids = try integers(prefix + "input_ids").map(Int32.init)
        let mask =
            tensors[prefix + "attention_mask"] != nil
            ? try integers(prefix + "attention_mask") : Array(repeating: 1, count: b * t)
        let types =
            tensors[prefix + "token_type_ids"] != nil
            ? try integers(prefix + "token_type_ids").map(Int32.init) : Array(repeating: 0, count: b * t)
        let lengths = (0..<b).map { r in mask[(r * t)..<((r + 1) * t)].reduce(0, +) }
        return try TokenBatch(
            ids: (0..<b).map { Array(ids[($0 * t)..<($0 * t + lengths[$0])]) },
            typeIds: (0..<b).map { Array(types[($0 * t)..<($0 * t + lengths[$0])]) }, padTo: t)
    }
}

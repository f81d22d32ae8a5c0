import BertSent
import Foundation

/// Largest |a[i] − b[i]|; arrays of different sizes give infinity so a shape bug cannot pass.
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A fresh temporary folder, removed by the caller with `FileManager.default.removeItem`.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bertsent-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A small BERT config for tests that need a model but not a pretrained one.
func tinyConfig(labels: [String] = ["negative", "positive"], layers: Int = 2, hidden: Int = 32, heads: Int = 4) -> BertConfig {
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
func slice(_ values: [Float], sample b: Int, length t: Int, channels c: Int, rows: Range<Int>) -> [Float] {
    Array(values[(b * t * c + rows.lowerBound * c)..<(b * t * c + rows.upperBound * c)])
}

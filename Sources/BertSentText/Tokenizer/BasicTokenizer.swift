/// BERT's basic tokenization of text without added tokens: clean the text (drop control characters, turn
/// whitespace into spaces), isolate CJK ideographs, split on whitespace, normalize each token (lowercase,
/// strip accents), then isolate punctuation. Works on Unicode scalar values with reusable buffers.
struct BasicTokenizer: Sendable {
    let classifier: ScalarClassifier
    let normalizer: WordNormalizer
    let isolatesCJK: Bool
    /// Python only: whitespace tokens kept whole, as they are after cleaning (the special tokens).
    let neverSplit: [[UInt32]]

    /// Reusable buffers, so that tokenizing a text allocates only when a word is longer than any before.
    struct Scratch {
        var token: [UInt32] = []
        var normalized: [UInt32] = []

        init() {
            token.reserveCapacity(256)
            normalized.reserveCapacity(256)
        }
    }

    /// Calls `body` with each word of `text`, and whether it is a never-split token (not normalized or split).
    func forEachWord(
        in text: UnsafeBufferPointer<UInt32>, scratch: inout Scratch,
        _ body: (UnsafeBufferPointer<UInt32>, _ neverSplit: Bool) -> Void
    ) {
        for value in text {
            switch classifier.classify(value) {
            case .drop:
                continue
            case .space:
                flush(&scratch, body)
            case .cjk where isolatesCJK:
                flush(&scratch, body)
                scratch.token.append(value)
                flush(&scratch, body)
            case .word, .punctuation, .cjk:
                scratch.token.append(value)
            }
        }
        flush(&scratch, body)
    }

    /// Normalizes and splits the pending whitespace token.
    private func flush(_ scratch: inout Scratch, _ body: (UnsafeBufferPointer<UInt32>, Bool) -> Void) {
        if scratch.token.isEmpty { return }
        defer { scratch.token.removeAll(keepingCapacity: true) }
        if neverSplit.contains(scratch.token) {
            scratch.token.withUnsafeBufferPointer { body($0, true) }
            return
        }
        scratch.token.withUnsafeBufferPointer { normalizer.normalize($0, into: &scratch.normalized) }
        scratch.normalized.withUnsafeBufferPointer { normalized in
            var start = 0
            for (index, value) in normalized.enumerated() {
                switch classifier.classify(value) {
                case .space:
                    if start < index { body(UnsafeBufferPointer(rebasing: normalized[start..<index]), false) }
                    start = index + 1
                case .punctuation:
                    if start < index { body(UnsafeBufferPointer(rebasing: normalized[start..<index]), false) }
                    body(UnsafeBufferPointer(rebasing: normalized[index...index]), false)
                    start = index + 1
                case .word, .drop, .cjk:
                    continue
                }
            }
            if start < normalized.count { body(UnsafeBufferPointer(rebasing: normalized[start...]), false) }
        }
    }
}

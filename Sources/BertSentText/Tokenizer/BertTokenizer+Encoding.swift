import BertSentCore
import Foundation

extension BertTokenizer {
    /// Encodes `text` (and `pair`) as `[CLS] text [SEP] (pair [SEP])` with token types 0/1.
    ///
    /// - Parameters:
    ///   - text: the first (or only) sequence, as written.
    ///   - pair: a second sequence, encoded after the first with token type 1.
    ///   - maxLength: the longest encoding, special tokens included; `nil` means `modelMaxLength` (as in
    ///     `transformers`). With `.doNotTruncate` it only sets the padded length.
    ///   - truncation: which sequence loses tokens when the encoding is longer than `maxLength`.
    ///   - padding: `.maxLength` pads to `maxLength`; `.longest` has nothing to do for a single encoding.
    /// - Throws: `TokenizerError` when `maxLength` cannot hold the special tokens or the chosen strategy cannot
    ///   remove enough tokens (as `tokenizers` does).
    public func encode(
        _ text: String, pair: String? = nil, maxLength: Int? = defaultMaxLength,
        truncation: TruncationStrategy = .longestFirst, padding: PaddingStrategy = .doNotPad
    ) throws -> Encoding {
        var scratch = BasicTokenizer.Scratch()
        let length = maxLength ?? modelMaxLength
        var encoding = try encodeUnpadded(text, pair: pair, maxLength: length, truncation: truncation, &scratch)
        if padding == .maxLength { pad(&encoding, to: length) }
        return encoding
    }

    /// Encodes many texts (and pairs) on all cores; `.longest` padding pads to the longest in the batch.
    /// - Throws: the first error of any text, or `TokenizerError.pairCountMismatch` when `pairs` and `texts`
    ///   differ in count.
    public func encodeBatch(
        _ texts: [String], pairs: [String]? = nil, maxLength: Int? = defaultMaxLength,
        truncation: TruncationStrategy = .longestFirst, padding: PaddingStrategy = .longest
    ) throws -> [Encoding] {
        if let pairs, pairs.count != texts.count {
            throw TokenizerError.pairCountMismatch(texts: texts.count, pairs: pairs.count)
        }
        let length = maxLength ?? modelMaxLength
        var results = [Result<Encoding, Error>?](repeating: nil, count: texts.count)
        // Chunks of consecutive texts share one scratch buffer; several chunks per core balance uneven lengths.
        let chunkCount = texts.count < 16 ? 1 : min(texts.count / 8, coreCount * 8)
        results.withUnsafeMutableBufferPointer { output in
            parallelFor(chunkCount) { chunk in
                var scratch = BasicTokenizer.Scratch()
                let range = texts.count * chunk / chunkCount..<texts.count * (chunk + 1) / chunkCount
                for index in range {
                    output[index] = Result {
                        try encodeUnpadded(
                            texts[index], pair: pairs?[index], maxLength: length, truncation: truncation, &scratch)
                    }
                }
            }
        }
        var encodings = try results.map { try $0!.get() }
        let paddedLength: Int? =
            switch padding {
            case .doNotPad: nil
            case .longest: encodings.map(\.count).max()
            case .maxLength: length
            }
        if let paddedLength {
            for index in encodings.indices { pad(&encodings[index], to: paddedLength) }
        }
        return encodings
    }

    private func encodeUnpadded(
        _ text: String, pair: String?, maxLength: Int, truncation: TruncationStrategy,
        _ scratch: inout BasicTokenizer.Scratch
    ) throws -> Encoding {
        var first = self.ids(of: text, scratch: &scratch)
        var second = pair.map { self.ids(of: $0, scratch: &scratch) }
        try truncation.truncate(
            &first, &second, maxLength: maxLength, specialCount: second == nil ? 2 : 3, side: options.truncationSide,
            headTokens: options.truncationHeadTokens)
        var ids = [clsId]
        ids.reserveCapacity(first.count + (second?.count ?? 0) + 3)
        ids.append(contentsOf: first)
        ids.append(sepId)
        var tokenTypeIds = [Int32](repeating: 0, count: ids.count)
        if let second {
            ids.append(contentsOf: second)
            ids.append(sepId)
            tokenTypeIds.append(contentsOf: repeatElement(1, count: second.count + 1))
        }
        return Encoding(
            ids: ids, tokenTypeIds: tokenTypeIds, attentionMask: [Int32](repeating: 1, count: ids.count),
            tokens: ids.map { vocabulary[Int($0)] })
    }

    /// Pads on the right to `length`; longer encodings are left as they are (as in `transformers`).
    private func pad(_ encoding: inout Encoding, to length: Int) {
        let missing = length - encoding.count
        if missing <= 0 { return }
        encoding.ids.append(contentsOf: repeatElement(padId, count: missing))
        encoding.tokenTypeIds.append(contentsOf: repeatElement(0, count: missing))
        encoding.attentionMask.append(contentsOf: repeatElement(0, count: missing))
        encoding.tokens.append(contentsOf: repeatElement(vocabulary[Int(padId)], count: missing))
    }
}

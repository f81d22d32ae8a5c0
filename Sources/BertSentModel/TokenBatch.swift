import BertSentCore
import BertSentFormats

/// Token ids of B texts padded on the right to a common length T, the model's input.
/// `lengths[b]` is the number of real tokens of text b: its attention mask is 1 for t < lengths[b].
package struct TokenBatch: Sendable, Equatable {
    package let size: Int
    package let length: Int
    /// (B, T) row-major.
    package let ids: [Int32]
    /// (B, T) row-major.
    package let typeIds: [Int32]
    /// (B)
    package let lengths: [Int32]

    /// Pads `ids` (and `typeIds`, zeros when nil) with `padId` to the longest sequence, or to
    /// `padTo` when given and longer.
    package init(ids: [[Int32]], typeIds: [[Int32]]? = nil, padId: Int32 = 0, padTo: Int? = nil) throws {
        guard !ids.isEmpty else { throw ModelError.emptyBatch }
        let length = max(ids.map(\.count).max() ?? 0, padTo ?? 0)
        // Every text is empty: the first is named.
        guard length > 0 else { throw ModelError.emptyText(index: 0) }
        var flatIds = [Int32](repeating: padId, count: ids.count * length)
        var flatTypes = [Int32](repeating: 0, count: ids.count * length)
        for (b, row) in ids.enumerated() {
            guard !row.isEmpty else { throw ModelError.emptyText(index: b) }
            flatIds.replaceSubrange((b * length)..<(b * length + row.count), with: row)
            if let types = typeIds?[b] {
                guard types.count == row.count else {
                    throw ModelError.tokenTypeCountMismatch(text: b, ids: row.count, typeIds: types.count)
                }
                flatTypes.replaceSubrange((b * length)..<(b * length + row.count), with: types)
            }
        }
        self.size = ids.count
        self.length = length
        self.ids = flatIds
        self.typeIds = flatTypes
        self.lengths = ids.map { Int32($0.count) }
    }

    /// Checks that every id fits the model's tables, so kernels can index without bounds checks.
    func validate(for config: BertConfig) throws {
        guard length <= config.maxPositionEmbeddings else {
            throw ModelError.sequenceTooLong(length: length, maxPositionEmbeddings: config.maxPositionEmbeddings)
        }
        if let bad = ids.firstIndex(where: { $0 < 0 || Int($0) >= config.vocabSize }) {
            throw ModelError.tokenOutOfVocabulary(
                id: ids[bad], text: bad / length, position: bad % length, vocabSize: config.vocabSize)
        }
        // DistilBERT has no token types: it ignores the ids, as transformers' model takes none.
        if config.architecture == .bert,
            let bad = typeIds.firstIndex(where: { $0 < 0 || Int($0) >= config.typeVocabSize })
        {
            throw ModelError.tokenTypeOutOfRange(
                id: typeIds[bad], text: bad / length, typeVocabSize: config.typeVocabSize)
        }
    }
}

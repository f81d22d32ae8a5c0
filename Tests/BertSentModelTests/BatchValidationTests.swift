import BertSent
import BertSentTestSupport
import Testing

/// A batch the model cannot run is refused before any kernel reads it, naming the text and the token.
@Suite struct BatchValidationTests {
    @Test func malformedBatchesAreRefused() {
        #expect(throws: ModelError.emptyBatch) { try TokenBatch(ids: []) }
        #expect(throws: ModelError.emptyText(index: 0)) { try TokenBatch(ids: [[]]) }
        #expect(throws: ModelError.emptyText(index: 1)) { try TokenBatch(ids: [[1, 2], []]) }
        #expect(throws: ModelError.tokenTypeCountMismatch(text: 0, ids: 2, typeIds: 1)) {
            try TokenBatch(ids: [[1, 2]], typeIds: [[0]])
        }
    }

    @Test func batchesOutsideTheModelOrItsActivationsAreRefused() throws {
        // vocab_size 120, max_position_embeddings 64, type_vocab_size 2
        let model = try BertModel(config: tinyConfig())
        let acts = try Activations(config: model.config, maxBatch: 2, maxSequence: 64, training: false)
        #expect(throws: ModelError.tokenOutOfVocabulary(id: 120, text: 1, position: 2, vocabSize: 120)) {
            try model.forward(TokenBatch(ids: [[1, 2, 3], [1, 2, 120]]), acts: acts)
        }
        #expect(throws: ModelError.tokenTypeOutOfRange(id: 2, text: 0, typeVocabSize: 2)) {
            try model.forward(TokenBatch(ids: [[1, 2]], typeIds: [[0, 2]]), acts: acts)
        }
        #expect(throws: ModelError.sequenceTooLong(length: 65, maxPositionEmbeddings: 64)) {
            try model.forward(TokenBatch(ids: [[1]], padTo: 65), acts: acts)
        }
        #expect(throws: ModelError.batchExceedsCapacity(size: 3, length: 2, maxBatch: 2, maxSequence: 64)) {
            try model.forward(TokenBatch(ids: [[1, 2], [3, 4], [5, 6]]), acts: acts)
        }
        let batch = try TokenBatch(ids: [[1, 2]])
        try model.forward(batch, acts: acts)
        #expect(throws: ModelError.lastHiddenStateNeedsAllPositions) { try model.lastHiddenState(batch, acts: acts) }
    }
}

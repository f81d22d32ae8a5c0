import BertSent
import Foundation
import Testing

/// Length-grouped batch order (HF's `group_by_length`): a permutation whose batches pad less.
struct LengthGroupingTests {
    /// Lengths like IMDB's under a 256-token limit: many short, a long tail cut at 256.
    func reviewLikeLengths(_ count: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in min(256, 20 + Int(generator.next() % 400)) }
    }

    /// Tokens a model processes over the order's batches, each padded to its longest text.
    func paddedTokens(_ order: [Int], lengths: [Int], batchSize: Int) -> Int {
        stride(from: 0, to: order.count, by: batchSize).reduce(0) { total, start in
            let batch = order[start..<min(start + batchSize, order.count)]
            return total + batch.count * batch.map { lengths[$0] }.max()!
        }
    }

    @Test func groupingIsAPermutationSortedWithinMegabatchesLongestFirst() {
        let lengths = reviewLikeLengths(1_003, seed: 7)
        var generator = SeededGenerator(seed: 3)
        var order = Array(lengths.indices)
        order.shuffle(using: &generator)
        let grouped = LengthGrouping.grouped(order, lengths: lengths, batchSize: 8)
        #expect(grouped.sorted() == Array(lengths.indices))
        #expect(lengths[grouped[0]] == lengths.max())
        let megabatch = LengthGrouping.megabatchBatches * 8
        for start in stride(from: 0, to: grouped.count, by: megabatch) {
            let piece = grouped[start..<min(start + megabatch, grouped.count)].map { lengths[$0] }
            #expect(piece == piece.sorted(by: >), "megabatch at \(start) is sorted longest first")
            // The same texts as some megabatch of the shuffled order: grouping moves texts within megabatches only.
            let sources = stride(from: 0, to: order.count, by: megabatch).map {
                Set(order[$0..<min($0 + megabatch, order.count)])
            }
            #expect(sources.contains(Set(grouped[start..<min(start + megabatch, grouped.count)])))
        }
    }

    @Test func groupedBatchesPadFarLess() {
        let lengths = reviewLikeLengths(2_000, seed: 11)
        var generator = SeededGenerator(seed: 5)
        var order = Array(lengths.indices)
        order.shuffle(using: &generator)
        let random = paddedTokens(order, lengths: lengths, batchSize: 8)
        let grouped = paddedTokens(
            LengthGrouping.grouped(order, lengths: lengths, batchSize: 8), lengths: lengths, batchSize: 8)
        let real = lengths.reduce(0, +)
        #expect(Double(grouped) < 1.02 * Double(real), "grouped \(grouped) vs \(real) real tokens")
        #expect(Double(grouped) < 0.85 * Double(random), "grouped \(grouped) vs random \(random)")
    }
}

/// Orders texts so that each batch holds texts of similar length, as HF's `LengthGroupedSampler`
/// (`group_by_length`) does: the shuffled order is cut into megabatches of 50 batches, each sorted
/// longest first, so a batch pads little while the data stays shuffled at the megabatch scale.
package enum LengthGrouping {
    /// Batches per megabatch; HF's `megabatch_mult`.
    package static let megabatchBatches = 50

    /// `order` regrouped by `lengths[index]` in megabatches of `megabatchBatches × batchSize`; the
    /// megabatch holding the longest text comes first (as HF's, so a run that would run out of memory
    /// does so at once).
    package static func grouped(_ order: [Int], lengths: [Int], batchSize: Int) -> [Int] {
        let size = max(1, megabatchBatches * batchSize)
        var megabatches = stride(from: 0, to: order.count, by: size).map { start in
            order[start..<min(start + size, order.count)].sorted { lengths[$0] > lengths[$1] }
        }
        if let longest = megabatches.indices.max(by: { lengths[megabatches[$0][0]] < lengths[megabatches[$1][0]] }) {
            megabatches.swapAt(0, longest)
        }
        return megabatches.flatMap { $0 }
    }
}

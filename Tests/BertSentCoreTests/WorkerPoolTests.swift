import BertSent
import Foundation
import Testing

/// The worker pool behind every kernel's row loop (`parallelFor`): each index runs exactly once, whether
/// one caller uses the pool, many callers race for it (the losers fall back to Dispatch), or a region
/// opens another inside it. Run under ThreadSanitizer by scripts/tsan.sh.
@Suite struct WorkerPoolTests {
    /// Runs `parallelFor(count)` and returns how many times each index ran.
    func runs(_ count: Int) -> [Int] {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        parallelFor(count) { counts[$0] += 1 }  // each index is its own slot: no two iterations share one
        return Array(counts)
    }

    @Test(arguments: [0, 1, 2, 3, 97, 4096])
    func everyIndexRunsOnce(count: Int) {
        #expect(runs(count) == Array(repeating: 1, count: count))
    }

    @Test func concurrentCallersEachGetEveryIndexOnce() async {
        let results = await withTaskGroup(of: Bool.self) { group in
            for caller in 0..<16 {
                group.addTask {
                    (0..<50).allSatisfy { round in
                        let count = 100 + caller * 7 + round
                        return runs(count) == Array(repeating: 1, count: count)
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }

    @Test func aRegionInsideARegionRunsEveryIndexOnce() {
        let outer = 8, inner = 64
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: outer * inner)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        parallelFor(outer) { i in parallelFor(inner) { j in counts[i * inner + j] += 1 } }
        #expect(Array(counts) == Array(repeating: 1, count: outer * inner))
    }
}

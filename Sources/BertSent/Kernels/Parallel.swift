import Dispatch
import Foundation

/// Cores the kernels split row loops over.
let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Lets a kernel's closure, which captures raw pointers, run on Dispatch's worker threads. Sound
/// because every kernel gives each iteration a disjoint part of its output to write.
private struct DisjointWork<Body>: @unchecked Sendable {
    let body: Body
}

/// Runs `body(i)` for each `i` in `0..<count`, spread over the cores.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 || coreCount == 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let work = DisjointWork(body: body)
        DispatchQueue.concurrentPerform(iterations: count) { work.body($0) }
    }
}

/// Runs `body(range)` over `0..<count` split into one contiguous chunk per core; small loops stay on
/// the calling thread, where a thread hand-off would cost more than the work.
func parallelChunks(_ count: Int, minimumPerChunk: Int = 16, _ body: (Range<Int>) -> Void) {
    let chunks = min(coreCount, count / max(1, minimumPerChunk))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    parallelFor(chunks) { chunk in body((count * chunk / chunks)..<(count * (chunk + 1) / chunks)) }
}

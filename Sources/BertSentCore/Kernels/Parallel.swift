import CKernels
import Dispatch
import Foundation
import Synchronization

/// Threads the kernels split row loops over: `BERTSENT_THREADS` when set, else the cores this process may
/// use, shared out among the ranks `mpirun` started on this host.
package let coreCount: Int = {
    let environment = ProcessInfo.processInfo.environment
    if let threads = try? ThreadCount.configured(environment: environment) { return threads }
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let ranksHere = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) ?? 1
    return max(1, cores / max(1, ranksHere))
}()

/// The thread count a user sets with `BERTSENT_THREADS`.
public enum ThreadCount {
    /// The variable's name.
    public static let environmentVariable = "BERTSENT_THREADS"

    /// The positive count `BERTSENT_THREADS` holds; nil when unset or empty.
    /// - Throws: `CoreError.invalidThreadCount` for anything but a positive integer.
    public static func configured(environment: [String: String]) throws(CoreError) -> Int? {
        guard let value = environment[environmentVariable], !value.isEmpty else { return nil }
        guard let count = Int(value), count > 0 else { throw .invalidThreadCount(value) }
        return count
    }
}

/// Lets a kernel's closure, which captures raw pointers, run on other threads.
// Sendable by hand: no mutable state of its own; every kernel gives each iteration a disjoint part of its output.
private struct DisjointWork<Body>: @unchecked Sendable {
    let body: Body
}

/// Runs `body(i)` for each `i` in `0..<count`, spread over the cores.
package func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 || coreCount == 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { body in
        if !WorkerPool.shared.run(count, body) {
            // Another thread is using the pool (concurrent callers, or a nested region).
            let work = DisjointWork(body: body)
            DispatchQueue.concurrentPerform(iterations: count) { work.body($0) }
        }
    }
}

/// Runs `body(range)` over `0..<count` split into one contiguous chunk per core; small loops stay on
/// the calling thread, where a thread hand-off would cost more than the work.
package func parallelChunks(_ count: Int, minimumPerChunk: Int = 16, _ body: (Range<Int>) -> Void) {
    let chunks = min(coreCount, count / max(1, minimumPerChunk))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    parallelFor(chunks) { chunk in body((count * chunk / chunks)..<(count * (chunk + 1) / chunks)) }
}

/// Columns the reduced-precision kernels compute per panel: a column split must fall on a multiple of it.
let packedPanelWidth = 32

/// The one rule for splitting an m × n × k product over the cores, which every GEMM follows: by rows,
/// or by column panels when there are few rows (a single text's 128 tokens), where halves of the rows
/// would each stream all of the weight for little work. `body(rows, columns)` computes one part;
/// small products stay on the calling thread.
func splitProduct(m: Int, n: Int, k: Int, _ body: (Range<Int>, Range<Int>) -> Void) {
    let panels = (n + packedPanelWidth - 1) / packedPanelWidth
    let byColumns = m < 256 && panels >= 8
    let chunks = m * n * k >= 1 << 21 ? max(1, min(coreCount, byColumns ? panels / 4 : m / 32)) : 1
    parallelFor(chunks) { chunk in
        if byColumns {
            let first = panels * chunk / chunks, last = panels * (chunk + 1) / chunks
            body(0..<m, (first * packedPanelWidth)..<min(n, last * packedPanelWidth))
        } else {
            body((m * chunk / chunks)..<(m * (chunk + 1) / chunks), 0..<n)
        }
    }
}

/// One thread per core besides the caller's, each spinning for a while after its last piece of work
/// before it sleeps. A training step runs hundreds of parallel regions a few hundred microseconds
/// apart; waking a sleeping thread for each (as `DispatchQueue.concurrentPerform` does) cost 50–140 µs
/// per region on this machine's virtual CPUs, 10% of a step. A spinning worker starts within a
/// microsecond.
///
/// The region's state is one atomic word: its generation (which region), its iteration count and the
/// next unclaimed iteration. A worker claims an iteration by compare-and-swap on the whole word, so
/// it can never claim one of a region that has already finished, and reads the region's closure only
/// after a successful claim, when the caller is still inside `run` and the closure is alive.
// Sendable by hand: `body` is written only by the caller holding `busy`, before it publishes the region.
private final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(workers: coreCount - 1)

    /// generation (24 bits) · count (20 bits) · next iteration (20 bits).
    private let state = Atomic<UInt64>(0)
    /// Iterations of the current region finished, by any thread.
    private let finished = Atomic<Int>(0)
    /// Whether a caller is running a region (the pool serves one at a time).
    private let busy = Atomic<Bool>(false)
    /// Workers asleep on `wake`.
    private let sleepers = Atomic<Int>(0)
    private let wake = NSCondition()
    /// The current region's closure; written by the caller before it publishes the region.
    private var body: DisjointWork<(Int) -> Void>?
    /// How long an idle worker spins before sleeping: longer than the gaps between a step's regions,
    /// short enough that an idle server's worker sleeps.
    private static let spinNanoseconds: UInt64 = 2_000_000
    private static let countShift: UInt64 = 20, generationShift: UInt64 = 40
    private static let field: UInt64 = (1 << 20) - 1

    private init(workers: Int) {
        for _ in 0..<workers {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.name = "bertsent-worker"
            thread.start()
        }
    }

    /// Runs body(0..<count) on this thread and the workers; false (nothing run) when the pool is busy
    /// or the count does not fit its state word.
    func run(_ count: Int, _ body: @escaping (Int) -> Void) -> Bool {
        guard UInt64(count) < Self.field,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            return false
        }
        self.body = DisjointWork(body: body)
        finished.store(0, ordering: .relaxed)
        let generation = (state.load(ordering: .relaxed) >> Self.generationShift &+ 1) & ((1 << 24) - 1)
        state.store(
            generation << Self.generationShift | UInt64(count) << Self.countShift, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            wake.lock()
            wake.broadcast()
            wake.unlock()
        }
        work(generation: generation)
        while finished.load(ordering: .acquiring) < count { bs_spin_pause() }
        self.body = nil
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Claims and runs iterations of region `generation` until none are left.
    private func work(generation: UInt64) {
        var word = state.load(ordering: .acquiring)
        while word >> Self.generationShift == generation {
            let next = word & Self.field, count = (word >> Self.countShift) & Self.field
            guard next < count else { return }
            let (exchanged, original) = state.compareExchange(
                expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                body!.body(Int(next))
                finished.add(1, ordering: .releasing)
                word = state.load(ordering: .acquiring)
            } else {
                word = original
            }
        }
    }

    private func workerLoop() {
        var seen = state.load(ordering: .acquiring) >> Self.generationShift
        while true {
            var spinStart = DispatchTime.now().uptimeNanoseconds, spins = 0
            while state.load(ordering: .acquiring) >> Self.generationShift == seen {
                bs_spin_pause()
                spins += 1
                // The clock is read every 64 spins; past the spin time, sleep until a region is published.
                guard spins & 63 == 0, DispatchTime.now().uptimeNanoseconds - spinStart > Self.spinNanoseconds else {
                    continue
                }
                wake.lock()
                sleepers.add(1, ordering: .sequentiallyConsistent)
                while state.load(ordering: .sequentiallyConsistent) >> Self.generationShift == seen { wake.wait() }
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                wake.unlock()
                spinStart = DispatchTime.now().uptimeNanoseconds
            }
            seen = state.load(ordering: .acquiring) >> Self.generationShift
            work(generation: seen)
        }
    }
}

import Foundation

/// A fixed-size, 64-byte-aligned, zero-initialised Float buffer: parameters, their gradients,
/// optimizer moments and activations each live in one of these.
///
/// Memory comes from `calloc`, whose large blocks are fresh zero pages the system maps only when
/// first written: activations sized for 256-token batches cost resident memory only for the tokens
/// batches really have.
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>
    private let base: UnsafeMutableRawPointer

    /// - Throws: `BertSentError` when the system cannot provide the memory (a batch or model too large
    ///   for this machine), rather than stopping the process.
    public init(count: Int) throws {
        self.count = count
        let (bytes, overflow) = max(1, count).multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        guard !overflow, let base = calloc(bytes + 64, 1) else {
            throw BertSentError("out of memory: cannot allocate \(count) floats (\(count / (1 << 18)) MB); use a smaller batch size or max length")
        }
        self.base = base
        let aligned = (UInt(bitPattern: base) + 63) & ~UInt(63)
        pointer = UnsafeMutableRawPointer(bitPattern: aligned)!.bindMemory(to: Float.self, capacity: max(1, count))
    }

    deinit { free(base) }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    public func zero() { pointer.update(repeating: 0, count: count) }

    /// Gives the buffer's whole pages back to the system (MADV_DONTNEED), so resident memory falls
    /// until it is written again: for scratch whose contents are dead, such as training activations
    /// while the model is being evaluated. Afterwards the contents are unspecified (released pages read
    /// as zero, the partial pages at either end keep their values).
    public func releasePages() {
        let page = UInt(Self.pageSize), first = UInt(bitPattern: pointer)
        let start = (first + page - 1) / page * page, end = (first + UInt(count * MemoryLayout<Float>.stride)) / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED)
    }

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    public subscript(range: Range<Int>) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: buffer[range])
    }
}

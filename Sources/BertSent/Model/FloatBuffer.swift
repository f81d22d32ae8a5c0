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

    public subscript(range: Range<Int>) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: buffer[range])
    }
}

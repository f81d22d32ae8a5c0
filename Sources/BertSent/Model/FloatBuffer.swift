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

    public init(count: Int) {
        self.count = count
        guard let base = calloc(max(1, count) * MemoryLayout<Float>.stride + 64, 1) else {
            fatalError("out of memory allocating \(count) floats")
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

import Foundation

/// A fixed-size, 64-byte-aligned, zero-initialised Float buffer: parameters, their gradients,
/// optimizer moments and activations each live in one of these.
///
/// Buffers of 256 KB and more are their own anonymous mappings: fresh zero pages the system maps only
/// when first written, so activations sized for 256-token batches cost resident memory only for the
/// tokens batches really have, and unmapped when the buffer goes, so memory a finished evaluation
/// used goes back to the system. (`calloc` did the first only until glibc's adaptive threshold moved
/// later blocks of these sizes onto its heap, which keeps freed memory.)
package final class FloatBuffer {
    package let count: Int
    package let pointer: UnsafeMutablePointer<Float>
    private let base: UnsafeMutableRawPointer
    /// Bytes of the mapping, or 0 when the buffer came from `calloc`.
    private let mappedBytes: Int

    /// - Throws: `CoreError.outOfMemory` when the system cannot provide the memory (a batch or model too
    ///   large for this machine), rather than stopping the process.
    package init(count: Int) throws {
        self.count = count
        let (bytes, overflow) = max(1, count).multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        let outOfMemory = CoreError.outOfMemory(floats: count)
        guard !overflow else { throw outOfMemory }
        if bytes >= 1 << 18 {
            guard let base = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                base != UnsafeMutableRawPointer(bitPattern: -1)
            else { throw outOfMemory }
            (self.base, mappedBytes) = (base, bytes)
        } else {
            guard let base = calloc(bytes + 64, 1) else { throw outOfMemory }
            (self.base, mappedBytes) = (base, 0)
        }
        let aligned = (UInt(bitPattern: base) + 63) & ~UInt(63)
        pointer = UnsafeMutableRawPointer(bitPattern: aligned)!.bindMemory(to: Float.self, capacity: max(1, count))
    }

    deinit {
        if mappedBytes > 0 { munmap(base, mappedBytes) } else { free(base) }
    }

    package var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    package func zero() { pointer.update(repeating: 0, count: count) }

    /// Gives the buffer's whole pages back to the system (madvise), so resident memory falls
    /// until it is written again: for scratch whose contents are dead, such as training activations
    /// while the model is being evaluated. Afterwards the contents are unspecified (released pages read
    /// as zero, the partial pages at either end keep their values).
    package func releasePages() {
        MemoryPages.release(UnsafeRawBufferPointer(buffer), partialPages: false)
    }

    package subscript(range: Range<Int>) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: buffer[range])
    }
}

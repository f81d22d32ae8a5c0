import Foundation

/// Giving a range of memory's pages back to the system (madvise, Sources/BertSentCore/Platform), where
/// resident memory matters more than what those pages hold.
package enum MemoryPages {
    package static let size = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Releases the pages of `bytes`: with `partialPages`, also the pages it only partly covers (right
    /// for a read-only file mapping, which maps them again from the page cache when read); without,
    /// only the pages entirely inside it (right for anonymous memory shared with its neighbours, whose
    /// released pages read as zero).
    package static func release(_ bytes: UnsafeRawBufferPointer, partialPages: Bool) {
        guard let base = bytes.baseAddress else { return }
        let page = UInt(size), first = UInt(bitPattern: base), last = first + UInt(bytes.count)
        let start = partialPages ? first / page * page : (first + page - 1) / page * page
        let end = partialPages ? (last + page - 1) / page * page : last / page * page
        guard end > start else { return }
        PlatformMemory.releasePages(
            UnsafeMutableRawPointer(bitPattern: start)!, byteCount: Int(end - start), fileBacked: partialPages)
    }
}

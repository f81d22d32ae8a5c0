import Foundation

/// A file written a piece at a time beside its final name and renamed into place only when complete, so a
/// reader never sees it half-written and a failed or interrupted run leaves no file under that name.
/// Writes are buffered; a writer dropped without `commit()` removes what it wrote.
public final class StreamedFile {
    /// Where the file goes once committed.
    public let url: URL
    /// What the file is, for errors ("the predictions").
    public let what: String
    private let aside: URL
    private let handle: FileHandle
    private var buffer = Data()
    private var committed = false
    /// Bytes handed to `write` so far.
    public private(set) var byteCount = 0

    private static let bufferSize = 1 << 20

    /// Creates the file aside, in the folder of `url`.
    /// - Throws: `FileError.unwritable` when the folder cannot hold a new file.
    public init(url: URL, what: String) throws {
        self.url = url
        self.what = what
        aside = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: aside.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: aside.path)
        else {
            throw FileError.unwritable(
                path: url.path, what: what, reason: "cannot create a file in \(url.deletingLastPathComponent().path)")
        }
        self.handle = handle
    }

    deinit {
        if !committed {
            try? handle.close()
            try? FileManager.default.removeItem(at: aside)
        }
    }

    /// Appends `data`.
    /// - Throws: `FileError.noSpace` or `.unwritable`, naming the final path.
    public func write(_ data: Data) throws {
        buffer.append(data)
        byteCount += data.count
        if buffer.count >= Self.bufferSize { try drain() }
    }

    /// Writes what is buffered, flushes the file to the disk and renames it to `url`.
    public func commit() throws {
        try drain()
        do {
            try handle.synchronize()
            try handle.close()
            try FileSync.rename(aside, to: url)
        } catch {
            throw failure(error)
        }
        committed = true
    }

    private func drain() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch { throw failure(error) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func failure(_ error: any Error) -> FileError {
        let folder = url.deletingLastPathComponent()
        return DiskSpace.noSpaceError(error, path: url.path, what: what, needed: Int64(byteCount), folder: folder)
            ?? FileError.unwritable(path: url.path, what: what, reason: FileError.reason(error))
    }
}

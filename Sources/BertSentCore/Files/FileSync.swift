import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Flushing written files to the disk. A rename is atomic but not durable: after a power cut the new
/// name may point at data that never reached the disk, unless the data and then the folder holding the
/// name were flushed (fsync) first.
public enum FileSync {
    /// Flushes the file or folder at `url` to the disk.
    public static func flush(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw error(url) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw error(url) }
    }

    /// Flushes every regular file in the folder at `url` (not its subfolders), then the folder.
    public static func flushFolder(_ url: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        for name in names.sorted() {
            let file = url.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue {
                try flush(file)
            }
        }
        try flush(url)
    }

    /// Renames `source` to `destination` (replacing a file, or an empty folder, there) and flushes the
    /// folder holding the new name, so the rename survives a crash.
    public static func rename(_ source: URL, to destination: URL) throws {
        guard Foundation.rename(source.path, destination.path) == 0 else { throw error(source) }
        try flush(destination.deletingLastPathComponent())
    }

    /// Writes each of `files` as a set: the space they need checked first, each written beside its final
    /// name and flushed, then all renamed into place; on failure the files written aside are removed, so
    /// the set is either all new or all as it was. `what` names the set in an error ("the report").
    public static func write(_ files: [(url: URL, data: Data)], what: String) throws {
        guard let folder = files.first?.url.deletingLastPathComponent() else { return }
        let needed = files.reduce(Int64(1 << 16)) { $0 + Int64($1.data.count) }
        try DiskSpace.require(needed, at: folder, what: what)
        let asides = files.map {
            $0.url.deletingLastPathComponent().appendingPathComponent(
                ".\($0.url.lastPathComponent).\(UUID().uuidString).tmp")
        }
        do {
            for (file, aside) in zip(files, asides) {
                try file.data.write(to: aside)
                try flush(aside)
            }
            for (file, aside) in zip(files, asides) { try rename(aside, to: file.url) }
        } catch {
            for aside in asides { try? FileManager.default.removeItem(at: aside) }
            throw DiskSpace.noSpaceError(error, path: folder.path, what: what, needed: needed, folder: folder)
                ?? FileError.unwritable(path: folder.path, what: what, reason: FileError.reason(error))
        }
    }

    private static func error(_ url: URL) -> FileError {
        let code = errno
        return .unwritable(path: url.path, what: "the file", reason: String(cString: strerror(code)))
    }
}

import Foundation

/// A folder of this process's own for the readers that take only a file or a folder: each run writes its
/// input there. In /dev/shm when there is one, so a run costs no disk I/O.
public enum ScratchFiles {
    /// The folder; created on first use, left for the system to clean (it is a few small files).
    public static let directory: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base).appendingPathComponent("bertsent-fuzz-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            fatalError("cannot create the scratch folder \(url.path): \(error)")
        }
        return url
    }()

    /// Writes `bytes` to the file `name` in the folder, replacing it, and returns its URL.
    public static func write(_ bytes: some Sequence<UInt8>, to name: String) -> URL {
        let url = directory.appendingPathComponent(name)
        do {
            try Data(bytes).write(to: url)
        } catch {
            fatalError("cannot write the scratch file \(url.path): \(error)")
        }
        return url
    }

    /// Removes the file `name` from the folder, if it is there.
    public static func remove(_ name: String) {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
    }
}

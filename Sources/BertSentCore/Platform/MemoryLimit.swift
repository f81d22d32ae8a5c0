import Foundation

/// The most memory this process may use: its control group's limit (cgroup v2 `memory.max`, or v1
/// `memory.limit_in_bytes`) when it has one below the machine's memory, else the machine's memory.
public struct MemoryLimit: Sendable, Equatable {
    /// The limit in bytes.
    public let bytes: Int64
    /// Where it comes from, for messages: "the cgroup's memory.max" or "the machine's memory".
    public let source: String

    /// The limit now in force for this process.
    public static var current: MemoryLimit {
        let machine = MemoryLimit(bytes: Int64(ProcessInfo.processInfo.physicalMemory), source: "the machine's memory")
        guard let group = controlGroupLimit(), group.bytes < machine.bytes else { return machine }
        return group
    }

    /// The limit of the control group this process is in, if it sets one.
    static func controlGroupLimit() -> MemoryLimit? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        for line in membership.split(separator: "\n") {
            // v2: "0::/path"; v1: "N:memory:/path" (or with other controllers, comma-separated).
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[1].isEmpty,
                let limit = readLimit("/sys/fs/cgroup\(path)/memory.max") ?? readLimit("/sys/fs/cgroup/memory.max")
            {
                return MemoryLimit(bytes: limit, source: "the cgroup's memory.max")
            }
            if fields[1].split(separator: ",").contains("memory"),
                let limit = readLimit("/sys/fs/cgroup/memory\(path)/memory.limit_in_bytes")
                    ?? readLimit("/sys/fs/cgroup/memory/memory.limit_in_bytes")
            {
                return MemoryLimit(bytes: limit, source: "the cgroup's memory.limit_in_bytes")
            }
        }
        return nil
    }

    /// A limit file's bytes; nil when absent or unlimited ("max", or v1's page-rounded Int64.max).
    private static func readLimit(_ path: String) -> Int64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let bytes = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes < Int64(1) << 60
        else { return nil }
        return bytes
    }
}

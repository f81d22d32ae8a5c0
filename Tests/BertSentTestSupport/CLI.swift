import Foundation

/// Runs the `bertsent` executable built beside the test bundle, as a user would from a shell.
package enum CLI {
    package struct Output {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    /// The `bertsent` binary in the build folder that holds this test bundle.
    package static let executable: URL? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("bertsent")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    /// Runs `bertsent arguments`, in `directory`, with `environment` instead of the test's own when given,
    /// and through `launcher` (a command that gets the bertsent path and arguments appended) when given.
    package static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil, launcher: [String] = []
    ) throws -> Output {
        guard let executable else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "bertsent executable"])
        }
        let process = Process()
        let command = launcher + [executable.path] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `bertsent arguments` without waiting, its standard output and error going to `log` (so a
    /// test can signal or kill it mid-run and read what it printed afterwards).
    package static func start(_ arguments: [String], environment: [String: String]? = nil, log: URL) throws -> Process {
        guard let executable else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "bertsent executable"])
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
        return process
    }
}

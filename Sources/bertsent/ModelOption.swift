import ArgumentParser
import BertSent
import Foundation

/// `--model`, shared by every command that loads one.
struct ModelOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A Hugging Face model folder, or a Hub repo ORG/NAME[@REVISION] taken from the Hugging Face cache or downloaded into it (default: all-MiniLM-L6-v2 from scripts/setup.sh).",
            valueName: "dir-or-repo"))
    var model: String?

    /// The model folder, downloading a named model's missing files with progress on standard error.
    func directory() throws -> URL { try Self.directory(model) }

    /// The folder of `name` (a folder, or a Hub repo as `--model` takes it; nil: the default model).
    static func directory(_ name: String?) throws -> URL {
        let printer = DownloadProgressPrinter()
        defer { printer.finish() }
        return try ModelDirectory.resolve(name) { printer.handle($0) }
    }
}

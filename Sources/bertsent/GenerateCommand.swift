import ArgumentParser
import BertSent
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic movie reviews, balanced positive/negative, as a review,sentiment CSV.")

    @Option(help: "Reviews to write (half negative, half positive).")
    var count = 3000

    @Option(help: "Random seed; the same seed writes the same file.")
    var seed: UInt64 = 42

    @Option(name: .shortAndLong, help: ArgumentHelp("The CSV file to write.", valueName: "file"))
    var output: String

    func run() throws {
        let generated = try SyntheticReviews(count: count, seed: seed).generate()
        try generated.dataset.write(csv: URL(fileURLWithPath: output))
        let counts = generated.dataset.labelCounts.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
        print("wrote \(generated.dataset.count) reviews to \(output): \(counts)")
        print("duplicates: \(generated.duplicateDraws) drawn and redrawn, \(generated.duplicatesKept) kept")
    }
}

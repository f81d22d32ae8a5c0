import ArgumentParser
import BertSent
import Foundation

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Token lengths of a labelled CSV's texts, a recommended --max-length and a histogram.",
        discussion: "Writes token_lengths.svg and token_lengths.json to --output-dir.")

    @Argument(help: ArgumentHelp("A CSV file with a header row.", valueName: "file"))
    var file: String

    @OptionGroup var model: ModelOption

    @OptionGroup var data: DataOptions

    @Flag(help: "Keep texts as written (no HTML, entity, control-character or whitespace cleaning).")
    var noClean = false

    @Option(help: ArgumentHelp("Where to write token_lengths.svg and token_lengths.json.", valueName: "dir"))
    var outputDir = "."

    @Option(help: "Print a table (text) or the statistics as JSON.")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        let dataset = try data.load(file, clean: !noClean)
        let tokenizer = try BertTokenizer(directory: model.directory())
        let statistics = try TokenLengthStatistics(dataset: dataset, tokenizer: tokenizer)

        let directory = URL(fileURLWithPath: outputDir)
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw FileError.unwritable(path: outputDir, what: "the folder", reason: FileError.reason(error))
        }
        let name = URL(fileURLWithPath: file).lastPathComponent
        let json = try Self.encoder.encode(statistics)
        try write(json + Data("\n".utf8), to: directory.appendingPathComponent("token_lengths.json"))
        try write(
            Data(statistics.histogramSVG(title: "Token lengths of \(name)").utf8),
            to: directory.appendingPathComponent("token_lengths.svg"))

        switch format {
        case .json: print(String(decoding: json, as: UTF8.self))
        case .text: print(table(statistics, dataset: dataset))
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    func write(_ data: Data, to url: URL) throws {
        do { try data.write(to: url, options: .atomic) } catch {
            throw FileError.unwritable(path: url.path, what: "the file", reason: FileError.reason(error))
        }
    }

    func table(_ s: TokenLengthStatistics, dataset: ReviewDataset) -> String {
        let classes = dataset.labelCounts.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
        var rows: [(String, String)] = [
            ("texts", "\(s.count) (\(classes))"),
            ("mean", String(format: "%.1f", s.mean)),
            ("median", String(format: "%.0f", s.median)),
            ("p90", String(format: "%.0f", s.p90)),
            ("p95", String(format: "%.0f", s.p95)),
            ("p99", String(format: "%.0f", s.p99)),
            ("min / max", "\(s.min) / \(s.max)"),
        ]
        rows += s.truncation.map {
            ("cut at \($0.maxLength)", String(format: "%d (%.1f%%)", $0.truncated, 100 * $0.share))
        }
        rows.append(
            (
                "recommended",
                String(
                    format: "--max-length %d (keeps %.1f%% whole)", s.recommendedMaxLength, 100 * s.recommendedCoverage)
            ))
        let width = rows.map(\.0.count).max()!
        let lines = rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
        return (["Token lengths of \(file) ([CLS] and [SEP] included)"] + lines).joined(separator: "\n")
    }
}

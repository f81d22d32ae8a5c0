import ArgumentParser
import BertSent
import Foundation

/// How to read a labelled CSV: shared by the commands that take one.
struct DataOptions: ParsableArguments {
    @Option(help: "Column holding the text.")
    var textColumn = "review"

    @Option(help: "Column holding the label (words like positive/negative, or integers).")
    var labelColumn = "sentiment"

    @Flag(help: "Skip rows that break the format (empty text, wrong field count) and report them, instead of stopping.")
    var skipBadRows = false

    /// Loads `path`, cleaning its texts when `clean`, warning about skipped rows; with `labelsOptional`,
    /// texts may have no label (distillation).
    func load(_ path: String, clean: Bool, labelsOptional: Bool = false) throws -> ReviewDataset {
        let (dataset, skipped) = try ReviewDataset.load(
            csv: URL(fileURLWithPath: path), textColumn: textColumn, labelColumn: labelColumn,
            cleaner: clean ? TextCleaner() : nil, skipBadRows: skipBadRows, labelsOptional: labelsOptional)
        if !skipped.isEmpty {
            let shown = skipped.prefix(10).map { "line \($0.line): \($0.reason)" }.joined(separator: "; ")
            warn(
                "\(path): skipped \(skipped.count) bad row\(skipped.count == 1 ? "" : "s") (\(shown)\(skipped.count > 10 ? "; …" : ""))"
            )
        }
        return dataset
    }
}

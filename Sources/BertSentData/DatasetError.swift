import BertSentCore

/// A labelled dataset cannot be read, split or used: the CSV is malformed (named by file, line and field),
/// its labels do not fit, or a requested size is out of range. Reading and writing files fail with
/// `FileError`.
public enum DatasetError: BertSentError, Equatable {
    /// The file at `path` holds nothing but whitespace (and perhaps a byte-order mark).
    case emptyFile(path: String)
    /// The file at `path` is not UTF-8: `byte` at a 1-based `line` and character `column` starts no valid sequence.
    case invalidUTF8(path: String, line: Int, column: Int, byte: UInt8)
    /// A quoted field opens on `line` and is never closed.
    case unclosedQuote(path: String, line: Int)
    /// The header row has no column named `column`; `found` lists the columns it has.
    case missingColumn(path: String, column: String, found: [String])
    /// The CSV reader cannot read the header row; `reason` is its account.
    case unreadableHeader(path: String, reason: String)
    /// The CSV reader stopped after `afterRecord` records; `reason` is its account.
    case malformedCSV(path: String, afterRecord: Int, reason: String)
    /// The record starting on `line` is malformed, and bad rows are not being skipped.
    case badRow(path: String, line: Int, problem: RowProblem)
    /// The file has no usable rows: a header only (`badRows` 0), or only bad rows, the first `firstBad`.
    case noUsableRows(path: String, badRows: Int, firstBad: SkippedRow?)
    /// Every one of the `rows` rows has the same `label` in `column`: a classifier needs two classes.
    case singleClass(path: String, column: String, label: String, rows: Int)
    /// An example's `label` (on `line` of `path`, in `column`, when known) is not one of `classes`.
    case unknownLabel(path: String?, line: Int, column: String?, label: String, classes: [String])
    /// A split's test fraction is not strictly between 0 and 1.
    case testFractionOutOfRange(path: String?, fraction: Double)
    /// A split's sizes are not both positive, or together exceed the `available` examples.
    case splitSizesOutOfRange(path: String?, train: Int, test: Int, available: Int)
    /// Class `label` has `count` examples, too few to appear in both a `train` and a `test` part.
    case classTooSmall(path: String?, label: String, count: Int, train: Int, test: Int)
    /// Fewer than 2 synthetic reviews were asked for, so one class would have none.
    case tooFewReviews(requested: Int)
    /// Token-length statistics were asked of no texts.
    case noTexts
    /// The record index and the CSV reader disagree about the records from `line` on: a bug.
    case recordCountMismatch(path: String, line: Int, expected: Int, found: Int)
    /// The CSV writer failed in memory (writing to `path`, when known): a bug; `reason` is its account.
    case encodingFailed(path: String?, reason: String?)

    /// What is wrong with one CSV record.
    public enum RowProblem: Sendable, Equatable, CustomStringConvertible {
        /// A quoted field has text after its closing quote (an undoubled quote), on `quoteLine` when that is
        /// not the record's first line.
        case textAfterClosingQuote(quoteLine: Int?)
        /// The record has `found` fields instead of one per column of `header`.
        case wrongFieldCount(header: [String], found: Int)
        /// The record has `found` fields, fewer than the header's `expected`.
        case tooFewFields(expected: Int, found: Int)
        /// The text field of `column` is empty or all whitespace, or became so in cleaning.
        case emptyText(column: String, afterCleaning: Bool)
        /// The label field of `column` is empty or all whitespace.
        case emptyLabel(column: String)

        public var description: String {
            switch self {
            case .textAfterClosingQuote(let quoteLine):
                "a quoted field has text after its closing quote\(quoteLine.map { " (on line \($0))" } ?? ""); "
                    + "write a quote inside quotes as \"\""
            case .wrongFieldCount(let header, let found):
                "expected \(header.count) fields (\(header.joined(separator: ", "))) but found \(found); "
                    + "quote fields that contain commas"
            case .tooFewFields(let expected, let found):
                "\(found) fields, fewer than the header's \(expected)"
            case .emptyText(let column, let afterCleaning):
                "field '\(column)' is empty\(afterCleaning ? " after cleaning" : "")"
            case .emptyLabel(let column):
                "field '\(column)' is empty"
            }
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .recordCountMismatch, .encodingFailed: .internal
        default: .invalidInput
        }
    }

    public var description: String {
        switch self {
        case .emptyFile(let path):
            "\(path): the file is empty"
        case .invalidUTF8(let path, let line, let column, let byte):
            "\(path): line \(line), column \(column): invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true))); "
                + "save the file as UTF-8"
        case .unclosedQuote(let path, let line):
            "\(path): line \(line): a quoted field opens here and is never closed"
        case .missingColumn(let path, let column, let found):
            "\(path): line 1: no column '\(column)' in the header (columns found: \(found.joined(separator: ", ")))"
        case .unreadableHeader(let path, let reason):
            "\(path): line 1: cannot read the CSV header (\(reason))"
        case .malformedCSV(let path, let record, let reason):
            "\(path): malformed CSV after record \(record) (\(reason))"
        case .badRow(let path, let line, let problem):
            "\(path): line \(line): \(problem)"
        case .noUsableRows(let path, let badRows, let firstBad?):
            "\(path): no usable rows: all \(badRows) are bad, the first at line \(firstBad.line): \(firstBad.reason)"
        case .noUsableRows(let path, _, nil):
            "\(path): the file has a header but no rows"
        case .singleClass(let path, let column, let label, let rows):
            "\(path): field '\(column)' has one class only ('\(label)' in all \(rows) rows); "
                + "a classifier needs at least two"
        case .unknownLabel(let path, let line, let column, let label, let classes):
            Self.prefix(path) + (line > 0 ? "line \(line): " : "") + (column.map { "field '\($0)': " } ?? "")
                + "label '\(label)' is not one of the classes (\(classes.joined(separator: ", ")))"
        case .testFractionOutOfRange(let path, let fraction):
            Self.prefix(path) + "the test fraction must be between 0 and 1, got \(fraction)"
        case .splitSizesOutOfRange(let path, let train, let test, _) where train <= 0 || test <= 0:
            Self.prefix(path) + "train and test sizes must be positive, got \(train) and \(test)"
        case .splitSizesOutOfRange(let path, let train, let test, let available):
            Self.prefix(path) + "cannot draw \(train) train and \(test) test examples from \(available)"
        case .classTooSmall(let path, let label, let count, let train, let test):
            Self.prefix(path) + "class '\(label)' has \(count) examples, too few to appear in both a train part of "
                + "\(train) and a test part of \(test)"
        case .tooFewReviews(let requested):
            "generate at least 2 reviews (one per class), not \(requested)"
        case .noTexts:
            "no texts to measure"
        case .recordCountMismatch(let path, let line, let expected, let found):
            "\(path): line \(line): expected \(expected) records from here but the CSV reader found \(found)"
        case .encodingFailed(let path, let reason):
            Self.prefix(path) + "cannot encode the CSV" + (reason.map { ": \($0)" } ?? "")
        }
    }

    private static func prefix(_ path: String?) -> String { path.map { "\($0): " } ?? "" }
}

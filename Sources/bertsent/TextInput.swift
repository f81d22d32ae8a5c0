import ArgumentParser
import BertSent
import Foundation

/// Texts given on the command line, one per line in a file (`-` reads standard input), or a column
/// of a CSV file.
struct TextInput: ParsableArguments {
    @Argument(help: "Texts to process.")
    var texts: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("A file with one text per line ('-' for standard input), or a .csv file.", valueName: "file")
    )
    var input: String?

    @Option(help: "The column of a .csv --input holding the texts.")
    var textColumn = "review"

    func read() throws -> [String] {
        var all = texts
        if let input, input.lowercased().hasSuffix(".csv") {
            all += try CSVTable.column(textColumn, of: URL(fileURLWithPath: input))
        } else if let input {
            let data: Data
            if input == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                do { data = try Data(contentsOf: URL(fileURLWithPath: input)) } catch {
                    throw FileError.unreadable(path: input, what: "the texts", reason: FileError.reason(error))
                }
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw FileError.unreadable(path: input, what: "the texts", reason: "not valid UTF-8")
            }
            // LF, CRLF or CR end a line; other Unicode breaks (U+2028, NEL) may sit inside a review.
            all += text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.map(
                String.init)
        }
        guard !all.isEmpty else { throw ValidationError("no texts: give TEXT arguments or --input FILE") }
        return all
    }
}

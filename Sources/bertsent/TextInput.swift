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

    /// A reader of `--input`, nil without one.
    func fileReader() throws -> TextFileReader? {
        guard let input else { return nil }
        return try TextFileReader(path: input, column: input.lowercased().hasSuffix(".csv") ? textColumn : nil)
    }

    /// Every text: the arguments, then the file's.
    func read() throws -> [String] {
        let all = try texts + (fileReader()?.readAll() ?? [])
        guard !all.isEmpty else { throw ValidationError("no texts: give TEXT arguments or --input FILE") }
        return all
    }

    /// The texts in order, `size` at a time (the last piece may be shorter): the arguments, then `reader`'s
    /// (a `fileReader()`). Memory holds one piece, not the file.
    func forEachPiece(of size: Int, reader: TextFileReader?, _ body: ([String]) throws -> Void) throws {
        var piece = Array(texts.prefix(size))
        var sent = piece.count
        var any = false
        while true {
            if piece.count < size, let reader {
                piece += try reader.next(upTo: size - piece.count)
            }
            if piece.isEmpty { break }
            any = true
            try body(piece)
            piece = Array(texts.dropFirst(sent).prefix(size))
            sent += piece.count
        }
        guard any else { throw ValidationError("no texts: give TEXT arguments or --input FILE") }
    }
}

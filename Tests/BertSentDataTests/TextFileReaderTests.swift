import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Texts streamed from a file — one column of an unlabelled CSV, or one per line — the same however they
/// are cut into pieces, and their problems named by file and line.
struct TextFileReaderTests {
    /// `contents` written to a fresh file, passed to `body`, removed after.
    static func withFile(_ contents: Data, name: String = "texts.csv", _ body: (URL) throws -> Void) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url)
        try body(url)
    }

    static func column(_ column: String?, of url: URL) throws -> [String] {
        try TextFileReader(path: url.path, column: column).readAll()
    }

    @Test func readsTheNamedColumn() throws {
        try Self.withFile(Data("id,review\n1,\"Good, really\"\n\n2,Bad\n".utf8)) { url in
            let values = try Self.column("review", of: url)
            #expect(values == ["Good, really", "Bad"])
        }
    }

    /// Quoted line breaks, CRLF and lone CR, a byte-order mark, blank lines and a field longer than a read
    /// piece (1 MiB) crossing into the next: every piece size gives the texts the whole file holds, in order.
    @Test(arguments: [1, 3, 1000])
    func piecesOfAnySizeGiveTheSameTexts(piece: Int) throws {
        let long = String(repeating: "a \"\"quoted\"\" word,\r\n", count: 70_000)  // 1.4 MB once quoted
        var expected: [String] = []
        var csv = "\u{FEFF}id,review\r\n"
        for i in 0..<300 {
            let text = i == 150 ? long.replacingOccurrences(of: "\"\"", with: "\"") : "text \(i)\nline two, \(i)"
            expected.append(text)
            let quoted = i == 150 ? long : text
            csv += "\(i),\"\(quoted)\"" + (i % 3 == 0 ? "\r" : "\n") + (i % 7 == 0 ? "\n" : "")
        }
        try Self.withFile(Data(csv.utf8)) { url in
            let reader = try TextFileReader(path: url.path, column: "review")
            var texts: [String] = []
            while case let next = try reader.next(upTo: piece), !next.isEmpty {
                #expect(next.count <= piece)
                texts += next
            }
            #expect(texts == expected)
            #expect(reader.bytesRead == reader.byteCount)
            #expect(reader.textsRead == 300)
        }
    }

    @Test func withoutAColumnEachLineIsAText() throws {
        try Self.withFile(Data("one\r\ntwo \"quoted\rthree\n\n\nfour".utf8), name: "texts.txt") { url in
            let values = try Self.column(nil, of: url)
            #expect(values == ["one", "two \"quoted", "three", "four"])
        }
    }

    @Test func aMissingColumnListsTheColumnsFound() throws {
        try Self.withFile(Data("id,text\n1,a\n".utf8)) { url in
            #expect(throws: DatasetError.missingColumn(path: url.path, column: "review", found: ["id", "text"])) {
                try Self.column("review", of: url)
            }
        }
        try Self.withFile(Data()) { url in
            #expect(throws: DatasetError.emptyFile(path: url.path)) { try Self.column("review", of: url) }
        }
    }

    @Test func aShortRowNamesItsLine() throws {
        try Self.withFile(Data("id,review\n1,a\n2\n".utf8)) { url in
            let error = try #require(throws: DatasetError.self) { try Self.column("review", of: url) }
            #expect(error == .badRow(path: url.path, line: 3, problem: .tooFewFields(expected: 2, found: 1)))
            #expect(error.description == "\(url.path): line 3: 1 fields, fewer than the header's 2")
        }
    }

    @Test func invalidUTF8AndUnclosedQuotesNameTheirLine() throws {
        try Self.withFile(Data("review\nok\ncaf".utf8) + [0xE9] + Data("\n".utf8)) { url in
            #expect(throws: DatasetError.invalidUTF8(path: url.path, line: 3, column: 4, byte: 0xE9)) {
                try Self.column("review", of: url)
            }
        }
        // In a later piece than the first, on a line counted across pieces.
        let filler = String(repeating: "fine\n", count: 300_000)
        try Self.withFile(Data("review\n\(filler)caf".utf8) + [0xE9] + Data("\n".utf8)) { url in
            #expect(throws: DatasetError.invalidUTF8(path: url.path, line: 300_002, column: 4, byte: 0xE9)) {
                try Self.column("review", of: url)
            }
        }
        try Self.withFile(Data("review\nok\n\"never closed\n".utf8)) { url in
            #expect(throws: DatasetError.unclosedQuote(path: url.path, line: 3)) {
                try Self.column("review", of: url)
            }
        }
    }

    @Test func aMissingFileIsAFileError() throws {
        let url = dataFixture("no-such-file.csv")
        let error = try #require(throws: FileError.self) { try Self.column("review", of: url) }
        guard case .unreadable(url.path, _, _) = error else {
            Issue.record("\(error)")
            return
        }
    }
}

import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// One column of an unlabelled CSV, and its problems named by file and line.
struct CSVTableTests {
    /// `contents` written to a fresh file, passed to `body`, removed after.
    static func withFile(_ contents: Data, _ body: (URL) throws -> Void) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("texts.csv")
        try contents.write(to: url)
        try body(url)
    }

    @Test func readsTheNamedColumn() throws {
        try Self.withFile(Data("id,review\n1,\"Good, really\"\n\n2,Bad\n".utf8)) { url in
            let values = try CSVTable.column("review", of: url)
            #expect(values == ["Good, really", "Bad"])
        }
    }

    @Test func aMissingColumnListsTheColumnsFound() throws {
        try Self.withFile(Data("id,text\n1,a\n".utf8)) { url in
            #expect(throws: DatasetError.missingColumn(path: url.path, column: "review", found: ["id", "text"])) {
                try CSVTable.column("review", of: url)
            }
        }
    }

    @Test func aShortRowNamesItsLine() throws {
        try Self.withFile(Data("id,review\n1,a\n2\n".utf8)) { url in
            let error = try #require(throws: DatasetError.self) { try CSVTable.column("review", of: url) }
            #expect(error == .badRow(path: url.path, line: 3, problem: .tooFewFields(expected: 2, found: 1)))
            #expect(error.description == "\(url.path): line 3: 1 fields, fewer than the header's 2")
        }
    }

    @Test func invalidUTF8AndUnclosedQuotesNameTheirLine() throws {
        try Self.withFile(Data("review\nok\ncaf".utf8) + [0xE9] + Data("\n".utf8)) { url in
            #expect(throws: DatasetError.invalidUTF8(path: url.path, line: 3, column: 4, byte: 0xE9)) {
                try CSVTable.column("review", of: url)
            }
        }
        try Self.withFile(Data("review\nok\n\"never closed\n".utf8)) { url in
            #expect(throws: DatasetError.unclosedQuote(path: url.path, line: 3)) {
                try CSVTable.column("review", of: url)
            }
        }
    }

    @Test func aMissingFileIsAFileError() throws {
        let url = dataFixture("no-such-file.csv")
        let error = try #require(throws: FileError.self) { try CSVTable.column("review", of: url) }
        guard case .unreadable(url.path, _, _) = error else {
            Issue.record("\(error)")
            return
        }
    }
}

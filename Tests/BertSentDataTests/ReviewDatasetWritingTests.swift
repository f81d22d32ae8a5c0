import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Written CSV reads back unchanged, and a failed write names the file.
struct ReviewDatasetWritingTests {
    @Test func writtenFilesReadBackUnchanged() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("out.csv")
        let examples = [
            LabeledText(text: "Commas, \"quotes\" and\nline breaks", label: "positive"),
            LabeledText(text: "Plain", label: "negative"),
            LabeledText(text: "Ünïcödé — “curly” 🎬", label: "positive"),
        ]
        try ReviewDataset(examples: examples).write(csv: url, textColumn: "text", labelColumn: "label")
        let back = try ReviewDataset.load(csv: url, textColumn: "text", labelColumn: "label", cleaner: nil).dataset
        #expect(back.examples.map(\.text) == examples.map(\.text))
        #expect(back.examples.map(\.label) == examples.map(\.label))
        #expect(back.examples.map(\.line) == [2, 4, 5])
        let written = try String(contentsOf: url, encoding: .utf8)
        #expect(written.hasPrefix("text,label\n\"Commas, \"\"quotes\"\" and\nline breaks\",positive\n"))
        #expect(written.hasSuffix("positive\n"))
        // Nothing but the file itself is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.csv"])
    }

    @Test func missingFoldersAreCreated() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("a/b/out.csv")
        try ReviewDataset(examples: [LabeledText(text: "a", label: "b")]).write(csv: url)
        #expect(FileManager.default.fileExists(atPath: url.path))
    }

    @Test func anUnwritableTargetIsNamed() throws {
        // A regular file stands where the folder should be, so no folder can be made there.
        let blocker = try temporaryDirectory().appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let url = blocker.appendingPathComponent("out.csv")
        let error = try #require(throws: FileError.self) {
            try ReviewDataset(examples: [LabeledText(text: "a", label: "b")]).write(csv: url)
        }
        guard case .unwritable(url.path, "the file", _) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(error.category == .writeFailed)
    }
}

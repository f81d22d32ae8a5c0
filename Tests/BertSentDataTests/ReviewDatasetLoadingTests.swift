import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Reading labelled CSVs: quoting, line endings, byte-order mark, columns by name, and every kind of
/// bad input reported with file, line and field.
struct ReviewDatasetLoadingTests {
    @Test func quotedFieldsKeepCommasQuotesAndLineBreaksAndRecordTheirStartLine() throws {
        let (dataset, skipped) = try ReviewDataset.load(csv: dataFixture("quoted.csv"), cleaner: nil)
        #expect(skipped.isEmpty)
        #expect(dataset.examples.map(\.line) == [2, 3, 5, 7, 11])
        #expect(dataset.examples[0].text == "Great cast, sharp script, and a finale that works.")
        #expect(dataset.examples[1].text == "He said \"wow\" twice.\nThen, on a new line, he left.")
        #expect(dataset.examples[3].text == "Three\n\nline breaks\nhere")
        #expect(dataset.examples.map(\.label) == ["positive", "positive", "negative", "negative", "positive"])
        #expect(dataset.source == dataFixture("quoted.csv").path)
    }

    @Test func theDefaultCleanerTidiesEachText() throws {
        let dataset = try ReviewDataset.load(csv: dataFixture("quoted.csv")).dataset
        #expect(dataset.examples[1].text == "He said \"wow\" twice. Then, on a new line, he left.")
        #expect(dataset.examples[4].text == "A wonderful little production. The acting & music shine.")
    }

    @Test func crlfAndByteOrderMarkAreHandled() throws {
        let dataset = try ReviewDataset.load(csv: dataFixture("crlf_bom.csv"), cleaner: nil).dataset
        #expect(dataset.examples.map(\.line) == [2, 3, 5])
        #expect(dataset.examples[0].text == "Café scenes, beautifully shot.")
        #expect(dataset.examples[1].text == "Two lines\r\ninside one field")
        #expect(dataset.examples[2].label == "negative")
    }

    @Test func columnsAreChosenByNameAndIntegerLabelsSortNumerically() throws {
        let dataset = try ReviewDataset.load(
            csv: dataFixture("integer_labels.csv"), textColumn: "text", labelColumn: "stars"
        ).dataset
        #expect(dataset.examples.map(\.text) == ["Loved it", "Hated it", "It was fine, I guess", "Superb"])
        #expect(dataset.labels == ["2", "5", "10"])
        #expect(try dataset.labelIndices(for: dataset.labels) == [2, 0, 1, 2])
        #expect(dataset.labelCounts.map(\.count) == [1, 1, 2])
    }

    @Test func wordLabelsSortLexicographically() throws {
        let dataset = try ReviewDataset.load(csv: dataFixture("quoted.csv")).dataset
        #expect(dataset.labels == ["negative", "positive"])
        #expect(try dataset.labelIndices(for: ["negative", "positive"]) == [1, 1, 0, 0, 1])
    }

    @Test func aLabelOutsideTheClassesNamesFileLineAndField() throws {
        let dataset = try ReviewDataset.load(csv: dataFixture("quoted.csv")).dataset
        let path = dataFixture("quoted.csv").path
        let error = try #require(throws: DatasetError.self) { try dataset.labelIndices(for: ["negative", "neutral"]) }
        #expect(
            error
                == .unknownLabel(
                    path: path, line: 2, column: "sentiment", label: "positive", classes: ["negative", "neutral"]))
        #expect(error.description.hasPrefix("\(path): line 2: field 'sentiment': label 'positive'"))
    }

    @Test func aGeneratedExampleOutsideTheClassesHasNoFileOrLine() throws {
        let dataset = ReviewDataset(examples: [LabeledText(text: "a", label: "odd")])
        #expect(throws: DatasetError.unknownLabel(path: nil, line: 0, column: nil, label: "odd", classes: ["x", "y"])) {
            try dataset.labelIndices(for: ["x", "y"])
        }
    }

    @Test func missingColumnListsTheColumnsFound() throws {
        let path = dataFixture("integer_labels.csv").path
        let error = try #require(throws: DatasetError.self) {
            try ReviewDataset.load(csv: dataFixture("integer_labels.csv"))
        }
        #expect(error == .missingColumn(path: path, column: "review", found: ["id", "text", "stars", "source"]))
        #expect(
            error.description
                == "\(path): line 1: no column 'review' in the header (columns found: id, text, stars, source)")
        #expect(
            throws: DatasetError.missingColumn(
                path: path, column: "sentiment", found: ["id", "text", "stars", "source"])
        ) {
            try ReviewDataset.load(csv: dataFixture("integer_labels.csv"), textColumn: "text")
        }
    }

    @Test func theFirstBadRowStopsLoadingWithItsLineAndField() throws {
        let path = dataFixture("bad_rows.csv").path
        let error = try #require(throws: DatasetError.self) { try ReviewDataset.load(csv: dataFixture("bad_rows.csv")) }
        #expect(
            error == .badRow(path: path, line: 3, problem: .wrongFieldCount(header: ["review", "sentiment"], found: 4)))
        #expect(error.description.hasPrefix("\(path): line 3: expected 2 fields (review, sentiment) but found 4"))
    }

    @Test func skippingBadRowsReturnsEachWithItsReason() throws {
        let (dataset, skipped) = try ReviewDataset.load(csv: dataFixture("bad_rows.csv"), skipBadRows: true)
        #expect(dataset.examples.map(\.line) == [2, 7, 10])
        #expect(dataset.examples[1].text == "Quoted across lines")
        #expect(skipped.map(\.line) == [3, 4, 5, 6, 9])
        #expect(
            skipped.map(\.problem) == [
                .wrongFieldCount(header: ["review", "sentiment"], found: 4),
                .emptyText(column: "review", afterCleaning: false),
                .emptyText(column: "review", afterCleaning: true),
                .emptyLabel(column: "sentiment"),
                .wrongFieldCount(header: ["review", "sentiment"], found: 1),
            ])
        #expect(skipped[1].reason == "field 'review' is empty")
        #expect(skipped[2].reason == "field 'review' is empty after cleaning")
    }

    @Test func anUndoubledQuoteIsReportedWhereItsRecordStarts() throws {
        let path = dataFixture("stray_quote.csv").path
        let error = try #require(throws: DatasetError.self) {
            try ReviewDataset.load(csv: dataFixture("stray_quote.csv"))
        }
        #expect(error == .badRow(path: path, line: 3, problem: .textAfterClosingQuote(quoteLine: nil)))
        #expect(
            error.description
                == "\(path): line 3: a quoted field has text after its closing quote; write a quote inside quotes as \"\""
        )
        // Line 4 opens a quote that line 5's first quote closes, merging the two lines into one record.
        let (dataset, skipped) = try ReviewDataset.load(csv: dataFixture("stray_quote.csv"), skipBadRows: true)
        #expect(dataset.examples.map(\.line) == [2, 6])
        #expect(skipped.map(\.line) == [3, 4])
        #expect(skipped[1].problem == .textAfterClosingQuote(quoteLine: 5))
        #expect(skipped[1].reason.contains("(on line 5)"))
    }

    @Test func invalidUTF8NamesLineColumnAndByte() throws {
        let path = dataFixture("invalid_utf8.csv").path
        for skip in [false, true] {
            let error = try #require(throws: DatasetError.self) {
                try ReviewDataset.load(csv: dataFixture("invalid_utf8.csv"), skipBadRows: skip)
            }
            #expect(error == .invalidUTF8(path: path, line: 4, column: 6, byte: 0xE9))
            #expect(error.description.hasPrefix("\(path): line 4, column 6: invalid UTF-8 (byte 0xE9)"))
        }
    }

    @Test func wholeFileProblemsAreErrorsEvenWhenSkipping() throws {
        let cases: [(String, (String) -> DatasetError)] = [
            ("empty.csv", { .emptyFile(path: $0) }),
            ("header_only.csv", { .noUsableRows(path: $0, badRows: 0, firstBad: nil) }),
            ("one_class.csv", { .singleClass(path: $0, column: "sentiment", label: "positive", rows: 2) }),
            ("unclosed_quote.csv", { .unclosedQuote(path: $0, line: 3) }),
        ]
        for (name, expected) in cases {
            for skip in [false, true] {
                let path = dataFixture(name).path
                let error = try #require(throws: DatasetError.self) {
                    try ReviewDataset.load(csv: dataFixture(name), skipBadRows: skip)
                }
                #expect(error == expected(path), "\(name)")
            }
        }
        let oneClass = try #require(throws: DatasetError.self) {
            try ReviewDataset.load(csv: dataFixture("one_class.csv"))
        }
        #expect(
            oneClass.description == "\(dataFixture("one_class.csv").path): field 'sentiment' has one class only "
                + "('positive' in all 2 rows); a classifier needs at least two")
    }

    @Test func aMissingFileIsNamed() throws {
        let path = dataFixture("no-such-file.csv").path
        let error = try #require(throws: FileError.self) {
            try ReviewDataset.load(csv: dataFixture("no-such-file.csv"))
        }
        guard case .unreadable(path, "the file", _) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(error.category == .fileUnavailable)
        #expect(error.description.hasPrefix("\(path): cannot read the file"))
    }

    @Test func aFileOfOnlyBadRowsSaysSo() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.csv")
        try Data("review,sentiment\n,positive\nx,\n".utf8).write(to: url)
        let error = try #require(throws: DatasetError.self) { try ReviewDataset.load(csv: url, skipBadRows: true) }
        let first = SkippedRow(line: 2, problem: .emptyText(column: "review", afterCleaning: false))
        #expect(error == .noUsableRows(path: url.path, badRows: 2, firstBad: first))
        #expect(
            error.description
                == "\(url.path): no usable rows: all 2 are bad, the first at line 2: field 'review' is empty")
    }

    @Test func manyRowsParsedInPiecesKeepTheirOrderAndLines() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("many.csv")
        // Every third review spans two lines, so a record's line differs from its index.
        var csv = "review,sentiment\n"
        var expectedLines: [Int] = []
        var line = 2
        for i in 0..<1000 {
            expectedLines.append(line)
            if i % 3 == 0 {
                csv += "\"review \(i),\nsecond line\",\(i % 2 == 0 ? "positive" : "negative")\n"
                line += 2
            } else {
                csv += "review \(i),\(i % 2 == 0 ? "positive" : "negative")\n"
                line += 1
            }
        }
        try Data(csv.utf8).write(to: url)
        let dataset = try ReviewDataset.load(csv: url).dataset
        #expect(dataset.count == 1000)
        #expect(dataset.examples.map(\.line) == expectedLines)
        #expect(dataset.examples[998].text == "review 998")
        #expect(dataset.examples[999].label == "negative")
        #expect(dataset.examples[999].text == "review 999, second line")
        #expect(dataset.examples[3].text == "review 3, second line")
    }
}

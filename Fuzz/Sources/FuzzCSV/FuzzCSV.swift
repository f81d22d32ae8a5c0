import BertSent
import Foundation
import FuzzSupport

// The CSV reader on any file: reading throws a DatasetError other than the record index and the CSV reader
// disagreeing (a bug), or gives examples with texts and labels as the options promise, and the dataset it
// writes reads back the same. The streaming reader (`predict --output`'s), asked for a few texts at a time,
// throws only DatasetError or FileError, and on a file the loader reads whole (uncleaned, nothing skipped)
// gives the same texts.
//
// Input: byte 0 sets the options (skip bad rows, labels optional, clean texts; bits 3-5 the streaming
// reader's texts per call, 1-8); the rest is the file, with the columns `review` and `sentiment`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeBufferPointer(start: start, count: count)
    guard let options = input.first else { return 0 }
    let skipBadRows = options & 1 != 0
    let labelsOptional = options & 2 != 0
    let cleaner = options & 4 != 0 ? TextCleaner() : nil
    let url = ScratchFiles.write(input.dropFirst(), to: "data.csv")
    let streamed = streamedTexts(url, perCall: Int(options >> 3 & 7) + 1)
    let dataset: ReviewDataset
    let skipped: [SkippedRow]
    do {
        (dataset, skipped) = try ReviewDataset.load(
            csv: url, cleaner: cleaner, skipBadRows: skipBadRows, labelsOptional: labelsOptional)
    } catch let error as DatasetError {
        if case .recordCountMismatch = error { fatalError("property violated: \(error)") }
        return 0
    } catch {
        fatalError("property violated: reading threw \(type(of: error)), not a DatasetError: \(error)")
    }
    if cleaner == nil && skipped.isEmpty {
        require(streamed == dataset.examples.map(\.text), "the streaming reader gives other texts than the loader")
    }
    require(!dataset.examples.isEmpty, "a dataset read without error has no examples")
    require(skipBadRows || skipped.isEmpty, "rows were skipped without skipBadRows")
    require(labelsOptional || dataset.labels.count >= 2, "a dataset of one class was read")
    let lines = dataset.examples.map(\.line) + skipped.map(\.line)
    require(lines.allSatisfy { $0 >= 2 } && Set(lines).count == lines.count, "rows on the header line or shared lines")
    for example in dataset.examples {
        require(!example.text.allSatisfy(\.isWhitespace), "an example on line \(example.line) has an empty text")
        require(labelsOptional || example.isLabeled, "an example on line \(example.line) has no label")
    }

    let writtenURL = ScratchFiles.directory.appendingPathComponent("written.csv")
    do {
        try dataset.write(csv: writtenURL)
        let reread = try ReviewDataset.load(csv: writtenURL, cleaner: nil, labelsOptional: labelsOptional).dataset
        require(
            reread.examples.map { [$0.text, $0.label] } == dataset.examples.map { [$0.text, $0.label] },
            "the written dataset reads back different")
    } catch {
        fatalError("property violated: the dataset read cannot be written and read back: \(error)")
    }
    return 0
}

/// The `review` column streamed `perCall` texts at a time; nil when the reader throws (only its own errors).
func streamedTexts(_ url: URL, perCall: Int) -> [String]? {
    do {
        let reader = try TextFileReader(path: url.path, column: "review")
        var texts: [String] = []
        while case let next = try reader.next(upTo: perCall), !next.isEmpty {
            require(next.count <= perCall, "the streaming reader gave more texts than asked")
            texts += next
        }
        return texts
    } catch is DatasetError {
        return nil
    } catch is FileError {
        return nil
    } catch {
        fatalError("property violated: the streaming reader threw \(type(of: error)): \(error)")
    }
}

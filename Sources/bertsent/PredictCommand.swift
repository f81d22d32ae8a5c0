import ArgumentParser
import BertSent
import Foundation

struct PredictCommand: ParsableCommand, BertSentCommand.RunsAsRanks {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify texts: label, confidence and every label's probability.",
        discussion: """
            With --output, reads and classifies the input a piece at a time, so memory stays the same \
            whatever its size, and writes a CSV of each text's row number (1 for the first text), label and \
            every class's probability, beside the file's name until it is complete, with progress on \
            standard error. Under mpirun (mpirun -np N bertsent predict --input F --output S.csv) the ranks \
            share the pieces and rank 0 writes the file.
            """)

    @OptionGroup var model: ModelOption
    @OptionGroup var input: TextInput
    @OptionGroup var precision: PrecisionOption

    @Option(help: "Output as text, JSON lines or CSV (on standard output, without --output).")
    var format: Format = .text

    @Option(
        help: ArgumentHelp(
            "Write row, label and each class's probability to this CSV file instead of printing.",
            valueName: "file.csv"))
    var output: String?

    @Option(help: "Truncate texts to this many tokens (default: the length the model was trained at).")
    var maxLength: Int?

    @Option(help: "Texts per forward pass.")
    var batchSize = 32

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, jsonl, csv }

    struct Line: Encodable {
        let text: String
        let label: String
        let confidence: Float
        let probabilities: [String: Float]
    }

    /// Texts read, classified and written per piece.
    static let pieceSize = 1024

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        guard try output != nil || ProcessGroup.current().size == 1 else {
            throw ValidationError("under mpirun, predict writes with --output FILE.csv (the ranks would all print)")
        }
        // The predictor prepares each text as the model's training data was (cleaned unless trained with --no-clean).
        let predictor = try Predictor(
            directory: model.directory(), maxLength: maxLength, batchSize: batchSize,
            precision: precision.precision)
        if !predictor.model.untrainedTensors.isEmpty {
            warn(
                "this model has no trained classification head (\(predictor.model.untrainedTensors.joined(separator: ", ")) initialised at random): its predictions mean nothing until it is fine-tuned"
            )
        }
        let classNames = predictor.model.config.classNames
        if let output {
            try writeScores(predictor, classNames: classNames, to: URL(fileURLWithPath: output))
            return
        }
        // All read before anything is printed, so bad input prints nothing.
        let texts = try input.read()
        try printPredictions(texts, try predictor.predict(texts), classNames: classNames)
    }

    /// `--output`: the scores file, written aside and renamed when every text is in it. Under mpirun each
    /// rank reads the whole input but scores only every size-th piece (rank r the pieces r, r + size, …);
    /// after each round of pieces rank 0 gathers them and writes them in input order.
    private func writeScores(_ predictor: Predictor, classNames: [String], to url: URL) throws {
        let group = try ProcessGroup.current()
        let file = group.isRoot ? try StreamedFile(url: url, what: "the predictions") : nil
        try file?.write(CSVTable.encode([["row", "label"] + classNames.map { "p_" + $0 }]))
        let progress = RowProgress()
        var rows = 0, pieces = 0
        var scored = Data()
        let reader = try input.fileReader()
        func endRound() throws {
            let round = try group.gather(scored)
            scored = Data()
            for part in round ?? [] { try file?.write(part) }
            if group.isRoot { progress.update(rows: rows, reader: reader) }
        }
        try input.forEachPiece(of: Self.pieceSize, reader: reader) { texts in
            if pieces % group.size == group.rank {
                let predictions = try predictor.predict(texts)
                scored = try CSVTable.encode(
                    predictions.enumerated().map { i, p in
                        [String(rows + i + 1), p.label] + p.probabilities.map { String($0) }
                    })
            }
            rows += texts.count
            pieces += 1
            if pieces % group.size == 0 { try endRound() }
        }
        if pieces % group.size != 0 { try endRound() }
        try file?.commit()
        if group.isRoot { progress.finish(rows: rows, to: url.path) }
    }

    private func printPredictions(_ texts: [String], _ predictions: [Prediction], classNames: [String]) throws {
        switch format {
        case .csv:
            let rows =
                [["text", "label", "confidence"] + classNames.map { "p_" + $0 }]
                + zip(texts, predictions).map { text, p in
                    [text, p.label, String(p.confidence)] + p.probabilities.map { String($0) }
                }
            FileHandle.standardOutput.write(try CSVTable.encode(rows))
        case .jsonl:
            for (text, p) in zip(texts, predictions) {
                try printJSONLine(
                    Line(
                        text: text, label: p.label, confidence: p.confidence,
                        probabilities: Dictionary(uniqueKeysWithValues: zip(p.classes, p.probabilities))))
            }
        case .text:
            for (text, p) in zip(texts, predictions) {
                let all = zip(p.classes, p.probabilities).map { "\($0) \(String(format: "%.4f", $1))" }.joined(
                    separator: ", ")
                print("\(p.label)\t\(String(format: "%.4f", p.confidence))\t(\(all))\t\(text)")
            }
        }
    }
}

import ArgumentParser
import BertSent
import Foundation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify texts: label, confidence and every label's probability.")

    @OptionGroup var model: ModelOption
    @OptionGroup var input: TextInput
    @OptionGroup var precision: PrecisionOption

    @Option(help: "Output as text, JSON lines or CSV.")
    var format: Format = .text

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

    func run() throws {
        // The predictor prepares each text as the model's training data was (cleaned unless trained with --no-clean).
        let texts = try input.read()
        let predictor = try Predictor(
            directory: model.directory(), maxLength: maxLength, batchSize: batchSize,
            precision: precision.precision)
        if !predictor.model.untrainedTensors.isEmpty {
            warn(
                "this model has no trained classification head (\(predictor.model.untrainedTensors.joined(separator: ", ")) initialised at random): its predictions mean nothing until it is fine-tuned"
            )
        }
        let predictions = try predictor.predict(texts)
        switch format {
        case .csv:
            let rows =
                [["text", "label", "confidence"] + predictor.model.config.classNames.map { "p_" + $0 }]
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

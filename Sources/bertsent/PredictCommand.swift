import ArgumentParser
import BertSent
import Foundation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify texts: label, confidence and every label's probability.")

    @OptionGroup var model: ModelOption
    @OptionGroup var input: TextInput

    @Option(help: "Output as aligned text or JSON lines.")
    var format: Format = .text

    @Option(help: "Truncate texts to this many tokens (default: 256, or the model's limit if smaller).")
    var maxLength: Int?

    @Option(help: "Texts per forward pass.")
    var batchSize = 32

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    struct Line: Encodable {
        let text: String
        let label: String
        let confidence: Float
        let probabilities: [String: Float]
    }

    func run() throws {
        let texts = try input.read()
        let predictor = try Predictor(directory: model.directory(), maxLength: maxLength, batchSize: batchSize)
        if !predictor.model.untrainedTensors.isEmpty {
            warn("this model has no trained classification head (\(predictor.model.untrainedTensors.joined(separator: ", ")) initialised at random): its predictions mean nothing until it is fine-tuned")
        }
        let predictions = try predictor.predict(texts)
        for (text, p) in zip(texts, predictions) {
            switch format {
            case .jsonl:
                try printJSONLine(Line(text: text, label: p.label, confidence: p.confidence,
                                       probabilities: Dictionary(uniqueKeysWithValues: zip(p.classes, p.probabilities))))
            case .text:
                let all = zip(p.classes, p.probabilities).map { "\($0) \(String(format: "%.4f", $1))" }.joined(separator: ", ")
                print("\(p.label)\t\(String(format: "%.4f", p.confidence))\t(\(all))\t\(text)")
            }
        }
    }
}

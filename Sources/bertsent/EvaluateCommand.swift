import ArgumentParser
import BertSent
import Foundation

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on a labelled CSV: metrics.json and a self-contained report.html with plots.",
        discussion:
            "When the model is a run's best/ or checkpoint folder, the run's log.jsonl is found and its training curves go in the report."
    )

    @Argument(help: "CSV with a text and a label column (e.g. a run's validation.csv).")
    var data: String

    @OptionGroup var model: ModelOption
    @OptionGroup var columns: DataOptions
    @OptionGroup var precision: PrecisionOption

    @Option(help: "The training log to plot (default: log.jsonl beside the model folder, if any).")
    var log: String?

    @Option(help: "Where report.html and metrics.json go (default: report/ beside the model folder).")
    var outputDir: String?

    @Option(help: "Truncate texts to this many tokens (default: the length the model was trained at).")
    var maxLength: Int?

    @Option var batchSize = 32

    func run() throws {
        let modelDirectory = try model.directory()
        let run = RunDirectory(savedModel: modelDirectory)
        let predictor = try Predictor(
            directory: modelDirectory, maxLength: maxLength, batchSize: batchSize, precision: precision.precision)
        // Texts are read as written: the predictor prepares them as the model's training data was.
        let evaluation = try DatasetEvaluation(predictor: predictor, dataset: try columns.load(data, clean: false))
        let input = try ReportInput(
            evaluation: evaluation, predictor: predictor, modelDirectory: modelDirectory,
            title: "bertsent — \(URL(fileURLWithPath: data).lastPathComponent)", run: run,
            log: log.map { URL(fileURLWithPath: $0) })
        let output =
            outputDir.map { URL(fileURLWithPath: $0) } ?? run?.reportDirectory ?? URL(fileURLWithPath: "report")
        try EvaluationReport.write(input, to: output)

        let metrics = evaluation.metrics
        print(
            String(
                format: "%d texts  loss %.4f  accuracy %.4f  precision %.4f  recall %.4f  f1 %.4f%@",
                metrics.count, evaluation.loss, metrics.accuracy, metrics.precision, metrics.recall, metrics.f1,
                metrics.rocAUC.map { String(format: "  roc auc %.4f", $0) } ?? ""))
        print(
            "confusion (rows true, columns predicted: \(metrics.classes.joined(separator: ", "))): \(metrics.confusion)"
        )
        print("report → \(output.appendingPathComponent("report.html").path)")
        print("metrics → \(output.appendingPathComponent("metrics.json").path)")
    }
}

import ArgumentParser
import BertSent
import Foundation

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on a labelled CSV: metrics.json and a self-contained report.html with plots.",
        discussion: "When the model is a run's best/ or checkpoint folder, the run's log.jsonl is found and its training curves go in the report.")

    @Argument(help: "CSV with a text and a label column (e.g. a run's validation.csv).")
    var data: String

    @OptionGroup var model: ModelOption
    @OptionGroup var columns: DataOptions
    @OptionGroup var precision: PrecisionOption

    @Option(help: "The training log to plot (default: log.jsonl beside the model folder, if any).")
    var log: String?

    @Option(help: "Where report.html and metrics.json go (default: report/ beside the model folder).")
    var outputDir: String?

    @Option(help: "Truncate texts to this many tokens (default: the run's, else 256).")
    var maxLength: Int?

    @Option var batchSize = 32

    func run() throws {
        let modelDirectory = try model.directory()
        let runDirectory = modelDirectory.deletingLastPathComponent()
        let state = try? TrainerState.read(from: modelDirectory)
        let predictor = try Predictor(directory: modelDirectory, maxLength: maxLength ?? state?.arguments.maxLength, batchSize: batchSize,
                                      precision: precision.precision)
        let dataset = try columns.load(data)
        let evaluation = try DatasetEvaluation(predictor: predictor, dataset: dataset)

        let defaultLog = runDirectory.appendingPathComponent("log.jsonl")
        let logURL = log.map { URL(fileURLWithPath: $0) } ?? (FileManager.default.fileExists(atPath: defaultLog.path) ? defaultLog : nil)
        let trainingLog = try logURL.map { try TrainingLogEntry.read(from: $0) }
        let output = outputDir.map { URL(fileURLWithPath: $0) }
            ?? (state != nil ? runDirectory.appendingPathComponent("report") : URL(fileURLWithPath: "report"))
        let m = predictor.model
        let input = ReportInput(
            title: "bertsent — \(URL(fileURLWithPath: data).lastPathComponent)",
            modelDescription: "\(modelDirectory.path) · \(m.config.numHiddenLayers) layers × \(m.config.hiddenSize) · \(m.parameterCount.formatted()) parameters · \(m.config.head.rawValue) head · max length \(predictor.maxLength)",
            metrics: evaluation.metrics, examples: evaluation.examples, trainingLog: trainingLog,
            settings: settings(state: state, evaluation: evaluation))
        try EvaluationReport.write(input, to: output)

        let metrics = evaluation.metrics
        print(String(format: "%d texts  loss %.4f  accuracy %.4f  precision %.4f  recall %.4f  f1 %.4f%@",
                     metrics.count, evaluation.loss, metrics.accuracy, metrics.precision, metrics.recall, metrics.f1,
                     metrics.rocAUC.map { String(format: "  roc auc %.4f", $0) } ?? ""))
        print("confusion (rows true, columns predicted: \(metrics.classes.joined(separator: ", "))): \(metrics.confusion)")
        print("report → \(output.appendingPathComponent("report.html").path)")
        print("metrics → \(output.appendingPathComponent("metrics.json").path)")
    }

    func settings(state: TrainerState?, evaluation: DatasetEvaluation) -> [ReportInput.Setting] {
        var rows = [ReportInput.Setting("evaluated texts", String(evaluation.metrics.count)),
                    ReportInput.Setting("evaluation loss", String(format: "%.4f", evaluation.loss))]
        guard let state else { return rows }
        let a = state.arguments, o = a.optimization
        rows += [
            .init("optimizer", o.optimizer.rawValue), .init("learning rate", String(o.learningRate)),
            .init("schedule", "\(o.schedule.rawValue), warmup \(o.warmupSteps > 0 ? "\(o.warmupSteps) steps" : "ratio \(o.warmupRatio)")"),
            .init("weight decay", String(o.weightDecay)), .init("batch size", "\(a.batchSize) × \(o.gradientAccumulationSteps) accumulated"),
            .init("epochs", a.maxSteps.map { "max \($0) steps" } ?? String(a.epochs)), .init("max length", String(a.maxLength)),
            .init("max grad norm", String(o.maxGradNorm)), .init("dropout", o.dropout.map { String($0) } ?? "model config"),
            .init("best model by", a.metricForBestModel.rawValue),
            .init("early stopping", a.earlyStoppingPatience.map { "patience \($0)" } ?? "off"),
            .init("seed", String(a.seed)), .init("updates", "\(state.globalStep) of \(state.totalSteps)"),
        ]
        return rows
    }
}

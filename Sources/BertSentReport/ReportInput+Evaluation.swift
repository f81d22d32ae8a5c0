import BertSentCore
import BertSentInference
import BertSentTraining
import Foundation

extension ReportInput {
    /// The report on `evaluation` of the model `predictor` runs, loaded from `modelDirectory`; with the
    /// run's settings and training curves when `run` (the run that saved the model) is given, or the
    /// curves of the log at `log`.
    public init(
        evaluation: DatasetEvaluation, predictor: Predictor, modelDirectory: URL, title: String,
        run: RunDirectory?, log: URL? = nil
    ) throws {
        let config = predictor.model.config
        let description = [
            modelDirectory.path, "\(config.numHiddenLayers) layers × \(config.hiddenSize)",
            "\(predictor.model.parameterCount.formatted()) parameters", "\(config.head.rawValue) head",
            "max length \(predictor.maxLength)",
        ].joined(separator: " · ")
        var settings = [
            Setting("evaluated texts", String(evaluation.metrics.count)),
            Setting("evaluation loss", String(format: "%.4f", evaluation.loss)),
        ]
        if let run {
            settings.append(Setting("updates", "\(run.state.globalStep) of \(run.state.totalSteps)"))
            settings += run.state.arguments.settingValues.map { Setting($0.name, $0.value) }
        }
        self.init(
            title: title, modelDescription: description, metrics: evaluation.metrics, examples: evaluation.examples,
            trainingLog: try (log ?? run?.log).map { try TrainingLogEntry.read(from: $0) }, settings: settings)
    }
}

import ArgumentParser
import BertSent

@main
struct BertSentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bertsent",
        abstract: "Fine-tune, evaluate and serve BERT sentiment classifiers.",
        subcommands: [TrainCommand.self, EvaluateCommand.self, BenchCommand.self, PredictCommand.self, TokenizeCommand.self, GenerateCommand.self, AnalyzeCommand.self, DownloadCommand.self]
    )
}

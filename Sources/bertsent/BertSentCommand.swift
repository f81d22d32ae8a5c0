import ArgumentParser
import BertSent

@main
struct BertSentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bertsent",
        abstract: "Fine-tune, evaluate and serve BERT sentiment classifiers.",
        version: BertSentVersion.current,
        subcommands: [TrainCommand.self, EvaluateCommand.self, BenchCommand.self, PredictCommand.self, TokenizeCommand.self,
                      GenerateCommand.self, AnalyzeCommand.self, ServeCommand.self, DownloadCommand.self]
    )
}

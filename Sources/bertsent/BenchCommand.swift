import ArgumentParser
import BertSent
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training steps or inference batches on random tokens; prints one JSON line.",
        discussion: "Used by bench/run.sh beside PyTorch. --random-config builds a model of that shape (e.g. bert-base) with random weights.")

    enum Task: String, ExpressibleByArgument, CaseIterable { case train, inference }

    @Argument(help: "train or inference.") var task: Task
    @OptionGroup var model: ModelOption
    @Option(help: "A config.json for a randomly initialised model instead of --model.") var randomConfig: String?
    @Option var batchSize = 8
    @Option var seqLen = 128
    @Option var warmup = 1
    @Option var repetitions = 5

    func run() throws {
        let model: BertModel
        if let randomConfig {
            var config = try BertConfig(contentsOf: URL(fileURLWithPath: randomConfig))
            try config.setClasses(["negative", "positive"], head: .softmax)
            model = try BertModel(config: config)
            model.initializeRandomly(seed: 1)
        } else {
            model = try BertModel.load(from: try self.model.directory(), classes: ["negative", "positive"])
        }
        let result = switch task {
        case .train: try StepBenchmark.training(model: model, batch: batchSize, sequence: seqLen, warmup: warmup, repetitions: repetitions)
        case .inference: try StepBenchmark.inference(model: model, batch: batchSize, sequence: seqLen, warmup: warmup, repetitions: repetitions)
        }
        try printJSONLine(result)
    }
}

import ArgumentParser
import BertSent
import Foundation

/// Where a run goes, what it validates on and whether it continues one: shared by `train` and `distill`.
struct RunOptions: ParsableArguments {
    @Option(help: "Where checkpoints, best/ and the log go (default: runs/bertsent; distill: runs/bertsent-distill).")
    var outputDir: String?

    @Option(help: "A CSV to validate on instead of splitting the data.")
    var validationFile: String?

    @Option(help: "Validation share of the data or, when ≥ 1, a number of texts.")
    var testSize = 0.2

    @Option(help: "Training texts to take (a share < 1 or a number); default: all not used for validation.")
    var trainSize: Double?

    @Option(help: "Continue the run saved in this checkpoint-STEP folder (same data and split).")
    var resume: String?

    @Option(help: "Progress as text, or every log entry as a JSON line on standard output.")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    /// The run's folder, `defaultFolder` unless given: each command has its own, so that a student is
    /// never written over its teacher's run by default.
    func output(default defaultFolder: String) -> URL { URL(fileURLWithPath: outputDir ?? defaultFolder) }

    /// `dataset` with the validation file, or split stratified with `seed`; `load` reads the validation file.
    func trainingData(_ dataset: ReviewDataset, seed: UInt64, load: (String) throws -> ReviewDataset) throws
        -> TrainingData
    {
        try validationFile.map { TrainingData(train: dataset, validation: try load($0)) }
            ?? TrainingData(splitting: dataset, validationSize: testSize, trainSize: trainSize, seed: seed)
    }
}

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

    @Option(
        help: ArgumentHelp(
            "Continue the run saved in this checkpoint-STEP folder, or in the newest intact checkpoint of this run folder (same data and split; the output folder defaults to the run's).",
            valueName: "checkpoint-or-run"))
    var resume: String?

    @Option(help: "Progress as text, or every log entry as a JSON line on standard output.")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    /// The checkpoint `--resume` continues from, its files checked; nil for a new run.
    func resumePoint() throws -> ResumePoint? {
        try resume.map { try ResumePoint(resolving: URL(fileURLWithPath: $0)) }
    }

    /// The run's folder: as given; else the resumed run's own; else `defaultFolder` (each command has its
    /// own, so that a student is never written over its teacher's run by default).
    func output(default defaultFolder: String, resuming point: ResumePoint?) -> URL {
        outputDir.map { URL(fileURLWithPath: $0) } ?? point?.checkpoint.deletingLastPathComponent()
            ?? URL(fileURLWithPath: defaultFolder)
    }

    /// The memory the run will reach and the limit it must stay under.
    func memoryNote(_ trainer: Trainer) -> String {
        let limit = MemoryLimit.current
        return String(format: "about %.0f MB of memory", Double(trainer.memoryEstimate.total) / 1e6)
            + String(format: " (limit %.1f GB, ", Double(limit.bytes) / 1e9) + limit.source + ")"
    }

    /// Says which checkpoint a resumed run continues from, and which newer ones it passed over and why.
    func noteResuming(_ trainer: Trainer, from point: ResumePoint, printer: ProgressPrinter) {
        for refused in point.refused { printer.note("skipping \(refused)") }
        printer.note(
            "resuming \(point.checkpoint.path) at step \(trainer.state.globalStep) of \(trainer.state.totalSteps)")
    }

    /// `dataset` with the validation file, or split stratified with `seed`; `load` reads the validation file.
    func trainingData(_ dataset: ReviewDataset, seed: UInt64, load: (String) throws -> ReviewDataset) throws
        -> TrainingData
    {
        try validationFile.map { TrainingData(train: dataset, validation: try load($0)) }
            ?? TrainingData(splitting: dataset, validationSize: testSize, trainSize: trainSize, seed: seed)
    }
}

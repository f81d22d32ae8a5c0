import ArgumentParser
import BertSent
import Foundation

struct TrainCommand: ParsableCommand, BertSentCommand.RunsAsRanks {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune a BERT model on a labelled CSV.",
        discussion: """
            Splits the data (stratified, 80/20 by default), fine-tunes every layer and writes to the output \
            directory: log.jsonl, the split (train.csv, validation.csv), checkpoint-STEP/ folders and best/ — Hugging Face folders \
            that `bertsent predict`, `bertsent evaluate` and transformers load. Flags are named after HF \
            TrainingArguments; --config reads the same settings from a JSON file (snake_case keys).

            Data-parallel under mpirun (mpirun -np N bertsent train …): each rank takes --batch-size texts of \
            every micro-batch of N × batch size, gradients are summed before one identical update, and rank 0 \
            alone writes and prints; dropout depends on each text and step, not on N. Resume with the same N.

            Training settings:
            """ + CommandLineSettings<TrainingArguments>.help)

    @OptionGroup var model: ModelOption
    @OptionGroup var columns: DataOptions

    @Flag(
        help:
            "Keep texts as written (no HTML, entity, control-character or whitespace cleaning); the model records it, and predict, evaluate and serve then keep texts as written too."
    )
    var noClean = false

    @Option(help: "A JSON file of training settings (names as below, snake_case); options given here win over it.")
    var config: String?

    @OptionGroup var runOptions: RunOptions

    /// The data file and the training settings (see the discussion), which the table declares.
    @Argument(
        parsing: .allUnrecognized, help: ArgumentHelp("The CSV file, and training settings.", valueName: "data.csv"))
    var words: [String] = []

    func run() throws {
        let base =
            try config.map { try TrainingArguments().applying(jsonFile: URL(fileURLWithPath: $0)) }
            ?? TrainingArguments()
        let given = try CommandLineSettings(parsing: words, over: base)
        guard given.positionals.count == 1, let data = given.positionals.first else {
            throw ValidationError(
                given.positionals.isEmpty
                    ? "give the CSV file to train on" : "unexpected arguments \(given.positionals.dropFirst())")
        }
        let arguments = given.settings
        let dataset = try columns.load(data, clean: !noClean)
        let trainingData = try runOptions.trainingData(dataset, seed: arguments.seed) {
            try columns.load($0, clean: !noClean)
        }
        let resumePoint = try runOptions.resumePoint()
        let output = runOptions.output(default: "runs/bertsent", resuming: resumePoint)
        let group = try ProcessGroup.current()
        // Rank 0 alone prints; the others' progress is the same.
        let printer = ProgressPrinter(format: runOptions.logFormat, quiet: !group.isRoot)

        let trainer: Trainer
        if let resumePoint {
            trainer = try Trainer.resume(
                from: resumePoint, data: trainingData, outputDirectory: output, group: group)
            runOptions.noteResuming(trainer, from: resumePoint, printer: printer)
        } else {
            trainer = try Trainer(
                modelDirectory: try model.directory(), data: trainingData, arguments: arguments,
                outputDirectory: output,
                group: group)
            let classes = trainer.model.config.classNames
            let validation =
                arguments.evalStrategy == .no ? "no evaluation" : "validating on \(trainingData.validation?.count ?? 0)"
            let ranks = group.size > 1 ? " as \(group.size) ranks" : ""
            printer.note(
                "training \(trainer.model.parameterCount.formatted()) parameters\(ranks) on \(trainingData.train.count) texts (\(classes.joined(separator: "/")), \(arguments.head.rawValue) head), \(validation); \(trainer.state.totalSteps) updates → \(output.path); \(runOptions.memoryNote(trainer))"
            )
        }
        StopSignals.install()
        let state = try trainer.run(stopRequest: StopSignals.request, onEvent: printer.show)
        printer.finish(state: state, trainer: trainer)
    }
}

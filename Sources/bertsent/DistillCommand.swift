import ArgumentParser
import BertSent
import Foundation

struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Distill a fine-tuned classifier into a smaller student.",
        discussion: """
            Trains a student on the teacher's softened class distributions mixed with the labels: per text \
            alpha·τ²·KL(teacher ‖ student at temperature τ) + (1 − alpha)·cross-entropy, or the teacher's term \
            alone for a text without a label (an empty label cell, or no label column at all). The student is \
            made from the teacher's layers (--student-layers, spread evenly: 6 → 3 takes 0, 2, 4; \
            --student-arch distilbert for a DistilBERT layout) or from --student-model, whole or cut the same \
            way. The teacher's logits \
            are computed once per text and cached under $BERTSENT_HOME/teacher-logits. Everything else — \
            split, schedules, evaluation, best/, --resume, precision — is `bertsent train`'s, with texts \
            prepared (cleaning, length, truncation) as the teacher's were unless given.

            Distillation settings:
            """ + CommandLineSettings<DistillationArguments>.help + """


                Training settings:
                """ + CommandLineSettings<TrainingArguments>.help)

    @Option(help: ArgumentHelp("The fine-tuned classifier to learn from.", valueName: "dir-or-repo"))
    var teacher: String

    @Option(help: "A BERT-family model folder to train as the student, instead of one made from the teacher.")
    var studentModel: String?

    @OptionGroup var columns: DataOptions

    @OptionGroup var runOptions: RunOptions

    /// The data file and the settings of both tables.
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("The CSV file, and distillation and training settings.", valueName: "data.csv"))
    var words: [String] = []

    func run() throws {
        let teacherDirectory = try ModelOption.directory(teacher)
        let given = try CommandLineSettings(parsing: words, over: DistillationArguments(), keepingUnknown: true)
        let teacher = try Teacher(directory: teacherDirectory, precision: given.settings.teacherPrecision)
        // By default texts are cut as the teacher's were.
        var base = TrainingArguments()
        base.maxLength = min(teacher.tokenizer.modelMaxLength, base.maxLength)
        base.truncation = teacher.tokenizer.options.truncationSide
        base.truncationHead = teacher.tokenizer.options.truncationHeadTokens
        let training = try CommandLineSettings(parsing: given.positionals, over: base)
        guard training.positionals.count == 1, let data = training.positionals.first else {
            throw ValidationError(
                training.positionals.isEmpty
                    ? "give the CSV file to distill on" : "unexpected arguments \(training.positionals.dropFirst())")
        }
        let arguments = training.settings
        let clean = teacher.tokenizer.options.cleansText
        let dataset = try columns.load(data, clean: clean, labelsOptional: true)
        let trainingData = try runOptions.trainingData(dataset, seed: arguments.seed) {
            try columns.load($0, clean: clean, labelsOptional: true)
        }
        let resumePoint = try runOptions.resumePoint()
        let output = runOptions.output(default: "runs/bertsent-distill", resuming: resumePoint)
        let cache = ModelDirectory.home.appendingPathComponent("teacher-logits")
        let printer = ProgressPrinter(format: runOptions.logFormat)

        // The teacher's pass over the texts not yet in its cache comes first and can take minutes.
        printer.note(
            "teacher \(teacherDirectory.path) (sha256 \(teacher.weightsDigest.prefix(12))…): scoring those of the \(trainingData.train.count + (trainingData.validation?.count ?? 0)) texts not yet in its cache (\(cache.path)) in \(teacher.precision.rawValue)"
        )
        let trainer: Trainer
        if let resumePoint {
            trainer = try Trainer.resume(
                from: resumePoint, data: trainingData, outputDirectory: output, cacheDirectory: cache)
            runOptions.noteResuming(trainer, from: resumePoint, printer: printer)
        } else {
            trainer = try Trainer(
                teacher: teacher, studentDirectory: try studentModel.map { try ModelOption.directory($0) },
                data: trainingData, arguments: arguments, distillation: given.settings, cacheDirectory: cache,
                outputDirectory: output)
            let student = trainer.model.config
            let layers =
                student.teacherLayers.map {
                    " (layers \($0.map(String.init).joined(separator: ", ")) of \(studentModel ?? "the teacher"))"
                } ?? ""
            let unlabeled = trainingData.train.unlabeledCount
            printer.note(
                "distilling \(teacher.model.parameterCount.formatted()) parameters (\(teacher.model.config.numHiddenLayers) layers) into \(trainer.model.parameterCount.formatted()) (\(student.numHiddenLayers) layers, \(student.architecture.rawValue)\(layers)) on \(trainingData.train.count) texts (\(unlabeled) without a label); \(trainer.state.totalSteps) updates → \(output.path); \(runOptions.memoryNote(trainer))"
            )
        }
        StopSignals.install()
        let state = try trainer.run(stopRequest: StopSignals.request, onEvent: printer.show)
        printer.finish(state: state, trainer: trainer)
    }
}

import BertSentCore
import BertSentFormats
import BertSentModel
import BertSentText
import Foundation

extension Trainer {
    /// A new run distilling `teacher` into `student` (which must have the teacher's classes and
    /// vocabulary): each text's loss mixes the teacher's softened distribution with its label
    /// (`DistillationLoss`); a text labelled `DistillationLoss.unlabeled` learns from the teacher alone, and
    /// an unlabelled validation text is scored against the teacher's class. The teacher's logits are read
    /// from, or added to, the cache in `cacheDirectory`.
    public convenience init(
        student: BertModel, teacher: Teacher, train: TextsAndClasses, validation: TextsAndClasses?,
        arguments: TrainingArguments, distillation: DistillationArguments, cacheDirectory: URL?, outputDirectory: URL
    ) throws {
        try distillation.validate()
        if arguments.classWeights != nil {
            throw TrainingError.unsupportedInDistillation(
                setting: "class_weights", reason: "the teacher's soft targets are not weighted by class")
        }
        guard student.config.classNames == teacher.model.config.classNames else {
            throw TrainingError.classesDifferFromTeacher(
                student: "the student", classes: student.config.classNames, teacher: teacher.directory.path,
                teacherClasses: teacher.model.config.classNames)
        }
        let record = DistillationRecord(
            teacher: teacher.directory.path, teacherSHA256: teacher.weightsDigest, arguments: distillation)
        try self.init(
            newRun: student,
            tokenizer: teacher.tokenizer.with { $0.tokenizerClass = student.config.architecture.tokenizerClass },
            train: train, validation: validation, arguments: arguments,
            teacher: (teacher, record, cacheDirectory), outputDirectory: outputDirectory)
    }

    /// A new run distilling `teacher` on `data`, whose labels are optional, into a student made from the
    /// teacher or from the model in `studentDirectory` (any BERT-family folder with the teacher's
    /// vocabulary; one without a head gets a new one for the teacher's classes). From the teacher it takes
    /// `distillation.studentLayers` of its layers (default half), spread evenly; from a student folder, all
    /// its layers unless `studentLayers` is given. `studentArch` changes the layout. Texts are prepared as the
    /// teacher's training data was, and the split is saved in the run folder.
    public convenience init(
        teacher: Teacher, studentDirectory: URL?, data: TrainingData, arguments: TrainingArguments,
        distillation: DistillationArguments, cacheDirectory: URL?, outputDirectory: URL
    ) throws {
        try distillation.validate()
        let teacherConfig = teacher.model.config
        let source = try studentDirectory.map { try Self.loadStudent($0, teacher: teacher, seed: arguments.seed) }
        var student = source ?? teacher.model
        // A student folder is trained whole unless asked to be cut or converted.
        if source == nil || distillation.studentLayers != nil || distillation.studentArch != nil {
            let available = student.config.numHiddenLayers
            let layers = distillation.studentLayers ?? (source == nil ? (available + 1) / 2 : available)
            try SettingsError.require(
                layers <= available, "student_layers", layers,
                "at most the \(available) layers of \(studentDirectory?.path ?? "the teacher")")
            student = try BertModel.student(
                of: student,
                layers: BertModel.studentLayerMapping(teacherLayers: available, studentLayers: layers),
                architecture: distillation.studentArch ?? student.config.architecture)
        }
        let (train, validation) = try data.labeled(by: teacherConfig.classNames, allowingUnlabeled: true)
        try self.init(
            student: student, teacher: teacher, train: train, validation: validation, arguments: arguments,
            distillation: distillation, cacheDirectory: cacheDirectory, outputDirectory: outputDirectory)
        try data.save(in: outputDirectory)
    }

    /// The student in `directory`, checked against the teacher (vocabulary, and classes when it has a
    /// trained head of its own), with a head for the teacher's classes.
    private static func loadStudent(_ directory: URL, teacher: Teacher, seed: UInt64) throws -> BertModel {
        let vocabulary = try BertTokenizer(directory: directory).vocabulary
        let teacherVocabulary = teacher.tokenizer.vocabulary
        if vocabulary != teacherVocabulary {
            let detail =
                vocabulary.count != teacherVocabulary.count
                ? "\(vocabulary.count) tokens, the teacher's \(teacherVocabulary.count)"
                : zip(vocabulary, teacherVocabulary).enumerated().first { $1.0 != $1.1 }.map {
                    "token \($0) is '\($1.0)', the teacher's '\($1.1)'"
                } ?? ""
            throw TrainingError.vocabularyDiffersFromTeacher(
                student: directory.path, teacher: teacher.directory.path, detail: detail)
        }
        // Its own classes count only when its checkpoint has a classifier: read the config and the keys, not
        // the weights, which are loaded once, below.
        let classes = teacher.model.config.classNames
        let own = try BertConfig(contentsOf: directory.appendingPathComponent("config.json"))
        let hasHead =
            try CheckpointTensors(directory: directory).key(
                for: "classifier.weight", encoderPrefix: own.architecture.encoderPrefix) != nil
        if hasHead, own.classNames != classes {
            throw TrainingError.classesDifferFromTeacher(
                student: directory.path, classes: own.classNames, teacher: teacher.directory.path,
                teacherClasses: classes)
        }
        return try BertModel.load(from: directory, classes: classes, head: teacher.model.config.head, seed: seed)
    }
}

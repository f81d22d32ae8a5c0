import BertSentData
import BertSentModel
import Foundation

/// The texts a run trains and validates on: a stratified split of one labelled dataset, or a dataset
/// with a separate validation set.
public struct TrainingData: Sendable {
    /// The texts to train on.
    public var train: ReviewDataset
    /// The texts to validate on; nil for none.
    public var validation: ReviewDataset?
    /// Whether both parts were split from one dataset: the run then saves them (`train.csv`,
    /// `validation.csv`), so it can be evaluated, resumed or reproduced elsewhere.
    public var isSplit: Bool

    /// A dataset to train on and, optionally, a separate one to validate on.
    public init(train: ReviewDataset, validation: ReviewDataset?) {
        self.train = train
        self.validation = validation
        isSplit = false
    }

    /// A stratified split of `dataset`. Each size is a share of the dataset when below 1, else a number
    /// of texts; the training part defaults to every text not used for validation.
    public init(splitting dataset: ReviewDataset, validationSize: Double = 0.2, trainSize: Double? = nil, seed: UInt64)
        throws
    {
        func count(_ size: Double) -> Int { size < 1 ? Int((size * Double(dataset.count)).rounded()) : Int(size) }
        let test = count(validationSize)
        let parts = try dataset.stratifiedSplit(
            trainSize: trainSize.map(count) ?? dataset.count - test, testSize: test, seed: seed)
        train = parts.train
        validation = parts.test
        isSplit = true
    }

    /// Texts and label indices by the model's `classes`; a label outside them is an error naming the line.
    /// With `allowingUnlabeled` (distillation), a text without a label gets `DistillationLoss.unlabeled`.
    func labeled(by classes: [String], allowingUnlabeled: Bool = false) throws -> (
        train: TextsAndClasses, validation: TextsAndClasses?
    ) {
        func labeled(_ dataset: ReviewDataset) throws -> TextsAndClasses {
            TextsAndClasses(
                texts: dataset.texts,
                labels: try dataset.labelIndices(
                    for: classes, unlabeled: allowingUnlabeled ? DistillationLoss.unlabeled : nil))
        }
        return (try labeled(train), try validation.map(labeled))
    }

    /// Writes the parts a run should keep into its folder: the validation set, and the training set
    /// when it was split off here.
    func save(in directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if isSplit { try train.write(csv: directory.appendingPathComponent("train.csv")) }
        try validation?.write(csv: directory.appendingPathComponent("validation.csv"))
    }
}

import BertSentCore

extension ReviewDataset {
    /// Splits into train and test parts in which every class keeps its share of the data, as
    /// scikit-learn's `train_test_split(stratify=…)` does; the default `testFraction`, 0.2, splits 80/20.
    ///
    /// The test part gets `testFraction` of all examples, rounded to the nearest whole example; the
    /// train part gets the rest.
    /// - Throws: `DatasetError` when `testFraction` is not strictly between 0 and 1, or a class is
    ///   too small to appear in both parts.
    public func stratifiedSplit(testFraction: Double = 0.2, seed: UInt64) throws -> (
        train: ReviewDataset, test: ReviewDataset
    ) {
        guard testFraction > 0, testFraction < 1 else {
            throw DatasetError.testFractionOutOfRange(path: source, fraction: testFraction)
        }
        let testSize = Int((Double(count) * testFraction).rounded())
        return try stratifiedSplit(trainSize: count - testSize, testSize: testSize, seed: seed)
    }

    /// Draws a train part of `trainSize` and a disjoint test part of `testSize` examples, each with
    /// every class in its share of the data; the rest is left out: `--train-size 1000 --test-size 1000`
    /// draws 2,000 of IMDB's 50,000 reviews.
    ///
    /// Class counts are proportional shares rounded by largest remainder (ties go to the class that
    /// comes first in `labels`). Examples are drawn from each class in a seeded shuffle, and each part
    /// is shuffled, so a seed gives the same parts on every machine.
    /// - Throws: `DatasetError` when a size is not positive, the sizes add up to more than the data,
    ///   or a class is too small to appear in both parts.
    public func stratifiedSplit(trainSize: Int, testSize: Int, seed: UInt64) throws -> (
        train: ReviewDataset, test: ReviewDataset
    ) {
        guard trainSize > 0, testSize > 0, trainSize + testSize <= count else {
            throw DatasetError.splitSizesOutOfRange(path: source, train: trainSize, test: testSize, available: count)
        }
        // Examples without a label are a stratum of their own.
        let classes = labelCounts + (unlabeledCount > 0 ? [(LabeledText.noLabel, unlabeledCount)] : [])
        let sizes = classes.map(\.count)
        let testCounts = Self.apportion(testSize, weights: sizes, capacities: sizes)
        let trainCounts = Self.apportion(trainSize, weights: sizes, capacities: zip(sizes, testCounts).map { $0 - $1 })
        for (c, (label, size)) in classes.enumerated() where testCounts[c] == 0 || trainCounts[c] == 0 {
            throw DatasetError.classTooSmall(path: source, label: label, count: size, train: trainSize, test: testSize)
        }

        var generator = SeededGenerator(seed: seed)
        var members = Dictionary(uniqueKeysWithValues: classes.map { ($0.label, [Int]()) })
        for (i, example) in examples.enumerated() { members[example.label]!.append(i) }
        var train: [LabeledText] = []
        var test: [LabeledText] = []
        for (c, label) in classes.map(\.label).enumerated() {
            var order = members[label]!
            order.seededShuffle(using: &generator)
            test += order[..<testCounts[c]].map { examples[$0] }
            train += order[testCounts[c]..<(testCounts[c] + trainCounts[c])].map { examples[$0] }
        }
        train.seededShuffle(using: &generator)
        test.seededShuffle(using: &generator)
        return (
            ReviewDataset(examples: train, source: source, labelColumn: labelColumn, textsCleaned: textsCleaned),
            ReviewDataset(examples: test, source: source, labelColumn: labelColumn, textsCleaned: textsCleaned)
        )
    }

    /// Splits `total` into whole parts proportional to `weights`, none above its capacity: floors
    /// first, then one more each for the largest remainders. The floors always fit, because each
    /// capacity is at least its weight's share of `total`, rounded down.
    private static func apportion(_ total: Int, weights: [Int], capacities: [Int]) -> [Int] {
        let weightSum = weights.reduce(0, +)
        var parts = weights.map { total * $0 / weightSum }
        let byRemainder = weights.indices.sorted { a, b in
            let (ra, rb) = (total * weights[a] % weightSum, total * weights[b] % weightSum)
            return ra != rb ? ra > rb : a < b
        }
        var left = total - parts.reduce(0, +)
        // A second round is needed only when a capacity stopped a class in the first.
        while left > 0 {
            for c in byRemainder where left > 0 && parts[c] < capacities[c] {
                parts[c] += 1
                left -= 1
            }
        }
        return parts
    }
}

import BertSentCore
import BertSentFormats
import Foundation

/// Training settings given by name, each optional: read from a JSON config file (snake_case keys,
/// e.g. `{"learning_rate": 3e-5, "lr_scheduler": "cosine"}`) or built from command-line flags, and
/// applied over `TrainingArguments` — the file's first, then the flags', so a flag wins.
public struct TrainingOverrides: Sendable, Equatable, Codable {
    public var learningRate: Double?
    public var batchSize: Int?
    public var evalBatchSize: Int?
    public var epochs: Int?
    public var maxSteps: Int?
    public var weightDecay: Double?
    public var warmupSteps: Int?
    public var warmupRatio: Double?
    public var lrScheduleSteps: Int?
    public var lrScheduler: LearningRateSchedule.Kind?
    public var optimizer: OptimizerKind?
    public var adamBeta1: Double?
    public var adamBeta2: Double?
    public var adamEpsilon: Double?
    public var gradientAccumulationSteps: Int?
    public var maxGradNorm: Double?
    public var maxLength: Int?
    public var head: ClassifierHead?
    public var evalStrategy: TrainingArguments.EvalStrategy?
    public var evalSteps: Int?
    public var earlyStoppingPatience: Int?
    public var earlyStoppingThreshold: Double?
    public var metricForBestModel: TrainingArguments.Metric?
    public var saveTotalLimit: Int?
    public var seed: UInt64?
    public var shuffle: Bool?
    public var groupByLength: Bool?
    public var dropout: Double?
    public var classWeights: [Float]?
    public var precision: Precision?

    public init() {}

    /// Reads a JSON config file; an unknown key or a value of the wrong type is an error naming it.
    public init(jsonFile url: URL) throws {
        guard let data = try? Data(contentsOf: url) else { throw MessageError("cannot read the config file", file: url.path) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw MessageError("the config file must hold one JSON object of setting → value", file: url.path)
        }
        let known = Set(Mirror(reflecting: TrainingOverrides()).children.compactMap(\.label).map(Self.snakeCase))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw MessageError("unknown setting '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))", file: url.path)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { self = try decoder.decode(TrainingOverrides.self, from: data) } catch let DecodingError.typeMismatch(_, context),
            let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).map(Self.snakeCase).joined(separator: ".")
            throw MessageError("setting '\(key)': \(context.debugDescription)", file: url.path)
        } catch {
            throw MessageError("malformed config file (\(error))", file: url.path)
        }
    }

    /// `arguments` with every given setting applied.
    public func applied(to arguments: TrainingArguments) -> TrainingArguments {
        var a = arguments
        if let learningRate { a.optimization.learningRate = learningRate }
        if let batchSize { a.batchSize = batchSize }
        if let evalBatchSize { a.evalBatchSize = evalBatchSize }
        if let epochs { a.epochs = epochs }
        if let maxSteps { a.maxSteps = maxSteps }
        if let weightDecay { a.optimization.weightDecay = weightDecay }
        if let warmupSteps { a.optimization.warmupSteps = warmupSteps }
        if let warmupRatio { a.optimization.warmupRatio = warmupRatio }
        if let lrScheduleSteps { a.optimization.scheduleSteps = lrScheduleSteps }
        if let lrScheduler { a.optimization.schedule = lrScheduler }
        if let optimizer { a.optimization.optimizer = optimizer }
        if let adamBeta1 { a.optimization.adamBeta1 = adamBeta1 }
        if let adamBeta2 { a.optimization.adamBeta2 = adamBeta2 }
        if let adamEpsilon { a.optimization.adamEpsilon = adamEpsilon }
        if let gradientAccumulationSteps { a.optimization.gradientAccumulationSteps = gradientAccumulationSteps }
        if let maxGradNorm { a.optimization.maxGradNorm = maxGradNorm }
        if let maxLength { a.maxLength = maxLength }
        if let head { a.head = head }
        if let evalStrategy { a.evalStrategy = evalStrategy }
        if let evalSteps { a.evalSteps = evalSteps }
        if let earlyStoppingPatience { a.earlyStoppingPatience = earlyStoppingPatience }
        if let earlyStoppingThreshold { a.earlyStoppingThreshold = earlyStoppingThreshold }
        if let metricForBestModel { a.metricForBestModel = metricForBestModel }
        if let saveTotalLimit { a.saveTotalLimit = saveTotalLimit }
        if let seed { a.seed = seed }
        if let shuffle { a.shuffle = shuffle }
        if let groupByLength { a.groupByLength = groupByLength }
        if let dropout { a.optimization.dropout = dropout }
        if let classWeights { a.optimization.classWeights = classWeights }
        if let precision { a.optimization.precision = precision }
        return a
    }

    private static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" }
            result += character.lowercased()
        }
    }
}

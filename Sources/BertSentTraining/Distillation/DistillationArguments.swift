import BertSentCore
import BertSentFormats
import BertSentModel

/// The settings of distillation beyond training's: the loss's mix and temperature, the student's shape
/// and the teacher's arithmetic. Declared once in `settings`, like `TrainingArguments`.
public struct DistillationArguments: Configurable {
    /// The soft (teacher) term's weight in the loss, α; texts without a label learn from the teacher alone.
    public var alpha = 0.5
    /// Softens the teacher's and the student's distributions, τ.
    public var temperature = 2.0
    /// Layers the student keeps of the model it is made from, spread evenly
    /// (`BertModel.studentLayerMapping`); nil: half the teacher's, rounded up, or all of a student folder's.
    public var studentLayers: Int?
    /// The student's architecture; nil: that of the model it is made from.
    public var studentArch: ModelArchitecture?
    /// The arithmetic of the teacher's forward passes (its logits are cached per precision).
    public var teacherPrecision: Precision = .fp32

    /// Every setting at its default.
    public init() {}

    /// Every setting, with its name and help.
    public static let settings: [Setting<DistillationArguments>] = [
        Setting(
            "alpha", \.alpha,
            help: "Weight of the teacher's soft targets in the loss (1 − alpha for the labels); unlabelled texts use 1."
        ),
        Setting("temperature", \.temperature, help: "Softens the teacher's and the student's class distributions."),
        Setting(
            "student_layers", \.studentLayers,
            help:
                "Layers the student keeps, spread evenly: of the teacher (none: half) or of --student-model (none: all)."
        ),
        Setting(
            "student_arch", \.studentArch,
            help: "bert or distilbert: the student's layout (none: that of the model it is made from)."),
        Setting("teacher_precision", \.teacherPrecision, help: "fp32, bf16 or int8: the teacher's arithmetic."),
    ]

    /// The loss these settings describe.
    package var loss: DistillationLoss { DistillationLoss(alpha: alpha, temperature: temperature) }

    /// Rejects settings no run can use, naming the setting.
    public func validate() throws {
        let require = SettingsError.require
        try require((0...1).contains(alpha), "alpha", alpha, "in [0, 1]")
        try require(temperature.isFinite && temperature > 0, "temperature", temperature, "a positive number")
        if let studentLayers { try require(studentLayers >= 1, "student_layers", studentLayers, "at least 1") }
    }
}

extension ModelArchitecture: SettingValue {}

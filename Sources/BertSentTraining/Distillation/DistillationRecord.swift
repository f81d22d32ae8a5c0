/// What a distillation run saves in its trainer state to resume: the teacher (folder and weights'
/// digest, checked on resume) and the distillation settings.
public struct DistillationRecord: Sendable, Equatable, Codable {
    /// The teacher's model folder.
    public var teacher: String
    /// The SHA-256 of the teacher's weights when the run began.
    public var teacherSHA256: String
    /// The distillation settings.
    public var arguments: DistillationArguments

    enum CodingKeys: String, CodingKey {
        case teacher
        case teacherSHA256 = "teacher_sha256"
        case arguments
    }
}

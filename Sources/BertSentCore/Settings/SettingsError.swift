/// A setting that is unknown, or whose value is malformed, out of range or in conflict with another.
public indirect enum SettingsError: BertSentError, Equatable {
    /// No setting has this name.
    case unknownSetting(String, known: [String])
    /// The value is not of the setting's kind (`expected`: "an integer", "one of …").
    case invalidValue(setting: String, value: String, expected: String)
    /// The value is of the right kind but outside what a run can use.
    case outOfRange(setting: String, value: String, requirement: String)
    /// The setting's value cannot go with another setting's.
    case conflict(setting: String, with: String, reason: String)
    /// A settings file that is not one JSON object of name → value.
    case notAnObject
    /// An error in the settings file at `path`.
    case inFile(String, SettingsError)

    public var category: ErrorCategory { .invalidInput }

    /// Throws `outOfRange` for `setting` unless `condition` holds: a validation step of a configuration.
    public static func require(
        _ condition: Bool, _ setting: String, _ value: any CustomStringConvertible, _ requirement: String
    ) throws {
        if !condition { throw outOfRange(setting: setting, value: value.description, requirement: requirement) }
    }

    public var description: String { description(naming: { "setting '\($0)'" }) }

    /// The message with each setting named by `name` — the CLI passes one that spells its flags.
    public func description(naming name: (String) -> String) -> String {
        switch self {
        case .unknownSetting(let setting, let known):
            "unknown \(name(setting)) (known: \(known.joined(separator: ", ")))"
        case .invalidValue(let setting, let value, let expected):
            "\(name(setting)) must be \(expected), got '\(value)'"
        case .outOfRange(let setting, let value, let requirement):
            "\(name(setting)) must be \(requirement), got \(value)"
        case .conflict(let setting, let other, let reason):
            "\(name(setting)) cannot go with \(name(other)): \(reason)"
        case .notAnObject:
            "the settings file must hold one JSON object of setting → value"
        case .inFile(let path, let error):
            "\(path): \(error.description(naming: name))"
        }
    }
}

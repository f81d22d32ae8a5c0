import ArgumentParser
import BertSent

/// The settings of a `Configurable` as command-line options, derived from its table: each setting is
/// `--name-with-dashes VALUE` (or `--name=VALUE`), a Bool setting is `--name` / `--no-name`. A command
/// collects the words ArgumentParser does not know (`@Argument(parsing: .allUnrecognized)`) and reads
/// the settings from them; the words left are its positional arguments.
struct CommandLineSettings<Root: Configurable> {
    /// The settings given, applied over the base they were parsed against.
    var settings: Root
    /// Words that are not settings, in order.
    var positionals: [String] = []

    /// Reads `words` over `base`. With `keepingUnknown`, an option that is not one of these settings is
    /// kept among the positionals (with the words after it) for another table to read.
    init(parsing words: [String], over base: Root, keepingUnknown: Bool = false) throws {
        settings = base
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                positionals.append(word)
                continue
            }
            var flag = String(word.dropFirst(2)), value: String?
            if let equals = flag.firstIndex(of: "=") {
                value = String(flag[flag.index(after: equals)...])
                flag = String(flag[..<equals])
            }
            let name = flag.replacingOccurrences(of: "-", with: "_")
            if let setting = Root.setting(named: name) {
                if let value {
                    try apply(setting, value)
                } else if setting.isFlag {
                    try apply(setting, "true")
                } else {
                    guard index < words.count else {
                        throw ValidationError("\(SettingFlags.flag(name)) needs a value (\(setting.valueKind))")
                    }
                    try apply(setting, words[index])
                    index += 1
                }
            } else if name.hasPrefix("no_"), let setting = Root.setting(named: String(name.dropFirst(3))),
                setting.isFlag, value == nil
            {
                try apply(setting, "false")
            } else if keepingUnknown {
                positionals.append(word)
            } else {
                throw ValidationError("unknown option '\(word)'")
            }
        }
    }

    private mutating func apply(_ setting: Setting<Root>, _ value: String) throws {
        do { try setting.set(value, in: &settings) } catch let error as SettingsError {
            throw ValidationError(SettingFlags.message(error))
        }
    }

    /// Help for every setting with its default, for a command's discussion.
    static var help: String {
        let defaults = Root()
        let lines = Root.settings.map { setting in
            let spelling =
                setting.isFlag
                ? "\(SettingFlags.flag(setting.name)) | --no-\(SettingFlags.flag(setting.name).dropFirst(2))"
                : "\(SettingFlags.flag(setting.name)) <\(placeholder(setting.valueKind))>"
            return "  \(spelling)  (default: \(setting.value(in: defaults)))\n        \(setting.help)"
        }
        return "\n" + lines.joined(separator: "\n")
    }

    /// "an integer" → "integer", "one of a, b" → "a|b".
    private static func placeholder(_ kind: String) -> String {
        if kind.hasPrefix("one of ") { return kind.dropFirst(7).replacingOccurrences(of: ", ", with: "|") }
        return kind.split(separator: " ").last.map(String.init) ?? kind
    }
}

/// How the command line names settings: by their flags.
enum SettingFlags {
    /// `--name-with-dashes` for a setting's name.
    static func flag(_ name: String) -> String { "--" + name.replacingOccurrences(of: "_", with: "-") }

    /// A settings error as the command line says it: settings named by their flags.
    static func message(_ error: SettingsError) -> String { error.description(naming: flag) }
}

import Foundation

/// A configuration whose settings are each declared once, in `settings`: JSON config files, saved
/// state, command lines, help and reports all read that table. `init()` holds the defaults.
public protocol Configurable: Codable, Sendable, Equatable {
    /// Every setting at its default.
    init()
    /// The table: every setting's name, help and property.
    static var settings: [Setting<Self>] { get }
}

extension Configurable {
    /// Reads settings by name over the defaults: absent keys keep them (so state saved before a
    /// setting existed still reads), unknown keys and values of the wrong type are errors naming them.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: SettingKey.self)
        let known = Self.settings.map(\.name)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw SettingsError.unknownSetting(unknown, known: known.sorted())
        }
        for setting in Self.settings { try setting.decode(into: &self, from: container) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SettingKey.self)
        for setting in Self.settings { try setting.encode(self, into: &container) }
    }

    /// The setting named `name` (snake_case), if there is one.
    public static func setting(named name: String) -> Setting<Self>? {
        settings.first { $0.name == name }
    }

    /// Sets the setting `name` from a command-line word.
    public mutating func set(_ name: String, to text: String) throws {
        guard let setting = Self.setting(named: name) else {
            throw SettingsError.unknownSetting(name, known: Self.settings.map(\.name).sorted())
        }
        try setting.set(text, in: &self)
    }

    /// Every setting's name and value, in table order: what reports and logs show.
    public var settingValues: [(name: String, value: String)] {
        Self.settings.map { ($0.name, $0.value(in: self)) }
    }

    /// These settings with those of a JSON file (one object of name → value) applied over them.
    public func applying(jsonFile url: URL) throws -> Self {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.unreadable(path: url.path, what: "the settings file", reason: FileError.reason(error))
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw SettingsError.inFile(url.path, .notAnObject)
        }
        var result = self
        do {
            let given = try JSONDecoder().decode(Self.self, from: data)
            for setting in Self.settings where fields[setting.name] != nil { setting.copy(from: given, to: &result) }
        } catch let error as SettingsError {
            throw SettingsError.inFile(url.path, error)
        }
        return result
    }
}

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
    /// Reads settings by name over the defaults (or over the settings a decoder carries as its
    /// `settingsBase`): absent keys keep them (so state saved before a setting existed still reads),
    /// unknown keys and values of the wrong type are errors naming them.
    public init(from decoder: any Decoder) throws {
        // An if, not `?? Self()`: Swift 6.3's optimised build of the `??` form corrupted memory (a test
        // reading `settings` after a decode crashed in release builds only).
        if let base = decoder.userInfo[.settingsBase] as? Self { self = base } else { self.init() }
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
        let decoder = JSONDecoder()
        decoder.userInfo[.settingsBase] = self
        do {
            return try decoder.decode(Self.self, from: data)
        } catch let error as SettingsError {
            throw SettingsError.inFile(url.path, error)
        } catch {
            // Not JSON, or JSON other than an object: the settings' own errors are SettingsErrors.
            throw SettingsError.inFile(url.path, .notAnObject)
        }
    }
}

extension CodingUserInfoKey {
    /// The settings a file's values are read over, for `Configurable.applying(jsonFile:)`.
    static let settingsBase = CodingUserInfoKey(rawValue: "bertsent.settingsBase")!
}

import Foundation

/// One setting of a configuration `Root`, declared once: its name — snake_case, the key in JSON
/// config files and in saved state; `--name-with-dashes` on the command line — its help, and the
/// property of `Root` that holds it (whose initial value in `Root()` is the default).
public struct Setting<Root: Sendable>: Sendable {
    /// The snake_case name.
    public let name: String
    /// One sentence on what it does; help and reports show it.
    public let help: String
    /// What a valid value looks like ("an integer", "one of linear, cosine, constant").
    public let valueKind: String
    /// Whether it is a Bool, which a command line sets as a flag without a value.
    public let isFlag: Bool
    private let assign: @Sendable (inout Root, String) -> Bool
    private let show: @Sendable (Root) -> String
    private let decodeValue: @Sendable (inout Root, KeyedDecodingContainer<SettingKey>) throws -> Void
    private let encodeValue: @Sendable (Root, inout KeyedEncodingContainer<SettingKey>) throws -> Void

    /// Declares the setting `name`, held at `keyPath` of `Root`, with its one-sentence `help`.
    public init<Value: SettingValue>(_ name: String, _ keyPath: WritableKeyPath<Root, Value> & Sendable, help: String) {
        self.name = name
        self.help = help
        valueKind = Value.settingKind
        isFlag = Value.self == Bool.self
        assign = { root, text in
            guard let value = Value(settingText: text) else { return false }
            root[keyPath: keyPath] = value
            return true
        }
        show = { $0[keyPath: keyPath].settingText }
        let key = SettingKey(name)
        decodeValue = { root, container in
            guard container.contains(key) else { return }
            do {
                root[keyPath: keyPath] = try container.decode(Value.self, forKey: key)
            } catch {
                throw SettingsError.invalidValue(
                    setting: name, value: Self.found(in: error), expected: Value.settingKind)
            }
        }
        encodeValue = { root, container in try container.encode(root[keyPath: keyPath], forKey: key) }
    }

    /// Sets the value a command-line word spells; throws when it spells none.
    public func set(_ text: String, in root: inout Root) throws {
        guard assign(&root, text) else {
            throw SettingsError.invalidValue(setting: name, value: text, expected: valueKind)
        }
    }

    /// The value in `root`, as help and reports show it.
    public func value(in root: Root) -> String { show(root) }

    /// Reads the setting from a decoder's container into `root`; absent keys leave it as it is.
    func decode(into root: inout Root, from container: KeyedDecodingContainer<SettingKey>) throws {
        try decodeValue(&root, container)
    }

    func encode(_ root: Root, into container: inout KeyedEncodingContainer<SettingKey>) throws {
        try encodeValue(root, &container)
    }

    /// What a failed decoding found, in a few words, for the error message.
    private static func found(in error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            context.debugDescription
        default: "\(error)"
        }
    }
}

/// A setting's name as a coding key.
package struct SettingKey: CodingKey, Sendable {
    public let stringValue: String
    public var intValue: Int? { nil }
    /// The key of the setting named `name`.
    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

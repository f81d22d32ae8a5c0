import Foundation

/// A type a setting can hold: read from a command-line word, written to and read from JSON, shown in
/// help and reports.
public protocol SettingValue: Codable, Sendable, Equatable {
    /// The value a command-line word spells, or nil when it spells none.
    init?(settingText text: String)
    /// The value as help and reports show it (and as the command line would spell it).
    var settingText: String { get }
    /// What a valid value looks like, for messages: "an integer", "one of linear, cosine, constant".
    static var settingKind: String { get }
}

extension Int: SettingValue {
    public init?(settingText text: String) { self.init(text) }
    public var settingText: String { String(self) }
    public static var settingKind: String { "an integer" }
}

extension UInt64: SettingValue {
    public init?(settingText text: String) { self.init(text) }
    public var settingText: String { String(self) }
    public static var settingKind: String { "a non-negative integer" }
}

extension Double: SettingValue {
    public init?(settingText text: String) { self.init(text) }
    public var settingText: String { String(self) }
    public static var settingKind: String { "a number" }
}

extension Bool: SettingValue {
    public init?(settingText text: String) { self.init(text) }
    public var settingText: String { String(self) }
    public static var settingKind: String { "true or false" }
}

extension String: SettingValue {
    public init?(settingText text: String) { self = text }
    public var settingText: String { self }
    public static var settingKind: String { "a string" }
}

/// Numbers separated by commas: `1,3`.
extension [Float]: SettingValue {
    public init?(settingText text: String) {
        let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, !values.contains(nil) else { return nil }
        self = values.compactMap { $0 }
    }
    public var settingText: String { map { String($0) }.joined(separator: ",") }
    public static var settingKind: String { "numbers separated by commas" }
}

/// An optional setting: absent (null in JSON) means "not set"; its help says what that does.
extension Optional: SettingValue where Wrapped: SettingValue {
    public init?(settingText text: String) {
        guard let value = Wrapped(settingText: text) else { return nil }
        self = value
    }
    public var settingText: String { map(\.settingText) ?? "none" }
    public static var settingKind: String { Wrapped.settingKind }
}

/// Enumerations spelled by their raw values.
extension SettingValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    public init?(settingText text: String) { self.init(rawValue: text) }
    public var settingText: String { rawValue }
    public static var settingKind: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}

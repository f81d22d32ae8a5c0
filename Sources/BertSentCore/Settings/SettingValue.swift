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
    /// A whole number, as `--epochs 3` writes it.
    public init?(settingText text: String) { self.init(text) }
    /// The number in decimal, as `--epochs` takes it.
    public var settingText: String { String(self) }
    /// What help and errors ask for: a whole number, with a sign or not.
    public static var settingKind: String { "an integer" }
}

extension UInt64: SettingValue {
    /// A whole number of 0 or more, as `--seed 42` writes it.
    public init?(settingText text: String) { self.init(text) }
    /// The number in decimal, as `--seed` takes it.
    public var settingText: String { String(self) }
    /// What help and errors ask for: a whole number of 0 or more.
    public static var settingKind: String { "a non-negative integer" }
}

extension Double: SettingValue {
    /// A decimal number, as `--learning-rate 2e-5` or `--warmup-ratio 0.1` writes it.
    public init?(settingText text: String) { self.init(text) }
    /// The number as Swift prints it (`2e-05`, `0.1`), which reads back as the same number.
    public var settingText: String { String(self) }
    /// What help and errors ask for: any number, with a fraction or an exponent or not.
    public static var settingKind: String { "a number" }
}

extension Bool: SettingValue {
    /// `true` or `false`, as `--shuffle=false` writes it; `--shuffle` and `--no-shuffle` need no word.
    public init?(settingText text: String) { self.init(text) }
    /// The value as `--shuffle=` takes it: `true` or `false`.
    public var settingText: String { String(self) }
    /// What help and errors ask for after `--name=`.
    public static var settingKind: String { "true or false" }
}

extension String: SettingValue {
    /// The word as given, as `--api-key KEY` writes it.
    public init?(settingText text: String) { self = text }
    /// The text itself.
    public var settingText: String { self }
    /// What help and errors ask for: any text.
    public static var settingKind: String { "a string" }
}

/// Numbers separated by commas: `1,3`.
extension [Float]: SettingValue {
    /// Numbers separated by commas, as `--class-weights 1,3` writes them; nil when one is not a number.
    public init?(settingText text: String) {
        let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, !values.contains(nil) else { return nil }
        self = values.compactMap { $0 }
    }
    /// The numbers joined by commas, as `--class-weights` takes them.
    public var settingText: String { map { String($0) }.joined(separator: ",") }
    /// What help and errors ask for: one or more numbers, separated by commas.
    public static var settingKind: String { "numbers separated by commas" }
}

/// An optional setting: absent (null in JSON) means "not set"; its help says what that does.
extension Optional: SettingValue where Wrapped: SettingValue {
    /// A value of the wrapped type, as `--max-steps 100` writes it; leaving the option out leaves it unset.
    public init?(settingText text: String) {
        guard let value = Wrapped(settingText: text) else { return nil }
        self = value
    }
    /// The value, or `none` when it is not set.
    public var settingText: String { map(\.settingText) ?? "none" }
    /// What help and errors ask for: a value of the wrapped type.
    public static var settingKind: String { Wrapped.settingKind }
}

/// Enumerations spelled by their raw values.
extension SettingValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    /// A case by its raw value, as `--lr-scheduler cosine` writes it.
    public init?(settingText text: String) { self.init(rawValue: text) }
    /// The case's raw value, such as `cosine`.
    public var settingText: String { rawValue }
    /// What help and errors ask for: every raw value, listed.
    public static var settingKind: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}

extension KeyedDecodingContainer {
    /// The value under `key`, or `value` when the key is absent: settings saved before a field existed
    /// read back with that field's default instead of failing.
    func decode<T: Decodable>(_ key: Key, default value: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? value
    }
}

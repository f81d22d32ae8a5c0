import Testing

extension Tag {
    /// Tests that read the default model (all-MiniLM-L6-v2), which scripts/setup.sh installs.
    @Tag package static var defaultModel: Self
}

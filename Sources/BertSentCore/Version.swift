/// bertsent's version, reported by `bertsent --version` and the server's `/info`.
public enum BertSentVersion {
    /// This build's version number, major.minor.patch.
    public static let current = "0.3.0"
}

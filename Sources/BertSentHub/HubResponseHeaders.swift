import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Reads the Hub's response headers as downloading does, for the fuzz target in Fuzz/: the readers are
/// internal. Not meant for applications, hence the `Fuzzing` SPI.
@_spi(Fuzzing) public enum HubResponseHeaders {
    /// What a HEAD response says about a file.
    public struct Metadata: Sendable, Equatable {
        /// The commit the revision resolved to.
        public var commit: String
        /// The normalized etag, which names the file's blob in the cache.
        public var etag: String
        /// The file's size, when announced.
        public var size: Int64?
        /// Whether the etag is an LFS sha256 that the downloaded bytes must match.
        public var isLFS: Bool
    }

    /// The metadata in a successful (2xx or 3xx) HEAD `response` for `url`.
    /// - Throws: `HubError.invalidMetadata` when a header is missing or unusable.
    public static func metadata(_ response: HTTPURLResponse, url: URL) throws -> Metadata {
        let metadata = try HubFileMetadata(response: response, url: url)
        return Metadata(commit: metadata.commit, etag: metadata.etag, size: metadata.size, isLFS: metadata.isLFS)
    }

    /// The whole file's size as a GET `response` to a request resumed from byte `offset` announces it.
    public static func announcedSize(_ response: HTTPURLResponse, resumedFrom offset: UInt64) -> Int64? {
        HubDownloader.announcedSize(response, resumedFrom: offset)
    }
}

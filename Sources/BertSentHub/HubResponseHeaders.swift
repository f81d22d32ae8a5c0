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

    /// The response the Hub-headers fuzz target makes of its input — the first line the status code
    /// (clamped to 100…599) and the resume offset (`206 1024`), each line after it a header
    /// (`Name: value`), CRLF or LF — so that a committed crash input is replayed by a test exactly as the
    /// fuzzer ran it. Nil when Foundation refuses the headers.
    public static func response(fuzzInput text: String, url: URL) -> (response: HTTPURLResponse, offset: UInt64)? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let statusLine = lines.isEmpty ? [] : lines.removeFirst().split(separator: " ")
        let status = statusLine.first.flatMap { Int($0) }.map { min(max($0, 100), 599) } ?? 200
        // A resume offset is a file's size, so it fits in an Int64.
        let offset = statusLine.dropFirst().first.flatMap { UInt64($0) }.map { min($0, UInt64(Int64.max)) } ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPURLResponse(url: url, statusCode: status, httpVersion: "HTTP/1.1", headerFields: headers)
            .map { ($0, offset) }
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

@_spi(Fuzzing) import BertSentHub
import BertSentTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The response headers that crashed the `hub-headers` fuzz target (Tests/Fixtures/fuzz-crashes): each is now
/// refused with `HubError.invalidMetadata`, or read as a usable commit, etag and size.
@Suite struct FuzzCrashTests {
    @Test(arguments: FuzzCrashes.inputs("hub-headers"))
    func responseHeadersAreReadOrRefused(_ input: URL) throws {
        let (response, offset) = try #require(
            Self.response(try String(decoding: Data(contentsOf: input), as: UTF8.self)))
        do {
            let metadata = try HubResponseHeaders.metadata(response, url: response.url!)
            #expect(metadata.commit.utf8.count == 40)
            #expect(metadata.etag.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) })
            #expect(!metadata.etag.contains("/") && !metadata.etag.hasPrefix("."))
            #expect((metadata.size ?? 0) >= 0)
        } catch let error as HubError {
            guard case .invalidMetadata = error else { throw error }
        }
        #expect((HubResponseHeaders.announcedSize(response, resumedFrom: offset) ?? 0) >= 0)
    }

    /// The response the fuzz target makes of its input: the first line is the status code and the resume offset,
    /// each line after it a header (`Name: value`).
    static func response(_ text: String) -> (HTTPURLResponse, UInt64)? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let statusLine = lines.isEmpty ? [] : lines.removeFirst().split(separator: " ")
        let status = statusLine.first.flatMap { Int($0) }.map { min(max($0, 100), 599) } ?? 200
        let offset = statusLine.dropFirst().first.flatMap { UInt64($0) }.map { min($0, UInt64(Int64.max)) } ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let url = URL(string: "https://huggingface.co/org/model/resolve/main/model.safetensors")!
        return HTTPURLResponse(url: url, statusCode: status, httpVersion: "HTTP/1.1", headerFields: headers)
            .map { ($0, offset) }
    }
}

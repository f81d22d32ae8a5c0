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
            HubResponseHeaders.response(
                fuzzInput: try String(decoding: Data(contentsOf: input), as: UTF8.self),
                url: URL(string: "https://huggingface.co/org/model/resolve/main/model.safetensors")!))
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
}

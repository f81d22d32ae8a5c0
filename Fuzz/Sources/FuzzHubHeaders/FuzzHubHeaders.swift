@_spi(Fuzzing) import BertSentHub
import Foundation
import FuzzSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// The Hub client's reading of response headers, on any headers: a HEAD response's metadata is refused with
// HubError.invalidMetadata, or gives a commit hash, an etag usable as the blob's file name (visible ASCII, no
// path) and a size that is not negative; the size a GET response announces is never negative, whatever the
// resume offset.
//
// Input: text; the first line is the status code and the resume offset (`206 1024`), each line after it a
// header (`Name: value`).

/// Where the responses claim to come from.
private let address = URL(string: "https://huggingface.co/org/model/resolve/main/model.safetensors")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHubHeaders(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let (response, offset) = HubResponseHeaders.response(fuzzInput: text, url: address) else { return 0 }

    do {
        let metadata = try HubResponseHeaders.metadata(response, url: address)
        require(
            metadata.commit.utf8.count == 40 && metadata.commit.allSatisfy(\.isHexDigit),
            "commit \(metadata.commit) is not a commit hash")
        require(
            !metadata.etag.isEmpty && !metadata.etag.contains("/") && !metadata.etag.hasPrefix(".")
                && metadata.etag.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) },
            "etag \(metadata.etag.debugDescription) cannot name a file in the blobs folder")
        require(!metadata.isLFS || metadata.etag.utf8.count == 64, "an LFS etag is not a sha256")
        require(metadata.size.map { $0 >= 0 } ?? true, "a negative size \(metadata.size!) was read")
    } catch {
        guard case HubError.invalidMetadata = error else {
            fatalError("property violated: reading the metadata threw \(error), not HubError.invalidMetadata")
        }
    }
    let size = HubResponseHeaders.announcedSize(response, resumedFrom: offset)
    require(size.map { $0 >= 0 } ?? true, "a negative announced size \(size!) was read")
    return 0
}

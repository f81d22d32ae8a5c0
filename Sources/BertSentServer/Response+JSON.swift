import HTTPTypes
import Hummingbird

extension Response {
    /// A JSON response: every body the service sends but `/metrics`.
    static func json(_ body: some Sequence<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
        -> Response
    {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

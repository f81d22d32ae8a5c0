import Foundation
import HTTPTypes
import NIOCore

extension APIError {
    /// The whole HTTP/1.1 response as bytes, ending the connection: for the answers written below the HTTP
    /// codec, to a connection refused before it has one or to a request cut off mid-read.
    func rawResponse() -> ByteBuffer {
        let body = (try? JSONEncoder.api.encode(Body(error: message, errorType: kind.rawValue))) ?? Data()
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for field in headers { head += "\(field.name.rawName): \(field.value)\r\n" }
        var buffer = ByteBuffer(string: head + "\r\n")
        buffer.writeBytes(body)
        return buffer
    }
}

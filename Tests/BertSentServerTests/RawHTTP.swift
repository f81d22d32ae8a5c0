import BertSent
import BertSentTestSupport
import Foundation

/// HTTP spoken byte by byte over a socket, for what URLSession will not send: chunked uploads, bodies
/// cut short, garbage.
enum RawHTTP {
    /// Connects to 127.0.0.1:`port`, sends `request`, and reads until the server closes or 10 s pass.
    static func exchange(port: Int, request: String) throws -> String {
        let socket = try connect(port: port)
        defer { close(socket) }
        try write(socket, request)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
            // One response is enough: stop once a complete JSON body has arrived.
            if let text = String(data: received, encoding: .utf8), text.contains("\r\n\r\n"),
                text.hasSuffix("}") || text.hasSuffix("0\r\n\r\n")
            {
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Connects, sends `bytes`, and hangs up without reading.
    static func sendAndClose(port: Int, bytes: String) throws {
        let socket = try connect(port: port)
        try write(socket, bytes)
        close(socket)
    }

    /// A slow client: connects, sends `prefix` at once and then `request` a byte every `interval`, and
    /// returns what the server sent back before closing (empty if it just closed) and when, from
    /// connecting; gives up (nil) after `patience`. Blocks: call it off the concurrency pool.
    static func trickle(
        port: Int, prefix: String = "", request: String, interval: Duration, patience: Duration = .seconds(60)
    ) throws -> (reply: String, elapsed: Duration)? {
        let clock = ContinuousClock()
        let socket = try connect(port: port)
        defer { close(socket) }
        let start = clock.now
        try write(socket, prefix)
        let microseconds = Int(interval / .microseconds(1))
        var timeout = timeval(tv_sec: microseconds / 1_000_000, tv_usec: .init(microseconds % 1_000_000))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var unsent = Array(request.utf8)[...]
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while clock.now - start < patience {
            if let byte = unsent.popFirst() {
                // A refused or cut-off client may still be sending; the server's answer is what counts.
                _ = withUnsafeBytes(of: byte) { send(socket, $0.baseAddress, 1, TestSocket.sendFlags) }
            }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return (String(decoding: received, as: UTF8.self), clock.now - start)
            }
        }
        return nil
    }

    /// A POST whose body is sent chunked, without Content-Length.
    static func chunkedPost(_ path: String, body: Data) -> String {
        let text = String(decoding: body, as: UTF8.self)
        var chunks = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            let chunk = rest.prefix(1_000)
            rest = rest.dropFirst(chunk.count)
            chunks += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"
        }
        return
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + chunks + "0\r\n\r\n"
    }

    private static func connect(port: Int) throws -> Int32 {
        let socket = TestSocket.openTCP()
        guard socket >= 0 else { throw TestFailure("socket() failed") }
        guard TestSocket.connectLoopback(socket, port: port) == 0 else {
            close(socket)
            throw TestFailure("connect to port \(port) failed (errno \(errno))")
        }
        return socket
    }

    private static func write(_ socket: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, TestSocket.sendFlags) }
            // The server may answer and close before reading everything (a 413); that is not our failure.
            if count <= 0 { return }
            sent += count
        }
    }
}

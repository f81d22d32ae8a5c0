import BertSent
import BertSentServer
import Foundation
import Testing

/// Slow clients are cut off by a total deadline for the request, and connections beyond the limit are
/// refused at once, so neither can starve the clients that send requests at a normal pace. Timings are
/// only bounded from below (a deadline never fires early) or loosely, for a loaded machine.
@Suite("Server: slow clients and the connection limit", .serialized, .tags(.defaultModel))
struct SlowClientTests {
    static let head =
        "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"

    @Test("a byte every 250 ms does not keep a request alive: 408 at the read deadline, head or body")
    func slowClientIsCutOff() async throws {
        // Sent whole, either request would take 20 s or more; each byte comes well within the idle timeout.
        try await withServer({ $0.requestReadTimeoutSeconds = 2 }) { server in
            let port = server.port
            async let slowHead = onThread {
                try RawHTTP.trickle(port: port, request: Self.head, interval: .milliseconds(250))
            }
            async let slowBody = onThread {
                try RawHTTP.trickle(
                    port: port, prefix: Self.head, request: String(repeating: " ", count: 200),
                    interval: .milliseconds(250))
            }
            // A client that says nothing is closed at the deadline too, without an answer to nothing.
            async let silent = onThread {
                try RawHTTP.trickle(port: port, request: "", interval: .milliseconds(250))
            }
            for (name, outcome) in try await [("slow head", slowHead), ("slow body", slowBody)] {
                let (reply, elapsed) = try #require(outcome, "\(name): still open after 60 s")
                #expect(reply.hasPrefix("HTTP/1.1 408"), "\(name): \(reply)")
                #expect(reply.contains(#""error_type":"RequestTimeout""#), "\(name): \(reply)")
                #expect(elapsed >= .milliseconds(1_900), "\(name): cut off after \(elapsed)")
                #expect(elapsed < .seconds(20), "\(name): cut off after \(elapsed)")
            }
            let (nothing, elapsed) = try #require(try await silent, "silent: still open after 60 s")
            #expect(nothing.isEmpty, "\(nothing)")
            #expect(elapsed >= .milliseconds(1_900) && elapsed < .seconds(20), "silent: closed after \(elapsed)")

            let metrics = try await server.get("/metrics").text
            #expect(prometheusValue(metrics, "bertsent_request_read_timeouts_total") == 3, "\(metrics)")
            #expect(try await server.post("/predict", json: #"{"inputs": "still serving"}"#).status == 200)
        }
    }

    @Test("more slow clients than connections: the surplus gets 503 at once, the rest 408, then requests are served")
    func slowClientsBeyondTheLimit() async throws {
        let limit = 4
        try await withServer({
            $0.maxConnections = limit
            $0.requestReadTimeoutSeconds = 2
            // The idle timeout, so the health checks' connections close soon; longer than the read deadline,
            // which it would otherwise preempt for clients still sending a request's head.
            $0.requestTimeoutSeconds = 4
        }) { server in
            let port = server.port
            // Only the metrics request's own connection open: every place is free for the slow clients.
            for _ in 0..<100 {
                let open = prometheusValue(try await server.get("/metrics").text, "bertsent_open_connections")
                if open == 1 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let outcomes = try await withThrowingTaskGroup(of: (reply: String, elapsed: Duration)?.self) { group in
                for _ in 0..<(2 * limit + 2) {
                    group.addTask {
                        try await onThread {
                            try RawHTTP.trickle(port: port, request: Self.head, interval: .milliseconds(500))
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let replies = try outcomes.map { try #require($0, "a slow client was still connected after 60 s").reply }
            let cutOff = replies.filter { $0.hasPrefix("HTTP/1.1 408") }.count
            let refused = replies.filter { $0.hasPrefix("HTTP/1.1 503") }.count
            #expect(cutOff + refused == replies.count, "\(replies)")
            // The metrics request's connection may still hold a place.
            #expect(cutOff >= limit - 1 && cutOff <= limit, "\(cutOff) cut off, \(refused) refused")
            #expect(replies.allSatisfy { !$0.hasPrefix("HTTP/1.1 503") || $0.contains("Retry-After: 1") }, "\(replies)")

            // The slow clients are gone: a client at a normal pace is served (retrying while the places the
            // refused connections held are freed).
            var status = 0
            for _ in 0..<100 where status != 200 {
                status = (try? await server.post("/predict", json: #"{"inputs": "served after all"}"#).status) ?? 0
                if status != 200 { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(status == 200)
            let metrics = try await server.get("/metrics").text
            #expect(prometheusValue(metrics, "bertsent_refused_connections_total") == Double(refused), "\(metrics)")
            #expect((prometheusValue(metrics, "bertsent_open_connections") ?? 99) <= Double(limit), "\(metrics)")
        }
    }

    @Test("the connection limit and the read deadline are settings, checked")
    func settings() throws {
        var configuration = ServerConfiguration()
        configuration.maxConnections = 0
        #expect(throws: SettingsError.outOfRange(setting: "max_connections", value: "0", requirement: "at least 1")) {
            try configuration.validate()
        }
        configuration = ServerConfiguration()
        configuration.requestReadTimeoutSeconds = 0
        #expect { try configuration.validate() } throws: {
            guard case .outOfRange(setting: "request_read_timeout", _, _) = $0 as? SettingsError else { return false }
            return true
        }
    }
}

/// Runs blocking socket code on a thread of its own, so slow clients do not hold the threads the
/// server's own tasks run on.
private func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One blocking HTTP exchange with the Hub, streaming a 2xx body into a file when asked.
/// Blocking is fine: the CLI downloads before it does anything else.
enum HubHTTP {
    /// How redirects are handled: metadata requests follow only relative ones (a redirect to the CDN
    /// carries the metadata itself); downloads follow all, dropping `Authorization` on another host.
    enum Redirects { case relativeOnly, all }

    /// Sends `request`; when `sink` is given, a 2xx body is appended to it, after `prepare` has seen the
    /// response (e.g. to truncate a partial file the server will send whole). Returns the final response.
    static func perform(
        _ request: URLRequest, redirects: Redirects, sink: FileHandle? = nil,
        prepare: (@Sendable (HTTPURLResponse) throws -> Void)? = nil
    ) throws -> HTTPURLResponse {
        let exchange = Exchange(redirects: redirects, sink: sink, prepare: prepare)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = request.timeoutInterval
        let session = URLSession(configuration: configuration, delegate: exchange, delegateQueue: nil)
        session.dataTask(with: request).resume()
        exchange.done.wait()
        session.finishTasksAndInvalidate()
        let url = request.url?.absoluteString ?? "?"
        if let failure = exchange.failure {
            if let error = failure as? BertSentError { throw error }
            throw BertSentError("\(request.httpMethod ?? "GET") \(url) failed: \(failure.localizedDescription)")
        }
        guard let response = exchange.response else {
            throw BertSentError("\(request.httpMethod ?? "GET") \(url) got no HTTP response")
        }
        return response
    }

    /// The URLSession delegate; its state is written on the session's queue and read after `done`.
    private final class Exchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let redirects: Redirects
        let sink: FileHandle?
        let prepare: (@Sendable (HTTPURLResponse) throws -> Void)?
        let done = DispatchSemaphore(value: 0)
        var response: HTTPURLResponse?
        var failure: Error?
        var writing = false

        init(redirects: Redirects, sink: FileHandle?, prepare: (@Sendable (HTTPURLResponse) throws -> Void)?) {
            self.redirects = redirects
            self.sink = sink
            self.prepare = prepare
        }

        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            let location = response.value(forHTTPHeaderField: "Location") ?? ""
            let isRelative = URL(string: location)?.scheme == nil
            if redirects == .relativeOnly && !isRelative {
                completionHandler(nil)
                return
            }
            var next = request
            // The token is for the Hub only, never for a CDN or any other host it redirects to.
            if next.url?.host != task.originalRequest?.url?.host || next.url?.port != task.originalRequest?.url?.port {
                next.setValue(nil, forHTTPHeaderField: "Authorization")
            }
            completionHandler(next)
        }

        func urlSession(
            _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
            completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
        ) {
            self.response = response as? HTTPURLResponse
            if let http = self.response, (200..<300).contains(http.statusCode), sink != nil {
                do {
                    try prepare?(http)
                    writing = true
                } catch {
                    failure = error
                    completionHandler(.cancel)
                    return
                }
            }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            guard writing, failure == nil, let sink else { return }
            do { try sink.write(contentsOf: data) } catch {
                failure = BertSentError("cannot write the download: \(error.localizedDescription)")
                dataTask.cancel()
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            if failure == nil, let error { failure = error }
            // A redirect refused by `relativeOnly` completes with the 3xx response, which is what we want.
            if response == nil, let http = task.response as? HTTPURLResponse { response = http }
            done.signal()
        }
    }
}

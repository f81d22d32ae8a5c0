import BertSentCore
import BertSentFormats
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

    /// Where a 2xx body goes.
    struct Download: Sendable {
        /// Receives the body, appended at its current offset.
        var sink: FileHandle
        /// Sees the response before any byte is written: may check it or truncate the sink (a server
        /// that ignores Range sends the whole file), or throw to stop before anything is written.
        var prepare: @Sendable (HTTPURLResponse) throws -> Void
        /// Called after each piece of the body is written.
        var written: @Sendable () -> Void
    }

    /// Sends `request` with `timeout` for connecting and between pieces of data; with `download`, a
    /// 2xx body goes to its sink. Returns the final response; a failed exchange throws a `HubError` naming
    /// the URL (never the headers, which may carry the token), or the `HubError` `prepare` threw; a failed
    /// write to the sink throws the write's own error.
    static func perform(_ request: URLRequest, timeout: HubTimeout, redirects: Redirects, download: Download? = nil)
        throws -> HTTPURLResponse
    {
        var request = request
        request.timeoutInterval = timeout.seconds
        let exchange = Exchange(redirects: redirects, download: download)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout.seconds
        let session = URLSession(configuration: configuration, delegate: exchange, delegateQueue: nil)
        session.dataTask(with: request).resume()
        exchange.done.wait()
        session.finishTasksAndInvalidate()
        let (method, url) = (request.httpMethod ?? "GET", request.url?.absoluteString ?? "?")
        if let failure = exchange.failure {
            if let failure = failure as? SinkFailure { throw failure.error }
            if let error = failure as? HubError { throw error }
            if (failure as? URLError)?.code == .timedOut {
                throw HubError.timedOut(method: method, url: url, timeout: timeout)
            }
            throw HubError.requestFailed(method: method, url: url, reason: failure.localizedDescription)
        }
        guard let response = exchange.response else {
            throw HubError.requestFailed(method: method, url: url, reason: nil)
        }
        return response
    }

    /// Writing the body to its sink failed with `error`: passed on as that error, not as a failed request.
    private struct SinkFailure: Error {
        let error: any Error
    }

    /// The URLSession delegate; its state is written on the session's queue and read after `done`.
    // Sendable by hand: the vars are written only by the session's delegate queue and read only after `done` signals.
    private final class Exchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let redirects: Redirects
        let download: Download?
        let done = DispatchSemaphore(value: 0)
        var response: HTTPURLResponse?
        var failure: Error?
        var writing = false

        init(redirects: Redirects, download: Download?) {
            self.redirects = redirects
            self.download = download
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
            if let http = self.response, (200..<300).contains(http.statusCode), let download {
                do {
                    try download.prepare(http)
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
            guard writing, failure == nil, let download else { return }
            do {
                try download.sink.write(contentsOf: data)
                download.written()
            } catch {
                failure = SinkFailure(error: error)
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

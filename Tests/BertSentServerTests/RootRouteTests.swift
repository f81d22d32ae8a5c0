import BertSent
import BertSentServer
import BertSentTestSupport
import Foundation
import Testing

/// `/`: the page a browser opens (`GET`), and TEI's base-URL alias of `/predict` (`POST`), which
/// huggingface_hub's `InferenceClient(base_url:)` posts to.
@Suite("Server: / (the page, and POST / as /predict)", .serialized, .tags(.defaultModel))
struct RootRouteTests {
    /// The `src` and `href` values of a page: each names something the browser would load.
    func linkTargets(_ html: String) throws -> [String] {
        let attribute = try Regex(#"(?i)\b(?:src|href)\s*=\s*["']?([^"'\s>]*)"#)
        return html.matches(of: attribute).map { String($0.output[1].substring ?? "") }
    }

    @Test("GET / is one self-contained HTML page that calls /predict, with no key field unless the server has a key")
    func page() async throws {
        try await withServer { server in
            let reply = try await server.get("/")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
            #expect(reply.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            let html = reply.text
            #expect(html.hasPrefix("<!doctype html>"))
            #expect(html.contains(#"fetch("predict""#))
            #expect(html.contains("const requiresKey = false;"))
            // Nothing from elsewhere: no absolute or protocol-relative URL, no stylesheet import, and every
            // link target inline.
            #expect(!html.contains("://"))
            #expect(!html.contains("@import"))
            #expect(!html.contains("url("))
            let targets = try linkTargets(html)
            #expect(targets == ["data:,"], "\(targets)")
        }
    }

    @Test("with an API key, GET / needs none and shows the key field, while POST / needs the key")
    func pageWithAPIKey() async throws {
        try await withServer({ $0.apiKey = "s3cret-key" }) { server in
            let page = try await server.get("/")
            #expect(page.status == 200)
            #expect(page.text.contains("const requiresKey = true;"))
            let refused = try await server.post("/", json: #"{"inputs": "hi"}"#)
            #expect(refused.status == 401)
            #expect(refused.errorType == "Unauthorized")
            let answered = try await server.post(
                "/", json: #"{"inputs": "hi"}"#, headers: ["Authorization": "Bearer s3cret-key"])
            #expect(answered.status == 200, "\(answered.text)")
        }
    }

    @Test("POST / answers as /predict: the same body and headers, the same errors")
    func postIsPredict() async throws {
        try await withServer { server in
            let bodies = [
                #"{"inputs": "A wonderful, moving film."}"#,
                #"{"inputs": [["Dull."], ["Loved it."]], "raw_scores": true}"#,
                #"{"inputs": 5}"#,
                #"{"inputs": ""}"#,
            ]
            for body in bodies {
                let predict = try await server.post("/predict", json: body)
                let root = try await server.post("/", json: body)
                #expect(root.status == predict.status, "\(body)")
                #expect(root.body == predict.body, "\(body): \(root.text) vs \(predict.text)")
                let names = { (reply: HTTPReply) in Set(reply.headers.keys.map { $0.lowercased() }) }
                #expect(names(root) == names(predict), "\(body)")
                #expect(root.header("Content-Type") == predict.header("Content-Type"))
            }
            let wrongMethod = try await send("DELETE", server.url("/"))
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("Allow") == "GET, POST")
        }
    }

    @Test("/openapi.json lists GET / as HTML and POST / as the /predict operation")
    func openAPI() async throws {
        try await withServer { server in
            let document = try #require(try await server.get("/openapi.json").json() as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let root = try #require(paths["/"])
            let page = try #require(root["get"] as? [String: Any])
            let pageContent = (page["responses"] as? [String: [String: Any]])?["200"]?["content"] as? [String: Any]
            #expect(pageContent?.keys.sorted() == ["text/html"])
            #expect(page["security"] == nil, "the page needs no key")

            // The same operation but for its name and summary.
            func operation(_ path: String) throws -> NSDictionary {
                let post = try #require(paths[path]?["post"] as? [String: Any])
                return post.filter { $0.key != "operationId" && $0.key != "summary" } as NSDictionary
            }
            #expect(try operation("/") == operation("/predict"))
        }
    }
}

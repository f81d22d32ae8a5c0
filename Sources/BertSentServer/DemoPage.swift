import HTTPTypes
import Hummingbird

/// `GET /`: one page for a person to try the model in a browser. It classifies with `fetch` calls to
/// `/predict` and `/info`, and loads nothing else: its style and script are inline, so it works where the
/// server has no route to the internet, and its Content-Security-Policy lets the browser enforce that.
///
/// A Swift string rather than a resource file: the `bertsent` binary then carries the page wherever it is
/// copied, with no resource bundle to find beside it at run time.
enum DemoPage {
    /// The page; with `requiresAPIKey` it shows a field for the key and sends it with each request.
    static func html(requiresAPIKey: Bool) -> String {
        #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>bertsent</title>
        <link rel="icon" href="data:,">
        <style>
          body { font: 16px/1.45 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
          main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
          h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
          #model { margin: 0 0 1.25rem; color: #4b5566; }
          label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
          input, textarea { box-sizing: border-box; width: 100%; font: inherit; padding: .5rem;
                            border: 1px solid #b9c0cc; border-radius: 6px; background: #fff; }
          textarea { min-height: 8rem; resize: vertical; }
          button { font: inherit; cursor: pointer; border-radius: 6px; }
          #classify { margin-top: .75rem; padding: .5rem 1.25rem; border: 0; background: #2f5bd3; color: #fff; }
          #classify:disabled { background: #8ea3dc; cursor: wait; }
          .hint { margin: 1rem 0 0; color: #4b5566; }
          #examples { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 0; padding: 0; list-style: none; }
          #examples button { padding: .25rem .6rem; border: 1px solid #b9c0cc; background: #fff; color: #1d2330; }
          #error { padding: .75rem; border-radius: 6px; background: #fde8e8; color: #8a1c1c; white-space: pre-wrap; }
          #result { margin-top: 1.25rem; padding: 1rem; border-radius: 6px; background: #fff;
                    border: 1px solid #dde1e8; }
          #label { margin: 0 0 .75rem; font-size: 1.4rem; }
          .score { display: grid; grid-template-columns: 9rem 1fr 5.5rem; gap: .75rem; align-items: center;
                   margin: .35rem 0; }
          .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
          .bar { height: .9rem; border-radius: 4px; background: #e7eaf0; overflow: hidden; }
          .fill { height: 100%; background: #2f5bd3; }
          .probability { text-align: right; font-variant-numeric: tabular-nums; }
          #latency, #truncated { margin: .75rem 0 0; color: #4b5566; }
          #truncated { color: #7a4b00; }
        </style>
        </head>
        <body>
        <main>
          <h1>bertsent</h1>
          <p id="model">Loading the model's details…</p>
          <div id="key-field" hidden>
            <label for="key">API key</label>
            <input id="key" type="password" autocomplete="off" spellcheck="false"
                   placeholder="sent as Authorization: Bearer …">
          </div>
          <label for="text">Review</label>
          <textarea id="text" placeholder="Type or paste a review, then Classify."></textarea>
          <button id="classify" type="button">Classify</button>
          <p class="hint">Or click an example:</p>
          <ul id="examples" aria-label="Example reviews"></ul>
          <p id="error" role="alert" hidden></p>
          <section id="result" hidden>
            <h2 id="label"></h2>
            <div id="scores"></div>
            <p id="latency"></p>
            <p id="truncated" hidden></p>
          </section>
        </main>
        <script>
        "use strict";
        const requiresKey = \#(requiresAPIKey);
        const examples = [
          "A wonderful, moving film with a superb cast.",
          "Dull, far too long and badly acted.",
          "The plot was thin, but the acting made up for it.",
          "The pacing drags, yet the performances are quietly remarkable and moving. ".repeat(60).trim(),
        ];
        const element = (id) => document.getElementById(id);
        let info = null;

        function headers() {
          const key = element("key").value;
          return requiresKey && key !== "" ? { "Authorization": "Bearer " + key } : {};
        }

        // The server's errors are JSON {"error", "error_type"}; anything else is shown as it came.
        async function errorText(response) {
          const body = await response.text();
          try {
            const parsed = JSON.parse(body);
            if (typeof parsed.error === "string") return `${response.status} ${parsed.error_type}: ${parsed.error}`;
          } catch (_) {}
          return `${response.status} ${response.statusText} ${body}`.trim();
        }

        function showError(message) {
          element("error").textContent = message;
          element("error").hidden = false;
          element("result").hidden = true;
        }

        // The routes are fetched relative to the page, so it also works behind a proxy that serves the API under
        // a path such as /sentiment/.
        async function loadInfo() {
          const response = await fetch("info", { headers: headers() });
          if (!response.ok) throw new Error(await errorText(response));
          info = await response.json();
          element("model").textContent = `Model ${info.model_id} · ${info.precision}` +
            ` · labels ${info.labels.join(", ")}` +
            ` · reads at most ${info.max_input_length} tokens of a text: longer texts are cut there.`;
        }

        function render(scores, response, milliseconds) {
          element("label").textContent = scores[0].label;
          const rows = scores.map(({ label, score }) => {
            const row = document.createElement("div");
            row.className = "score";
            row.dataset.label = label;
            row.dataset.score = String(score);
            const name = document.createElement("span");
            name.className = "name";
            name.textContent = label;
            const bar = document.createElement("span");
            bar.className = "bar";
            const fill = document.createElement("span");
            fill.className = "fill";
            fill.style.display = "block";
            fill.style.width = `${score * 100}%`;
            bar.append(fill);
            const probability = document.createElement("span");
            probability.className = "probability";
            probability.textContent = `${(score * 100).toFixed(2)}%`;
            row.append(name, bar, probability);
            return row;
          });
          element("scores").replaceChildren(...rows);
          const tokens = Number(response.headers.get("x-compute-tokens"));
          element("latency").textContent = `Latency ${Math.round(milliseconds)} ms in the browser, ` +
            `${response.headers.get("x-total-time")} ms in the server · ${tokens} tokens read`;
          // The page sends truncate: true, so a long text is cut rather than refused; the tokens the server
          // read tell whether it reached the model's length.
          const cut = info !== null && tokens >= info.max_input_length;
          element("truncated").textContent = cut
            ? `This text filled the model's ${info.max_input_length} tokens: what follows them was cut and not read.`
            : "";
          element("truncated").hidden = !cut;
          element("error").hidden = true;
          element("result").hidden = false;
        }

        async function classify() {
          element("classify").disabled = true;
          const started = performance.now();
          try {
            const response = await fetch("predict", {
              method: "POST",
              headers: { "Content-Type": "application/json", ...headers() },
              body: JSON.stringify({ inputs: element("text").value, truncate: true }),
            });
            if (!response.ok) return showError(await errorText(response));
            const scores = await response.json();
            const milliseconds = performance.now() - started;
            if (info === null) await loadInfo().catch((error) => { element("model").textContent = error.message; });
            render(scores, response, milliseconds);
          } catch (error) {
            showError(`The server could not be reached: ${error.message}`);
          } finally {
            element("classify").disabled = false;
          }
        }

        for (const text of examples) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "example";
          button.textContent = text.length > 60 ? `${text.slice(0, 45)}… (${text.length} characters)` : text;
          button.addEventListener("click", () => { element("text").value = text; classify(); });
          const item = document.createElement("li");
          item.append(button);
          element("examples").append(item);
        }
        element("classify").addEventListener("click", classify);
        element("text").addEventListener("keydown", (event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) classify();
        });
        if (requiresKey) {
          element("key-field").hidden = false;
          element("model").textContent = "This server needs an API key: enter it, then classify a review.";
        } else {
          loadInfo().catch((error) => { element("model").textContent = error.message; });
        }
        </script>
        </body>
        </html>

        """#
    }

    /// Lets the page run its own inline style and script and call this server, and nothing else.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
        + "img-src data:; base-uri 'none'; form-action 'none'"

    /// The page as a response, with its content type and policy.
    static func response(_ html: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

"""huggingface_hub's InferenceClient against bertsent as TEI users point it (issue 22): `base_url` is the server's
root, so `text_classification` posts to `/`, which bertsent answers as `/predict`.

The server runs with an API key, which the client sends as `api_key`. For each text the client's answer must equal
/predict's for the same text: huggingface_hub keeps the first element of the list TEI answers a single text with
(`parse_obj_as_list(response)[0]`), so it returns the best class and its score, as it does against TEI itself.
The server's errors reach the client as HfHubHTTPError with their status and message: a text over the model's
length (422) and a wrong key (401).

Usage: hf_client_check.py --bertsent PATH. Exit 1 when a check fails.
"""
import argparse
import os
import secrets
import tempfile

from check_support import Check, Served

TEXTS = [
    "A wonderful, moving film with a superb cast.",
    "Dull, far too long and badly acted.",
    "The plot was thin, but the acting made up for it.",
    "Une très belle surprise 🎬 — <b>superb</b>!",
]

parser = argparse.ArgumentParser()
parser.add_argument("--bertsent", required=True)
args = parser.parse_args()
# No token file or endpoint of the machine is read: the client talks to base_url only.
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="hf-client-check-")
for name in ("HF_TOKEN", "HF_ENDPOINT", "HF_INFERENCE_ENDPOINT"):
    os.environ.pop(name, None)

import huggingface_hub  # noqa: E402
from huggingface_hub import InferenceClient  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402

check = Check()
print("huggingface_hub %s" % huggingface_hub.__version__)
key = secrets.token_urlsafe(16)
with Served(args.bertsent, api_key=key) as server:
    client = InferenceClient(base_url=server.url, api_key=key)
    for text in TEXTS:
        got = client.text_classification(text)
        best = server.predict({"inputs": text})[0]
        check(got.label == best["label"] and got.score == best["score"],
              "%r: client %s %r, /predict's best %s %r" % (text, got.label, got.score, best["label"], best["score"]))

    long_text = "The pacing drags, yet the performances are quietly remarkable and moving. " * 60
    status, refusal, _ = server.request("POST", "/predict", {"inputs": long_text})
    try:
        client.text_classification(long_text)
        check(False, "a text over the model's length is refused")
    except HfHubHTTPError as error:
        check(error.response.status_code == status == 422 and refusal["error"] in str(error),
              "a text over the model's length: the client raises /predict's %s: %s" % (status, refusal["error"]))

    status, refusal, _ = server.request("POST", "/predict", {"inputs": TEXTS[0]}, key=key + "-wrong")
    try:
        InferenceClient(base_url=server.url, api_key=key + "-wrong").text_classification(TEXTS[0])
        check(False, "a wrong key is refused")
    except HfHubHTTPError as error:
        check(error.response.status_code == status == 401 and refusal["error"] in str(error),
              "a wrong key: the client raises /predict's %s: %s" % (status, refusal["error"]))
raise SystemExit(check.exit_code())

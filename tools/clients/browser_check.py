"""The page at GET / in a real browser (issue 22): Debian's chromium, driven through chromium-driver by Selenium.

1. A server without a key: the page loads the model's details from /info; a typed review, classified with the
   button, shows the label and every class's probability (value, text and bar) that /predict gives for the same
   text; the long example is shown as cut at the model's length; the browser logged no error and loaded
   nothing but the server's own URLs. Screenshot: page.png.
2. A server with an API key: the page asks for it; with a wrong key it shows the server's 401 error as text
   (screenshot: wrong-key.png); with the right one it classifies as /predict does.

Usage: browser_check.py --bertsent PATH [--screenshots DIR]. Exit 1 when a check fails.
"""
import argparse
import os
import secrets
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from check_support import Check, Served

REVIEW = "A wonderful, moving film: the cast is superb and the ending stayed with me for days."
WAIT_SECONDS = 60

parser = argparse.ArgumentParser()
parser.add_argument("--bertsent", required=True)
parser.add_argument("--screenshots", default=os.path.join(os.getcwd(), "runs", "browser-check"))
args = parser.parse_args()
os.makedirs(args.screenshots, exist_ok=True)
check = Check()


def start_browser():
    options = Options()
    # Debian's own builds, found on PATH, so Selenium Manager has nothing to download.
    options.binary_location = shutil.which("chromium")
    # --no-sandbox: chromium refuses to run as root with its sandbox, and these machines run as root.
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,1100"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=shutil.which("chromedriver")))


def shown(driver, element_id):
    element = driver.find_element(By.ID, element_id)
    return element.text if element.is_displayed() else None


def wait_until_displayed(driver, element_id):
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.find_element(By.ID, element_id).is_displayed())


def classify(driver, text, key=None):
    """Types `text` (and `key`) and presses Classify."""
    if key is not None:
        field = driver.find_element(By.ID, "key")
        field.clear()
        field.send_keys(key)
    box = driver.find_element(By.ID, "text")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.ID, "classify").click()


def check_scores_shown(driver, expected, what):
    """The label and every row (label, exact score, percentage text, bar length) against /predict's answer."""
    check(shown(driver, "label") == expected[0]["label"],
          "%s: label shown %r, /predict's best %r" % (what, shown(driver, "label"), expected[0]["label"]))
    rows = driver.find_elements(By.CSS_SELECTOR, "#scores .score")
    got = [(row.get_attribute("data-label"), float(row.get_attribute("data-score"))) for row in rows]
    want = [(entry["label"], entry["score"]) for entry in expected]
    check(got == want, "%s: every class's probability equals /predict's: %s" % (what, got))
    texts = [row.find_element(By.CLASS_NAME, "probability").text for row in rows]
    check(texts == ["%.2f%%" % (score * 100) for _, score in want], "%s: percentages shown %s" % (what, texts))
    bars = [row.find_element(By.CLASS_NAME, "fill").size["width"] / row.find_element(By.CLASS_NAME, "bar").size["width"]
            for row in rows]
    check(all(abs(bar - score) < 0.01 for bar, (_, score) in zip(bars, want)),
          "%s: bar lengths %s follow the probabilities" % (what, ["%.3f" % bar for bar in bars]))


driver = start_browser()
try:
    with Served(args.bertsent) as server:
        _, info, _ = server.request("GET", "/info")
        driver.get(server.url + "/")
        WebDriverWait(driver, WAIT_SECONDS).until(lambda d: shown(d, "model").startswith("Model "))
        model = shown(driver, "model")
        check(info["model_id"] in model and info["precision"] in model and str(info["max_input_length"]) in model,
              "the page names the model, precision and max length from /info: %r" % model)
        check(shown(driver, "key-field") is None, "no key field when the server has no key")

        classify(driver, REVIEW)
        wait_until_displayed(driver, "result")
        check_scores_shown(driver, server.predict({"inputs": REVIEW, "truncate": True}), "typed review")
        check((shown(driver, "latency") or "").startswith("Latency "), "latency shown: %r" % shown(driver, "latency"))
        check(shown(driver, "truncated") is None, "a short review is not marked as cut")
        page_png = os.path.join(args.screenshots, "page.png")
        driver.save_screenshot(page_png)

        long_example = driver.find_elements(By.CLASS_NAME, "example")[-1]
        long_example.click()
        wait_until_displayed(driver, "truncated")
        long_text = driver.find_element(By.ID, "text").get_attribute("value")
        check(str(info["max_input_length"]) in shown(driver, "truncated"),
              "the long example is shown as cut: %r" % shown(driver, "truncated"))
        check_scores_shown(driver, server.predict({"inputs": long_text, "truncate": True}), "long example")

        errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        check(errors == [], "the browser logged no error (a blocked load would be one): %s" % errors)
        loaded = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".concat(performance.getEntriesByType('navigation').map(e => e.name))")
        check(all(url.startswith(server.url + "/") for url in loaded) and len(loaded) >= 3,
              "the page loaded only the server's own URLs: %s" % sorted(set(loaded)))

    key = secrets.token_urlsafe(16)
    with Served(args.bertsent, api_key=key) as server:
        driver.get(server.url + "/")
        wait_until_displayed(driver, "key-field")
        check(True, "GET / opens without a key and shows the key field")
        wrong = key + "-wrong"
        classify(driver, REVIEW, key=wrong)
        wait_until_displayed(driver, "error")
        status, answer, _ = server.request("POST", "/predict", {"inputs": REVIEW, "truncate": True}, key=wrong)
        expected_error = "%s %s: %s" % (status, answer["error_type"], answer["error"])
        check(shown(driver, "error") == expected_error, "a wrong key's error is shown: %r" % shown(driver, "error"))
        check(shown(driver, "result") is None, "no result is shown with the error")
        wrong_key_png = os.path.join(args.screenshots, "wrong-key.png")
        driver.save_screenshot(wrong_key_png)

        classify(driver, REVIEW, key=key)
        wait_until_displayed(driver, "result")
        check(shown(driver, "error") is None, "the right key clears the error")
        check(shown(driver, "model").startswith("Model "), "the page loads /info with the key it was given")
        check_scores_shown(driver, server.predict({"inputs": REVIEW, "truncate": True}), "with the right key")
finally:
    driver.quit()

print("screenshots: %s (the classified review), %s (a wrong key's error)" % (page_png, wrong_key_png))
raise SystemExit(check.exit_code())

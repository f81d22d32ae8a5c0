#!/usr/bin/env python3
"""The IMDB recipe in PyTorch, on the same texts bertsent trains on (issue 5, item 9).

Two steps (tools/reference/imdb_recipe.sh runs the whole comparison):

  split  The recipe's own split of the IMDB CSV, without sklearn: `train_test_split(test_size=0.98,
         random_state=13)` is a `numpy.random.RandomState(13).permutation(50000)` whose last 1,000
         indices are the training set and whose first 1,000 the test set it evaluates (`X_test[:1000]`)
         — 534/466 positive/negative and 499/501, as the recipe's original run printed. Writes train.csv
         and test.csv (raw texts, review,sentiment) for `bertsent train train.csv --validation-file test.csv`.

  train  The recipe's `BertSentimentClassifier` (AutoModel + Linear(hidden, 1) on pooler_output, sigmoid,
         BCELoss), Adam lr 5e-5, `get_cosine_schedule_with_warmup(10, 100)`, batch 20, 3 epochs in file
         order (no shuffling), each batch padded to its longest text, then accuracy on the test set.
         Reads the texts *after bertsent's cleaning* (the validation.csv files bertsent writes).
         As in the recipe, nothing calls model.train(): `from_pretrained` leaves BERT in eval mode, so
         dropout is off while training. The schedule spans 100 updates while 3 × 50 = 150 are taken;
         past 100 HF's cosine is not clamped but rises again (lr 0 at update 100, 2.85e-5 at 149).
         `--max-steps 100` stops after 100 updates instead (what bertsent's --max-steps 100 does).
"""
import argparse
import csv
import gc
import json
import math
import os
import sys
import time

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_MODEL = os.path.join(os.environ.get("BERTSENT_HOME", os.path.expanduser("~/.cache/bertsent")),
                             "models", "all-MiniLM-L6-v2")


def read_csv(path, text_column="review", label_column="sentiment"):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return [r[text_column] for r in rows], [r[label_column] for r in rows]


def write_csv(path, texts, labels):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["review", "sentiment"])
        writer.writerows(zip(texts, labels))


def split(args):
    import numpy as np

    texts, labels = read_csv(args.imdb)
    n = len(texts)
    n_test = math.ceil(0.98 * n)  # sklearn's _validate_shuffle_split
    n_train = n - n_test
    permutation = np.random.RandomState(args.random_state).permutation(n)
    train, test = permutation[n_test:n_test + n_train], permutation[:n_test][:args.test_count]
    os.makedirs(args.out, exist_ok=True)
    for name, indices in (("train", train), ("test", test)):
        write_csv(os.path.join(args.out, f"{name}.csv"), [texts[i] for i in indices], [labels[i] for i in indices])
        positive = sum(labels[i] == "positive" for i in indices)
        print(f"{name}.csv: {len(indices)} reviews, {positive} positive / {len(indices) - positive} negative")


def train(args):
    import torch
    from transformers import AutoModel, AutoTokenizer, get_cosine_schedule_with_warmup

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.torch_seed)

    class BertSentimentClassifier(torch.nn.Module):  # the recipe's, verbatim
        def __init__(self, model_name):
            super(BertSentimentClassifier, self).__init__()
            self.bert = AutoModel.from_pretrained(model_name)
            self.cls_head = torch.nn.Linear(self.bert.config.hidden_size, 1)
            self.loss_fn = torch.nn.BCELoss()

        def forward(self, input_ids, attention_mask, token_type_ids, labels=None):
            bert_output = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            logits = self.cls_head(bert_output.pooler_output)
            probs = torch.nn.functional.sigmoid(logits).squeeze(-1)
            loss = None
            if labels is not None:
                loss = self.loss_fn(probs, labels)
            return loss, probs

    X_train, train_labels = read_csv(args.train)
    X_test, test_labels = read_csv(args.test)
    y_train = [0 if s == "negative" else 1 for s in train_labels]  # as in the recipe: label 1, 0 where negative
    y_test = [0 if s == "negative" else 1 for s in test_labels]

    tokenizer = AutoTokenizer.from_pretrained(args.model, local_files_only=True)
    model = BertSentimentClassifier(args.model)
    print(f"model {args.model}: {sum(p.numel() for p in model.parameters()):,} parameters; "
          f"bert.training={model.bert.training} (dropout {'on' if model.bert.training else 'off'}, as in the recipe)")
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    scheduler = get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=args.warmup_steps,
                                                num_training_steps=args.schedule_steps)
    epochs, batch_size = args.epochs, args.batch_size

    def encode(texts):
        return tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=args.max_length)

    def evaluate():
        correct_records, probabilities = 0, []
        with torch.no_grad():  # the recipe evaluates the same (eval-mode) model; no_grad only saves memory
            for i in range(0, len(X_test), batch_size):
                batch_data = encode(X_test[i:i + batch_size])
                batch_y = torch.FloatTensor(y_test[i:i + batch_size])
                _, logits = model(input_ids=batch_data.input_ids, attention_mask=batch_data.attention_mask,
                                  token_type_ids=batch_data.token_type_ids)
                correct_records += torch.sum((1 * logits >= 0.5) == batch_y).item()
                probabilities += logits.tolist()
        return correct_records / len(X_test), probabilities

    log, step, started, paused, intermediate = [], 0, time.time(), 0.0, {}
    for epoch in range(epochs):
        in_losses, total_records, correct_records = [], 0, 0
        for i in range(0, len(X_train), batch_size):
            if args.max_steps and step >= args.max_steps:
                break
            batch_data = encode(X_train[i:i + batch_size])
            batch_y = torch.FloatTensor(y_train[i:i + batch_size])
            lr = optimizer.param_groups[0]["lr"]
            loss, logits = model(input_ids=batch_data.input_ids, attention_mask=batch_data.attention_mask,
                                 token_type_ids=batch_data.token_type_ids, labels=batch_y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            step += 1
            in_losses.append(loss.item())
            total_records += len(batch_y)
            correct_records += torch.sum((1 * logits >= 0.5) == batch_y).item()
            log.append({"step": step, "epoch": epoch, "loss": loss.item(), "learning_rate": lr,
                        "seconds": round(time.time() - started, 2)})
            if step % 10 == 0 or step == 1:
                print(f"step {step} epoch {epoch} loss {loss.item():.4f} lr {lr:.3g} {time.time() - started:.0f} s", flush=True)
            _ = gc.collect()
            if step in args.eval_at:  # no dropout and no RNG in eval mode: training continues unchanged
                pause = time.time()
                intermediate[step], _ = evaluate()
                paused += time.time() - pause
                print(f"step {step}: test accuracy {intermediate[step]:.4f}", flush=True)
        if in_losses:
            print(f"epoch: {epoch} train loss: {sum(in_losses) / len(in_losses):.4f}, "
                  f"accuracy: {correct_records / total_records:.4f}", flush=True)
    train_seconds = time.time() - started - paused

    started = time.time()
    accuracy, probabilities = evaluate()
    eval_seconds = time.time() - started
    print(f"accuracy: {accuracy:.4f} on {len(X_test)} test reviews; {step} updates in {train_seconds:.0f} s, "
          f"evaluation {eval_seconds:.0f} s")
    if args.output:
        with open(args.output, "w") as f:
            json.dump({"accuracy": accuracy, "updates": step, "train_seconds": train_seconds,
                       "eval_seconds": eval_seconds,
                       "accuracy_at_step": intermediate, "settings": vars(args), "log": log,
                       "test_probabilities": probabilities}, f, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    s = commands.add_parser("split", help="the recipe's 1,000 train / 1,000 test split of the IMDB CSV")
    s.add_argument("--imdb", required=True, help="IMDB_Dataset.csv (review,sentiment; 50,000 rows)")
    s.add_argument("--out", required=True, help="folder for train.csv and test.csv")
    s.add_argument("--random-state", type=int, default=13)
    s.add_argument("--test-count", type=int, default=1000)
    t = commands.add_parser("train", help="the recipe's training loop and evaluation")
    t.add_argument("--train", required=True, help="training CSV (bertsent-cleaned texts, review,sentiment)")
    t.add_argument("--test", required=True, help="test CSV (bertsent-cleaned texts)")
    t.add_argument("--model", default=DEFAULT_MODEL, help="a Hugging Face folder (default: bertsent's MiniLM)")
    t.add_argument("--max-length", type=int, default=256, help="truncation (originally the tokenizer's 512)")
    t.add_argument("--learning-rate", type=float, default=5e-5)
    t.add_argument("--warmup-steps", type=int, default=10)
    t.add_argument("--schedule-steps", type=int, default=100, help="num_training_steps of the cosine schedule")
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--max-steps", type=int, default=0, help="stop after this many updates (0: all epochs)")
    t.add_argument("--eval-at", type=int, nargs="*", default=[100],
                   help="also report test accuracy after these updates (100: where the schedule ends)")
    t.add_argument("--batch-size", type=int, default=20)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--torch-seed", type=int, default=42, help="seeds the head's initialisation (the recipe sets none)")
    t.add_argument("--output", help="write accuracy, timings, the step log and test probabilities as JSON")
    args = parser.parse_args()
    split(args) if args.command == "split" else train(args)


if __name__ == "__main__":
    main()

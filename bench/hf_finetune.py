"""The Hugging Face side of bench/run.sh's end-to-end comparison: the demo's fine-tune (scripts/demo.sh)
with transformers' Trainer on the same split bertsent trained on — lr 2e-5, batch 8, 3 epochs, weight
decay 0.01, 500 warmup steps, max length 256 with dynamic padding, evaluation and a checkpoint every
epoch, best model by accuracy, early stopping patience 2, seed 42, 2 threads. Prints one JSON line.

    python bench/hf_finetune.py --train train.csv --validation validation.csv --output-dir DIR [--bf16]
"""
import argparse
import csv
import json
import os
import resource
import sys
import time

import numpy as np
import torch

DEFAULT_MODEL = os.path.expanduser(
    os.path.join(os.environ.get("BERTSENT_HOME", "~/.cache/bertsent"), "models", "all-MiniLM-L6-v2"))


def read(path):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["review"] for r in rows], [r["sentiment"] for r in rows]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train", required=True)
    p.add_argument("--validation", required=True)
    p.add_argument("--output-dir", required=True)
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=float, default=3)
    p.add_argument("--bf16", action="store_true", help="TrainingArguments(bf16=True): mixed precision under CPU autocast")
    args = p.parse_args()
    start = time.perf_counter()
    torch.set_num_threads(args.threads)

    from transformers import (AutoTokenizer, BertForSequenceClassification, DataCollatorWithPadding,
                              EarlyStoppingCallback, Trainer, TrainingArguments)

    train_texts, train_labels = read(args.train)
    val_texts, val_labels = read(args.validation)
    classes = sorted(set(train_labels) | set(val_labels))
    label_id = {c: i for i, c in enumerate(classes)}
    tok = AutoTokenizer.from_pretrained(args.model)

    def encode(texts, labels):
        enc = tok(texts, truncation=True, max_length=256)
        return [{"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i],
                 "attention_mask": enc["attention_mask"][i], "labels": label_id[labels[i]]} for i in range(len(texts))]

    train_set, val_set = encode(train_texts, train_labels), encode(val_texts, val_labels)
    model = BertForSequenceClassification.from_pretrained(
        args.model, num_labels=len(classes), id2label=dict(enumerate(classes)), label2id=label_id)

    def metrics(prediction):
        logits, labels = prediction
        return {"accuracy": float((np.argmax(logits, axis=-1) == labels).mean())}

    training_args = TrainingArguments(
        output_dir=args.output_dir, learning_rate=2e-5, per_device_train_batch_size=8, per_device_eval_batch_size=32,
        num_train_epochs=args.epochs, weight_decay=0.01, warmup_steps=500, eval_strategy="epoch", save_strategy="epoch",
        save_total_limit=2, load_best_model_at_end=True, metric_for_best_model="accuracy", seed=42, use_cpu=True,
        report_to="none", disable_tqdm=True, logging_steps=50, dataloader_num_workers=0, bf16=args.bf16)
    trainer = Trainer(model=model, args=training_args, train_dataset=train_set, eval_dataset=val_set,
                      processing_class=tok, data_collator=DataCollatorWithPadding(tok), compute_metrics=metrics,
                      callbacks=[EarlyStoppingCallback(early_stopping_patience=2)])
    train_start = time.perf_counter()
    output = trainer.train()
    train_seconds = time.perf_counter() - train_start
    final = trainer.evaluate()
    print(json.dumps({
        "wallSeconds": time.perf_counter() - start, "trainSeconds": train_seconds, "steps": output.global_step,
        "trainSamples": len(train_set), "validationSamples": len(val_set), "accuracy": final["eval_accuracy"],
        "evalLoss": final["eval_loss"], "attnImplementation": model.config._attn_implementation, "bf16": args.bf16,
        "peakResidentMegabytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()

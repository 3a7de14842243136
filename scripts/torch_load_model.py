#!/usr/bin/env python3
"""Load a model file saved by `descent train --save-weights FILE.safetensors` with the official
`safetensors` library (tensors and metadata), rebuild it as a PyTorch `nn.Sequential` of the same
shape, load the state dict, and check its predictions against `descent predict` on a few rows.

    python3 scripts/torch_load_model.py MODEL.safetensors DATA.csv [--descent PATH] [--rows N]

The metadata holds everything needed (see Sources/DescentTrain/ModelFile/ModelCard.swift): the model
(kind, sizes, activation), the feature names in order, the standardiser's means and deviations, the
class labels, and the SHA-256 of each tensor's bytes (checked here with hashlib). A model trained on
a raw CSV file carries its preprocessing (`descent.preprocessing`: median fill and missing indicators,
0/1 booleans, one-hot or embedded categories, the target's standardisation): this script applies it to
the raw rows in Python and rebuilds the embeddings as `nn.Embedding`s in a first layer (`TabularInput`,
names `0.tables.i.weight`). Exit status 0 when the labels agree on every row and the probabilities
within 1e-5.
"""
import math
import argparse
import csv
import datetime
import hashlib
import json
import re
import struct
import subprocess
import sys
import tempfile

import torch
from safetensors import safe_open
from safetensors.torch import load_file


class TabularInput(torch.nn.Module):
    """Dense inputs passed through, then one embedding per categorical code, concatenated (Descent's TabularInput)."""

    def __init__(self, dense, tables):
        super().__init__()
        self.dense = dense
        self.tables = torch.nn.ModuleList(torch.nn.Embedding(count, dimension) for count, dimension in tables)

    def forward(self, x):
        codes = x[:, self.dense:].long()
        return torch.cat([x[:, :self.dense]] + [table(codes[:, i]) for i, table in enumerate(self.tables)], dim=1)


def build(model):
    if model["kind"] != "mlp":
        raise SystemExit(f"this script rebuilds MLPs; the file holds a {model['kind']}")
    tables = model.get("embeddings") or []
    layers = []
    first = model["input_size"]
    if tables:
        layers.append(TabularInput(model["input_size"] - len(tables), tables))
        first = model["input_size"] - len(tables) + sum(dimension for _, dimension in tables)
    widths = [first, *model["hidden_sizes"], model["output_size"]]
    for index, (fan_in, fan_out) in enumerate(zip(widths, widths[1:])):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        if index < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def verify_checksums(path, metadata):
    """Checks `descent.tensor_sha256` (the SHA-256 of each tensor's bytes, by name) with hashlib."""
    if "descent.tensor_sha256" not in metadata:
        print("checksums: none recorded (the tensors are not verified)")
        return
    recorded = json.loads(metadata["descent.tensor_sha256"])
    with open(path, "rb") as handle:
        data = handle.read()
    length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + length])
    names = sorted(name for name in header if name != "__metadata__")
    if sorted(recorded) != names:
        raise SystemExit(f"{path}: checksums are recorded for {sorted(recorded)}, the file holds {names}")
    for name in names:
        begin, end = header[name]["data_offsets"]
        if hashlib.sha256(data[8 + length + begin:8 + length + end]).hexdigest() != recorded[name]:
            raise SystemExit(f"{path}: tensor {name} does not match the SHA-256 recorded for it")
    print(f"checksums: the {len(names)} tensors match their recorded SHA-256 (hashlib)")


def parse_number(cell, number_format):
    """A cell as Descent's NumberFormat reads it: plain, "1,234.5" (thousands_separators), "1.234,5" (decimal_comma),
    "($1,234.50)", "13.99%" (accounting) or "12,50 €" (accounting_decimal_comma)."""
    if number_format in ("accounting", "accounting_decimal_comma"):
        try:
            return float(cell)
        except ValueError:
            pass
        body, negative = cell.strip(), False
        if body.startswith("(") and body.endswith(")"):
            negative, body = True, body[1:-1].strip()
        if not negative and body.startswith("-"):
            negative, body = True, body[1:]
        if body[:1] and body[:1] in "$€£¥":
            body = body[1:].strip()
        elif body[-1:] and body[-1:] in "$€£¥":
            body = body[:-1].strip()
        if body.endswith("%"):
            body = body[:-1].strip()
        if not negative and body.startswith("-"):
            negative, body = True, body[1:]
        if not body[:1] or not (body[0].isdigit() or body[0] == "."):
            raise ValueError(cell)
        value = parse_number(body, "thousands_separators" if number_format == "accounting" else "decimal_comma")
        return -value if negative else value
    if number_format == "thousands_separators" and "," in cell:
        if not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", cell):
            raise ValueError(cell)
        cell = cell.replace(",", "")
    elif number_format == "decimal_comma":
        if "." in cell:
            if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", cell):
                raise ValueError(cell)
            cell = cell.replace(".", "")
        if not re.fullmatch(r"[+-]?\d*(,\d*)?", cell):
            raise ValueError(cell)
        cell = cell.replace(",", ".")
    return float(cell)


TIME = r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:Z|[+-]\d{2}(?::?\d{2})?| UTC| GMT)?)?"
YEAR_FIRST = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})" + TIME)
YEAR_LAST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + TIME)
NAME_FIRST = re.compile(r"([A-Za-z]+)\.? +(\d{1,2})[, ]+(\d{4})" + TIME)
DAY_NAME = re.compile(r"(\d{1,2})([- ])([A-Za-z]+)\.?(?:\2|, *| +)(\d{4})" + TIME)
MONTHS = {name: number for number, full in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                                      "september", "october", "november", "december"], start=1)
          for name in (full, full[:3])}
MONTHS["sept"] = 9


def date_part(cell, part, order=None):
    """A part of a date cell as Descent's DateCell and DatePart compute it (ValueError when it is not a date): year first,
    a month's English name, or day/month first as the column's date_order says; the time as written, the zone ignored."""
    if match := YEAR_FIRST.fullmatch(cell):
        year, month, day_of_month, time = int(match.group(1)), int(match.group(3)), int(match.group(4)), match.groups()[4:]
    elif (match := NAME_FIRST.fullmatch(cell)) and match.group(1).lower() in MONTHS:
        year, month, day_of_month, time = int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)), match.groups()[3:]
    elif (match := DAY_NAME.fullmatch(cell)) and match.group(3).lower() in MONTHS:
        year, month, day_of_month, time = int(match.group(4)), MONTHS[match.group(3).lower()], int(match.group(1)), match.groups()[4:]
    elif (match := YEAR_LAST.fullmatch(cell)) and order in ("day_first", "month_first") and not (order == "month_first" and match.group(2) == "."):
        first, second = int(match.group(1)), int(match.group(3))
        day_of_month, month = (first, second) if order == "day_first" else (second, first)
        year, time = int(match.group(4)), match.groups()[4:]
    else:
        raise ValueError(cell)
    day = datetime.date(year, month, day_of_month)   # ValueError for 2019-02-29
    seconds = 0.0
    if time[0] is not None:
        seconds = int(time[0]) * 3600 + int(time[1]) * 60 + int(time[2] or 0) + float("0." + (time[3] or "0"))
    days = day.toordinal() - datetime.date(1970, 1, 1).toordinal()
    return {"elapsed_days": days + seconds / 86400, "year": day.year, "month": day.month, "day": day.day,
            "day_of_week": day.isoweekday(), "day_of_year": day.timetuple().tm_yday, "hour": seconds / 3600}[part]


def encoding_of(path):
    """utf-8-sig, or cp1252 (Windows-1252) for a file that is not UTF-8, as Descent's RawTable reads it."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for _ in handle:
                pass
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"


def delimiter_of(path):
    """The delimiter Descent's RawTable finds in the header line: a comma if there is one outside quotes, else the most
    frequent of ';', tab and '|'."""
    with open(path, newline="", encoding=encoding_of(path), errors="replace") as handle:
        line = next((text for text in handle if text.strip()), "")
    counts, quoted = {}, False
    for character in line:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in ",;\t|":
            counts[character] = counts.get(character, 0) + 1
    if counts.get(","):
        return ","
    others = [(counts.get(c, 0), c) for c in ";\t|"]
    best = max(others, key=lambda pair: pair[0])
    return best[1] if best[0] > 0 else ","


def encode(row, preprocessing):
    """A raw CSV row (dict of strings) as the network's inputs, as Descent's TabularPreprocessing encodes it."""
    missing = {value.strip().lower() for value in preprocessing["missing_values"]}
    dense, codes = [], []
    for column in preprocessing["columns"]:
        cell = (row.get(column["name"]) or "").strip()
        is_missing = cell.lower() in missing
        if column["kind"] in ("numeric", "boolean"):
            if is_missing:
                value = column["median"]
            elif column["kind"] == "boolean":
                true_text = column["true_text"]
                lowered = cell.lower()
                if true_text == "1":
                    value = float(cell)   # a 0/1 column reads any number at prediction (a count seen 0 or 1 times in training)
                    if not math.isfinite(value):
                        raise ValueError(cell)
                else:
                    value = 1.0 if lowered == true_text else 0.0
            else:
                value = (date_part(cell, column["date_part"], column.get("date_order")) if column.get("date_part")
                         else parse_number(cell, column.get("number_format")))   # ValueError: the row is skipped, as descent predict skips it
            dense.append((value - column["mean"]) / column["standard_deviation"])
            if column.get("missing_indicator"):
                dense.append(1.0 if is_missing else 0.0)
        else:
            levels = column["levels"]
            if is_missing:
                code = levels.index("(missing)") if "(missing)" in levels else (levels.index("(other)") if "(other)" in levels else 0)
            else:
                code = levels.index(cell) if cell in levels[1:] else 0
            if column.get("embedding_dimension") is None:
                one_hot = [0.0] * (len(levels) - 1)
                if code > 0:
                    one_hot[code - 1] = 1.0
                dense.extend(one_hot)
            else:
                codes.append(float(code))
    return dense + codes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("csv")
    parser.add_argument("--descent", default=".build/debug/descent")
    parser.add_argument("--rows", type=int, default=8)
    arguments = parser.parse_args()

    with safe_open(arguments.model, framework="pt") as handle:
        metadata = handle.metadata()
        names = list(handle.keys())
    print(f"safetensors: {len(names)} tensors {names}; metadata keys {sorted(metadata)}")
    verify_checksums(arguments.model, metadata)
    model_description = json.loads(metadata["descent.model"])
    features = json.loads(metadata["descent.features"])
    classes = json.loads(metadata["descent.classes"]) if "descent.classes" in metadata else None
    standardizer = json.loads(metadata["descent.standardizer"]) if "descent.standardizer" in metadata else None
    print(f"model {model_description}; task {metadata['descent.task']}; features {features}; classes {classes}")

    state = load_file(arguments.model)
    # An ensemble (`descent.ensemble`: K models, a small table's rule): the first model's tensors carry the plain names,
    # member k's `ensemble.k.<name>`; prediction averages them (the mean output; the mean of the class probabilities).
    members = int(metadata.get("descent.ensemble", "1"))
    networks = []
    for member in range(members):
        prefix = f"ensemble.{member}." if member else ""
        part = {name[len(prefix):]: tensor for name, tensor in state.items()
                if (name.startswith(prefix) if member else not name.startswith("ensemble."))}
        network = build(model_description)
        network.load_state_dict(part, strict=True)   # raises on any missing, extra or mis-shaped tensor
        network.eval()
        networks.append(network)
    print(f"torch: nn.Sequential loaded the state dict (strict): {networks[0]}" + (f" × {members} (an ensemble)" if members > 1 else ""))

    with open(arguments.csv, newline="", encoding=encoding_of(arguments.csv), errors="replace") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter_of(arguments.csv))
        every = list(reader)
    # Rows spread evenly over the file (the first rows of a sorted file are often all one class).
    step = max(1, len(every) // arguments.rows)
    rows = every[::step][:arguments.rows]
    preprocessing = json.loads(metadata["descent.preprocessing"]) if "descent.preprocessing" in metadata else None
    if preprocessing:
        encoded = []
        for row in rows:
            try:
                encoded.append(encode(row, preprocessing))
            except ValueError:
                encoded.append(None)
        rows = [row for row, values in zip(rows, encoded) if values is not None]
        x = torch.tensor([values for values in encoded if values is not None], dtype=torch.float32)
    else:
        x = torch.tensor([[float(row[name]) for name in features] for row in rows], dtype=torch.float32)
    raw = x
    if standardizer:
        x = (raw - torch.tensor(standardizer["mean"])) / torch.tensor(standardizer["standard_deviation"])
    with torch.no_grad():
        each = [network(x) for network in networks]
        if len(each) == 1:
            outputs = each[0]
        elif classes:
            outputs = torch.log(torch.stack([torch.softmax(output, dim=1) for output in each]).mean(dim=0))
        else:
            outputs = torch.stack(each).mean(dim=0)
    if preprocessing and not classes and preprocessing["target"].get("mean") is not None:
        target = preprocessing["target"]
        outputs = outputs.double() * target["standard_deviation"] + target["mean"]
        if target["transform"] == "log":
            outputs = torch.exp(outputs)

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as subset:
        writer = csv.DictWriter(subset, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    command = [arguments.descent, "predict", "--model", arguments.model, "--csv", subset.name]
    if classes:
        command.append("--probabilities")
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    descent_rows = list(csv.reader(result.stdout.splitlines()))[1:]

    worst = 0.0
    agree = 0
    for index, line in enumerate(descent_rows):
        if classes:
            torch_label = classes[int(outputs[index].argmax())]
            torch_probabilities = torch.softmax(outputs[index], dim=0)
            descent_probabilities = torch.tensor([float(value) for value in line[1:]])
            difference = float((torch_probabilities - descent_probabilities).abs().max())
            print(f"row {index + 1}: descent {line[0]:>10}  torch {torch_label:>10}  max |Δp| {difference:.2e}")
            agree += line[0] == torch_label
        else:
            difference = abs(float(line[0]) - float(outputs[index, 0]))
            print(f"row {index + 1}: descent {float(line[0]):.6g}  torch {float(outputs[index, 0]):.6g}  |Δ| {difference:.2e}")
            agree += difference <= 1e-4 * max(1.0, abs(float(line[0])))
        worst = max(worst, difference)
    print(f"{agree}/{len(descent_rows)} rows agree; largest difference {worst:.2e}")
    sys.exit(0 if agree == len(descent_rows) and (worst <= 1e-5 or not classes) else 1)


if __name__ == "__main__":
    main()

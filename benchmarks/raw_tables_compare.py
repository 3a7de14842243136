"""descent against scikit-learn on raw tables, on one 80/20 split per seed that all three share.

    python benchmarks/raw_tables_compare.py DESCENT DATA_DIR [SEEDS] [FILES...]

For each file and seed the file's records (a header, then rows; quoted fields may hold newlines) are split 80/20
into two files written byte for byte as the original (its encoding, byte-order mark, line ends and quoting):
`descent train --csv TRAIN --target T --seed S --json --save-weights M` (nothing else), then `descent predict`
on the held-out file; scikit-learn's HistGradientBoosting and a linear model (median fill with indicators,
standardisation, one-hot with min_frequency=5; LogisticRegression / Ridge) train on the same rows, read with
pandas told the file's delimiter, decimal mark and encoding, with a generic cleaning for the references alone
(currency, percent, thousands separators and parenthesised negatives to numbers; dates to parts; text keys
95% distinct dropped). Metric on the held-out rows whose target is present: accuracy (balanced accuracy) or R².
Prints one JSON line per file and seed, then a summary table.
"""
import json, os, subprocess, sys, tempfile, time, warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, balanced_accuracy_score, r2_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

warnings.filterwarnings("ignore")

# file: (target, task, pandas read options, dayfirst)
CASES = {
    "trump_tweets.csv": ("source", "classification", {"lineterminator": "\n"}, False),   # pandas splits rows at a lone CR
    "HHSCyberSecurityBreaches.csv": ("Covered.Entity.Type", "classification", {}, False),
    "DoctorContacts.csv": ("mdu", "regression", {}, False),
    "Treatment_currency.csv": ("treat", "classification", {}, False),
    "opt.csv": ("Birthweight", "regression", {}, False),
    "Sacramento_excel.csv": ("price", "regression", {"sep": ";", "decimal": ","}, False),
    "grants_other.csv": ("class", "classification", {}, False),
    "airquality.csv": ("Ozone", "regression", {}, False),
    "wine.csv": ("target", "classification", {}, False),
    "Puromycin.csv": ("rate", "regression", {}, False),
    "Weekly_accounting.csv": ("Direction", "classification", {}, False),
    "Births78_dayfirst.csv": ("births", "regression", {}, True),
    "economics_monthname.csv": ("unemploy", "regression", {}, False),
    "flights_zoned.csv": ("air_time", "regression", {}, False),
    "lending_club_percent.csv": ("Class", "classification", {}, False),
    "fastfood_latin1.csv": ("calories", "regression", {"encoding": "latin-1"}, False),
    "HousePrices_spreadsheet.csv": ("price", "regression", {}, False),
    "airquality_excel.csv": ("Ozone", "regression", {"sep": ";", "decimal": ","}, False),
    "wine_excel.csv": ("target", "classification", {}, False),
    "DoctorContacts_excel.csv": ("mdu", "regression", {"sep": ";", "decimal": ","}, False),
    "nwtco.csv": ("rel", "classification", {}, False),
}


def split_records(text):
    """The records of CSV text (each with its line end), quotes respected: a newline inside quotes is data."""
    records, start, quoted = [], 0, False
    for index, character in enumerate(text):
        if character == '"':
            quoted = not quoted
        elif character == "\n" and not quoted:
            records.append(text[start:index + 1])
            start = index + 1
    if text[start:].strip():
        records.append(text[start:])
    return [record for record in records if record.strip()]


def split_file(path, seed, work):
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text, encoding = raw[3 if bom else 0:].decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    records = split_records(text)
    header, rows = records[0], records[1:]
    order = np.random.default_rng(seed).permutation(len(rows))
    cut = int(round(0.8 * len(rows)))
    parts = {}
    for name, indices in (("train", np.sort(order[:cut])), ("test", np.sort(order[cut:]))):
        out = Path(work) / f"{path.stem}.{name}{path.suffix}"
        body = header + "".join(rows[i] if rows[i].endswith("\n") else rows[i] + ("\r\n" if "\r\n" in header else "\n")
                                for i in indices)
        out.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode(encoding))
        parts[name] = out
    return parts["train"], parts["test"]


def clean_number(series):
    """Currency, percent, thousands separators and (negatives) as numbers, when 95% of the cells read so."""
    text = series.astype("string").str.strip()
    negative = text.str.startswith("(") & text.str.endswith(")")
    stripped = text.str.replace(r"[\$€£%,()\s]", "", regex=True)
    numbers = pd.to_numeric(stripped, errors="coerce")
    numbers = numbers.where(~negative, -numbers)
    present = text.notna() & (text != "")
    if present.sum() and numbers[present].notna().mean() >= 0.95:
        return numbers.astype(float)
    return None


def prepare(frame, target, dayfirst):
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    drop = [c for c in frame.columns if c == "rownames" or c.startswith("Unnamed")]
    frame = frame.drop(columns=drop)
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
            cleaned = clean_number(frame[column])
            if cleaned is not None:
                frame[column] = cleaned
                continue
            if column == target:
                frame[column] = frame[column].astype(str).str.strip()
                continue
            values = frame[column].dropna()
            looks = len(values) and values.astype(str).str.fullmatch(r"[\w ,./:+-]{6,40}").mean() > 0.95 \
                and values.astype(str).str.contains(r"\d{4}").mean() > 0.95
            sample = values.head(500)
            dates = pd.to_datetime(sample, errors="coerce", format="mixed", dayfirst=dayfirst, utc=True) if looks else sample
            if looks and dates.notna().mean() >= 0.95:
                full = pd.to_datetime(frame[column], errors="coerce", format="mixed", dayfirst=dayfirst, utc=True)
                frame[column + "_days"] = (full - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400
                for part in ["year", "month", "day", "dayofweek", "dayofyear", "hour"]:
                    frame[f"{column}_{part}"] = getattr(full.dt, part).astype(float)
                frame = frame.drop(columns=[column])
                continue
            frame[column] = frame[column].astype(str).str.strip().where(frame[column].notna())
    return frame


def references(train, test, target, task, seed):
    features = [c for c in train.columns if c != target]
    text = [c for c in features if not pd.api.types.is_numeric_dtype(train[c])]
    text = [c for c in text if train[c].nunique() < 0.95 * train[c].notna().sum() or train[c].notna().sum() < 20]
    numeric = [c for c in features if pd.api.types.is_numeric_dtype(train[c]) and train[c].notna().any()]
    x_train, x_test = train[numeric + text].copy(), test[numeric + text].copy()
    for c in text:
        levels = pd.CategoricalDtype(sorted(x_train[c].dropna().unique()))
        x_train[c], x_test[c] = x_train[c].astype(levels), x_test[c].astype(levels)
    y_train, y_test = train[target], test[target]
    many = [c for c in text if x_train[c].cat.categories.size > 250]
    for c in many:
        x_train[c], x_test[c] = x_train[c].cat.codes.replace(-1, np.nan).astype(float), x_test[c].cat.codes.replace(-1, np.nan).astype(float)
    native = [c for c in text if c not in many]
    if task == "classification":
        y_train, y_test = y_train.astype(str), y_test.astype(str)
        hgb = HistGradientBoostingClassifier(random_state=seed, categorical_features=native or None)
    else:
        hgb = HistGradientBoostingRegressor(random_state=seed, categorical_features=native or None)
    try:
        hgb.fit(x_train, y_train)
    except ValueError:   # early stopping's stratified split refuses a class seen once: fit without it
        hgb.set_params(early_stopping=False)
        hgb.fit(x_train, y_train)
    linear_columns = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()), numeric),
        ("text", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                               OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5)), text)])
    model = LogisticRegression(max_iter=2000) if task == "classification" else Ridge()
    linear = make_pipeline(linear_columns, model)
    lin_train, lin_test = train[numeric + text].copy(), test[numeric + text].copy()
    for c in text:
        lin_train[c], lin_test[c] = lin_train[c].astype(object), lin_test[c].astype(object)
    linear.fit(lin_train, y_train)
    return hgb.predict(x_test), linear.predict(lin_test), y_test


def metric(task, truth, predicted):
    if task == "classification":
        truth, predicted = np.asarray(truth).astype(str), np.asarray(predicted).astype(str)
        return accuracy_score(truth, predicted), balanced_accuracy_score(truth, predicted)
    return r2_score(np.asarray(truth, dtype=float), np.asarray(predicted, dtype=float)), None


def run(descent, data, name, seed, work):
    target, task, options, dayfirst = CASES[name]
    train_path, test_path = split_file(Path(data) / name, seed, work)
    model = Path(work) / f"{name}.{seed}.safetensors"
    started = time.time()
    trained = subprocess.run([descent, "train", "--csv", str(train_path), "--target", target, "--seed", str(seed), "--json",
                              "--save-weights", str(model)], capture_output=True, text=True)
    seconds = time.time() - started
    result = {"file": name, "seed": seed, "target": target, "task": task, "descent_seconds": round(seconds, 1)}
    lines = trained.stdout.strip().splitlines()
    summary = {}
    try:
        summary = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        pass
    result["roles"] = summary.get("roles")
    result["ignored"] = summary.get("ignored_columns")
    result["train_exit"] = trained.returncode
    if trained.returncode != 0:
        result["error"] = (trained.stderr.strip().splitlines() or [""])[-1][:400]
    read_options = dict(options, keep_default_na=True, na_values=["NA", ""])
    if "encoding" not in read_options:
        read_options["encoding"] = "utf-8-sig"
    train = prepare(pd.read_csv(train_path, **read_options), target, dayfirst)
    test = prepare(pd.read_csv(test_path, **read_options), target, dayfirst)
    # Rows whose target is present (the same rows for all three).
    keep = test[target].notna() & (test[target].astype(str) != "nan")
    if trained.returncode == 0:
        out = Path(work) / f"{name}.{seed}.predictions.csv"
        predicted = subprocess.run([descent, "predict", "--model", str(model), "--csv", str(test_path), "--out", str(out)],
                                   capture_output=True, text=True)
        result["predict_exit"] = predicted.returncode
        if predicted.returncode not in (0,):
            result["predict_error"] = predicted.stderr.strip()[-400:]
        if out.exists():
            values = pd.read_csv(out, keep_default_na=False).iloc[:, 0]
            if len(values) == len(test):
                if task == "classification":
                    truth = test.loc[keep, target].astype(str).str.replace(r"\.0$", "", regex=True)
                    result["descent"], result["descent_balanced"] = metric(task, truth, values[keep].astype(str))
                else:
                    result["descent"], _ = metric(task, test.loc[keep, target], pd.to_numeric(values[keep], errors="coerce").fillna(train[target].median()))
            else:
                result["predict_error"] = f"{len(values)} predictions for {len(test)} rows"
    train = train[train[target].notna()]
    hgb, linear, truth = references(train, test[keep], target, task, seed)
    if task == "classification":
        truth = truth.astype(str).str.replace(r"\.0$", "", regex=True)
        hgb = pd.Series(hgb).astype(str).str.replace(r"\.0$", "", regex=True)
        linear = pd.Series(linear).astype(str).str.replace(r"\.0$", "", regex=True)
    result["hgb"], result["hgb_balanced"] = metric(task, truth, hgb)
    result["linear"], result["linear_balanced"] = metric(task, truth, linear)
    result["rows"], result["columns"] = len(train) + len(test), len(train.columns)
    return result


def main():
    descent, data = sys.argv[1], sys.argv[2]
    seeds = [int(s) for s in (sys.argv[3] if len(sys.argv) > 3 else "0").split(",")]
    names = sys.argv[4:] or list(CASES)
    results = []
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            for seed in seeds:
                try:
                    result = run(descent, data, name, seed, work)
                except Exception as error:   # a reference failing is reported, not fatal
                    result = {"file": name, "seed": seed, "error": f"{type(error).__name__}: {error}"[:400]}
                print(json.dumps(result, default=str), flush=True)
                results.append(result)
    print()
    print("| file | task | descent | HGB | linear | s/run |")
    for name in names:
        rows = [r for r in results if r["file"] == name]
        def mean(key):
            values = [r[key] for r in rows if r.get(key) is not None]
            return f"{np.mean(values):.3f}" if values else "—"
        print(f"| {name} | {rows[0].get('task')} | {mean('descent')} (bal. {mean('descent_balanced')}) | {mean('hgb')} "
              f"(bal. {mean('hgb_balanced')}) | {mean('linear')} (bal. {mean('linear_balanced')}) | {mean('descent_seconds')} |")


if __name__ == "__main__":
    main()

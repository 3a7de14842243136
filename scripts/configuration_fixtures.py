"""What the two configuration-reader fixture generators share (scripts/generate_toml_fixtures.py,
scripts/generate_yaml_fixtures.py): the tagged JSON form of a reference's value, and writing a
cases.json that TOMLReaderTests and YAMLReaderTests read through ConfigurationFixtures.swift.

The tagged form is toml-test's: every scalar becomes {"type": ..., "value": <text>}, tables and
mappings stay objects (keys as text), arrays and sequences stay lists. Example:
    tagged({"hidden": [64, 32.5], "name": None})
    == {"hidden": [{"type": "integer", "value": "64"}, {"type": "float", "value": "32.5"}],
        "name": {"type": "null", "value": ""}}
(TOML has no null and its dates are refused before tagging; YAML has both.)"""
import datetime
import json
import math
import os


def tagged(value):
    """toml-test's tagged JSON form of a value read by tomllib or ruamel.yaml."""
    if isinstance(value, dict):
        return {str(key): tagged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tagged(item) for item in value]
    if value is None:
        return {"type": "null", "value": ""}
    if isinstance(value, bool):
        return {"type": "bool", "value": "true" if value else "false"}
    if isinstance(value, int):
        return {"type": "integer", "value": str(value)}
    if isinstance(value, float):
        text = "nan" if math.isnan(value) else ("inf" if value == math.inf else "-inf" if value == -math.inf else repr(value))
        return {"type": "float", "value": text}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return {"type": "date", "value": str(value)}
    raise TypeError(type(value))


def write_cases(cases, format_name):
    """Writes Tests/DescentFilesTests/Fixtures/<format_name>/cases.json; returns "N cases: a valid, b invalid, c refused"."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "Tests", "DescentFilesTests", "Fixtures", format_name, "cases.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as file:
        json.dump(cases, file, indent=1, ensure_ascii=False, sort_keys=True)
        file.write("\n")
    return (f"{len(cases)} cases: {sum('valid' in c['expect'] for c in cases)} valid, "
            f"{sum('invalid' in c['expect'] for c in cases)} invalid, {sum('refused' in c['expect'] for c in cases)} refused")

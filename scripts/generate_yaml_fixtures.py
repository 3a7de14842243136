#!/usr/bin/env python3
"""Writes Tests/DescentFilesTests/Fixtures/yaml/cases.json: YAML documents with what ruamel.yaml (YAML 1.2, the
reference) makes of them, and what PyYAML (YAML 1.1) does where the two differ, for YAMLReaderTests.

Each case: {"name", "yaml", "expect", "pyyaml"} where expect is
  {"valid": <tagged value>}   ruamel.yaml reads it to this (toml-test's tagged form: {"type": "integer",
                              "value": "16"}, mappings as objects with their keys as written, lists as lists;
                              null for an empty document);
  {"invalid": [<line>, …]}    ruamel.yaml refuses it at the first line (1-based); PyYAML's line follows when it
                              names another one (either is accepted);
  {"refused": "<words>"}      YAML that Descent refuses on purpose (a number or boolean YAML 1.1 and 1.2 read
                              differently, a date, an unknown tag, an explicit key, a merge key, an alias bomb,
                              nesting past 64): the error must contain the words.
and "pyyaml" says what PyYAML does: "same", "differs" (reads another value) or "refuses".
Run: python3 scripts/generate_yaml_fixtures.py with pyyaml and ruamel.yaml installed (a venv outside the repo)."""
import json
import re
import warnings

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from configuration_fixtures import tagged, write_cases

VALID = {
    # structure
    "empty": "",
    "comments-only": "# nothing\n  # here\n",
    "explicit-empty": "---\n",
    "explicit-end": "a: 1\n...\n",
    "start-and-end": "---\na: 1\n...\n# after\n",
    "yaml-directive": "%YAML 1.2\n---\na: 1\n",
    "flat-config": "dataset: digits\nlearning-rate: 0.05\nepochs: 30\nhidden: [64, 32]\nschedule: \"warmup(50) >> cosine\"\n",
    "saved-config": "# A descent run (descent train --config FILE runs it; flags on the command line win over it).\nbatch_size: 32\n"
                    "dataset: \"iris\"\nhidden: [8, 4]\nlearning_rate: \"auto\"\nchosen_learning_rate: 0.0123\nseed: 7\n",
    "nested-mapping": "optimizer:\n  name: sgd\n  momentum: 0.9\nepochs: 3\n",
    "deeper-nesting": "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
    "block-sequence": "hidden:\n  - 64\n  - 32\n",
    "sequence-at-key-indent": "hidden:\n- 64\n- 32\nepochs: 2\n",
    "sequence-of-mappings": "runs:\n  - name: a\n    rate: 0.1\n  - name: b\n    rate: 0.2\n",
    "sequence-of-sequences": "- - 1\n  - 2\n- - 3\n",
    "top-level-sequence": "- a\n- b\n",
    "top-level-scalar": "just text\n",
    "empty-values": "a:\nb: ~\nc: null\nd:\n  # comment\ne: x\n",
    "empty-sequence-entries": "a:\n  -\n  - 2\n  -\n",
    "comment-after-values": "a: 1 # one\nb: \"x\"  # two\nc: [1, 2] # three\n",
    "hash-inside-plain": "a: b#c\nb: x #y\nc: '#not'\n",
    "colon-inside-plain": "url: http://example.com:8080/x\ntime: a:b\n",
    "indented-document": "  a: 1\n  b: 2\n",
    "blank-lines-between": "a: 1\n\n\n\nb: 2\n",
    "crlf": "a: 1\r\nb: [x, y]\r\nc: |\r\n  one\r\n  two\r\n",
    "bom": "\ufeffa: 1\n",
    "no-final-newline": "a: 1\nb: two",
    "key-with-spaces": "learning rate: 0.1\nkey with: colon\n",
    "quoted-keys": "\"a b\": 1\n'c: d': 2\n\"\": 3\n",
    "keys-as-written": "1: one\nnull: n\n3.5: x\n",
    "unicode": "name: \"résumé – 🙂\"\nplain: Ωmega ≈ 1\n",
    "tabs-in-flow": "c: [1,\t2]\nd: {\ta: 1}\n",
    "tab-in-comment": "a: 1 # tab\there\n",
    # plain scalars
    "plain-multiline": "a: this is\n  folded over\n  three lines\nb: 2\n",
    "plain-multiline-blank-lines": "a: one\n\n  two\n\n\n  three\n",
    "plain-top-multiline": "one\ntwo\n\nthree\n",
    "plain-trailing-spaces": "a: text   \nb: x\n",
    "plain-inner-spaces": "a: several   spaces  inside\n",
    "plain-dash-start": "a: -text\nb: -1x\nc: - no\n" if False else "a: -text\nb: ?x\nc: :x\n",
    "plain-with-quotes": "a: it's\nb: say \"hi\"\n",
    "plain-special-chars": "a: x@y, z!\nb: 50%\nc: a|b>c\n",
    "plain-looking-numbers": "a: 1.2.3\nb: 1e\nc: 0x\nd: 12abc\ne: .\nf: -\ng: 1_\n" if False else "a: 1.2.3\nb: 1e\nc: 12abc\nd: v1.0\n",
    # scalar resolution (YAML 1.2 core)
    "null-forms": "a: ~\nb: null\nc: Null\nd: NULL\ne:\n",
    "bool-forms": "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\n",
    "integers": "a: 0\nb: 7\nc: -7\nd: +7\ne: 9223372036854775807\nf: -9223372036854775808\ng: -0\n",
    "floats": "a: 0.5\nb: -1.5\nc: +2.25\nd: 1.0\ne: 6.626e-34\nf: 1.5E+3\ng: 0.0\nh: -0.0\ni: 3.\n",
    "floats-special": "a: .inf\nb: -.inf\nc: +.inf\nd: .nan\ne: .Inf\nf: .NaN\ng: -.INF\nh: .NAN\n",
    "float-overflow": "a: 1.0e+400\nb: -1.0e+400\nc: 1.0e-400\n",
    "strings-not-numbers": "a: 1.2.3\nb: 1e\nc: 12abc\nd: v1.0\ne: 0x\nf: .\ng: +\nh: -.nan\n",
    "strings-not-bools": "a: tRUE\nb: y\nc: n\nd: Y\ne: N\nf: truthy\n",
    "quoted-numbers-are-text": "a: \"010\"\nb: '1:30'\nc: \"yes\"\nd: 'true'\ne: \"0.5\"\nf: '~'\n",
    "yaml-1.1-float-misses": "a: 5e-2\nb: 1e5\nc: 1.0e5\nd: +.5\ne: .5\nf: 1E3\n",
    # single-quoted
    "single-quoted": "a: 'text'\nb: 'it''s'\nc: ''\nd: 'back\\slash \"q\"'\n",
    "single-multiline": "a: 'one\n  two\n\n  three'\n",
    "single-trailing-spaces-folded": "a: 'one   \n   two'\n",
    "single-multiline-top": "'a\n b': 1\n" if False else "a: 'x\n\n\n  y'\n",
    # double-quoted
    "double-escapes": "a: \"tab\\there \\\"q\\\" back\\\\slash \\/ \\0\\a\\b\\v\\f\\r\\e\\n\"\n",
    "double-unicode-escapes": "a: \"\\x41 \\u00e9 \\U0001F600 \\N \\_ \\L \\P\"\n",
    "double-escaped-space-and-tab": "a: \"\\ lead\\ \\\ttab\"\n",
    "double-multiline": "a: \"one\n  two\n\n  three\"\n",
    "double-escaped-newline": "a: \"one \\\n  two\"\nb: \"x\\\n\n  y\"\n",
    "double-trailing-spaces": "a: \"one  \n   two\"\n",
    "double-empty": "a: \"\"\n",
    "json-like": "{\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {\"d\": 2.5}}\n",
    "json-adjacent-colon": "{\"a\":1,\"b\":\"x\"}\n",
    # block scalars
    "literal": "a: |\n  line one\n  line two\nb: 1\n",
    "literal-strip": "a: |-\n  text\n\n\nb: 1\n",
    "literal-keep": "a: |+\n  text\n\n\nb: 1\n",
    "literal-keep-end": "a: |+\n  text\n\n",
    "literal-clip-eof-no-newline": "a: |\n  text",
    "literal-leading-blank-lines": "a: |\n\n\n  text\n",
    "literal-more-indented": "a: |\n  one\n    two\n  three\n",
    "literal-indent-indicator": "a: |2\n    indented\n  normal\n",
    "literal-indicators-both-orders": "a: |2-\n   x\nb: |-2\n   y\nc: |+1\n  z\n\n",
    "literal-with-comment-header": "a: | # a comment\n  text\n",
    "literal-hash-content": "a: |\n  # not a comment\n  x\n",
    "literal-empty": "a: |\nb: 1\n",
    "literal-top": "--- |\n  top\n  text\n",
    "literal-in-sequence": "- |\n  one\n  two\n- x\n",
    "literal-tabs-content": "a: |\n  \ttab\n  x\t\n",
    "folded": "a: >\n  folded\n  text\n\n  new paragraph\nb: 1\n",
    "folded-more-indented": "a: >\n  one\n    more\n    indented\n  back\n",
    "folded-strip": "a: >-\n  one\n  two\n\n",
    "folded-keep": "a: >+\n  one\n  two\n\n\n",
    "folded-blank-lines": "a: >\n\n  one\n\n\n  two\n",
    "folded-trailing-spaces": "a: >\n  one  \n  two\n",
    # flow collections
    "flow-sequence": "a: [1, two, \"three\", 'four', 5.5, true, null]\n",
    "flow-sequence-empty": "a: []\nb: [ ]\n",
    "flow-sequence-trailing-comma": "a: [1, 2,]\n",
    "flow-sequence-nested": "a: [[1, 2], [3, [4, []]]]\n",
    "flow-sequence-multiline": "a: [\n  1,\n  2, # two\n  3\n]\n",
    "flow-mapping": "a: {x: 1, y: two, z: [1, 2]}\n",
    "flow-mapping-empty": "a: {}\nb: { }\n",
    "flow-mapping-nested": "a: {b: {c: {d: 1}}, e: [ {f: 2} ]}\n",
    "flow-mapping-empty-values": "a: {x: , z}\n",
    "flow-mapping-trailing-comma": "a: {x: 1,}\n",
    "flow-mapping-multiline": "a: {\n  x: 1,\n  y: 2\n}\n",
    "flow-pair-in-sequence": "a: [x: 1, y]\n",
    "flow-plain-with-spaces": "a: [one two, three  four]\n",
    "flow-plain-multiline": "a: [one\n  two, three]\n",
    "flow-colon-in-plain": "a: [http://x.org, a:b]\n",
    "flow-top": "{dataset: iris, epochs: 3}\n",
    "flow-top-multiline": "{\n  dataset: iris,\n  epochs: 3\n}\n",
    "flow-quoted": "a: [\"x, y\", 'z]', \"{\"]\n",
    # anchors and aliases
    "anchor-scalar": "a: &x 5\nb: *x\n",
    "anchor-sequence": "a: &x [1, 2]\nb: [*x, *x]\n",
    "anchor-mapping": "base: &b\n  x: 1\n  y: 2\ncopy: *b\n",
    "anchor-block-sequence": "a: &s\n  - 1\n  - 2\nb: *s\n",
    "anchor-in-flow": "a: [&v 1, *v, *v]\n",
    "anchor-redefined": "a: &x 1\nb: *x\nc: &x 2\nd: *x\n",
    "anchor-key": "&k a: 1\nb: *k\n",
    "anchor-string": "a: &x \"quoted\"\nb: *x\n",
    # tags
    "tag-str": "a: !!str 010\nb: !!str yes\nc: !!str 1.5\nd: !!str\n",
    "tag-int": "a: !!int 42\nb: !!int \"7\"\n",
    "tag-float": "a: !!float 1\nb: !!float 2.5\nc: !!float '3'\n",
    "tag-bool": "a: !!bool true\nb: !!bool \"false\"\n",
    "tag-null": "a: !!null\nb: !!null ''\n",
    "tag-seq-map": "a: !!seq [1]\nb: !!map {c: 1}\n",
    "tag-non-specific": "a: ! 12\n",
    "tab-in-quoted-continuation": "a: \"x\n\ty\"\n",
    "tag-and-anchor": "a: !!str &x 5\nb: &y !!int 6\nc: [*x, *y]\n",
    # spacing and indentation
    "deep-indent": "a:\n        b: 1\n        c: 2\nd: 3\n",
    "mixed-indent-levels": "a:\n  b:\n      c: 1\n  d: 2\n",
    "comment-lines-anywhere": "# top\na: # after key\n  # inside\n  b: 1 # after\n# between\nc: 2\n# end\n",
    "comment-less-indented": "a:\n  b: 1\n# comment at 0\n  c: 2\n",
    "sequence-compact-mapping": "- a: 1\n  b: 2\n- c: 3\n",
    "sequence-nested-compact": "- - - x\n",
    "value-on-next-line": "a:\n  text on the next line\n",
    "comment-right-after-flow": "a: [1]# c\n",
    "plain-continuation-with-dash": "- a\n  - b\n",
    "document-end-then-comment": "a: 1\n... # done\n",
}

INVALID = {
    "unclosed-flow-sequence": "epochs: [1, 2\n",
    "unclosed-flow-mapping": "a: {x: 1\n",
    "unclosed-double": "a: \"text\n",
    "unclosed-single": "a: 'text\nb: 1\n",
    "flow-missing-comma": "a: [1 2]\n" if False else "a: {x: 1 y: 2}\n",
    "flow-double-comma": "a: [1,,2]\n",
    "flow-leading-comma": "a: [,1]\n",
    "flow-extra-close": "a: [1]]\n",
    "flow-junk-after": "a: [1] x\n",
    "mapping-value-in-value": "a: b: c\n",
    "sequence-after-key-inline": "a: - b\n",
    "bad-indentation": "a:\n  b: 1\n   c: 2\n",
    "less-indented-key": "a:\n    b: 1\n  c: 2\n",
    "mapping-then-sequence": "a: 1\n- b\n",
    "sequence-then-mapping": "- a\nb: 1\n",
    "tab-indentation": "a:\n\tb: 1\n",
    "tab-after-colon": "a:\tb\n",
    "tab-inside-plain": "a: x\ty\n",
    "tab-after-dash": "- \tb\n",
    "tab-trailing": "a: x \t\n",
    "tab-blank-line": "a: 1\n\t\nb: 2\n",
    "tab-before-comment-line": "a: 1\n  \t# c\nb: 2\n",
    "tab-in-continuation": "a: x\n  \ty\n",
    "tab-indentation-sequence": "a:\n\t- 1\n",
    "duplicate-key": "a: 1\nb: 2\na: 3\n",
    "duplicate-key-nested": "x:\n  a: 1\n  a: 2\n",
    "duplicate-key-flow": "a: {x: 1, x: 2}\n",
    "duplicate-quoted-key": "a: 1\n\"a\": 2\n",
    "unknown-escape": "a: \"\\q\"\n",
    "short-hex-escape": "a: \"\\x4\"\n",
    "short-unicode-escape": "a: \"\\u00G0\"\n",
    "undefined-alias": "a: *nothing\n",
    "alias-before-anchor": "a: *x\nb: &x 1\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "two-documents-after-end": "a: 1\n...\n---\nb: 2\n",
    "two-documents-bare": "a: 1\n...\nb: 2\n",
    "directive-without-start": "%YAML 1.2\na: 1\n",
    "block-scalar-bad-indicator": "a: |x\n  text\n",
    "block-scalar-zero-indent": "a: |0\n  text\n",
    "block-scalar-text-after-header": "a: | text\n",
    "control-character": "a: \"x\x01y\"\n",
    "plain-then-quoted": "a: x \"y\"\nb: \"q\" z\n" if False else "a: \"q\" z\n",
    "key-without-colon": "a: 1\nb\nc: 2\n",
    "document-marker-in-flow": "a: [1,\n---\n]\n",
    "document-marker-in-quoted": "a: \"x\n---\ny\"\n",
    "anchor-without-name": "a: & 1\n",
    "alias-without-name": "a: * \n",
    "flow-mapping-no-close-multiline": "a: {x: 1,\n  y: 2\n",
    "reserved-indicator-at": "a: @x\n",
    "reserved-indicator-backtick": "a: `x\n",
    "indented-after-scalar": "a: 1\n  b: 2\n",
    "quoted-key-multiline-value-junk": "\"a\": 1 2 : 3\n",
    "literal-leading-more-spaces": "a: |\n      \n  text\n",
    "two-anchors": "a: &x &y 1\n",
}

REFUSED = {
    "yes": ("no_guard: yes\n", "yes is true in YAML 1.1"),
    "no-capital": ("a: No\n", "No is false in YAML 1.1"),
    "on": ("a: on\n", "on is true in YAML 1.1"),
    "off-upper": ("a: OFF\n", "OFF is false in YAML 1.1"),
    "yes-in-list": ("a: [true, yes]\n", "'a': yes is true in YAML 1.1"),
    "octal-leading-zero": ("epochs: 010\n", "'epochs': 010 is not a decimal number"),
    "leading-zero-nine": ("epochs: 09\n", "09 is not a decimal number"),
    "double-zero": ("a: 00\n", "00 is not a decimal number"),
    "leading-zero-float": ("a: 012.5\n", "012.5 is not a decimal number"),
    "negative-leading-zero": ("a: -010\n", "-010 is not a decimal number"),
    "octal-1.2": ("epochs: 0o12\n", "'epochs': 0o12 is not a decimal number"),
    "hex": ("a: 0x1F\n", "0x1F is not a decimal number"),
    "binary": ("a: 0b101\n", "0b101 is not a decimal number"),
    "underscore": ("epochs: 1_0\n", "'epochs': 1_0 is not a decimal number"),
    "underscore-float": ("a: 1_000.5\n", "1_000.5 is not a decimal number"),
    "base-60": ("epochs: 1:30\n", "'epochs': 1:30 is not a decimal number"),
    "base-60-float": ("a: 1:30.5\n", "1:30.5 is not a decimal number"),
    "date": ("a: 2024-01-31\n", "is a date or time"),
    "date-time": ("a: 2001-12-14t21:59:43.10-05:00\n", "is a date or time"),
    "date-time-space": ("a: 2001-12-14 21:59:43.10 -5\n", "is a date or time"),
    "integer-too-big": ("a: 9223372036854775808\n", "does not fit in 64 bits"),
    "integer-too-small": ("a: -9223372036854775809\n", "does not fit in 64 bits"),
    "merge-key": ("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n", "merge key"),
    "explicit-key": ("? a\n: 1\n", "explicit key"),
    "explicit-key-flow": ("a: {? b : 1}\n", "explicit key"),
    "unknown-tag": ("a: !foo x\n", "is not read"),
    "binary-tag": ("a: !!binary aGVsbG8=\n", "is not read"),
    "timestamp-tag": ("a: !!timestamp 2001-12-14\n", "is not read"),
    "int-tag-not-int": ("a: !!int x\n", "is not an integer"),
    "bool-tag-yes": ("a: !!bool yes\n", "is not a boolean"),
    "tag-directive": ("%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", "is not read"),
    "yaml-1.1-directive": ("%YAML 1.1\n---\na: 1\n", "Descent reads YAML 1.2"),
    "alias-bomb": ("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                   + "".join(f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, n in zip("abcdefgh", "bcdefghi")),
                   "aliases expand to more than 10000 values"),
    "deep-flow": ("hidden: " + "[" * 500 + "]" * 500 + "\n", "nests more than 64 deep"),
    "deep-flow-mapping": ("a: " + "{a: " * 100 + "1" + "}" * 100 + "\n", "nests more than 64 deep"),
    "deep-block": ("".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80 + "x: 1\n", "nests more than 64 deep"),
    "empty-key": (": 1\n", "a key must be a plain name"),
    "underscore-dot-float": ("a: .1_0\n", "is not a decimal number"),
    "alias-key": ("a: &x k\n*x : 1\n", "a key must be a plain name"),
    "flow-in-key-position": ("[a, b]: 1\n", "a key must be a plain name"),
    "flow-key-collection": ("a: {[1]: 2}\n", "a key must be a plain name"),
}

# What PyYAML (YAML 1.1) reads otherwise and Descent reads as YAML 1.2 does, on purpose (documented in YAMLReader).
PYYAML_DIFFERS_ON_PURPOSE = {
    "yaml-1.1-float-misses", "float-overflow", "flow-mapping-empty-values", "anchor-redefined", "floats", "keys-as-written", "tabs-in-flow", "yaml-directive",
}


HOSTILE = {"alias-bomb"}


def ruamel():
    return YAML(typ="safe", pure=True)


def reference(text):
    """ruamel.yaml's value with every mapping key as written (its text), or raises its error."""
    ruamel().load(text)   # refuses what ruamel refuses (duplicate keys included)
    loader = ruamel()
    node = loader.compose(text)

    def build(node):
        if node is None:
            return None
        if isinstance(node, ScalarNode):
            return loader.constructor.construct_object(node, deep=True)
        if isinstance(node, SequenceNode):
            return [build(item) for item in node.value]
        return {key.value: build(value) for key, value in node.value}

    return build(node)


def line_of(error, text=""):
    position = getattr(error, "position", None)
    if position is not None and getattr(error, "problem_mark", None) is None:
        return text[:position].count("\n") + 1
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else None


def pyyaml_outcome(text, ruamel_value):
    try:
        value = pyyaml.safe_load(text)
    except Exception as error:   # noqa: BLE001 (any refusal)
        return "refuses", line_of(error, text)
    try:
        same = json.dumps(tagged(value), sort_keys=True) == json.dumps(tagged(ruamel_value), sort_keys=True)
    except Exception:   # noqa: BLE001 (keys that are not text)
        same = False
    return ("same" if same else "differs"), None


def main():
    warnings.simplefilter("ignore")
    cases = []
    problems = []
    for name, text in VALID.items():
        try:
            value = reference(text)
        except Exception as error:   # noqa: BLE001
            problems.append(f"{name}: ruamel refuses it: {str(error).splitlines()[0:3]}")
            continue
        outcome, _ = pyyaml_outcome(text, value)
        if outcome != "same" and name not in PYYAML_DIFFERS_ON_PURPOSE:
            problems.append(f"{name}: PyYAML {outcome}")
        cases.append({"name": name, "yaml": text, "expect": {"valid": tagged(value)}, "pyyaml": outcome})
    for name, text in INVALID.items():
        try:
            value = reference(text)
        except Exception as error:   # noqa: BLE001
            lines = [line_of(error, text)]
            assert lines[0] is not None, f"{name}: no line in {error}"
            outcome, py_line = pyyaml_outcome(text, None)
            if py_line is not None and py_line not in lines:
                lines.append(py_line)
            cases.append({"name": name, "yaml": text, "expect": {"invalid": lines}, "pyyaml": outcome})
            continue
        problems.append(f"{name}: ruamel read it: {value}")
    for name, (text, words) in REFUSED.items():
        if name in HOSTILE:
            # Not given to the references: ruamel.yaml and PyYAML expand the bomb (hundreds of millions of values).
            cases.append({"name": name, "yaml": text, "expect": {"refused": words}, "pyyaml": "not run (hostile)"})
            continue
        try:
            value = reference(text)
            outcome, _ = pyyaml_outcome(text, value)
        except Exception as error:   # noqa: BLE001 (ruamel refuses it too: fine, Descent refuses it in words)
            outcome = "ruamel refuses: " + type(error).__name__
        cases.append({"name": name, "yaml": text, "expect": {"refused": words}, "pyyaml": outcome})
    assert not problems, "\n".join(problems)
    print(write_cases(cases, "yaml") + f"; PyYAML differs on {sum(c['pyyaml'] != 'same' for c in cases if 'valid' in c['expect'])} valid ones")


if __name__ == "__main__":
    main()

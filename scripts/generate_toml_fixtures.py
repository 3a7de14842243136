#!/usr/bin/env python3
"""Writes Tests/DescentFilesTests/Fixtures/toml/cases.json: TOML documents with what Python's tomllib
(the standard library's TOML 1.0 reader, the reference) makes of them, for TOMLReaderTests.

Each case: {"name", "toml", "expect"} where expect is
  {"valid": <tagged value>}  tomllib reads it; the tagged form is toml-test's
                             ({"type": "integer", "value": "16"}, tables as objects, arrays as lists);
  {"invalid": <line>}        tomllib refuses it, at that line (1-based);
  {"refused": "date"|"range"} tomllib reads it but Descent refuses it on purpose: a date or time
                             (no setting takes one) or an integer outside 64 bits.
Run: python3 scripts/generate_toml_fixtures.py (Python 3.11 or later)."""
import datetime
import re
import tomllib

from configuration_fixtures import tagged, write_cases

VALID = {
    # comments, keys
    "comment-only": "# just a comment\n",
    "empty": "",
    "comment-after-value": "a = 1 # one\nb = 2#two\n",
    "comment-tab": "a = 1\t# tab\there\n",
    "bare-keys": "key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\n-_- = 5\n",
    "quoted-keys": '"127.0.0.1" = "value"\n"character encoding" = "v"\n"ʎǝʞ" = "v"\n\'key2\' = "v"\n\'quoted "value"\' = "v"\n',
    "empty-quoted-key": '"" = "blank"\n',
    "dotted-keys": 'name = "Orange"\nphysical.color = "orange"\nphysical.shape = "round"\nsite."google.com" = true\n',
    "dotted-keys-whitespace": 'fruit . color = "yellow"\n  fruit.  flavor = "banana"\n',
    "dotted-then-subtable": '[fruit]\napple.color = "red"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n',
    "numeric-dotted-key": "3.14159 = \"pi\"\n",
    "crlf": "a = 1\r\nb = \"x\"\r\n",
    "whitespace-everywhere": "  \t a\t=\t1  \n\n\n   [ t ]  \n  b = 2\n",
    "no-final-newline": "a = 1",
    # strings
    "basic-string-escapes": 'a = "tab\\there \\"q\\" back\\\\slash \\b\\f\\n\\r"\n',
    "unicode-escapes": 'a = "\\u00E9 \\U0001F600 \\u0000"\n',
    "unicode-literal": 'a = "Ω ≈ 🙂"\n',
    "literal-string": "a = 'C:\\Users\\nodejs\\templates'\nb = '<\\i\\c*\\s*>'\n",
    "multiline-basic": 'a = """\nRoses are red\nViolets are blue"""\n',
    "multiline-basic-line-ending-backslash": 'a = """\\\n   The quick brown \\\n\n\n   fox jumps over \\\n     the lazy dog.\\\n   """\n',
    "multiline-basic-backslash-blanks": 'a = """one \\   \n   two"""\n',
    "multiline-basic-quotes": 'a = """Here are two quotation marks: "". Simple enough."""\nb = """Here are three quotation marks: ""\\"."""\nc = """"This," she said, "is just a pointless statement.""""\n',
    "multiline-basic-crlf": 'a = """\r\nline one\r\nline two"""\r\n',
    "multiline-literal": "a = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\nb = '''I [dw]on't need \\d{2} apples'''\n",
    "multiline-literal-quotes": "a = ''''That,' she said, 'is still pointless.''''\nb = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''\n",
    "multiline-empty": 'a = """"""\nb = \'\'\'\'\'\'\n',
    "string-with-tab": 'a = "a\tb"\nb = \'c\td\'\n',
    "string-hash": 'a = "# not a comment"\n',
    # integers
    "integers": "a = +99\nb = 42\nc = 0\nd = -17\ne = 1_000\nf = 5_349_221\ng = 53_49_221\nh = 1_2_3_4_5\ni = -0\nj = +0\n",
    "integers-prefixed": "a = 0xDEADBEEF\nb = 0xdeadbeef\nc = 0xdead_beef\nd = 0o01234567\ne = 0o755\nf = 0b11010110\ng = 0x0\nh = 0b0\n",
    "integer-limits": "a = 9223372036854775807\nb = -9223372036854775808\nc = 0x7FFFFFFFFFFFFFFF\n",
    # floats
    "floats": "a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\ng = 6.626e-34\nh = 224_617.445_991_228\ni = 0.0\nj = -0.0\nk = 1e-07\nl = 9_224_617.445_991_228_313\n",
    "floats-special": "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan\n",
    "float-exponent-leading-zero": "a = 1e007\nb = 3.0E-005\n",
    "float-overflow": "a = 1e400\n",
    "float-underflow": "a = 1e-400\n",
    "float-zero-exponent": "a = 0e0\nb = 0.0e-0\n",
    # booleans
    "booleans": "a = true\nb = false\n",
    # arrays
    "arrays": 'integers = [ 1, 2, 3 ]\ncolors = [ "red", "yellow", "green" ]\nnested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]\nnested_mixed_array = [ [ 1, 2 ], ["a", "b", "c"] ]\nstring_array = [ "all", \'strings\', """are the same""", \'\'\'type\'\'\' ]\n',
    "array-mixed": 'numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\ncontributors = [\n  "Foo Bar <foo@example.com>",\n  { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" }\n]\n',
    "array-multiline-comments": "a = [\n  1, # one\n  2, # two\n  # nothing\n]\nb = [ # open\n]\n",
    "array-trailing-comma": "a = [1, 2,]\nb = [\n  1,\n  2,\n]\n",
    "array-empty": "a = []\nb = [[]]\nc = [ ]\n",
    # tables
    "tables": '[table-1]\nkey1 = "some string"\nkey2 = 123\n\n[table-2]\nkey1 = "another string"\nkey2 = 456\n',
    "table-nested-headers": '[dog."tater.man"]\ntype.name = "pug"\n[a.b.c]\n[ d.e.f ]\n[ g .  h  . i ]\n[ j . "ʞ" . \'l\' ]\n',
    "table-super-after": "# [x] you\n# [x.y] don't\n[x.y.z.w]\n[x]\n",
    "table-empty": "[empty]\n",
    "table-out-of-order": '[fruit.apple]\n[animal]\n[fruit.orange]\n',
    "table-implicit-then-dotted": "[a.b.c]\nx = 1\n[a]\nb.d = 2\n",
    "inline-tables": 'name = { first = "Tom", last = "Preston-Werner" }\npoint = { x = 1, y = 2 }\nanimal = { type.name = "pug" }\nempty = {}\nnested = { a = { b = { c = 1 } } }\n',
    "inline-table-with-array": 'a = { b = [1, 2, { c = 3 }] }\n',
    "inline-table-multiline-array": 'a = { b = [\n 1,\n 2\n] }\n',
    "array-of-tables": '[[products]]\nname = "Hammer"\nsku = 738594937\n\n[[products]]  # empty table within the array\n\n[[products]]\nname = "Nail"\nsku = 284758393\ncolor = "gray"\n',
    "array-of-tables-nested": '[[fruits]]\nname = "apple"\n[fruits.physical]\ncolor = "red"\nshape = "round"\n[[fruits.varieties]]\nname = "red delicious"\n[[fruits.varieties]]\nname = "granny smith"\n\n[[fruits]]\nname = "banana"\n[[fruits.varieties]]\nname = "plantain"\n',
    "array-of-tables-subtable-each": "[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2\n",
    "config-like": '# A descent run\ndataset = "digits"\nlearning_rate = 0.05\nepochs = 30\nhidden = [64, 32]\nno-standardize = false\nschedule = "warmup(50) >> cosine"\nchosen_learning_rate = 1e-05\n',
    "saved-config-escapes": 'csv = "C:\\\\data\\\\f.csv"\nname = "a \\"quoted\\" word\\u001f"\n',
    "keys-keywords": "true = 1\nfalse = 2\ninf = 3\nnan = 4\n",
    "key-digits-dashes": "1-2 = 1\n2019-06 = \"not a date key\"\n",
}

INVALID = {
    "double-equals": "epochs = = 3\n",
    "no-value": "a =\n",
    "no-value-eof": "a = ",
    "no-equals": "a 1\n",
    "no-key": "= 1\n",
    "bare-key-bad-char": "a$b = 1\n",
    "two-on-a-line": "a = 1 b = 2\n",
    "duplicate-key": "a = 1\na = 2\n",
    "duplicate-quoted-key": 'spelling = "favorite"\n"spelling" = "favourite"\n',
    "duplicate-dotted": "a.b = 1\na.b = 2\n",
    "dotted-over-value": "a = 1\na.b = 2\n",
    "duplicate-table": "[fruit]\napple = \"red\"\n\n[fruit]\norange = \"orange\"\n",
    "table-over-dotted": "[fruit]\napple = \"red\"\n\n[fruit.apple]\ntexture = \"smooth\"\n",
    "table-over-dotted-root": "a.b = 1\n[a]\n",
    "table-over-dotted-deeper": "[fruit]\napple.color = \"red\"\n[fruit.apple]\n",
    "dotted-over-header-table": "[a.b]\nx = 1\n[a]\nb.y = 2\n",
    "table-over-inline": "a = {b = 1}\n[a]\n",
    "subtable-over-inline": "a = {b = 1}\n[a.c]\n",
    "dotted-over-inline": "a = {b = 1}\na.c = 2\n",
    "inline-dotted-over-inline": "a = {b = {c = 1}, b.d = 2}\n",
    "inline-duplicate": "a = {b = 1, b = 2}\n",
    "inline-trailing-comma": "a = {b = 1,}\n",
    "inline-newline": "a = {b = 1,\nc = 2}\n",
    "inline-unclosed": "a = {b = 1\n",
    "array-of-tables-over-array": "a = [1, 2]\n[[a]]\n",
    "array-of-tables-over-table": "[a]\n[[a]]\n",
    "table-over-array-of-tables": "[[a]]\n[a]\n",
    "table-over-value": "a = 1\n[a]\n",
    "table-under-value": "a = 1\n[a.b]\n",
    "dotted-into-array-of-tables": "[[t.a]]\n[t]\nx = 1\na.y = 2\n",
    "header-empty": "[]\n",
    "header-unclosed": "[a\nb = 1\n",
    "header-space-brackets": "[ [a] ]\n",
    "header-array-unclosed": "[[a]\n",
    "header-trailing-dot": "[a.]\n",
    "header-junk-after": "[a] b = 1\n",
    "key-trailing-dot": "a. = 1\n",
    "key-double-dot": "a..b = 1\n",
    "key-multiline": '"""a""" = 1\n',
    "key-newline": "a\n= 1\n",
    "string-unclosed": 'a = "abc\n',
    "string-unclosed-eof": 'a = "abc',
    "string-bad-escape": 'a = "\\q"\n',
    "string-bad-escape-x": 'a = "\\x41"\n',
    "string-short-unicode": 'a = "\\u00G0"\n',
    "string-surrogate": 'a = "\\uD800"\n',
    "string-too-big": 'a = "\\U00110000"\n',
    "string-control": 'a = "a\x01b"\n',
    "string-del": 'a = "a\x7fb"\n',
    "string-newline-in-basic": 'a = "a\nb"\n',
    "literal-unclosed": "a = 'abc\n",
    "literal-newline": "a = 'a\nb'\n",
    "literal-control": "a = 'a\x1fb'\n",
    "multiline-unclosed": 'a = """abc\n',
    "multiline-six-quotes-after": 'a = """a""""""\n',
    "multiline-backslash-blank-then-text": 'a = """one \\  two"""\n',
    "multiline-control": 'a = """a\x00b"""\n',
    "multiline-literal-unclosed": "a = '''abc\n",
    "multiline-literal-too-many": "a = '''a''''''\n",
    "comment-control": "a = 1 # \x07 bell\n",
    "lone-cr": "a = 1\rb = 2\n",
    "cr-in-comment": "# a\r comment\n",
    "integer-leading-zero": "a = 0123\n",
    "integer-leading-zero-signed": "a = +01\n",
    "integer-double-underscore": "a = 1__000\n",
    "integer-trailing-underscore": "a = 1000_\n",
    "integer-leading-underscore": "a = _1000\n",
    "integer-hex-upper-x": "a = 0X10\n",
    "integer-hex-sign": "a = +0x10\n",
    "integer-hex-empty": "a = 0x\n",
    "integer-hex-underscore-first": "a = 0x_1\n",
    "integer-octal-bad-digit": "a = 0o8\n",
    "integer-binary-bad-digit": "a = 0b2\n",
    "integer-letters": "a = 12abc\n",
    "float-no-leading-digit": "a = .7\n",
    "float-no-trailing-digit": "a = 7.\n",
    "float-dot-exponent": "a = 3.e+20\n",
    "float-exponent-empty": "a = 1e\n",
    "float-leading-zero": "a = 03.14\n",
    "float-underscore-dot": "a = 1_.5\n",
    "float-double-dot": "a = 1.2.3\n",
    "float-upper-inf": "a = Inf\n",
    "float-infinity": "a = infinity\n",
    "bool-upper": "a = True\n",
    "bool-partial": "a = tru\n",
    "array-no-comma": "a = [1 2]\n",
    "array-double-comma": "a = [1,,2]\n",
    "array-leading-comma": "a = [,1]\n",
    "array-unclosed": "a = [1, 2\n",
    "array-unclosed-eof": "a = [1,",
    "bare-word-value": "a = digits\n",
    "value-then-junk": "a = \"x\" y\n",
    "two-tables-one-line": "[a][b]\n",
    "tab-in-key-middle": "a\tb = 1\n",
}

REFUSED = {
    "date": "a = 1979-05-27\n",
    "date-time": "a = 1979-05-27T07:32:00Z\n",
    "date-time-offset": "a = 1979-05-27T00:32:00.999999-07:00\n",
    "local-date-time-space": "a = 1979-05-27 07:32:00\n",
    "local-time": "a = 07:32:00\n",
    "date-in-array": "a = [1, 1979-05-27]\n",
    "integer-too-big": "a = 9223372036854775808\n",
    "integer-too-small": "a = -9223372036854775809\n",
    "hex-too-big": "a = 0xFFFFFFFFFFFFFFFF\n",
}


def has_refused(value):
    """"date" or "range" for the first value Descent refuses on purpose, else False."""
    if isinstance(value, (dict, list)):
        items = value.values() if isinstance(value, dict) else value
        return next((found for found in map(has_refused, items) if found), False)
    if isinstance(value, (datetime.date, datetime.time)):
        return "date"
    if isinstance(value, int) and not isinstance(value, bool) and not -2**63 <= value < 2**63:
        return "range"
    return False


def main():
    cases = []
    for group, expect_kind in ((VALID, "valid"), (INVALID, "invalid"), (REFUSED, "refused")):
        for name, text in group.items():
            try:
                value = tomllib.loads(text)
            except tomllib.TOMLDecodeError as error:
                assert expect_kind == "invalid", f"{name}: tomllib refused it: {error}"
                match = re.search(r"line (\d+)", str(error))
                line = int(match.group(1)) if match else (text.count("\n") + 1)
                cases.append({"name": name, "toml": text, "expect": {"invalid": line}})
                continue
            assert expect_kind != "invalid", f"{name}: tomllib read it: {value}"
            refused = has_refused(value)
            if expect_kind == "refused":
                assert refused, f"{name}: nothing to refuse in {value}"
                cases.append({"name": name, "toml": text, "expect": {"refused": refused}})
            else:
                assert not refused, f"{name}: holds a {refused}"
                cases.append({"name": name, "toml": text, "expect": {"valid": tagged(value)}})
    print(write_cases(cases, "toml"))


if __name__ == "__main__":
    main()

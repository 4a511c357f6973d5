#!/usr/bin/env python3
"""Write the seed corpus and dictionaries for the fuzz targets from the rule sets in rules/.

Seeds: each rule set's ruleset.toml (load_manifest), rules.rhai (load_script), and each of
its test cases' inputs as "<id>\\n<json>" (eval_input). Dictionaries: the field names and
enum values of every schema, and the Rhai keywords and script library names.
Run from anywhere: python3 fuzz/make_corpus.py (existing seed files are overwritten).
"""
import json
import pathlib
import re
import tomllib

FUZZ = pathlib.Path(__file__).resolve().parent
RULES = FUZZ.parent / "rules"


def plain(v):
    """TOML values to JSON-able ones (dates become YYYY-MM-DD text)."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def fields(schema, out):
    for f in schema:
        if f.get("name"):
            out.add(f'"{f["name"]}":')
        for o in f.get("options", []):
            out.add(f'"{o["value"]}"')
        fields(f.get("fields", []), out)
        if "items" in f:
            fields([f["items"]], out)


def dict_entry(token):
    """A libFuzzer dictionary line inserting exactly `token`: quoted, with quotes, backslashes
    and every byte outside printable ASCII written as \\xNN."""
    out = []
    for b in token.encode():
        out.append(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\x{b:02x}")
    return '"' + "".join(out) + '"'


def main():
    words = set()
    for sub in ("load_manifest", "load_script", "eval_input"):
        (FUZZ / "corpus" / sub).mkdir(parents=True, exist_ok=True)
    for d in sorted(p for p in RULES.iterdir() if (p / "ruleset.toml").is_file()):
        manifest_text = (d / "ruleset.toml").read_text()
        manifest = tomllib.loads(manifest_text)
        rid = manifest["id"]
        (FUZZ / "corpus/load_manifest" / f"seed-{rid}.toml").write_text(manifest_text)
        (FUZZ / "corpus/load_script" / f"seed-{rid}.rhai").write_text((d / "rules.rhai").read_text())
        fields(manifest.get("input", []), words)
        n = 0
        for t in sorted((d / "tests").glob("*.toml")):
            for case in tomllib.loads(t.read_text()).get("case", []):
                n += 1
                text = f"{rid}\n{json.dumps(plain(case['input']), sort_keys=True)}"
                (FUZZ / "corpus/eval_input" / f"seed-{rid}-{n:03}.json").write_text(text)
    (FUZZ / "dict").mkdir(exist_ok=True)
    common = ['"2020-02-29"', '"2023-02-29"', '"1e400"', '"-0.01"', '"£1,250.50"', "1e400",
              "123456789012345678901234567890", "\u0000", "null", "true", "[]", "{}", " trace\n"]
    entries = [dict_entry(w) for w in sorted(words) + common]
    (FUZZ / "dict/input.dict").write_text("\n".join(entries) + "\n")
    rhai = ["let", "const", "fn", "if", "else", "loop", "while", "for", "in", "do", "until", "break",
            "continue", "return", "throw", "try", "catch", "switch", "Fn", "call", "curry", "this",
            "rule", "value", "outcome", "param", "as_of", "input", "money", "percent", "pence", "round",
            "floor", "ceiling", "min", "max", "decimal", "date", "add_days", "add_months", "add_years",
            "days_between", "age_on", "is_working_day", "add_working_days", "weekday", "long_date",
            "sum", "intersect", "contains_any", "join_words", "join", "len", "filter", "map", "some",
            "all", "contains", "push", "pad", "#{", "`${", "}`", "=>", "|x|", "..", "..=", "**"]
    (FUZZ / "dict/rhai.dict").write_text("\n".join(dict_entry(w) for w in rhai) + "\n")
    toml = ["[[input]]", "[[outcomes]]", "[as_of]", "name", "type", "required", "min", "max",
            "max_length", "min_items", "max_items", "options", "items", "fields", "default",
            "visible_when", "equals", "in", "integer", "number", "money", "boolean", "string",
            "enum", "date", "list", "object", "year_field", "year_day", "effective_from", "{", "}"]
    (FUZZ / "dict/toml.dict").write_text("\n".join(dict_entry(w) for w in toml) + "\n")


if __name__ == "__main__":
    main()

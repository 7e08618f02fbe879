#!/usr/bin/env python3
"""Validates what a program prints against a JSON Schema.

usage: check_schema.py SCHEMA PROGRAM [ARGS...]

Runs PROGRAM, parses its stdout as one JSON document and validates it with
the jsonschema module (Debian: python3-jsonschema), under the draft the
schema names in "$schema". Exits 0 if it conforms; else prints every
violation with its path in the document and exits 1.
"""
import json
import subprocess
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)  # a broken schema must not pass everything

    run = subprocess.run(argv[2:], stdout=subprocess.PIPE, check=False)
    if run.returncode != 0:
        print(f"check_schema: {argv[2]} exited with {run.returncode}", file=sys.stderr)
        return 1
    document = json.loads(run.stdout)

    errors = sorted(validator_class(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        print(f"check_schema: {where}: {error.message}", file=sys.stderr)
    if errors:
        print(f"check_schema: {len(errors)} violation(s) of {argv[1]}", file=sys.stderr)
        return 1
    print(f"check_schema: {len(document.get('actors', []))} actors conform to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Checks ONNX files with ONNX's own checker, full shape inference included, in one Python start.

    python3 check-onnx.py FILE.onnx ...    one JSON line per file: {"file", "ok", "error"?}
    python3 check-onnx.py --version        {"onnx": "1.12.0", "opset": 17}

Each file is checked by path (onnx.checker.check_model(path, full_check=True)), so a model with
external data is checked with its weights file, which must sit beside it. A file whose default
opset is newer than this onnx knows is reported as an error, not checked: the checker would judge
it by the wrong operator versions. Exit status 0 when every file passed, 1 otherwise, 2 on bad use.
Used by packages/backend-ort/test/export-check.test.ts; Debian's python3-onnx is enough.
"""
import json
import sys

import onnx
import onnx.checker
import onnx.defs


def default_opset(path):
    # load_external_data=False: only the graph is read here; the checker reads the weights itself.
    model = onnx.load(path, load_external_data=False)
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)


def check(path, known):
    try:
        opset = default_opset(path)
        if opset is None or opset > known:
            return {"file": path, "ok": False, "error": f"opset {opset}: this onnx knows up to {known}"}
        onnx.checker.check_model(path, full_check=True)
        return {"file": path, "ok": True, "opset": opset}
    except Exception as e:  # every checker failure becomes that file's line
        return {"file": path, "ok": False, "error": f"{type(e).__name__}: {e}"}


def main(argv):
    known = onnx.defs.onnx_opset_version()
    if argv == ["--version"]:
        print(json.dumps({"onnx": onnx.__version__, "opset": known}))
        return 0
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    ok = True
    for path in argv:
        result = check(path, known)
        ok = ok and result["ok"]
        print(json.dumps(result), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Checks what ORT's WebGPU Conv computes on conv-6-channels.onnx: the same Conv in float64 with
input channels 3-5 replaced by channels 0-2 (conv2d_mm.cc reads channel xCh / 4 of a
three-scalars-at-a-time view). Usage, after run-onnx.ts --dump /tmp/conv.json:
  /usr/bin/python3 repro/explain-conv.py /tmp/conv.json
Prints the largest difference of each provider from the float64 Conv and of webgpu from the
Conv of the wrong channels (measured: wasm 4.6e-7, webgpu 1.0e-6 from the wrong channels)."""
import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

here = Path(__file__).resolve().parent
w = numpy_helper.to_array(onnx.load(here / "conv-6-channels.onnx").graph.initializer[0]).astype(np.float64)
feed = json.loads((here / "conv-6-channels.inputs.json").read_text())["x"]
x = np.array(feed["data"], dtype=np.float64).reshape(feed["dims"])
dump = json.loads(Path(sys.argv[1]).read_text())
got = {ep: np.array(dump[ep]["y"]["data"]).reshape(dump[ep]["y"]["dims"]) for ep in ("webgpu", "wasm")}


def conv(x, w):
    """Valid 3x3 Conv, stride 1, written out: y[m, i, j] = sum over c, u, v of x[c, i+u, j+v] w[m, c, u, v]."""
    out_h, out_w = x.shape[2] - w.shape[2] + 1, x.shape[3] - w.shape[3] + 1
    y = np.zeros((1, w.shape[0], out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            patch = x[0, :, i : i + w.shape[2], j : j + w.shape[3]]
            y[0, :, i, j] = np.tensordot(w, patch, axes=([1, 2, 3], [0, 1, 2]))
    return y


wrong = x.copy()
wrong[0, 3:6] = x[0, 0:3]
print(f"wasm   vs Conv:                         {abs(got['wasm'] - conv(x, w)).max():.2e}")
print(f"webgpu vs Conv:                         {abs(got['webgpu'] - conv(x, w)).max():.2e}")
print(f"webgpu vs Conv with channels 3-5 := 0-2: {abs(got['webgpu'] - conv(wrong, w)).max():.2e}")

"""Builds the minimal ONNX graphs that show onnxruntime-web 1.30.0's webgpu provider disagreeing with
its wasm provider (the package README, "Reproducers"), with onnx's helper alone; run-onnx.ts runs them.
Regenerate with: /usr/bin/python3 repro/make-repros.py (writes repro/*.onnx and *.inputs.json;
numpy's seeded generator, so the same bytes every time)."""
import json
import math
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

here = Path(__file__).resolve().parent
rng = np.random.default_rng(0)


def save(name, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    # opset 17 and IR 8: the newest this onnx (Debian's 1.12) writes; both ops are unchanged since.
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, here / f"{name}.onnx")


def feed(name, array):
    return {name: {"dtype": "float32", "dims": list(array.shape), "data": array.astype(np.float32).reshape(-1).tolist()}}


# 1. Conv with 6 input channels and 4 output channels, 3x3, no padding, no bias. ORT's WebGPU Conv
# runs channels-last and takes its vec4 matmul path when in_channels % 4 == 0 or % 3 == 0 and
# out_channels % 4 == 0; for in_channels % 4 != 0 it reads x three scalars at a time but indexes
# the channel as xCh / 4 (conv2d_mm.cc, coord_a_snippet), right only when in_channels is 3. With
# 6 channels it reads channels 0-2 where 3-5 belong: every output is wrong. The preset
# cnnClassifier (LeNet: conv2 is 6 -> 16 channels) hits it.
x = rng.uniform(-1, 1, (1, 6, 6, 6)).astype(np.float32)
w = rng.uniform(-0.5, 0.5, (4, 6, 3, 3)).astype(np.float32)
save(
    "conv-6-channels",
    [helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[3, 3])],
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 4, 4])],
    [numpy_helper.from_array(w, "w")],
)
(here / "conv-6-channels.inputs.json").write_text(json.dumps(feed("x", x)) + "\n")

# 2. Sin and Cos of 65 angles in [-pi, pi]. WGSL lets sin and cos be 2^-11 (4.9e-4) off on
# [-pi, pi]; SwiftShader's are up to about 2e-4 off (cos(3) = -0.98981 for -0.98999), which is
# 2x rope's tolerance (atol 1e-5 + rtol 1e-4). ORT's rope lowering computes its tables with these
# ops when the time dim is symbolic or a decoder passes a position offset.
angles = np.linspace(-math.pi, math.pi, 65).astype(np.float32)
save(
    "sin-cos",
    [helper.make_node("Sin", ["angle"], ["sin"]), helper.make_node("Cos", ["angle"], ["cos"])],
    [helper.make_tensor_value_info("angle", TensorProto.FLOAT, [65])],
    [
        helper.make_tensor_value_info("sin", TensorProto.FLOAT, [65]),
        helper.make_tensor_value_info("cos", TensorProto.FLOAT, [65]),
    ],
)
(here / "sin-cos.inputs.json").write_text(json.dumps(feed("angle", angles)) + "\n")
print("wrote", ", ".join(sorted(p.name for p in here.glob("*.onnx"))))

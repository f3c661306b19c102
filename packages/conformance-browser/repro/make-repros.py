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


def save(name, nodes, inputs, outputs, initializers=(), opsets=None):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    # opset 17 and IR 8: the newest this onnx (Debian's 1.12) writes; these ops are unchanged since.
    model = helper.make_model(graph, opset_imports=opsets or [helper.make_opsetid("", 17)])
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

# 3. Range's limit from Squeeze(Shape(v)) where v's time came through a Slice whose end is another
# Shape (a positional table cut to the input's time, added to it): the webgpu provider fails with
# "Tensor shape is too large" (Less's output shape, from a wrong Range length). Gather(Shape, 0)
# instead of the Squeeze runs right, as does Shape of the input itself. Seen in the encoder-decoder
# with lengths (lengthMask's key count); Tessera's ORT lowering now takes every such scalar by
# Gather (GraphBuilder.dimScalar).
i64 = lambda name, values: numpy_helper.from_array(np.array(values, np.int64), name)
table = rng.uniform(-1, 1, (16, 8)).astype(np.float32)
x = rng.uniform(-1, 1, (3, 5, 8)).astype(np.float32)
save(
    "range-limit",
    [
        helper.make_node("Shape", ["x"], ["time"], start=1, end=2),
        helper.make_node("Slice", ["table", "zero1", "time", "zero1"], ["rows"]),
        helper.make_node("Add", ["x", "rows"], ["pos"]),
        helper.make_node("Shape", ["pos"], ["keys1"], start=1, end=2),
        helper.make_node("Squeeze", ["keys1"], ["keys"]),
        helper.make_node("Range", ["zero", "keys", "one"], ["positions"]),
        helper.make_node("Cast", ["len"], ["len64"], to=TensorProto.INT64),
        helper.make_node("Reshape", ["len64", "column"], ["len_rows"]),
        helper.make_node("Less", ["positions", "len_rows"], ["valid"]),
    ],
    [
        helper.make_tensor_value_info("x", TensorProto.FLOAT, ["b", "t", 8]),
        helper.make_tensor_value_info("len", TensorProto.INT32, ["b"]),
    ],
    [helper.make_tensor_value_info("valid", TensorProto.BOOL, ["b", "t"])],
    [numpy_helper.from_array(table, "table"), i64("zero1", [0]), i64("zero", 0), i64("one", 1), i64("column", [-1, 1])],
)
lengths = {"len": {"dtype": "int32", "dims": [3], "data": [2, 5, 4]}}
(here / "range-limit.inputs.json").write_text(json.dumps({**feed("x", x), **lengths}) + "\n")

# 4. com.microsoft GroupQueryAttention (2 heads, 2 key/value heads, head size 16, no rotary, no
# past) on a prompt of 32 positions: the webgpu provider's rows from position 4 on are up to 0.42
# off; 31 positions or fewer are right (17, 20, 24, 28 and 31 measured). Tessera's ORT lowering of
# `attention` uses this operator (attention/wide-theta-500000-long, time 40).
qkv = rng.uniform(-1, 1, (1, 32, 96)).astype(np.float32)
save(
    "gqa-32",
    [
        helper.make_node(
            "GroupQueryAttention",
            ["qkv", "", "", "", "", "seqlens_k", "total"],
            ["out", "present_key", "present_value"],
            domain="com.microsoft",
            num_heads=2,
            kv_num_heads=2,
        )
    ],
    [helper.make_tensor_value_info("qkv", TensorProto.FLOAT, [1, 32, 96])],
    [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 32, 32])],
    [numpy_helper.from_array(np.array([31], np.int32), "seqlens_k"), numpy_helper.from_array(np.array(32, np.int32), "total")],
    opsets=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
)
(here / "gqa-32.inputs.json").write_text(json.dumps(feed("qkv", qkv)) + "\n")
print("wrote", ", ".join(sorted(p.name for p in here.glob("*.onnx"))))

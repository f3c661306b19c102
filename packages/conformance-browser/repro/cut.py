"""Makes every intermediate tensor of an ONNX model a graph output as well, so run-onnx.ts compares
each of them between onnxruntime-web's webgpu and wasm providers (the first one to differ is the
op at fault). Usage: /usr/bin/python3 repro/cut.py model.onnx all-outputs.onnx"""
import sys

import onnx

source, target = sys.argv[1], sys.argv[2]
model = onnx.load(source)
graph = model.graph
have = {o.name for o in graph.output}
for node in graph.node:
    for name in node.output:
        if name and name not in have:
            # No type: onnxruntime infers it, and onnx 1.12 knows no type of opset 21's ops anyway.
            graph.output.append(onnx.ValueInfoProto(name=name))
            have.add(name)
onnx.save(model, target)
print(f"{target}: {len(graph.output)} outputs")

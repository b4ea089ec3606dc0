"""Validates an exported ONNX model and runs it, independently of the C# code.

Usage: /usr/bin/python3 check_onnx.py MODEL.onnx INPUT.f32 N,C,H,W OUTPUT.f32

1. onnx.checker.check_model(full_check=True): the ONNX library's own validation, shape inference included.
2. Runs the graph node by node with torch.nn.functional on the raw little-endian float32 input and writes
   the raw logits. Only the operators an AlexNet export uses are known here; any other operator fails the
   check. Where onnx's own reference evaluator exists (onnx >= 1.13; Debian 12 ships 1.12), its logits are
   written too, to OUTPUT.f32.reference.
3. Prints the model's opset, IR version and metadata as JSON.
"""

import json
import sys

import onnx
from onnx import numpy_helper
import torch
import torch.nn.functional as F


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run(model, x):
    values = {init.name: torch.from_numpy(numpy_helper.to_array(init).copy()) for init in model.graph.initializer}
    values[model.graph.input[0].name] = x
    for node in model.graph.node:
        a = attributes(node)
        inputs = [values[name] for name in node.input]
        op = node.op_type
        if op == "Conv":
            top, left, bottom, right = a.get("pads", [0, 0, 0, 0])
            # Unequal padding (TensorFlow's 'same' on a strided convolution) is an explicit zero pad first.
            x = F.pad(inputs[0], (left, right, top, bottom))
            y = F.conv2d(x, inputs[1], inputs[2] if len(inputs) > 2 else None, stride=tuple(a.get("strides", [1, 1])),
                         groups=a.get("group", 1))
        elif op == "BatchNormalization":
            assert len(node.output) == 1, "training-mode BatchNormalization"
            y = F.batch_norm(inputs[0], inputs[3], inputs[4], inputs[1], inputs[2], training=False, eps=a.get("epsilon", 1e-5))
        elif op == "Relu":
            y = F.relu(inputs[0])
        elif op == "LRN":
            y = F.local_response_norm(inputs[0], a["size"], alpha=a.get("alpha", 1e-4), beta=a.get("beta", 0.75), k=a.get("bias", 1.0))
        elif op == "MaxPool":
            assert not any(a.get("pads", [0])) and not a.get("ceil_mode", 0)
            y = F.max_pool2d(inputs[0], tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])))
        elif op == "AveragePool":
            y = F.avg_pool2d(inputs[0], tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])))
        elif op == "Flatten":
            y = torch.flatten(inputs[0], a.get("axis", 1))
        elif op == "Gemm":
            assert a.get("transA", 0) == 0 and a.get("alpha", 1.0) == 1.0 and a.get("beta", 1.0) == 1.0
            w = inputs[1].t() if a.get("transB", 0) else inputs[1]
            y = inputs[0] @ w + inputs[2]
        else:
            raise SystemExit("operator %s is not expected in an AlexNet export" % op)
        values[node.output[0]] = y
    return values[model.graph.output[0].name]


def main():
    path, input_path, shape, output_path = sys.argv[1:5]
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    dims = [int(d) for d in shape.split(",")]
    with open(input_path, "rb") as f:
        x = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).view(*dims)
    with torch.no_grad():
        logits = run(model, x).contiguous()
    with open(output_path, "wb") as f:
        f.write(logits.numpy().astype("<f4").tobytes())
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        ReferenceEvaluator = None
    if ReferenceEvaluator is not None:
        reference = ReferenceEvaluator(model).run(None, {model.graph.input[0].name: x.numpy()})[0]
        with open(output_path + ".reference", "wb") as f:
            f.write(reference.astype("<f4").tobytes())
    print(json.dumps({
        "ir_version": model.ir_version,
        "opset": [[o.domain, o.version] for o in model.opset_import],
        "ops": [n.op_type for n in model.graph.node],
        "metadata": {p.key: p.value for p in model.metadata_props},
        "input": model.graph.input[0].name,
        "output": model.graph.output[0].name,
        "reference_evaluator": ReferenceEvaluator is not None,
    }))


if __name__ == "__main__":
    main()

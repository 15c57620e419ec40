"""The convolutional tagger as an ONNX graph, written from its weights with the input projection folded in.

The trained encoder starts with a linear projection of the concatenated feature embeddings (character,
left and right bigram, jieba position, gazetteer, class, cue: 160 values per character) to `hidden`
channels. A linear map of a concatenation is the sum of the maps of its parts, so every table whose rows
are looked up can carry its part of the projection already: the character table and the four small feature
tables are stored projected (same size for the characters, a few kilobytes for the rest), and only the
bigram halves, one table looked up twice, keep a 64-input matrix product. At run time the graph sums six
lookups and the bias instead of concatenating 160 columns and multiplying them (`torch.onnx.export` writes
the latter): the encoder costs about a tenth less CPU (an eighth of its time was that product and the
concatenation) and gives the same scores up to float rounding.

    build_graph(weights, dilations) -> onnx.ModelProto        # weights: see `weights_from_torch`
    python -m training.export --refold models/ner              # a model exported unfolded, rewritten
    python -m training.export --quantize models/ner            # its convolutions and products in int8

Quantisation (`quantize`): ONNX Runtime's static quantisation in QDQ form, for the three convolutions and the
two matrix products only (the lookups, sums and masks stay float): weights int8 per output channel,
activations uint8 with one scale per tensor, the scales calibrated (min-max) on the encoder's own batches for
the articles of `corpus/`, the repository's own texts. The encoder takes about 40% less CPU; on the dev split
the F1 of the model and of the stage move by less than a point either way (models/ner/MODEL_CARD.md).

Every graph written here is checked against the model it came from on random inputs
(`check_same_scores`): the export fails rather than ship a graph that scores differently.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from pipeline.entity.model import FEATURES

SMALL = ("seg", "gaz", "cls", "cue")
OPSET = 17


def weights_from_torch(model) -> dict[str, np.ndarray]:
    """The named weights of a trained `Tagger` (idcnn encoder, character projection already folded, in eval
    mode): char, bigram, seg, gaz, cls, cue tables; proj_w (hidden x inputs) and proj_b; conv{i}_w / _b;
    out_w (tags x hidden) and out_b; dom, the news convention's row, when the model was trained with it."""
    if model.char_proj is not None:
        raise ValueError("fold the character projection first (Tagger.fold)")
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    w = {name: sd[f"{name}.weight"] for name in ("char", "bigram", *SMALL)}
    w["proj_w"], w["proj_b"] = sd["proj.weight"], sd["proj.bias"]
    for i in range(len(model.convs)):
        w[f"conv{i}_w"], w[f"conv{i}_b"] = sd[f"convs.{i}.weight"], sd[f"convs.{i}.bias"]
    w["out_w"], w["out_b"] = sd["out.weight"], sd["out.bias"]
    if model.dom is not None:
        from training.ner_train import NEWS

        w["dom"] = sd["dom.weight"][NEWS]
    return w


def weights_from_onnx(proto) -> tuple[dict[str, np.ndarray], list[int]]:
    """The same weights and the dilations, read back from the graph `torch.onnx.export` writes for the
    tagger (tables named `<feature>.weight`, the projection the MatMul after the Concat, the output the
    last MatMul)."""
    from onnx import numpy_helper

    init = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    nodes = list(proto.graph.node)
    if any(n.op_type == "Sum" for n in nodes):
        raise ValueError("this graph is already folded")
    w = {name: init[f"{name}.weight"] for name in ("char", "bigram", *SMALL)}
    concat = next(n for n in nodes if n.op_type == "Concat")
    matmuls = [n for n in nodes if n.op_type == "MatMul"]
    proj = next(n for n in matmuls if n.input[0] == concat.output[0])
    w["proj_w"] = init[proj.input[1]].T
    add = next(n for n in nodes if n.op_type == "Add" and proj.output[0] in n.input)
    w["proj_b"] = init[next(x for x in add.input if x != proj.output[0])]
    convs = [n for n in nodes if n.op_type == "Conv"]
    dilations = []
    for i, n in enumerate(convs):
        w[f"conv{i}_w"], w[f"conv{i}_b"] = init[n.input[1]], init[n.input[2]]
        dilations.append(next(a.ints[0] for a in n.attribute if a.name == "dilations"))
    out = matmuls[-1]
    w["out_w"] = init[out.input[1]].T
    add = next(n for n in nodes if n.op_type == "Add" and out.output[0] in n.input)
    w["out_b"] = init[next(x for x in add.input if x != out.output[0])]
    if concat.input[-1] not in [n.output[0] for n in nodes if n.op_type == "Gather"]:
        raise ValueError("the graph concatenates more than the seven feature lookups (a domain input?)")
    return w, dilations


def build_graph(w: dict[str, np.ndarray], dilations) -> object:
    """The folded graph: inputs the seven feature id arrays (batch x time, int64), output `emissions`
    (batch x time x tags, float32); padding (character id 0) is zeroed after the projection and after each
    residual convolution, as in training."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    proj_w = w["proj_w"].astype(np.float64)
    widths = [w["char"].shape[1], w["bigram"].shape[1], w["bigram"].shape[1], *(w[f].shape[1] for f in SMALL)]
    cuts = np.cumsum([0, *widths])
    part = {name: proj_w[:, cuts[i]:cuts[i + 1]] for i, name in enumerate(FEATURES)}
    bias = w["proj_b"].astype(np.float64)
    if "dom" in w:
        bias = bias + proj_w[:, cuts[-1]:] @ w["dom"].astype(np.float64)
    elif proj_w.shape[1] != cuts[-1]:
        raise ValueError(f"the projection reads {proj_w.shape[1]} inputs, the tables give {cuts[-1]}")

    inits, nodes = [], []

    def const(name: str, value) -> str:
        arr = np.asarray(value)
        arr = arr.astype(np.float32) if arr.dtype.kind == "f" else arr
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, inputs, output: str, **attrs) -> str:
        nodes.append(helper.make_node(op, list(inputs), [output], **attrs))
        return output

    terms = [node("Gather", [const("char.projected", w["char"] @ part["char"].T), "char"], "char.h")]
    bigrams = const("bigram.weight", w["bigram"])
    pair = node("Concat", [node("Gather", [bigrams, f], f"{f}.e") for f in ("bigram_l", "bigram_r")],
                "bigram.e", axis=-1)
    pair_w = np.concatenate([part["bigram_l"], part["bigram_r"]], axis=1).T
    terms.append(node("MatMul", [pair, const("bigram.projection", pair_w)], "bigram.h"))
    for f in SMALL:
        terms.append(node("Gather", [const(f"{f}.projected", w[f] @ part[f].T), f], f"{f}.h"))
    x = node("Sum", [*terms, const("proj.bias", bias)], "x")
    mask = node("Cast", [node("Unsqueeze", [node("Greater", ["char", const("zero", np.array(0, dtype=np.int64))],
                                                 "real"), const("axis_last", np.array([-1], dtype=np.int64))],
                              "real3")], "mask", to=TensorProto.FLOAT)  # batch x time x 1
    h = node("Mul", [node("Relu", [x], "x.relu"), mask], "h0")
    h = node("Transpose", [h], "h0.t", perm=[0, 2, 1])
    mask_t = node("Transpose", [mask], "mask.t", perm=[0, 2, 1])
    for i, d in enumerate(dilations):
        conv = node("Conv", [h, const(f"conv{i}.weight", w[f"conv{i}_w"]), const(f"conv{i}.bias", w[f"conv{i}_b"])],
                    f"conv{i}", dilations=[int(d)], group=1, kernel_shape=[w[f"conv{i}_w"].shape[2]],
                    pads=[int(d), int(d)], strides=[1])
        h = node("Mul", [node("Add", [h, node("Relu", [conv], f"conv{i}.relu")], f"res{i}"), mask_t], f"h{i + 1}")
    h = node("Transpose", [h], "h.t", perm=[0, 2, 1])
    out = node("MatMul", [h, const("out.weight", w["out_w"].T)], "out")
    node("Add", [out, const("out.bias", w["out_b"])], "emissions")
    inputs = [helper.make_tensor_value_info(f, TensorProto.INT64, ["batch", "time"]) for f in FEATURES]
    outputs = [helper.make_tensor_value_info("emissions", TensorProto.FLOAT, ["batch", "time", len(w["out_b"])])]
    graph = helper.make_graph(nodes, "zhner", inputs, outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="zhnews")
    onnx.checker.check_model(model)
    return model


def random_batch(sizes: dict[str, int], seed: int = 0, batch: int = 4, time: int = 40) -> dict[str, np.ndarray]:
    """Feature ids in range for each input (`sizes`: rows of each table), a few padding positions at the end
    of each row."""
    rng = np.random.default_rng(seed)
    out = {f: rng.integers(1, sizes[f], size=(batch, time)).astype(np.int64) for f in FEATURES}
    for r in range(batch):
        out_len = time - r * 3
        for f in FEATURES:
            out[f][r, out_len:] = 0
    return out


def check_same_scores(graph, reference, sizes: dict[str, int], atol: float = 1e-4) -> float:
    """The largest difference between `graph`'s emissions and `reference(batch)`'s over real positions on
    two random batches; raises when it is above `atol`."""
    import onnxruntime as ort

    session = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    worst = 0.0
    for seed in (0, 1):
        batch = random_batch(sizes, seed)
        got = session.run(None, batch)[0]
        want = reference(batch)
        real = batch["char"] > 0
        worst = max(worst, float(np.abs(got - want)[real].max()))
    if worst > atol:
        raise AssertionError(f"the folded graph scores differently from the model it came from (by {worst:.2e})")
    return worst


def table_sizes(w: dict[str, np.ndarray]) -> dict[str, int]:
    return {"char": len(w["char"]), "bigram_l": len(w["bigram"]), "bigram_r": len(w["bigram"]),
            **{f: len(w[f]) for f in SMALL}}


def refold(folder: Path) -> float:
    """Rewrite `folder`/model.onnx (a graph as `torch.onnx.export` wrote it) folded; returns the largest
    score difference found by the check."""
    import onnx
    import onnxruntime as ort

    path = folder / "model.onnx"
    original = onnx.load(str(path))
    w, dilations = weights_from_onnx(original)
    graph = build_graph(w, dilations)
    session = ort.InferenceSession(original.SerializeToString(), providers=["CPUExecutionProvider"])
    worst = check_same_scores(graph, lambda b: session.run(None, b)[0], table_sizes(w))
    onnx.save(graph, str(path))
    return worst


CALIBRATION = Path(__file__).resolve().parent.parent / "corpus"
QUANTIZED_OPS = ("Conv", "MatMul")


def calibration_batches(folder: Path, texts: list[str]) -> list[dict[str, np.ndarray]]:
    """The encoder's input batches for `texts` (normalised as the pipeline does, segmented, chunked and
    packed by the runtime itself), as the model in `folder` is fed them."""
    from pipeline.entity.model import NerModel
    from pipeline.text.normalise import normalise
    from training import adapter

    model = NerModel.load(folder)
    tokens = adapter.Resources.from_model(folder).tokens  # segmented as in training, with its recorded words
    batches: list[dict[str, np.ndarray]] = []
    real = model.emissions

    def keep(batch):
        batches.append({k: v.copy() for k, v in batch.items()})
        return real(batch)

    model.emissions = keep
    for text in texts:
        text = normalise(text).text
        model.predict(text, tokens(text))
    return batches


def is_quantized(proto) -> bool:
    return any(n.op_type in ("QuantizeLinear", "QLinearConv", "DynamicQuantizeLinear") for n in proto.graph.node)


def quantize(folder: Path, corpus: Path = CALIBRATION) -> dict:
    """Rewrite `folder`/model.onnx (a float graph) with its convolutions and matrix products quantised to
    int8, calibrated on the articles of `corpus`; records how in `folder`/config.json and returns that."""
    import onnx
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    path = folder / "model.onnx"
    if is_quantized(onnx.load(str(path))):
        raise ValueError(f"{path} is already quantised")
    files = sorted(corpus.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no calibration articles (*.txt) in {corpus}")
    batches = calibration_batches(folder, [f.read_text(encoding="utf-8") for f in files])

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.items = iter(batches)

        def get_next(self):
            return next(self.items, None)

    with tempfile.TemporaryDirectory(prefix="zhner-quant-") as tmp:
        pre, out = Path(tmp) / "pre.onnx", Path(tmp) / "int8.onnx"
        quant_pre_process(str(path), str(pre), skip_symbolic_shape=True)
        quantize_static(str(pre), str(out), Reader(), quant_format=QuantFormat.QDQ,
                        op_types_to_quantize=list(QUANTIZED_OPS), per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        shutil.copyfile(out, path)
    info = {"format": "onnxruntime static quantisation, QDQ", "ops": list(QUANTIZED_OPS),
            "weights": "int8, per output channel", "activations": "uint8, per tensor, min-max",
            "calibration": f"corpus/ ({len(files)} articles, {len(batches)} encoder batches)"}
    config_path = folder / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["int8"] = info
    config_path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--refold", type=Path, metavar="MODEL_DIR",
                      help="rewrite MODEL_DIR/model.onnx, exported unfolded, as the folded graph")
    what.add_argument("--quantize", type=Path, metavar="MODEL_DIR",
                      help="rewrite MODEL_DIR/model.onnx (float) with int8 convolutions and products")
    args = ap.parse_args(argv)
    if args.refold:
        worst = refold(args.refold)
        print(f"{args.refold / 'model.onnx'}: folded; largest score difference on random inputs {worst:.2e}")
    else:
        info = quantize(args.quantize)
        print(f"{args.quantize / 'model.onnx'}: quantised ({info['calibration']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

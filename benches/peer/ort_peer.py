"""The ONNX Runtime peer of `make bench-peer`: what a speed-minded user runs on a CPU instead
of the transformers pipeline.

The model directory is exported once per run (`torch.onnx.export`, opset 17, dynamic batch and
sequence axes), optimised with `onnxruntime.transformers.optimizer` (model type bert: fused
attention, GELU and skip-LayerNorm), and quantised with `quantize_dynamic` (QInt8 weights, per
channel). Each session runs on `threads` intra-op threads. A run is timed around the whole loop,
tokenization (the model's tokenizer.json, truncation at max length) and padding included;
batches are in input order, or length-sorted (the rows sorted by token count, batched, and the
labels put back in input order).
"""

import json
import os
import time

import numpy as np


def export(model_dir, work, max_length):
    """model_dir as ONNX fp32, graph-optimised fp32 and int8; returns the paths."""
    import torch
    from transformers import AutoModelForSequenceClassification

    net = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    raw = os.path.join(work, "model.onnx")
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            net, (ids, mask), raw, opset_version=17,
            input_names=["input_ids", "attention_mask"], output_names=["logits"],
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                          "attention_mask": {0: "batch", 1: "sequence"},
                          "logits": {0: "batch"}},
        )
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer

    cfg = net.config
    opt = optimizer.optimize_model(raw, model_type="bert", num_heads=cfg.num_attention_heads,
                                   hidden_size=cfg.hidden_size)
    fused = opt.get_fused_operator_statistics()
    optimised = os.path.join(work, "model.opt.onnx")
    opt.save_model_to_file(optimised)
    int8 = os.path.join(work, "model.opt.int8.onnx")
    # The fused operators (com.microsoft domain) have no ONNX shape inference: their outputs'
    # type is given.
    import onnx
    quantize_dynamic(optimised, int8, weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    return optimised, int8, {k: v for k, v in fused.items() if v}


class OrtPeer:
    """One ONNX Runtime session over a model file, with the model's tokenizer."""

    def __init__(self, onnx_path, model_dir, threads, batch_size, max_length):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tok.enable_truncation(max_length)
        self.tok.no_padding()
        with open(os.path.join(model_dir, "config.json")) as f:
            cfg = json.load(f)
        self.pad = cfg.get("pad_token_id", 0)
        self.names = [cfg["id2label"][str(i)] for i in range(len(cfg["id2label"]))]
        self.batch_size = batch_size
        self.version = ort.__version__

    def run(self, texts, sorted_by_length):
        """Labels of `texts` in input order."""
        ids = [e.ids for e in self.tok.encode_batch(texts)]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i])) if sorted_by_length \
            else list(range(len(ids)))
        labels = [None] * len(ids)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            width = max(len(ids[i]) for i in rows)
            batch = np.full((len(rows), width), self.pad, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                batch[j, :len(ids[i])] = ids[i]
                mask[j, :len(ids[i])] = 1
            (logits,) = self.session.run(None, {"input_ids": batch, "attention_mask": mask})
            for j, i in enumerate(rows):
                labels[i] = self.names[int(np.argmax(logits[j]))]
        return labels


def timed(peer, texts, sorted_by_length):
    """(messages per second, labels) of one whole run."""
    t0 = time.perf_counter()
    labels = peer.run(texts, sorted_by_length)
    return len(texts) / (time.perf_counter() - t0), labels

#!/usr/bin/python3
"""Trains two small SentencePiece Unigram models and converts them to Hugging Face tokenizer.json files the way
transformers' T5/UMT5 converters lay them out, for the Unigram tokenizer tests.

Needs Debian's python3-sentencepiece and python3-protobuf (apt-get install python3-sentencepiece python3-protobuf).
The Precompiled charsmap in both files is SentencePiece's own nmt_nfkc rule set, as T5 and UMT5 ship it.

    /usr/bin/python3 tools/unigram-fixtures/make_fixtures.py tests/InferenceServer.Tests/Text/Tokenization/Unigram
"""
import base64
import glob
import json
import os
import sys
import tempfile

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def corpus(path):
    lines = []
    with open(os.path.join(HERE, "multilingual.txt"), encoding="utf-8") as f:
        seed = [l.strip() for l in f if l.strip()]
    for name in sorted(glob.glob(os.path.join(ROOT, "*.md"))) + sorted(glob.glob("/usr/share/common-licenses/GPL-3")):
        with open(name, encoding="utf-8") as f:
            lines += [l.strip() for l in f if l.strip()]
    # The seed lines are few; repeat them so their scripts get pieces of their own.
    lines += seed * 40
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def train(text, prefix, vocab_size, byte_fallback):
    spm.SentencePieceTrainer.train(
        input=text, model_prefix=prefix, model_type="unigram", vocab_size=vocab_size,
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, normalization_rule_name="nmt_nfkc",
        byte_fallback=byte_fallback, character_coverage=0.9995, num_threads=1,
        split_digits=False, hard_vocab_limit=False)
    proto = model_pb2.ModelProto()
    with open(prefix + ".model", "rb") as f:
        proto.ParseFromString(f.read())
    return proto


def special(content, id_):
    return {"id": id_, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def template(eos_id):
    return {
        "type": "TemplateProcessing",
        "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
        "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                 {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
        "special_tokens": {"</s>": {"id": "</s>", "ids": [eos_id], "tokens": ["</s>"]}},
    }


def t5_layout(proto, extra_ids):
    """T5 (transformers' T5Converter, tokenizers < 0.14 layout): WhitespaceSplit + Metaspace(add_prefix_space)."""
    vocab = [[p.piece, p.score] for p in proto.pieces]
    vocab += [[f"<extra_id_{i}>", 0.0] for i in range(extra_ids - 1, -1, -1)]
    added = [special("<pad>", 0), special("</s>", 1), special("<unk>", 2)]
    added += [special(vocab[i][0], i) for i in range(len(proto.pieces), len(vocab))]
    charsmap = base64.b64encode(proto.normalizer_spec.precompiled_charsmap).decode()
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": charsmap},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "WhitespaceSplit"},
            {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True}]},
        "post_processor": template(1),
        "decoder": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": vocab, "byte_fallback": False},
    }


def umt5_layout(proto):
    """UMT5-style (current SpmConverter layout): Strip + Replace to '▁', Metaspace(prepend_scheme) split, byte_fallback."""
    vocab = [[p.piece, p.score] for p in proto.pieces]
    added = [special("<pad>", 0), special("</s>", 1), special("<unk>", 2)]
    charsmap = base64.b64encode(proto.normalizer_spec.precompiled_charsmap).decode()
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": charsmap},
            {"type": "Strip", "strip_left": False, "strip_right": True},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": "▁"}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": True},
        "post_processor": template(1),
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": vocab, "byte_fallback": True},
    }


def main(out):
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "corpus.txt")
        corpus(text)
        t5 = train(text, os.path.join(tmp, "t5"), 3000, byte_fallback=False)
        umt5 = train(text, os.path.join(tmp, "umt5"), 2500, byte_fallback=True)
    for name, doc in (("t5-tokenizer.json", t5_layout(t5, 10)), ("umt5-tokenizer.json", umt5_layout(umt5))):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        print(name, len(doc["model"]["vocab"]), "pieces")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests/InferenceServer.Tests/Text/Tokenization/Unigram"))

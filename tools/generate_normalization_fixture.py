#!/usr/bin/python3
"""Writes tests/InferenceServer.Tests/Fixtures/Tokenization/normalization.json: inputs and Python's NFC/NFD/NFKC/NFKD."""
import json
import random
import unicodedata as ud

random.seed(1234)
samples = [
    "e\u0301", "n\u0303", "A\u030A", "\u00C5", "\u212B", "\u1E9B\u0323", "q\u0307\u0323", "\u0344", "\u0958",
    "\uAC00", "\uAC01", "\u1100\u1161\u11A8", "\u1100\u1161", "한국어 텍스트", "\uFB01", "\u2460", "\uFF21\uFF22",
    "\u00BD", "\u00B2", "\u00A0x", "\u01C4", "\u0041\u0328\u0301", "\u0061\u0301\u0328", "\u0B47\u0B3E", "\u0CC6\u0CC2",
    "\u1E0A\u0323", "\u1E0C\u0307", "\u0044\u0307\u0323", "\u05B8\u05B9\u05B1\u0591\u05C3\u05B0\u05AC\u059F",
    "\u0592\u05B7\u05BC\u05A5\u05B0\u05C0\u05C4\u05AD", "\u3300", "\u32A4", "\uFDFA", "\U0001D400", "\U0001F600",
    "caf\u00E9 cafe\u0301", "\u2126", "\u1F80", "\u03B1\u0313\u0300\u0345", "abc",
]
pool = [chr(c) for c in list(range(0x300, 0x370)) + list(range(0xC0, 0x180)) + list(range(0x1100, 0x1200))
        + list(range(0xAC00, 0xAC40)) + list(range(0x1E00, 0x1F00)) + list(range(0x1F00, 0x2000))
        + list(range(0x2150, 0x2190)) + list(range(0xFB00, 0xFB50)) + list(range(0x0900, 0x0980))
        + list(range(0x3099, 0x309C)) + list(range(0x3040, 0x3100)) + list(range(0xFF00, 0xFF60))] + list("aeiouAEIOU ")
for _ in range(300):
    samples.append("".join(random.choice(pool) for _ in range(random.randint(1, 8))))
cases = [{"input": s, "nfc": ud.normalize("NFC", s), "nfd": ud.normalize("NFD", s),
          "nfkc": ud.normalize("NFKC", s), "nfkd": ud.normalize("NFKD", s)} for s in samples]
print(json.dumps({"unicode": ud.unidata_version, "cases": cases}, ensure_ascii=True, indent=1))

// Writes expected.json for the Unigram tokenizer tests: for each fixture tokenizer.json and each string, the ids that
// Hugging Face tokenizers (the Rust library, through its Node binding) gives with special tokens added, and its
// decode(ids, skip_special_tokens=true). transformers.js encodes the same strings as a second opinion; its
// disagreements are printed, not written.
//
//   cd tools/unigram-fixtures && npm install && node expected.mjs ../../tests/InferenceServer.Tests/Text/Tokenization/Unigram
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { strings } from "./strings.mjs";

const require = createRequire(import.meta.url);
const { Tokenizer } = require("tokenizers");
const { PreTrainedTokenizer } = await import("@huggingface/transformers");

const dir = process.argv[2] ?? "../../tests/InferenceServer.Tests/Text/Tokenization/Unigram";
const files = ["t5-tokenizer.json", "umt5-tokenizer.json"];
const output = { generator: "tokenizers (npm) " + require("tokenizers/package.json").version, tokenizers: {} };
for (const file of files) {
  const full = path.join(dir, file);
  const rust = Tokenizer.fromFile(full);
  const js = new PreTrainedTokenizer(JSON.parse(fs.readFileSync(full, "utf8")), {});
  const cases = [];
  for (const text of strings) {
    const encoding = await rust.encode(text, null, { addSpecialTokens: true });
    const ids = Array.from(encoding.getIds());
    const plain = Array.from((await rust.encode(text, null, { addSpecialTokens: false })).getIds());
    const decoded = await rust.decode(ids, true);
    const jsIds = js.encode(text);
    if (JSON.stringify(jsIds) !== JSON.stringify(ids)) {
      console.log(`${file}: transformers.js differs on ${JSON.stringify(text)}\n  rust ${ids}\n  js   ${jsIds}`);
    }
    cases.push({ text, ids, plain, tokens: encoding.getTokens(), decoded });
  }
  output.tokenizers[file] = cases;
}
fs.writeFileSync(path.join(dir, "expected.json"), JSON.stringify(output, null, 1) + "\n");
console.log(`wrote ${path.join(dir, "expected.json")}`);

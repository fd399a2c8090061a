"""Drives `trove serve` with the official `openai` Python client: a real client no one here wrote.

Run by Scripts/test-openai-client.sh (which makes the virtual environment, the index and the
server). Every check raises on failure; the script prints one line per check.

    python openai_client_check.py BASE_URL TROVE_BINARY
"""
import json
import math
import subprocess
import sys

import openai
from openai import OpenAI

base_url, trove = sys.argv[1], sys.argv[2]
client = OpenAI(base_url=base_url, api_key="not-needed", max_retries=0, timeout=120)


def check(name, condition, detail=""):
    if not condition:
        raise SystemExit(f"FAIL {name}: {detail}")
    print(f"ok   {name}")


models = [m.id for m in client.models.list().data]
check("models.list names the encoder and the decoder", len(models) == 2, models)
encoder, decoder = models

texts = ["Gannet Head lighthouse was first lit in 1853.", "storm damage to the harbour wall"]
reference = [json.loads(line)["embedding"] for line in
             subprocess.run([trove, "embed", "--json", *texts], check=True, capture_output=True, text=True).stdout.splitlines()]


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


# The client asks for base64 unless told otherwise, and decodes it itself.
default = client.embeddings.create(model=encoder, input=texts)
check("embeddings (client default, base64) equal `trove embed`",
      [d.index for d in default.data] == [0, 1] and all(cosine(d.embedding, r) >= 0.99999 for d, r in zip(default.data, reference)),
      [cosine(d.embedding, r) for d, r in zip(default.data, reference)])
floats = client.embeddings.create(model=encoder, input=texts[0], encoding_format="float")
check("embeddings (float) equal `trove embed`", max(abs(a - b) for a, b in zip(floats.data[0].embedding, reference[0])) < 1e-6)
check("embeddings report token usage", default.usage.prompt_tokens > 10, default.usage)

messages = [{"role": "system", "content": "Answer in one short sentence."},
            {"role": "user", "content": "What is the capital of France?"}]
whole = client.chat.completions.create(model=decoder, messages=messages, max_tokens=24)
text = whole.choices[0].message.content
check("chat.completions answers", "Paris" in text and whole.choices[0].finish_reason in ("stop", "length"), text)
check("chat.completions reports usage", whole.usage.completion_tokens > 0 and whole.usage.prompt_tokens > 0, whole.usage)

pieces, finish = [], None
for chunk in client.chat.completions.create(model=decoder, messages=messages, max_tokens=24, stream=True):
    if chunk.choices:
        pieces.append(chunk.choices[0].delta.content or "")
        finish = chunk.choices[0].finish_reason or finish
check("chat.completions stream adds up to the whole reply (greedy)", "".join(pieces) == text and finish is not None,
      ("".join(pieces), text))

try:
    client.embeddings.create(model="text-embedding-3-small", input="x")
    check("an unknown model is refused", False, "no error")
except openai.NotFoundError as error:
    check("an unknown model is refused with 404 (openai.NotFoundError)", "does not exist" in str(error), error)
try:
    client.chat.completions.create(model=decoder, messages=messages, n=2)
    check("n=2 is refused", False, "no error")
except openai.BadRequestError as error:
    check("n=2 is refused with 400 (openai.BadRequestError)", "`n` must be 1" in str(error), error)
print("openai client: all checks passed")

#!/usr/bin/env bash
# The whole test suite: installs what is missing, fetches the models, then runs every test
# target in release mode (numeric code is 10-50x slower in debug).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/fetch-models.sh
# The CLI tests run the binary: build it with the same flags as the tests, so nothing builds twice.
swift build -c release -Xswiftc -enable-testing --product trove
swift test -c release -Xswiftc -enable-testing "$@"
# The OpenAI-compatible endpoints through the official openai Python client (skipped without PyPI).
Scripts/test-openai-client.sh

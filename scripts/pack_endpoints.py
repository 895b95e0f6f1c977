"""Write botocore's endpoint data cut down to DynamoDB, for the Lambda package.

botocore reads its whole `endpoints.json` (1.2 MB, every AWS service in every partition) the first
time a session makes a client: about 25 ms of every cold start on Lambda, for the one service the
function calls. `dropday.aws.make_dynamodb_client` reads this file instead when it is packed beside
the code: every partition as botocore has it (name, DNS suffix, region pattern, regions, defaults),
with only DynamoDB's entry among the services. The endpoint a client ends up with is still computed
by the runtime's botocore from its own endpoint rules for DynamoDB; tests/unit/test_packed_endpoints.py
checks that a client made either way resolves the same endpoint in every partition.

Run by lambda/Makefile during `sam build`.

Usage: python scripts/pack_endpoints.py OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: The services the function makes clients for.
SERVICES = ("dynamodb",)


def packed_endpoints(endpoints: dict, services: tuple[str, ...] = SERVICES) -> dict:
    """botocore's endpoint data (`endpoints.json`) with only `services` left in each partition."""
    return {**endpoints, "partitions": [
        {**partition, "services": {name: entry for name, entry in partition.get("services", {}).items()
                                   if name in services}}
        for partition in endpoints["partitions"]]}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    import botocore.loaders

    endpoints = botocore.loaders.Loader().load_data("endpoints")
    Path(argv[0]).write_text(json.dumps(packed_endpoints(endpoints), separators=(",", ":")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

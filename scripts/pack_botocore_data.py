"""Write botocore's data cut down to what the function uses, for the Lambda package.

A botocore session on a cold start reads data for every AWS service to make one DynamoDB client:
its whole `endpoints.json` (1.2 MB, every service in every partition) and DynamoDB's whole service
model (490 KB, 57 operations, parsed into ordered dicts), about 30 ms together. This script writes,
into the package folder given:

- `aws_endpoints.json`: every partition as botocore has it (name, DNS suffix, region pattern,
  regions, defaults), with only DynamoDB's entry among the services;
- `aws_models/dynamodb/<api version>/service-2.json`: DynamoDB's service model with only the
  operations `dropday.aws.DYNAMODB_OPERATIONS` names and the shapes they use, documentation left out.

`dropday.aws.make_dynamodb_client` reads them when they are packed beside it; the endpoint a client
lands on is still computed by the runtime's botocore from its own endpoint rules for DynamoDB, and
the requests it sends are the same: tests/integration/test_packed_botocore_data.py checks both.

Run by lambda/Makefile during `sam build`.

Usage: python scripts/pack_botocore_data.py PACKAGE_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lambda"))
from dropday.aws import DYNAMODB_OPERATIONS, PACKED_ENDPOINTS, PACKED_MODELS  # noqa: E402

#: The services the function makes clients for.
SERVICES = ("dynamodb",)


def packed_endpoints(endpoints: dict, services: tuple[str, ...] = SERVICES) -> dict:
    """botocore's endpoint data (`endpoints.json`) with only `services` left in each partition."""
    return {**endpoints, "partitions": [
        {**partition, "services": {name: entry for name, entry in partition.get("services", {}).items()
                                   if name in services}}
        for partition in endpoints["partitions"]]}


def packed_model(model: dict, operations: tuple[str, ...]) -> dict:
    """A service model (`service-2.json`) with only `operations`, the shapes they reach (input,
    output, errors, and every member of those, recursively), and no documentation."""
    missing = [name for name in operations if name not in model["operations"]]
    if missing:
        raise SystemExit(f"this botocore's DynamoDB model has no {', '.join(missing)}")
    kept = {name: model["operations"][name] for name in operations}
    todo = [ref["shape"] for op in kept.values()
            for ref in [op.get("input"), op.get("output"), *op.get("errors", [])] if ref]
    shapes: dict[str, dict] = {}
    while todo:
        name = todo.pop()
        if name in shapes:
            continue
        shapes[name] = shape = model["shapes"][name]
        todo += [ref["shape"] for ref in [shape.get("member"), shape.get("key"), shape.get("value"),
                                          *shape.get("members", {}).values()] if ref]
    return _undocumented({**model, "operations": kept, "shapes": dict(sorted(shapes.items()))})


def _undocumented(value):
    if isinstance(value, dict):
        return {k: _undocumented(v) for k, v in value.items() if k not in ("documentation", "documentationUrl")}
    if isinstance(value, list):
        return [_undocumented(v) for v in value]
    return value


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    import botocore.loaders

    package = Path(argv[0])
    loader = botocore.loaders.Loader()
    endpoints = package / PACKED_ENDPOINTS.name
    endpoints.write_text(json.dumps(packed_endpoints(loader.load_data("endpoints")), separators=(",", ":")),
                         encoding="utf-8")
    version = loader.determine_latest_version("dynamodb", "service-2")
    model = package / PACKED_MODELS.name / "dynamodb" / version / "service-2.json"
    model.parent.mkdir(parents=True, exist_ok=True)
    model.write_text(json.dumps(packed_model(loader.load_service_model("dynamodb", "service-2", version),
                                             DYNAMODB_OPERATIONS), separators=(",", ":")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

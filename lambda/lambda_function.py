"""AWS Lambda entry point (`Handler: lambda_function.lambda_handler` in template.yaml).

The cold start imports about 600 modules (botocore, the ASK SDK, dropday) and makes some 70,000
objects that live as long as the container. Python's garbage collector would walk them again and
again while they are made, and in every full collection after; so it pauses for the import, and
what the import made is then frozen out of its reach (`gc.freeze`): about 10 ms of each cold
start on Lambda's Python 3.12 (benchmarks/README.md). The import leaves a few hundred objects of
cyclic garbage behind, which stay.
"""

import gc

gc.disable()
try:
    from dropday.app import lambda_handler
finally:
    gc.freeze()
    gc.enable()

__all__ = ["lambda_handler"]

"""AWS Lambda entry point (`Handler: lambda_function.lambda_handler` in template.yaml).

Everything a request needs is made here, in Lambda's init: the campaign, and the skill with its
DynamoDB client and telemetry (`default_handler`). Lambda often initialises a function before any
request arrives, and a listener then waits for none of it.

That init imports about 600 modules (botocore, the ASK SDK, Powertools, dropday) and makes some
80,000 objects that live as long as the container. Python's garbage collector would walk them again
and again while they are made, and in every full collection after; so it pauses meanwhile, and what
init made is then frozen out of its reach (`gc.freeze`): about 15 ms of each cold start on Lambda's
Python 3.12 (benchmarks/README.md). Init leaves a few hundred objects of cyclic garbage, which stay.
"""

import gc

gc.disable()
try:
    from dropday.app import default_handler, lambda_handler

    default_handler()
finally:
    gc.freeze()
    gc.enable()

__all__ = ["lambda_handler"]

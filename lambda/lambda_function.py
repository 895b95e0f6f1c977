"""AWS Lambda entry point (`Handler: lambda_function.lambda_handler` in template.yaml)."""

from dropday.app import lambda_handler

__all__ = ["lambda_handler"]

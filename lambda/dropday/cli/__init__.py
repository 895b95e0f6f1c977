"""The `dropday` command: content tooling and local development (never packed into Lambda)."""

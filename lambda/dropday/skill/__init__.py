"""The ASK edge: request handlers, interceptors and the skill builder."""

"""Local development aids (request envelopes, a conversation driver, a Settings API stub).

Never imported by the skill itself: `dropday.app` and `dropday.skill` must not import this package.
"""

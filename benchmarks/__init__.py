"""Benchmarks (not tests): run each from the repository root as a module, e.g.
`.venv/bin/python -m benchmarks.harvest_excel`, so `benchmarks.timing` and
`tests.support` import without path edits."""

"""Helpers shared by the tests and the benchmarks (not fixtures, not tests): import them
as `tests.support.<module>`; pytest puts the repository root on the path because
tests/ is a package, and benchmarks run from the root (`python -m benchmarks.<name>`)."""

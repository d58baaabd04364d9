"""Benchmarks (not tests): each module has ``main(argv) -> int`` and prints its figures.

``python -m benchmarks`` (``make bench``) runs every module; ``python -m benchmarks search book``
runs the named ones.
"""

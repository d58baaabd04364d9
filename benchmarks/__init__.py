"""Benchmarks (not tests): each module has ``main(argv) -> int`` and prints its figures.

``python -m benchmarks`` (``make bench``) prints the one table of ``benchmarks/overall.py`` (the
whole pipeline on the bulk corpus against a stock mkdocs-material build, run in the same run;
``--quick`` for development); ``python -m benchmarks search book`` runs the named modules instead.
"""

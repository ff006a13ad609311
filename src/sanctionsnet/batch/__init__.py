"""Batch screening: a book of parties in a file, screened on every core or on Spark.

`run_batch` (runner.py) is the entry point behind `sanctionsnet screen`. The modules
each do one thing: reading input (readers.py), mapping columns to followthemoney
properties (columns.py), the per-row screening both engines share (screening.py), the
engines (local.py, spark.py; spark_input.py for books Spark reads from a URI),
monitoring against what changed (monitor.py), output columns and writers (layout.py,
writers.py) and resuming an interrupted run (checkpoint.py; spark_checkpoint.py for the
Spark engine's parts).
"""

from sanctionsnet.batch.runner import BatchOptions, Summary, run_batch

__all__ = ["BatchOptions", "Summary", "run_batch"]

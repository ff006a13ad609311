"""`python -m sanctionsnet` runs the command line."""

from sanctionsnet.cli import app

app()

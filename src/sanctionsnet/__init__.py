"""sanctionsnet: sanctions screening and sanctions-evasion analysis."""

__version__ = "0.1.0"

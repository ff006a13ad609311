"""sanctionsnet: sanctions screening and sanctions-evasion analysis."""

from sanctionsnet._kernel import choose_kernel

__version__ = "0.1.0"

choose_kernel()

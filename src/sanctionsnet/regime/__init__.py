"""Sanctions measures as data, and a checker that applies them to transactions."""

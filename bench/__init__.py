"""Benchmarks: page speed against a bare Flask app, page weight, and a burst of applications."""

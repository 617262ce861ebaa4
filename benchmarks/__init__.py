"""Benchmarks of the lattice programs, policy pack, deploy order and start-up against the floors the Pulumi SDKs
set. Run `python -m benchmarks --help`; results and their reading are in `benchmarks/RESULTS.md`."""

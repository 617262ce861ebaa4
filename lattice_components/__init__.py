"""Pulumi components for Amazon VPC Lattice."""

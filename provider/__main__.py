"""What the Pulumi CLI runs for this package (`PulumiPlugin.yaml` beside it): the provider that hosts the lattice
components for programs in other languages. See `lattice_components/hosting.py`."""

from lattice_components.hosting import serve

if __name__ == "__main__":
    serve()

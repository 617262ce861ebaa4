"""What the Pulumi CLI runs for this package (`PulumiPlugin.yaml` beside it): the provider that hosts the lattice
components for programs in other languages. See `lattice_components/tools/hosting.py`."""

from lattice_components.tools.hosting import serve

if __name__ == "__main__":
    serve()

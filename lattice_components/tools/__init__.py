"""What runs the library offline and from a terminal: the mock runner, `lattice plan`, topology, access matrix, SigV4
invoke, the CLI, the component-package host and the policy-pack client. Imports the library; the library never
imports this folder."""

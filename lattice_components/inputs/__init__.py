"""Pure functions that turn a validated spec into each child resource's inputs: names, routing, policy documents."""

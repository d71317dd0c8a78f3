"""Load, validate and publish a government work plan kept as YAML in data/."""

"""Sub-commands of `python -m simulator`; each module has `register(subparsers)`."""

"""One module per command: ``register(subparsers)`` and a ``run(args)`` it sets as the default."""

"""One folder per concern: ``landing``, ``warehouse``, ``publishing``, ``retention``."""

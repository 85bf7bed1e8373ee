"""flowbind's fuzz harness: targets, a dependency-free driver, and ``python -m fuzz.run``."""

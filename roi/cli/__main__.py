"""`python -m roi.cli` runs the CLI (used by benchmarks and subprocess tests)."""

from roi.cli import main

if __name__ == "__main__":
    main()

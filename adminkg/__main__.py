"""``python -m adminkg``: the same command line as the ``adminkg`` console script."""
from .cli import main

if __name__ == "__main__":
    main()

"""`python -m autograder ...`: see cli.py."""
from .cli import main

main()

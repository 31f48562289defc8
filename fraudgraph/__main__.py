# `python -m fraudgraph` (the demo's steps, bench/external.py, tests spawn it): a launcher
# alias of the console script, the one arrow from fraudgraph/ up to the CLI room, allowed by
# name in tests/test_layers.py. Nothing imports this module.
from cli.main import main

main()

"""The `fraudgraph` command: the top room. It imports every package below it to define their
commands; nothing imports it (tests/test_layers.py holds that)."""

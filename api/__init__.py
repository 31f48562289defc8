"""The AFC API: a FastAPI service over the fraud graph (`fraudgraph serve`)."""

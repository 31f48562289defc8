"""Request and response models of the API (with OpenAPI examples)."""

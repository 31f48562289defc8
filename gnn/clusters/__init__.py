"""Clusters and emerging schemes: communities of risky entities (`communities`), the
cluster run with its stable ids (`run`), their store in Neo4j (`store`) and the
emerging-scheme forecast (`emerging`)."""

"""The root of fraudgraph's exceptions. Each package derives its own root from this one."""


class FraudgraphError(Exception):
    """Base class of every error fraudgraph raises on purpose."""


class ConfigurationError(FraudgraphError):
    """Settings that cannot work: a default key outside development, a missing password."""


class GraphUnavailableError(FraudgraphError):
    """Neo4j cannot be reached (down, restarting, wrong address). Callers may retry later."""


class Neo4jServerError(FraudgraphError):
    """The project-managed Neo4j server could not be built, started or stopped."""


class KafkaServerError(FraudgraphError):
    """The project-managed Kafka broker could not be built, started or stopped."""


class StreamError(FraudgraphError):
    """The event stream (Kafka) cannot be reached or refused what was sent."""

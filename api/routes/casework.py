"""The investigator's loop's route modules, registered together by api/app.py."""

from api.routes import alerts, cases, monitoring

MODULES = (alerts, cases, monitoring)
TAGS = ("alerts", "cases", "monitoring")

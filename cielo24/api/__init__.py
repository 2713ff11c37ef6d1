"""The API classes, one module each: ``from cielo24.api import job_api``."""

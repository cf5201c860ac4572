"""Admin for the household registry, administrative units and the reference lists."""

from . import audit, registry, reviews, standards, units  # noqa: F401 (registers the admins)

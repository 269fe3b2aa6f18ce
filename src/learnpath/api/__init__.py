"""The JSON API and the application factory."""

from learnpath.api.app import create_app

__all__ = ["create_app"]

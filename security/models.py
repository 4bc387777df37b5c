"""The security app's tables, each defined in the module of its feature."""

from security.passwords import PasswordHistory

__all__ = ["PasswordHistory"]

"""The security app's tables, each defined in the module of its feature."""

from security.audit import AuditChain, SecurityEvent
from security.daily import DailyRun
from security.passwords import PasswordHistory
from security.sessions import AdminSession

__all__ = ["AdminSession", "AuditChain", "DailyRun", "PasswordHistory", "SecurityEvent"]

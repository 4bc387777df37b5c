"""The admin's security for a 等保2.0 assessment: the three administrators' roles (系统管理员,
安全管理员, 审计管理员) and the accounts only a superuser may raise, the password rules, the
sessions (idle logout, one session per account, the sign-in history), the login lockout per
account and address, and the security audit log that nobody can alter. Imports core only."""

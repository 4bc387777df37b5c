"""Operating the site: backups and their restore, the first admin account, and compiling the
translation catalogues (make backup, make restore, make run). Imports core only."""

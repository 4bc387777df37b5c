"""Settings shared by every environment; everything that varies comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.csp import PUBLIC_POLICY

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "core",
    "news",
    "contact",
    "ops",
    "security",
    "interaction",
    "quality",
    "axes",
    # Two-factor sign-in to the admin: TOTP phones and recovery codes (security/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
    "wagtail.sites",
    # Wagtail's account and group views held to the three administrators' roles.
    "security.wagtail_users.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Its Chinese for the relative times Wagtail writes with naturaltime ("7秒之前" in the status
    # panel), which otherwise stay English.
    "django.contrib.humanize",
    # The offline captcha of the public forms (interaction/). Last: its Chinese catalogue would
    # otherwise win over Wagtail's for Django's own messages ("This field is required.").
    "captcha",
]

MIDDLEWARE = [
    # Each request reads the site generation once, on first use (core/generation.py).
    "core.generation.GenerationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A page kept for anonymous readers is answered here, as it was first sent: with the
    # policy and framing headers the two below gave it, and without the machinery of signed-in
    # users further down (sessions, accounts, second factors, the audit), which a request
    # without a session cookie never uses (news/serving/pagecache.py). Django's security
    # headers and its HTTPS redirect, above, apply to every answer.
    "news.serving.pagecache.PageCacheMiddleware",
    # Content-Security-Policy: strict on public pages, relaxed in the admin (core/csp.py).
    "core.csp.AreaPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A Chinese page for any 4xx a view answered without a body, such as a 405.
    "core.errors.ErrorBodyMiddleware",
    # A form posted to the admin that cannot be read gets a Chinese 400, not a 500 (core/admin_forms.py).
    "core.admin_forms.UnreadablePostMiddleware",
    # A publish refused for an unexplained 发布时间 says why, on the article's page (core/date_gate.py).
    "core.date_gate.DateRefusalMiddleware",
    # An upload bigger than its library takes is refused before its body is read (news/library/upload_limits.py).
    "news.library.upload_limits.UploadLimitMiddleware",
    # The admin's CSV exports with formula-like cells neutralised (core/spreadsheets.py).
    "core.spreadsheets.SafeAdminCsvMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether the session gave a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # The audit log's view of the request: its address and account, exports and refusals.
    "security.audit_middleware.AuditMiddleware",
    # A signed-in session keeps its place in the list of sessions when its key changes.
    "security.sessions.FollowSessionKeyMiddleware",
    # Answers a locked account's login attempts with 429 (django-axes).
    "axes.middleware.AxesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A publish refused by the 错敏词 check says why in Chinese, and a warning is said after the
    # action it did not stop (core/content_refusals.py).
    "core.content_refusals.ContentGateMiddleware",
    # A session idle for ADMIN_IDLE_MINUTES is signed out on its next request, before anything
    # else looks at it (security/idle_middleware.py).
    "security.idle_middleware.IdleLogoutMiddleware",
    # An expired password, or one set by someone else, leads to the change form in the admin.
    "security.passwords_middleware.PasswordPolicyMiddleware",
    # With ADMIN_2FA_REQUIRED, a session without a second factor is kept on the 两步验证 page
    # (after the password page: a password that must be changed is changed first).
    "security.two_factor_middleware.TwoFactorMiddleware",
    "news.serving.routing.CachedRouteMiddleware",
    "news.pictures.PrefetchedPicturesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "sitecms.urls"
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins of one account from one
# address, that address's attempts at that account are refused with 429 for the cool-off time.
# Addresses are the ones click counting
# trusts (HITCOUNT_TRUSTED_PROXIES), so a forged X-Forwarded-For cannot reset a limit.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
# Per account and address (等保2.0 登录失败处理): an account is locked for the address its failures
# came from, so a stranger guessing the security administrator's password locks out the stranger,
# never the administrator in the office; an IPv6 client counts by its /64, which one machine can
# rotate through (security/lockout.py lockout_address, for axes alone). One address trying many
# accounts, or many addresses one account, each meet LOGIN_RATE_LIMIT per address
# (core/accounts.py). 设置 → 登录锁定 lifts an account's locks.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20/m")
PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5/h")
AXES_CLIENT_IP_CALLABLE = "security.lockout.lockout_address"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
# Wagtail's login form with its password field labelled in Chinese, no 记住我, and the 动态验证码
# of an account that has enrolled a phone (security/two_factor_forms.py).
WAGTAILADMIN_USER_LOGIN_FORM = "security.two_factor_forms.LoginForm"
# 等保2.0 asks two factors of remote administration (8.1.4.1 d). Off here so that `make run` and
# the tests sign in with a password alone; on in sitecms/settings/production.py (`make serve`):
# every admin account then enrols a phone at its first sign-in (security/two_factor.py).
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED")
# Sessions (等保2.0 7.1.4.1 b, security/idle_middleware.py and security/sessions.py): a session
# that did nothing for ADMIN_IDLE_MINUTES (a fraction is allowed, for tests; 0 turns it off) is
# signed out on the server, whatever the browser's scripts keep sending; the session cookie ends
# with the browser (no 记住我); a sign-in ends the account's other sessions unless
# ADMIN_SINGLE_SESSION=0.
ADMIN_IDLE_MINUTES = float(os.environ.get("ADMIN_IDLE_MINUTES", "30"))
ADMIN_SINGLE_SESSION = env_bool("ADMIN_SINGLE_SESSION", default=True)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AXES_VERBOSE = False

# A form posted without its CSRF token gets the site's Chinese 403 page.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
WSGI_APPLICATION = "sitecms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Its health check asks the server only when the connection's socket has news (core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers and the editor write at the same time; WAL and a busy timeout keep SQLite
    # from answering "database is locked" under light concurrency.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, treating an unreachable Redis as empty (core/cache.py).
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sitecms",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every process keeps what it has built (fragments, whole pages) in its own memory too, keyed by
# the site generation, so it never needs telling when something changed (core/generation.py).
LOCAL_CACHES = {
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
CACHES.update(LOCAL_CACHES)

# The password rules (等保2.0 7.1.4.1 a; security/passwords.py): at least 8 characters of three
# of the four kinds, not like the username, none of the last PASSWORD_HISTORY_COUNT passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "security.passwords.UsernameValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "security.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "security.passwords.HistoryValidator"},
]
PASSWORD_HISTORY_COUNT = 5
# A password older than this many days must be changed before the admin can be used again
# (0: never); its owner is warned from PASSWORD_WARNING_DAYS before
# (security/passwords_middleware.py).
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_WARNING_DAYS = 7
# Wagtail's "forgot password" by e-mail lets whoever reads a staff member's mailbox into the admin
# without the security administrator knowing; passwords are reset by an administrator instead,
# and the owner must change the new one at the next sign-in. "1" turns the e-mail reset on.
WAGTAIL_PASSWORD_RESET_ENABLED = env_bool("WAGTAIL_PASSWORD_RESET_ENABLED")

# The security audit log (security/audit.py): each record chained to the one before by an HMAC
# keyed with AUDIT_KEY (derived from SECRET_KEY when empty; set it apart from SECRET_KEY so that
# rotating one leaves the other). Records are kept AUDIT_RETENTION_DAYS, never under 180.
AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("AUDIT_RETENTION_DAYS", "180")))
# The daily job (security/daily.py) writes the previous day's records here, and to syslog when
# AUDIT_SYSLOG is a socket path (/dev/log) or host:port, for copies kept off the machine; it also
# disables accounts unused for ACCOUNT_INACTIVE_DAYS (0: never). It runs in the serving processes
# once a day after SECURITY_DAILY_AT (Beijing time), or from cron as `manage.py security_daily`.
AUDIT_EXPORT_DIR = os.environ.get("AUDIT_EXPORT_DIR", str(BASE_DIR / "audit"))
AUDIT_SYSLOG = os.environ.get("AUDIT_SYSLOG", "")
ACCOUNT_INACTIVE_DAYS = int(os.environ.get("ACCOUNT_INACTIVE_DAYS", "90"))
SECURITY_DAILY_ENABLED = env_bool("SECURITY_DAILY_ENABLED", default=True)
SECURITY_DAILY_AT = os.environ.get("SECURITY_DAILY_AT", "02:30")
SECURITY_DAILY_INTERVAL = float(os.environ.get("SECURITY_DAILY_INTERVAL", "60"))

# 互动交流 (interaction/): attachments are kept in INTERACTION_FILES_DIR, outside MEDIA_ROOT, where
# no URL reaches them; the writer's contact details are removed from closed messages after
# INTERACTION_KEEP_CONTACT_DAYS (the daily job, interaction/retention.py; 0: never). One address
# may send INTERACTION_SEND_RATE messages and try INTERACTION_LOOKUP_RATE 查询 lookups, counted for
# all workers (core/limits.py); a form sent sooner than INTERACTION_MIN_FILL_SECONDS after it was
# shown is taken for a robot's. One address may send INTERACTION_SURVEY_RATE 征集 answers.
INTERACTION_FILES_DIR = os.environ.get("INTERACTION_FILES_DIR", str(BASE_DIR / "private"))
INTERACTION_KEEP_CONTACT_DAYS = int(os.environ.get("INTERACTION_KEEP_CONTACT_DAYS", "365"))
INTERACTION_SEND_RATE = os.environ.get("INTERACTION_SEND_RATE", "10/h")
INTERACTION_LOOKUP_RATE = os.environ.get("INTERACTION_LOOKUP_RATE", "20/h")
INTERACTION_MIN_FILL_SECONDS = float(os.environ.get("INTERACTION_MIN_FILL_SECONDS", "3"))
INTERACTION_SURVEY_RATE = os.environ.get("INTERACTION_SURVEY_RATE", "30/h")
# At most this many answers to one 征集 from one address block, whatever browser each claims to be
# (interaction/survey_forms.py): one office behind one NAT can send no more either.
INTERACTION_SURVEY_PER_ADDRESS = int(os.environ.get("INTERACTION_SURVEY_PER_ADDRESS", "5"))
# Deadlines (interaction/deadlines.py), counted in working days on the Chinese calendar: a message
# is 即将到期 within INTERACTION_DUE_SOON_DAYS working days of its deadline. The dashboard shows the
# oldest unanswered message of each channel in amber from INTERACTION_WARNING_AGE_DAYS calendar
# days and in red from INTERACTION_DANGER_AGE_DAYS (or once overdue): well before the 3 months
# after which an unanswered message fails the national inspection.
INTERACTION_DUE_SOON_DAYS = int(os.environ.get("INTERACTION_DUE_SOON_DAYS", "3"))
INTERACTION_WARNING_AGE_DAYS = int(os.environ.get("INTERACTION_WARNING_AGE_DAYS", "15"))
INTERACTION_DANGER_AGE_DAYS = int(os.environ.get("INTERACTION_DANGER_AGE_DAYS", "30"))
# Reminders by e-mail (interaction/reminders.py): INTERACTION_REMIND_BEFORE_DAYS working days before
# the deadline, on it, then every INTERACTION_REMIND_EVERY_DAYS working days after it; to the unit
# (or the channel's 受理人员), and from the INTERACTION_REMIND_OWNER_FROM-th overdue reminder also to
# the channel's 负责人. The daily job (interaction/daily_job.py) sends them and removes old contact
# details; it runs in the serving processes once a day after INTERACTION_DAILY_AT (Beijing time),
# or from cron as `manage.py interaction_daily` with INTERACTION_DAILY_ENABLED off.
INTERACTION_REMIND_BEFORE_DAYS = int(os.environ.get("INTERACTION_REMIND_BEFORE_DAYS", "3"))
INTERACTION_REMIND_EVERY_DAYS = max(1, int(os.environ.get("INTERACTION_REMIND_EVERY_DAYS", "5")))
INTERACTION_REMIND_OWNER_FROM = int(os.environ.get("INTERACTION_REMIND_OWNER_FROM", "2"))
INTERACTION_DAILY_ENABLED = env_bool("INTERACTION_DAILY_ENABLED", default=True)
INTERACTION_DAILY_AT = os.environ.get("INTERACTION_DAILY_AT", "07:30")
INTERACTION_DAILY_INTERVAL = float(os.environ.get("INTERACTION_DAILY_INTERVAL", "60"))
# Wrong 查询码 for one 受理编号 from all addresses together, past which guesses at it are refused
# (the right code always passes: nobody can lock a writer out).
INTERACTION_NUMBER_LOOKUP_RATE = os.environ.get("INTERACTION_NUMBER_LOOKUP_RATE", "10/h")
# Content quality (quality/): the check every text passes before readers see it
# (core/content_gate.py names CONTENT_CHECKER; empty, nothing is refused), and its daily job
# (quality/nightly.py), run in the serving processes after QUALITY_DAILY_AT (Beijing time) or
# from cron as `manage.py quality_daily` with QUALITY_DAILY_ENABLED off.
CONTENT_CHECKER = os.environ.get("CONTENT_CHECKER", "quality.checking")
QUALITY_DAILY_ENABLED = env_bool("QUALITY_DAILY_ENABLED", default=True)
QUALITY_DAILY_AT = os.environ.get("QUALITY_DAILY_AT", "02:30")
QUALITY_DAILY_INTERVAL = float(os.environ.get("QUALITY_DAILY_INTERVAL", "60"))
# 发布时间 later than an article's first publication by more than this many days needs a reviewer's
# written reason (core/date_gate.py): the inspection fails a forged publication date, and a day
# covers an article written in the evening and published the next morning. DATE_REASONS names the
# code that keeps the reasons (quality/date_changes.py, which also records every change); emptied,
# no reason is asked for.
DATE_TOLERANCE_DAYS = max(0, int(os.environ.get("DATE_TOLERANCE_DAYS", "1")))
DATE_REASONS = "quality.date_changes"
# 栏目更新监测 (quality/freshness.py): a column is announced on the dashboard and by the daily
# job's mail this many days before it goes past its update class's limit, time enough for the
# reviewers to have an article written and approved.
FRESHNESS_WARN_DAYS = int(os.environ.get("FRESHNESS_WARN_DAYS", "5"))
# The broken-link check (quality/link_checker.py): how long one request may wait for an answer
# (15 s is what monitors allow a government site before calling it unreachable), the pause between
# two requests to the same host and how many hosts are asked at once, so no site is hammered.
# Addresses inside the organisation's network are never fetched from a link an editor typed
# (SSRF); LINK_CHECK_ALLOWED_HOSTS names the intranet hosts (comma-separated) that may be.
LINK_CHECK_TIMEOUT = float(os.environ.get("LINK_CHECK_TIMEOUT", "15"))
LINK_CHECK_HOST_PAUSE = float(os.environ.get("LINK_CHECK_HOST_PAUSE", "1"))
LINK_CHECK_WORKERS = int(os.environ.get("LINK_CHECK_WORKERS", "4"))
LINK_CHECK_ALLOWED_HOSTS = env_list("LINK_CHECK_ALLOWED_HOSTS")
# The forms' question is arithmetic, asked in words (interaction/abuse.py), good for an hour: a
# long message takes a while to write.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_TIMEOUT = 60

LANGUAGE_CODE = "zh-hans"
# The project's own catalogue completes Wagtail's Chinese (compiled by `manage.py compile_translations`).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_MANIFEST_DIR = BASE_DIR / "static-manifest"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Pictures served by Django itself, for a stack with no web server in front (`make serve`).
SERVE_MEDIA = env_bool("SERVE_MEDIA")

# Content-Security-Policy (django-csp): the public pages' policy; the admin's and the previews'
# policies, and why they differ, are in core/csp.py.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": PUBLIC_POLICY}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed static files whose manifest (every asset's name) is kept out of the
    # folder that is served (core/static_storage.py).
    "staticfiles": {"BACKEND": "core.static_storage.UnlistedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "青溪党建网")
# The name an authenticator app shows beside the account (the QR code's issuer).
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# The site's address in notification e-mails, and the default site's address in sitemaps, feeds
# and exports (news/sitetree.py); unset, the development server's on PORT.
WAGTAILADMIN_BASE_URL = os.environ.get(
    "SITE_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)
WAGTAIL_I18N_ENABLED = False
# The one language of the content, named as the admin names it (else "Simplified Chinese").
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# Chinese titles must never become percent-encoded slugs; articles get date/id URLs instead.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Wagtail's database search with Chinese segmented in the index and in every query (news/search/backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "news.search.backend"}}
# ArticlePage replaces Page's title search field with a boosted one (news/models.py), which
# Wagtail's check of the core search fields takes for a missing field.
SILENCED_SYSTEM_CHECKS = ["wagtailsearch.W001"]
# Office files and PDFs for 附件; MP4/WebM with WebVTT captions for the video block.
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "doc",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "xls",
    "zip",
    "mp4",
    "webm",
    "vtt",
]
# No SVG: an SVG is a document that can carry script.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Upload limits: a picture's file size and pixel count (a small file can still decompress to a
# huge bitmap), and a document's size.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "10")) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("IMAGE_MAX_MEGAPIXELS", "40")) * 1_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("DOCUMENT_MAX_UPLOAD_MB", "20")) * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "news.library.uploads.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "news.library.uploads.DocumentForm"
# Documents are always downloaded through Django (permissions and private collections apply) and
# never shown inline, so an uploaded HTML or PDF cannot run in the site's origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# A page or document open to signed-in users only sends readers to the admin's login, the only
# one the site has, which brings them back to it afterwards (Django's default, /accounts/login/,
# is no page here).
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# Behind nginx (DOCUMENTS_SENDFILE=nginx), the serve view checks who may have a document and then
# hands the file to nginx with X-Accel-Redirect: a worker is not held for the whole download, and
# nginx's /media/documents/ answers nothing else (deploy/nginx.conf). Unset, Django streams the
# file itself, as the embedded site must.
DOCUMENTS_SENDFILE = os.environ.get("DOCUMENTS_SENDFILE", "").strip().lower()
if DOCUMENTS_SENDFILE == "nginx":
    SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    SENDFILE_ROOT = str(MEDIA_ROOT)
    SENDFILE_URL = MEDIA_URL.rstrip("/")
elif DOCUMENTS_SENDFILE:
    # A misspelt value would quietly leave documents streamed by Django.
    raise ImproperlyConfigured("DOCUMENTS_SENDFILE must be empty or 'nginx'.")
# The admin needs nothing from outside the site: no avatars from Gravatar, no upgrade check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Every member of staff works in China's time: the admin asks nobody for a time zone.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

# Mail (review notifications to reviewers and editors). With EMAIL_HOST set, mail goes out over
# SMTP; without it, each message is written to a file in MAIL_DIR, where nothing can fail.
# Development settings print mail to the console instead.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
else:
    EMAIL_BACKEND = "core.mail.PrivateFileEmailBackend"
    EMAIL_FILE_PATH = os.environ.get("MAIL_DIR", str(BASE_DIR / "mail"))
# A mail server that does not answer delays a reviewer's click by at most this long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "database_down": {"()": "core.errors.DatabaseDownLogFilter"},
        "mail_down": {"()": "core.errors.MailDownLogFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["database_down", "mail_down"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "news": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "contact": {"level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

# Seconds a cached fragment (menu, breadcrumbs, neighbours, the contact card, rankings) may live.
# Any change a reader can see replaces them all at once in every process (core/generation.py);
# this bounds only what changes without such a change, such as the counts behind a ranking.
TREE_CACHE_TIMEOUT = int(os.environ.get("TREE_CACHE_TIMEOUT", "300"))

# Search (news/search/views.py): the longest one search may take, and how often one client may
# search a minute (core/limits.py: counted once for every worker, in Redis or the database).
SEARCH_TIME_LIMIT = float(os.environ.get("SEARCH_TIME_LIMIT", "1.5"))
SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "60/m")
# Days after which an article's relevance counts half as much among equal matches
# (news/search/scoring.py). SEARCH_EXTRA_WORDS_FILE, read by news/search/words.py, names a file of
# extra words for the segmenter, one a line.
SEARCH_HALF_LIFE_DAYS = float(os.environ.get("SEARCH_HALF_LIFE_DAYS", "365"))
# How often one address may make the site build a page of /sitemap.xml, a feed or a list (a
# column's later pages, a month) that no cache holds (core/limits.py); kept ones are always served.
UNCACHED_RATE_LIMIT = os.environ.get("UNCACHED_RATE_LIMIT", "120/m")
# Passwords one address may try a minute on a password-protected page (the admin's login has
# django-axes).
PAGE_PASSWORD_RATE_LIMIT = os.environ.get("PAGE_PASSWORD_RATE_LIMIT", "5/m")

# Click counting (点击数) --------------------------------------------------------------------------
HITCOUNT_ENABLED = env_bool("HITCOUNT_ENABLED", default=True)
# A reader reloading the same article within this many seconds counts once; 0 counts every view.
HITCOUNT_WINDOW = int(os.environ.get("HITCOUNT_WINDOW", "1800"))
# Views of one article from one address in one day, beyond which more are not counted however
# the browser names itself (so rotating User-Agents cannot inflate a count). An office reaches
# the site from one address behind its NAT: 50 colleagues reading the same report on the same day
# all count. 0 sets no limit; with HITCOUNT_WINDOW=0 (benchmarks) none applies either.
HITCOUNT_MAX_PER_ADDRESS = int(os.environ.get("HITCOUNT_MAX_PER_ADDRESS", "50"))
# How many reverse proxies in front of the site append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
HITCOUNT_TRUSTED_PROXIES = int(os.environ.get("HITCOUNT_TRUSTED_PROXIES", "0"))
# With Redis, buffered views are moved to the database at most this many seconds apart while there
# is traffic (`manage.py flush_hits` does it on demand, e.g. from cron).
HITCOUNT_FLUSH_INTERVAL = float(os.environ.get("HITCOUNT_FLUSH_INTERVAL", "5"))
HITCOUNT_REDIS_TIMEOUT = float(os.environ.get("HITCOUNT_REDIS_TIMEOUT", "0.25"))
# On PostgreSQL a single view commits without waiting for the disk (a crash of the database server
# itself can lose the last fraction of a second of views); 1 makes every view wait.
HITCOUNT_WAIT_FOR_DISK = env_bool("HITCOUNT_WAIT_FOR_DISK", default=False)
# Beacon posts one address may send a minute (news/hits/beacon.py): one per article a reader opens.
BEACON_RATE_LIMIT = os.environ.get("BEACON_RATE_LIMIT", "120/m")

# Full-page caching for anonymous readers: "off", "django" (pages kept in Django's cache) or "cdn"
# (also `Cache-Control: public, s-maxage` for a CDN or proxy that never reaches Django).
PAGE_CACHE = os.environ.get("PAGE_CACHE", "off").strip().lower()
if PAGE_CACHE not in {"off", "django", "cdn"}:
    raise ValueError(f"PAGE_CACHE must be off, django or cdn, not {PAGE_CACHE!r}")
# How long a shared cache in front of the site (a CDN, nginx in deploy/) may keep a page it got
# with `Cache-Control: public`: a withdrawn or restricted article is gone from it within this.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "5"))
# How long this site's own page cache keeps a page. It is keyed by the site generation, so a
# change is seen at once however long this is.
PAGE_CACHE_KEEP_SECONDS = int(os.environ.get("PAGE_CACHE_KEEP_SECONDS", "300"))
# Views reach Django only when no CDN answers for it; in "cdn" mode the page's beacon counts instead
# of the middleware, so that no view is counted twice.
HITCOUNT_MODE = "beacon" if PAGE_CACHE == "cdn" else "server"

# Articles go through the 审核 (review) step before publishing; set ARTICLE_REVIEW=0 to let editors
# publish directly (then run `manage.py setup_site` to update their permissions).
ARTICLE_REVIEW = env_bool("ARTICLE_REVIEW", default=True)
WAGTAIL_WORKFLOW_ENABLED = ARTICLE_REVIEW

# Scheduled publishing from within the server (see news/scheduler.py): on by default, every 30 s.
SCHEDULER_ENABLED = env_bool("SCHEDULER_ENABLED", default=True)
SCHEDULER_INTERVAL = float(os.environ.get("SCHEDULER_INTERVAL", "30"))

# 导入文章 runs outside the request (news/importing/worker.py): a thread in each server process
# takes queued imports, at most IMPORT_JOBS at a time across all processes and machines, and runs
# each in a child process at low priority, with IMPORT_MEMORY_MB of address space and
# IMPORT_FILE_SECONDS for each file. Off (the tests), an import runs within its request.
IMPORT_IN_BACKGROUND = env_bool("IMPORT_IN_BACKGROUND", default=True)
IMPORT_JOBS = max(1, int(os.environ.get("IMPORT_JOBS", "1")))
IMPORT_FILE_SECONDS = int(os.environ.get("IMPORT_FILE_SECONDS", "120"))
IMPORT_MEMORY_MB = int(os.environ.get("IMPORT_MEMORY_MB", "2048"))

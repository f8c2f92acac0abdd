"""Developer / first-look settings: works with no services at all (SQLite, file-based broker)."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
STRIDE_API_DOCS_PUBLIC = env.bool("STRIDE_API_DOCS_PUBLIC", default=True)

# The embedded default keeps its SQLite file and broker folder here.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405

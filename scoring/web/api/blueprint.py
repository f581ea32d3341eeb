"""The API's one blueprint (``api``, under /api/v1). Why a module of its own: the route modules
attach to it when imported and the package imports them; a blueprint defined in the package's
``__init__`` would make each route module import its own package back (an import cycle)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

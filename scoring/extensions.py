"""Extension objects, created once and bound to an app in create_app."""

from babel import Locale
from babel.support import NullTranslations
from flask_babel import Babel, Domain, get_locale
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from scoring import i18n
from scoring.live_frames import Utf8Json


class CatalogDomain(Domain):
    """Pages translate with the same in-memory catalogs as the engine and the CLI (scoring.i18n).

    Why: Flask-Babel's own domain loads compiled .mo files from a directory; the .po files are
    compiled in memory instead, so a read-only install needs no write and no build step.
    """

    def get_translations(self) -> NullTranslations:
        locale = get_locale()  # None outside a request, as in Flask-Babel: the msgids themselves
        return NullTranslations() if locale is None else i18n.catalog(str(locale))


class CatalogBabel(Babel):
    """Flask-Babel with ``CatalogDomain`` as the domain every request uses."""

    @property
    def domain_instance(self) -> Domain:
        return _DOMAIN

    def list_translations(self) -> list[Locale]:
        return [Locale.parse(code) for code in i18n.LOCALES]


_DOMAIN = CatalogDomain()
babel = CatalogBabel()
socketio = SocketIO(json=Utf8Json)
csrf = CSRFProtect()

"""The session engine (SESSION_ENGINE = "accounts.sessions"): Django's database sessions,
stored in accounts.LoginSession with the logged-in user beside each session."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import LoginSession

        return LoginSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            session.user_id = None
        return session


def end_sessions_of(user) -> int:
    """Log `user` out everywhere: delete every server-side session of theirs."""
    from .models import LoginSession

    deleted, _by_model = LoginSession.objects.filter(user=user).delete()
    return deleted

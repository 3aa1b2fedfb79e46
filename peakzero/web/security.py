"""Passwords (argon2), API keys (SHA-256 of a random key), sessions, CSRF, lockout, rate limits.

API keys are 32 random bytes: a fast hash is enough to store them (no dictionary to attack);
passwords are chosen by people and get argon2id. Session cookies carry a random token; the
table stores its SHA-256, so a copy of the database does not log anyone in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peakzero.web.models import ApiKey, RateHit, User, WebSession, now

#: Failed logins in a row before an account is locked.
LOCKOUT_FAILURES = 5
#: How long a locked account stays locked [s].
LOCKOUT_SECONDS = 15 * 60
#: Lifetime of a login session [s].
SESSION_SECONDS = 12 * 3600
API_KEY_PREFIX = "pz_"

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_api_key(session: Session, org_id: int, name: str) -> tuple[ApiKey, str]:
    """Create an API key; the plain key is returned once and never stored."""
    plain = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(org_id=org_id, name=name, prefix=plain[:10], key_hash=sha256(plain))
    session.add(key)
    session.flush()
    return key, plain


def org_for_api_key(session: Session, plain: str) -> int | None:
    """The organisation of a valid, unrevoked key, else None."""
    if not plain.startswith(API_KEY_PREFIX) or len(plain) > 100:
        return None
    row = session.scalars(
        select(ApiKey).where(ApiKey.key_hash == sha256(plain), ApiKey.revoked_at.is_(None))
    ).first()
    return row.org_id if row is not None else None


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked: bool


def authenticate(session: Session, email: str, password: str) -> LoginResult:
    """Check a password; count failures and lock the account after :data:`LOCKOUT_FAILURES`.

    A locked account refuses even the right password until the lock ends.
    """
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)  # same time as a real check
        return LoginResult(None, False)
    t = now()
    if user.locked_until > t:
        return LoginResult(None, True)
    if verify_password(user.password_hash, password):
        user.failed_logins = 0
        return LoginResult(user, False)
    user.failed_logins += 1
    if user.failed_logins >= LOCKOUT_FAILURES:
        user.locked_until = t + LOCKOUT_SECONDS
        user.failed_logins = 0
        return LoginResult(None, True)
    return LoginResult(None, False)


_DUMMY_HASH = _hasher.hash("not a real password")


def start_session(session: Session, user: User) -> str:
    """A new login session; returns the cookie token."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=sha256(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(24),
            expires_at=now() + SESSION_SECONDS,
        )
    )
    return token


def session_user(session: Session, token: str | None) -> tuple[User, WebSession] | None:
    """The user and session of a cookie token, if the session is alive."""
    if not token or len(token) > 100:
        return None
    ws = session.get(WebSession, sha256(token))
    if ws is None or ws.expires_at < now():
        return None
    user = session.get(User, ws.user_id)
    if user is None or not user.active:
        return None
    return user, ws


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def rate_limited(
    session: Session, bucket: str, address: str, limit: int, window_seconds: int
) -> bool:
    """Count one request of ``address`` in ``bucket``; True when over ``limit`` per window.

    The address is stored as a salted digest (no IP addresses in the database).
    """
    window = int(now() // window_seconds)
    digest = sha256(f"{bucket}:{address}")
    hit = session.scalars(
        select(RateHit).where(
            RateHit.bucket == bucket,
            RateHit.address_hash == digest,
            RateHit.window_start == window,
        )
    ).first()
    if hit is None:
        session.add(RateHit(bucket=bucket, address_hash=digest, window_start=window, count=1))
        session.flush()
        return False
    count = hit.count + 1
    session.execute(update(RateHit).where(RateHit.id == hit.id).values(count=RateHit.count + 1))
    return count > limit

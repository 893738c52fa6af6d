"""Generated server passwords survive neo4j-admin's command line."""

from __future__ import annotations

from graph.local_neo4j import generate_password


def test_passwords_are_long_alphanumeric_and_never_look_like_an_option() -> None:
    passwords = [generate_password() for _ in range(2000)]
    assert all(len(p) == 32 and p.isalnum() and p.isascii() for p in passwords)
    assert len(set(passwords)) == len(passwords)

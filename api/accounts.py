"""Sign-up: the front door for new people (graph/accounts.py does the work).

A service (or admin) key registers anyone, naming them with ``userId``; a viewer key
only the person it is bound to (a key minted by the app's own login before the profile
exists), so no viewer can create or act as someone else.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from api.context import Info, gql_mutation
from api.types import FeedSettings, User
from graph.accounts import register_user
from graph.settings_store import UserSettings, load_settings


@strawberry.enum
class SignUpStatus(Enum):
    REGISTERED = "registered"
    ALREADY_REGISTERED = "already_registered"


@strawberry.type
class SignUpPayload:
    status: SignUpStatus = strawberry.field(
        description="ALREADY_REGISTERED: a retry found the user an earlier attempt made."
    )
    user: User
    settings: FeedSettings


@strawberry.type
class AccountMutation:
    @gql_mutation("Register a new person (idempotent on the id); interests seed their first feed.")
    async def sign_up(
        self,
        info: Info,
        name: str,
        interests: list[str] | None = None,
        user_id: strawberry.ID | None = None,
    ) -> SignUpPayload:
        context = info.context
        person = context.acting_user(user_id)
        registration = await register_user(
            context.graph, person, name, interests or [], context.services.clock()
        )
        context.loaders.forget(user_ids=[person])
        if registration.created:
            settings = UserSettings(interests=registration.interests)
        else:  # what the person has changed since, not what the retry asked for
            settings = await load_settings(context.graph, person)
        return SignUpPayload(
            status=SignUpStatus.REGISTERED
            if registration.created
            else SignUpStatus.ALREADY_REGISTERED,
            user=User.from_row(registration.user),
            settings=FeedSettings.of(settings),
        )

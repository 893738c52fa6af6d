"""Privacy and control: settings, "refresh my feed", export and erasure of one's data.

Only the person (a viewer key bound to them), a service acting for them, or an
admin may call these.
"""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from api.context import Info, gql_field, gql_mutation
from api.types import FeedSettings
from graph.errors import ClientError
from graph.privacy import delete_user_data, export_user_data, reset_recommendations
from graph.settings_store import save_settings


@strawberry.type
class ResetPayload:
    user_id: strawberry.ID
    archived_signals: int = strawberry.field(
        description="Views, likes, shares, comments, skips and impressions set aside."
    )


@strawberry.type
class DeletionPayload:
    user_id: strawberry.ID
    deleted_videos: int
    deleted_events: int
    deleted_relationships: int
    deleted_follows: int


@strawberry.type
class PrivacyQuery:
    @gql_field("Everything stored about the person, machine-readable (format fyp-export/1).")
    async def export_my_data(self, info: Info, user_id: strawberry.ID | None = None) -> JSON:
        owner = info.context.acting_user(user_id)
        await info.context.services.feed.flush()  # what was served to them is theirs too
        return cast(JSON, await export_user_data(info.context.graph, owner))


@strawberry.type
class PrivacyMutation:
    @gql_mutation("Change feed settings; omitted arguments stay as they are.")
    async def update_settings(
        self,
        info: Info,
        personalized: bool | None = None,
        keyword_filters: list[str] | None = None,
        interests: list[str] | None = None,
        user_id: strawberry.ID | None = None,
    ) -> FeedSettings:
        owner = info.context.acting_user(user_id)
        settings = await save_settings(
            info.context.graph, owner, personalized, keyword_filters, interests
        )
        return FeedSettings.of(settings)

    @gql_mutation("Start the For You feed over, as if newly signed up.")
    async def reset_recommendations(
        self, info: Info, user_id: strawberry.ID | None = None
    ) -> ResetPayload:
        owner = info.context.acting_user(user_id)
        await info.context.services.feed.flush()
        archived = await reset_recommendations(
            info.context.graph, owner, info.context.services.clock()
        )
        return ResetPayload(user_id=strawberry.ID(owner), archived_signals=archived)

    @gql_mutation("Erase the person from the graph (irreversible): pass confirm: true.")
    async def delete_my_data(
        self, info: Info, confirm: bool, user_id: strawberry.ID | None = None
    ) -> DeletionPayload:
        owner = info.context.acting_user(user_id)
        if not confirm:
            raise ClientError("Erasure cannot be undone: pass `confirm: true` to go ahead.")
        await info.context.services.feed.flush()  # nothing of theirs lands after the erasure
        report = await delete_user_data(info.context.graph, owner)
        info.context.loaders.forget(user_ids=[owner])
        if report.videos:
            info.context.services.feed.invalidate()
        return DeletionPayload(
            user_id=strawberry.ID(owner),
            deleted_videos=report.videos,
            deleted_events=report.events,
            deleted_relationships=report.relationships,
            deleted_follows=report.follows,
        )

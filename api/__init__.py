"""The GraphQL API over the feed engine (strawberry on Starlette): see api/app.py."""

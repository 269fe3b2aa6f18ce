"""Sign in for a bearer token; sign out; who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from learnpath.api.deps import ApiActor, Ctx, bearer_token
from learnpath.api.schemas import ActorPublic, LoginCreate, TokenPublic
from learnpath.service import accounts
from learnpath.service.access import Actor

router = APIRouter(tags=["auth"])


def actor_public(actor: Actor) -> ActorPublic:
    return ActorPublic(
        id=actor.user_id,
        username=actor.username,
        display_name=actor.display_name,
        role=actor.role,
        school_id=actor.school_id,
        locale=actor.locale,
    )


@router.post("/auth/login", response_model=TokenPublic)
def login(body: LoginCreate, ctx: Ctx, request: Request) -> TokenPublic:
    """Exchange a username and password for a bearer token."""
    client = request.client.host if request.client else "unknown"
    result = accounts.login(ctx, body.username, body.password, client, "api")
    return TokenPublic(
        access_token=result.token, expires_at=result.expires_at, user=actor_public(result.actor)
    )


@router.post("/auth/logout", status_code=204)
def logout(ctx: Ctx, actor: ApiActor, token: Annotated[str, Depends(bearer_token)]) -> Response:
    """End this token's session."""
    accounts.logout(ctx, token)
    return Response(status_code=204)


@router.get("/me", response_model=ActorPublic)
def me(actor: ApiActor) -> ActorPublic:
    """The signed-in account."""
    return actor_public(actor)

"""Annotated dependencies shared by the API routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from learnpath.errors import AuthenticationError
from learnpath.service.access import Actor
from learnpath.service.accounts import authenticate_token
from learnpath.service.context import ServiceContext

__all__ = ["ApiActor", "Ctx", "bearer_token", "get_ctx"]


def get_ctx(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


Ctx = Annotated[ServiceContext, Depends(get_ctx)]


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("send 'Authorization: Bearer <token>' (from POST /api/v1/auth/login)")
    return token.strip()


def api_actor(ctx: Ctx, token: Annotated[str, Depends(bearer_token)]) -> Actor:
    actor, _ = authenticate_token(ctx, token, "api")
    return actor


ApiActor = Annotated[Actor, Depends(api_actor)]

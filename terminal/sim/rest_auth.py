"""Onboarding (§6.1) and JWT issue (§6.2)."""

from __future__ import annotations

from aiohttp import web

from terminal.sim.context import ACCOUNT_CLASS_HASH, PROXY_CLASS_HASH
from terminal.sim.engine.errors import VenueError
from terminal.sim.inputs import parse_felt
from terminal.sim.rest_common import body_json, context, ok
from terminal.venues.paradex.crypto import signing

routes = web.RouteTableDef()


@routes.post("/v1/onboarding")
async def post_onboarding(request: web.Request) -> web.Response:
    """Register an account's public key after checking its Onboarding signature; idempotent."""
    ctx = context(request)
    body = await body_json(request)
    if not isinstance(body, dict):
        raise VenueError("BINDING_ERROR", 'body must be {"public_key": "0x…"}')
    account, public_key = ctx.checker.onboarding(request.headers, body)
    if not ctx.venue.is_onboarded(account):
        ctx.venue.onboard(account, public_key)
    return web.Response(status=200)


@routes.get("/v1/onboarding")
async def get_onboarding(request: web.Request) -> web.Response:
    """The address a Stark public key derives to, and whether it is onboarded (§5.2)."""
    public_key = parse_felt(request.query.get("public_key", ""), "public_key", "PUBLIC_KEY_INVALID")
    address = signing.account_address(public_key, PROXY_CLASS_HASH, ACCOUNT_CLASS_HASH)
    return ok(
        {
            "address": hex(address),
            "exists": context(request).venue.is_onboarded(address),
            "account_signer_type": "starknet",
            "derivation_info": {
                "class_hash": hex(ACCOUNT_CLASS_HASH),
                "proxy_class_hash": hex(PROXY_CLASS_HASH),
            },
        }
    )


async def _auth(request: web.Request, path_key: str | None) -> web.Response:
    ctx = context(request)
    account = ctx.checker.auth(request.headers, path_key)
    interactive = request.query.get("token_usage") == "interactive"
    return ok({"jwt_token": ctx.issuer.mint(account, interactive=interactive)})


@routes.post("/v1/auth")
async def post_auth(request: web.Request) -> web.Response:
    """A JWT for the main key's signed `Request`."""
    return await _auth(request, None)


@routes.post("/v1/auth/{public_key}")
async def post_auth_key(request: web.Request) -> web.Response:
    """A JWT for the named key's signed `Request` (the SDK's form)."""
    return await _auth(request, request.match_info["public_key"])

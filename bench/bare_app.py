"""The baseline of ``bench_http.py``: a bare FastAPI app on the same server stack.

``GET /hello`` answers a constant; ``POST /bare`` reads the same 230-answer
JSON body the score request sends, parses it with orjson and answers its size.
No middleware, database, authentication or response model: what FastAPI,
uvicorn, httptools and uvloop cost on this machine, measured in the same run
as Stepwise so the ratios hold on a noisy shared machine.
"""

from __future__ import annotations

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/hello")
async def hello() -> Response:
    return Response(b'{"hello":"world"}', media_type="application/json")


@app.post("/bare")
async def bare(request: Request) -> Response:
    body = orjson.loads(await request.body())
    return Response(orjson.dumps({"keys": len(body["responses"])}), media_type="application/json")

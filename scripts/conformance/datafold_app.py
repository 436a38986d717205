"""An independent FastAPI implementation of Datafold's three CI operations: "Trigger a PR/MR run",
"List CI runs" and "Upload PR/MR changes"; and of one operation that uses the keywords of Datafold's
whole document that those three do not (an Enum, a Literal, string lengths, number bounds, a pattern,
a discriminated union and a tuple): "POST /api/v1/monitors/keywords".

Written from Datafold's documentation page for the trigger
(https://docs.datafold.com/api-reference/ci/trigger-a-prmr-run) and the CI operations of Datafold's public
document (https://docs.datafold.com/openapi-public.json; docs/datafold-facts.md, "Datafold CI API"), with no
code or data shared with packages/, so the conformance test can compare our mock, client and CLI with what a
real FastAPI answers. Routes are registered as Datafold's app must register them for its own literal
paths to work: `/runs` and `/trigger` before the templated `/{pr_num}`. It targets whatever FastAPI/pydantic the interpreter has; Debian bookworm ships
FastAPI 0.92 with pydantic 1.10 (NOT pydantic v2, which Datafold runs), so the test encodes the known
v1/v2 differences explicitly.

Run:  DATAFOLD_CONFORMANCE_API_KEY=secret python3 datafold_app.py [--exit-on-stdin-eof]
It binds 127.0.0.1 on a free port and prints one line, "listening on http://127.0.0.1:PORT", once it
accepts connections.

Debug routes (no auth, not part of Datafold's API):
- GET /__conformance/requests: every other request that reached the app, in order (method, path, raw body;
  never headers, so never the API key);
- GET /__conformance/runs: every run the trigger started (ci_config_id, run_id, the parsed details,
  the uploads attached to it);
"""

import os
import secrets
import signal
import socket
import sys
import threading
from enum import Enum
from typing import Any, Dict, List, Optional, Set, Tuple, Union

import pydantic

import uvicorn
from fastapi import FastAPI, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field
from typing_extensions import Literal

DEBUG_PREFIX = "/__conformance/"

EXPECTED_KEY = os.environ.get("DATAFOLD_CONFORMANCE_API_KEY", "")
if not EXPECTED_KEY:
    sys.exit("datafold_app.py: set DATAFOLD_CONFORMANCE_API_KEY to the API key the app should accept")


class APIPrDetails(BaseModel):
    pr_number: int
    pr_branch: str
    base_branch: str
    pr_sha: str
    base_sha: str


class SubmitCiJob(BaseModel):
    ci_run_id: Optional[int] = None
    run_id: Optional[int] = None


class ApiCiRun(BaseModel):
    id: int
    base_branch: str
    base_sha: str
    pr_branch: str
    pr_sha: str
    pr_num: str
    status: str
    source: str


class CiDiff(BaseModel):
    prod: str
    pr: str
    pk: Optional[Set[str]] = None
    include_columns: List[str] = []
    exclude_columns: List[str] = []


PYDANTIC_V2 = pydantic.VERSION.startswith("2")
# pydantic 2 spells a string's pattern `pattern`, pydantic 1 `regex`.
PATTERN = {"pattern" if PYDANTIC_V2 else "regex": r"^[a-z][a-z0-9_]*$"}


class MonitorKind(str, Enum):
    diff = "diff"
    metric = "metric"


class HourlySchedule(BaseModel):
    type: Literal["hourly"]
    every: int = Field(1, ge=1)


class CronSchedule(BaseModel):
    type: Literal["cron"]
    cron: str


class KeywordMonitor(BaseModel):
    name: str = Field(..., min_length=3, max_length=8)
    kind: MonitorKind
    version: Literal["v1"] = "v1"
    sensitivity: float = Field(50, ge=0, le=100)
    limit: int = Field(10, lt=100)
    code: str = Field("m1", **PATTERN)
    schedule: Union[HourlySchedule, CronSchedule] = Field(..., discriminator="type")
    window: Tuple[int, int]


class KeywordMonitorOut(BaseModel):
    id: int


class State:
    next_run_id = 1
    requests: List[Dict[str, Any]] = []
    runs: List[Dict[str, Any]] = []


class RecordRequests:
    """Pure ASGI middleware: records every request before routing, so 404s, 405s and 422s count too."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(DEBUG_PREFIX):
            await self.app(scope, receive, send)
            return
        entry = {"method": scope["method"], "path": scope["path"], "body": ""}
        State.requests.append(entry)
        chunks: List[bytes] = []

        async def recording_receive() -> Dict[str, Any]:
            message = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
                entry["body"] = b"".join(chunks).decode("utf-8", "replace")
            return message

        await self.app(scope, recording_receive, send)


# The spec's scheme: apiKey in the Authorization header, "Key <api-key>". FastAPI 0.92's APIKeyHeader
# answers 403 "Not authenticated" when the header is absent; newer FastAPI answers 401.
KEY_FORMAT = "Use the 'Authorization' header with the format 'Key <api-key>'"
api_key_header = APIKeyHeader(name="Authorization", description=KEY_FORMAT)


def require_key(authorization: str = Security(api_key_header)) -> None:
    scheme, _, key = authorization.partition(" ")
    if scheme != "Key" or not key:
        raise HTTPException(status_code=403, detail=KEY_FORMAT)
    if not secrets.compare_digest(key.encode(), EXPECTED_KEY.encode()):
        raise HTTPException(status_code=403, detail="Invalid API key")


app = FastAPI(title="Datafold API (conformance stand-in)", version="latest")
app.add_middleware(RecordRequests)


@app.get(
    "/api/v1/ci/{ci_config_id}/runs",
    response_model=List[ApiCiRun],
    summary="List CI runs",
    tags=["CI"],
    dependencies=[Security(require_key)],
)
def list_runs(
    ci_config_id: int,
    pr_sha: Optional[str] = None,
    pr_num: Optional[str] = None,
    limit: int = 100,
    offset: int = 0,
) -> List[ApiCiRun]:
    runs = [
        run
        for run in reversed(State.runs)
        if run["ci_config_id"] == ci_config_id
        and (pr_sha is None or run["details"]["pr_sha"] == pr_sha)
        and (pr_num is None or str(run["details"]["pr_number"]) == pr_num)
    ]
    return [
        ApiCiRun(
            id=run["run_id"],
            pr_num=str(run["details"]["pr_number"]),
            status="waiting",
            source="api",
            **{k: v for k, v in run["details"].items() if k != "pr_number"},
        )
        for run in runs[offset : offset + max(limit, 0)]
    ]


@app.post(
    "/api/v1/ci/{ci_config_id}/trigger",
    response_model=SubmitCiJob,
    summary="Trigger a PR/MR run",
    tags=["CI"],
    dependencies=[Security(require_key)],
)
def trigger_ci(ci_config_id: int, details: APIPrDetails) -> SubmitCiJob:
    run_id = State.next_run_id
    State.next_run_id += 1
    State.runs.append({"ci_config_id": ci_config_id, "run_id": run_id, "details": details.dict(), "uploads": []})
    return SubmitCiJob(ci_run_id=run_id, run_id=run_id)


@app.post(
    "/api/v1/monitors/keywords",
    response_model=KeywordMonitorOut,
    summary="Create a keyword monitor",
    tags=["Monitors"],
    dependencies=[Security(require_key)],
)
def create_keyword_monitor(monitor: KeywordMonitor) -> KeywordMonitorOut:
    return KeywordMonitorOut(id=1)


# Registered last: a templated route registered before the literal ones would take their paths.
@app.post(
    "/api/v1/ci/{ci_config_id}/{pr_num}",
    response_model=SubmitCiJob,
    summary="Upload PR/MR changes",
    tags=["CI"],
    dependencies=[Security(require_key)],
)
def upload_changes(ci_config_id: int, pr_num: int, diffs: List[CiDiff]) -> SubmitCiJob:
    # This stand-in's runs never finish, so the newest run of the PR is the one waiting for data.
    for run in reversed(State.runs):
        if run["ci_config_id"] == ci_config_id and run["details"]["pr_number"] == pr_num:
            run["uploads"].append([diff.dict() for diff in diffs])
            return SubmitCiJob(ci_run_id=run["run_id"], run_id=run["run_id"])
    return SubmitCiJob(ci_run_id=None, run_id=None)


@app.get(DEBUG_PREFIX + "requests", include_in_schema=False)
def recorded_requests() -> List[Dict[str, Any]]:
    return State.requests


@app.get(DEBUG_PREFIX + "runs", include_in_schema=False)
def started_runs() -> List[Dict[str, Any]]:
    return State.runs


class Server(uvicorn.Server):
    async def startup(self, sockets: Optional[List[socket.socket]] = None) -> None:
        await super().startup(sockets=sockets)
        port = sockets[0].getsockname()[1] if sockets else self.config.port
        print(f"listening on http://127.0.0.1:{port}", flush=True)


def exit_when_parent_goes() -> None:
    # The test owns this process through a pipe on stdin: EOF means the test runner died without
    # killing us, so stop rather than linger.
    sys.stdin.read()
    os.kill(os.getpid(), signal.SIGTERM)


def main() -> None:
    # uvicorn's CLI rejects --port 0, so bind the socket ourselves and hand it over.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    if "--exit-on-stdin-eof" in sys.argv[1:]:
        threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()

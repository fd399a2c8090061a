"""Drives Trove's MCP server with the official `mcp` Python package: a real client no one here wrote.

Both transports: `trove mcp` over stdio (spawned by the client, as Claude Desktop does) and the
Streamable HTTP transport at `/mcp` on `trove serve` (with a bearer token). Run by
Scripts/test-mcp-client.sh, which makes the virtual environment and an index of Corpora/. Every
check raises on failure; the script prints one line per check.

    python mcp_client_check.py TROVE_BINARY INDEX HTTP_URL TOKEN
"""
import asyncio
import json
import sys
import urllib.error
import urllib.request

import httpx2
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

trove, index, url, token = sys.argv[1:5]


def check(name, condition, detail=""):
    if not condition:
        raise SystemExit(f"FAIL {name}: {detail}")
    print(f"ok   {name}")


async def exercise(session: ClientSession, transport: str):
    info = await session.initialize()
    check(f"{transport}: initialize names the server", info.server_info.name == "trove", info.server_info)

    tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    check(f"{transport}: five tools", sorted(tools) == ["ask", "get_document", "list_documents", "search", "status"],
          sorted(tools))
    check(f"{transport}: every tool is read-only",
          all(tool.annotations and tool.annotations.read_only_hint for tool in tools.values()))
    check(f"{transport}: search's schema requires query",
          tools["search"].input_schema.get("required") == ["query"], tools["search"].input_schema)

    found = await session.call_tool("search", {"query": "When was Gannet Head lighthouse first lit?", "k": 3})
    results = found.structured_content["results"]
    check(f"{transport}: search returns k passages", len(results) == 3 and not found.is_error, found)
    check(f"{transport}: search finds the right page first", results[0]["path"].endswith("gannet-head.md"), results[0])
    check(f"{transport}: search text names the path", "gannet-head.md" in found.content[0].text)

    filtered = await session.call_tool("search", {"query": "lighthouse", "k": 5, "types": ["html"]})
    paths = [r["path"] for r in filtered.structured_content["results"]]
    check(f"{transport}: a type filter keeps only its documents", paths and all(p.endswith(".html") for p in paths), paths)

    bad = await session.call_tool("search", {"query": "x", "k": 0})
    check(f"{transport}: a bad argument is a tool error that says what to change",
          bad.is_error and "between 1 and" in bad.content[0].text, bad)
    unknown = await session.call_tool("search", {"query": "x", "colour": "red"})
    check(f"{transport}: an unknown argument is named", unknown.is_error and "colour" in unknown.content[0].text, unknown)

    listed = await session.call_tool("list_documents", {"limit": 100})
    documents = listed.structured_content["documents"]
    status = (await session.call_tool("status", {})).structured_content
    check(f"{transport}: list_documents lists every document",
          listed.structured_content["total"] == status["documents"] == len(documents), (listed.structured_content["total"], status))

    gannet = next(d for d in documents if d["path"].endswith("gannet-head.md"))
    part = await session.call_tool("get_document", {"id": gannet["id"], "line_start": 1, "line_end": 3})
    whole = await session.call_tool("get_document", {"path": "gannet-head.md"})
    check(f"{transport}: get_document reads a line range",
          part.structured_content["line_start"] == 1 and part.structured_content["line_end"] == 3
          and whole.structured_content["text"].startswith(part.structured_content["text"]), part.structured_content)
    missing = await session.call_tool("get_document", {"id": 987654})
    check(f"{transport}: a missing document is a tool error", missing.is_error and "987654" in missing.content[0].text)

    answer = await session.call_tool("ask", {"question": "What is the focal length of a first-order Fresnel lens?"})
    structured = answer.structured_content
    check(f"{transport}: ask answers with checked citations",
          not structured["not_covered"] and "920" in answer.content[0].text
          and structured["citations"][0]["path"].endswith(".md")
          and structured["citations"][0]["quote"] in answer.content[0].text, answer.content[0].text)
    refused = await session.call_tool("ask", {"question": "What is the capital of Australia?"})
    check(f"{transport}: ask says when the documents do not cover it",
          refused.structured_content["not_covered"] and "do not cover" in refused.content[0].text, refused.content[0].text)

    resources = (await session.list_resources()).resources
    check(f"{transport}: every document is a resource", len(resources) == status["documents"], len(resources))
    uri = f"trove://document/{gannet['id']}"
    contents = (await session.read_resource(uri)).contents
    check(f"{transport}: a resource reads as the document's text", contents[0].text == whole.structured_content["text"])


async def over_stdio():
    parameters = StdioServerParameters(command=trove, args=["mcp", "--index", index])
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            await exercise(session, "stdio")


async def over_http():
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(120)) as http:
        async with streamable_http_client(url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await exercise(session, "http")


def refused(headers, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        urllib.request.urlopen(request, timeout=30)
        return None
    except urllib.error.HTTPError as error:
        return error.code


asyncio.run(over_stdio())
asyncio.run(over_http())
initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "x", "version": "1"}}}
accept = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
check("http: /mcp without the token is refused (401)", refused(accept, initialize) == 401)
check("http: /mcp from a foreign Origin is refused (403)",
      refused({**accept, "Authorization": f"Bearer {token}", "Origin": "http://evil.example"}, initialize) == 403)
print("mcp client: all checks passed")

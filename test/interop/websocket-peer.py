"""A WebSocket peer written with python3-websockets (not by this project), for test/interop/websocket.test.ts.

client URL FRAME...   connects to URL, sends each FRAME (JSON text), prints every frame it receives
                      (one per line) until it has as many as it sent, then exits.
server                listens on 127.0.0.1, prints "ready <port>", then for each connection prints
                      "open <path>", sends {"event":"systemStatus","status":"online","version":"1.9.0"},
                      and answers each {"event":"ping","reqid":N} with {"event":"pong","reqid":N};
                      every other frame it prints as "got <path> <frame>".
"""
import asyncio
import json
import sys

import websockets


async def client(url, frames):
    async with websockets.connect(url) as ws:
        for frame in frames:
            await ws.send(frame)
        for _ in frames:
            print(await asyncio.wait_for(ws.recv(), 10), flush=True)


async def server():
    async def handle(ws, path):
        print("open", path, flush=True)
        await ws.send(json.dumps({"event": "systemStatus", "status": "online", "version": "1.9.0"}))
        async for frame in ws:
            message = json.loads(frame)
            if message.get("event") == "ping":
                await ws.send(json.dumps({"event": "pong", "reqid": message.get("reqid")}))
            else:
                print("got", path, frame, flush=True)

    async with websockets.serve(handle, "127.0.0.1", 0) as running:
        port = running.sockets[0].getsockname()[1]
        print("ready", port, flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    if sys.argv[1] == "client":
        asyncio.run(client(sys.argv[2], sys.argv[3:]))
    else:
        asyncio.run(server())

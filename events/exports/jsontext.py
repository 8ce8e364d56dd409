"""Compact UTF-8 JSON, and JSON documents whose arrays are assembled from pieces."""

import json


def dump(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def with_array(header, name, pieces):
    """`header` (a dict) with one more member, the array `name` of the pieces (each
    a dumped value), as chunks of bytes."""
    yield dump(header)[:-1] + b',"' + name.encode() + b'":['
    for n, piece in enumerate(pieces):
        yield b"," + piece if n else piece
    yield b"]}"

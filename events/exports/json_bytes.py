"""Compact UTF-8 JSON as bytes, and JSON documents written an array item at a time."""

import json


def dump(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def with_array(header, name, items):
    """`header` (a dict) with one more member, the array `name` of the `items` (each
    a dumped value), as chunks of bytes."""
    yield dump(header)[:-1] + b',"' + name.encode() + b'":['
    for n, item in enumerate(items):
        yield b"," + item if n else item
    yield b"]}"

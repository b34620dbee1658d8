"""Apache Avro's Python implementation (Debian's python3-avro) as a peer for the Confluent wire format.

encode <schema.avsc> <schema-id>  JSON on stdin -> the framed value (magic byte 0, 4-byte id, Avro binary) as hex
decode <registry-url>             a framed value as hex on stdin -> {"schemaId": id, "value": ...} as JSON,
                                  the writer's schema fetched from the registry (GET /schemas/ids/{id})
"""
import io
import json
import struct
import sys
import urllib.request

import avro.io
import avro.schema


def encode(schema_file, schema_id):
    with open(schema_file, encoding="utf-8") as f:
        schema = avro.schema.parse(f.read())
    datum = json.load(sys.stdin)
    # Avro's JSON convention: bytes are strings of code points 0-255.
    for field in schema.fields:
        if field.type.type == "bytes" and isinstance(datum.get(field.name), str):
            datum[field.name] = datum[field.name].encode("latin-1")
    out = io.BytesIO()
    out.write(struct.pack(">bI", 0, int(schema_id)))
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(out))
    print(out.getvalue().hex())


def decode(registry):
    raw = bytes.fromhex(sys.stdin.read().strip())
    magic, schema_id = struct.unpack(">bI", raw[:5])
    if magic != 0:
        sys.exit(f"magic byte {magic}, not 0")
    with urllib.request.urlopen(f"{registry}/schemas/ids/{schema_id}") as answer:
        schema = avro.schema.parse(json.load(answer)["schema"])
    value = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(raw[5:])))
    for key, item in list(value.items()):
        if isinstance(item, bytes):
            value[key] = item.decode("latin-1")
    print(json.dumps({"schemaId": schema_id, "value": value}, sort_keys=True))


if __name__ == "__main__":
    if sys.argv[1] == "encode":
        encode(sys.argv[2], sys.argv[3])
    else:
        decode(sys.argv[2])

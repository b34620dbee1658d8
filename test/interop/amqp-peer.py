"""An AMQP 0-9-1 client the project did not write (pika), for the interop tests.

  amqp-peer.py pub <url> <exchange> <routing key> <content type> <body> <headers as JSON>
  amqp-peer.py sub <url> <exchange> <routing key>

`sub` binds an exclusive queue, prints "ready", then prints the first message as one JSON line:
its headers, content type and body.
"""
import json
import sys

import pika


def main() -> None:
    mode, url, exchange, key = sys.argv[1:5]
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    if mode == "pub":
        content_type, body, headers = sys.argv[5], sys.argv[6], json.loads(sys.argv[7])
        channel.basic_publish(exchange, key, body.encode(), pika.BasicProperties(content_type=content_type, headers=headers, delivery_mode=2))
    else:
        queue = channel.queue_declare("", exclusive=True).method.queue
        channel.queue_bind(queue, exchange, key)
        print("ready", flush=True)
        for method, properties, body in channel.consume(queue, inactivity_timeout=10):
            if method is None:
                sys.exit("no message within 10 s")
            print(json.dumps({"headers": properties.headers or {}, "contentType": properties.content_type, "body": body.decode()}), flush=True)
            break
    connection.close()


main()

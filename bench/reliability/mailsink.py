"""An SMTP server on loopback that accepts every message and writes its Message-ID, one a line, to a file.

Run as a process of its own (`python bench/reliability/mailsink.py PORT FILE`), so that the load's client threads
do not slow it down.
"""
import sys
import threading
from email import message_from_bytes

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, path: str):
        self.out = open(path, "a", buffering=1)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content)
        self.out.write(f"{message['Message-ID']}\n")
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Handler(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()

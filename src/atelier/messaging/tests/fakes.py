"""Local fake servers speaking the providers' protocols, on a free port of 127.0.0.1 (no network in tests).

`FakeSmtp`: enough SMTP for smtplib (EHLO, MAIL, RCPT, DATA, RSET, QUIT); it accepts, refuses given recipients
with 550, greets with 421 (service not available), or says nothing (time-out). `FakeApi`: an HTTP server
answering each request with the next of its scripted answers (status, JSON body, delay), recording what it was
sent.
"""

import json
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    data: bytes


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        fake: FakeSmtp = self.server.fake
        if fake.silent:  # a server that accepts the connection and never says a word
            fake.silenced.wait(5)
            return
        if fake.greeting_421:
            self.reply("421 4.3.2 Service not available, closing channel")
            return
        self.reply("220 fake.smtp.test ESMTP")
        mail_from, rcpt_to = "", []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 fake.smtp.test")
            elif verb == "MAIL":
                mail_from, rcpt_to = command.split(":", 1)[1].strip("<> "), []
                self.reply("250 2.1.0 Ok")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip("<> ")
                if address in fake.refused:
                    self.reply(f"550 5.1.1 <{address}>: Recipient address rejected: User unknown")
                else:
                    rcpt_to.append(address)
                    self.reply("250 2.1.5 Ok")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                fake.received.append(Received(mail_from, rcpt_to, data))
                self.reply("250 2.0.0 Ok: queued as FAKE1")
            elif verb == "RSET":
                self.reply("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Error: command not recognized")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeSmtp:
    def __init__(self, refused=(), greeting_421=False, silent=False):
        self.refused, self.greeting_421, self.silent = set(refused), greeting_421, silent
        self.silenced = threading.Event()
        self.received: list[Received] = []
        self.server = _Server(("127.0.0.1", 0), _SmtpHandler)
        self.server.fake = self
        self.port = self.server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.silenced.set()
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case (HTTP names are case-insensitive)
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Answer:
    status: int
    body: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: more than the client's time-out makes it give up


class _ApiHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        fake: FakeApi = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        fake.requests.append(
            Request(
                "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length)
            )
        )
        answer = fake.answers.pop(0) if fake.answers else Answer(500, {"message": "no scripted answer"})
        if answer.delay:
            time.sleep(answer.delay)
        payload = json.dumps(answer.body).encode()
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (time-out)
            pass

    def log_message(self, *args):  # quiet tests
        pass


class FakeApi:
    def __init__(self, *answers: Answer):
        self.answers = list(answers)
        self.requests: list[Request] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _ApiHandler)
        self.server.daemon_threads = True
        self.server.fake = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# The providers' real answers (from their documentation), used by the fakes.
BREVO_ACCEPTED = {"messageId": 1511882900176220}
BREVO_INVALID_NUMBER = {"code": "invalid_parameter", "message": "Invalid phone number"}
OVH_ACCEPTED = {
    "totalCreditsRemoved": 1,
    "invalidReceivers": [],
    "ids": [987654321],
    "validReceivers": ["+33612345678"],
    "tag": "",
}
OVH_INVALID_RECEIVER = {
    "totalCreditsRemoved": 0,
    "invalidReceivers": ["+33612345678"],
    "ids": [],
    "validReceivers": [],
    "tag": "",
}
OVH_NOT_GRANTED = {"message": "This call has not been granted"}

"""A webhook receiver as a provider would write one: verifies X-Ptrdesk-Signature (HMAC-SHA256
of the raw body with the endpoint's secret) and appends each verified event to a file.
Usage: webhook_receiver.py SECRET OUT_FILE PORT (the tests start it on 127.0.0.1)."""
import hashlib, hmac, http.server, sys

secret, out, port = sys.argv[1].encode(), sys.argv[2], int(sys.argv[3])


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers.get("X-Ptrdesk-Signature", "")):
            self.send_response(401)
            self.end_headers()
            return
        with open(out, "a") as events:
            events.write(body.decode() + "\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", port), Receiver).serve_forever()

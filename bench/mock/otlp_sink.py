#!/usr/bin/env python3
"""A stand-in OTLP/HTTP receiver for benchmarks with tracing on: answers 200 to every POST (e.g. /v1/traces) and
counts bodies (one line per batch on stdout, so a run shows its spans went out), so the gateway's exporter works as it
would against a collector. Usage: otlp_sink.py PORT"""
import http.server, sys

class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    batches = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        Sink.batches += 1
        print(f"batch {Sink.batches}: {self.path} {self.headers.get('content-length', 0)} bytes", flush=True)
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()

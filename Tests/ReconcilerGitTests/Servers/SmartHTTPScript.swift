/// The Python 3 (stdlib only) smart HTTP server that `SmartHTTPServer` writes to its temp dir and runs:
/// `python3 server.py PORT PROJECT_ROOT REQUEST_LOG [CERT KEY]`, with `SMART_HTTP_BASIC` holding
/// base64(user:password) when Basic auth is required. It hosts `git http-backend` as a CGI program.
///
/// Choices, each forced by a client:
/// - HTTP/1.1 with keep-alive and an exact Content-Length on every response: libgit2 reuses the
///   connection. The CGI output is buffered whole, so no chunked responses are needed.
/// - Request bodies are read whole, chunked or not (git sends large POSTs chunked), and handed to
///   http-backend with CONTENT_LENGTH. A gzip body stays compressed: http-backend inflates it itself
///   when it sees HTTP_CONTENT_ENCODING.
/// - Every request header becomes HTTP_*, as in CGI, so Git-Protocol reaches http-backend (protocol v2).
/// - A 401 has an empty body and Content-Length: 0: libgit2 1.5 misparses a 401 with a body as the
///   start of the next response. The request body is read first, so the connection stays usable.
/// - With TLS the handshake runs in the connection's thread, not in accept(), so one client that
///   never completes it (a readiness probe, a silent test client) cannot block the others.
/// - Each request is logged to REQUEST_LOG ("METHOD PATH STATUS BODY-ENCODINGS", the last field "-"
///   or e.g. "chunked", "gzip") before its response goes out, so once a client has its answer the
///   log already holds the request.
enum SmartHTTPScript {
    static let source = #"""
        import base64
        import os
        import ssl
        import subprocess
        import sys
        import threading
        import urllib.parse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        PORT, ROOT, REQUEST_LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        CERT, KEY = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 else (None, None)
        EXPECTED = os.environ.get("SMART_HTTP_BASIC", "")
        LOG_LOCK = threading.Lock()
        HIDDEN = {"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "HTTP_AUTHORIZATION", "HTTP_TRANSFER_ENCODING"}


        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                if isinstance(self.request, ssl.SSLSocket):
                    self.request.do_handshake()
                super().setup()

            def do_GET(self):
                self.serve()

            def do_POST(self):
                self.serve()

            def read_body(self):
                if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
                    return self.rfile.read(int(self.headers.get("Content-Length") or 0))
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()

            def reply(self, status, headers, body):
                with LOG_LOCK, open(REQUEST_LOG, "a") as log:
                    log.write(f"{self.command} {self.path} {status} {self.encodings}\n")
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def serve(self):
                encodings = [self.headers.get(name, "").lower() for name in ("Transfer-Encoding", "Content-Encoding")]
                self.encodings = ",".join(e for e in encodings if e not in ("", "identity")) or "-"
                body = self.read_body()
                if EXPECTED and self.headers.get("Authorization", "") != "Basic " + EXPECTED:
                    self.reply(401, [("WWW-Authenticate", 'Basic realm="git"')], b"")
                    return
                path, _, query = self.path.partition("?")
                env = {
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                    "GIT_CONFIG_NOSYSTEM": "1",
                    "GIT_CONFIG_GLOBAL": "/dev/null",
                    "GIT_PROJECT_ROOT": ROOT,
                    "GIT_HTTP_EXPORT_ALL": "1",
                    "GATEWAY_INTERFACE": "CGI/1.1",
                    "SERVER_PROTOCOL": "HTTP/1.1",
                    "REQUEST_METHOD": self.command,
                    "PATH_INFO": urllib.parse.unquote(path),
                    "QUERY_STRING": query,
                    "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                    "CONTENT_LENGTH": str(len(body)),
                    "REMOTE_ADDR": self.client_address[0],
                }
                if EXPECTED:
                    env["REMOTE_USER"] = base64.b64decode(EXPECTED).decode().split(":", 1)[0]
                for name, value in self.headers.items():
                    key = "HTTP_" + name.upper().replace("-", "_")
                    if key not in HIDDEN:
                        env[key] = value
                backend = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
                sys.stderr.write(backend.stderr.decode(errors="replace"))
                head, separator, payload = backend.stdout.partition(b"\r\n\r\n")
                if not separator:
                    self.reply(500, [], f"git http-backend exited {backend.returncode}\n".encode())
                    return
                status, headers = 200, []
                for line in head.decode("latin-1").split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "status":
                        status = int(value.split()[0])
                    else:
                        headers.append((name, value.strip()))
                self.reply(status, headers, payload)


        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                sys.stderr.write(f"connection from {client_address} ended: {sys.exc_info()[1]!r}\n")


        server = Server(("127.0.0.1", PORT), Handler)
        if CERT:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(CERT, KEY)
            server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        sys.stderr.write(f"serving {ROOT} on 127.0.0.1:{PORT}, tls={bool(CERT)}, auth={bool(EXPECTED)}\n")
        server.serve_forever()

        """#
}
